"""The personal data registry: "download my data" contains, and erasure removes, a
record of every model that holds personal data; nothing else is touched."""

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import ModelLogEntry, Revision

from api.models import PersonDocument
from network import personal_data
from network.members import services
from network.models import (
    DeletionRequest,
    DeletionRequestStatus,
    Invitation,
    JoinRequest,
    Person,
    Role,
)
from tests.conftest import sign_in_with_mfa
from tests.factories import (
    AffiliationFactory,
    CandidacyFactory,
    ContactFactory,
    GroupFactory,
    RoleFactory,
    StanceEventFactory,
)

pytestmark = pytest.mark.django_db


def _membership(person, user):
    from network.models import GroupMembership

    return GroupMembership.objects.create(group=GroupFactory(), person=person)


def _note(person, user):
    from network.services import note_add

    return note_add(author=None, text="<p>Met at the hustings.</p>", person=person)


def _invitation(person, user):
    return Invitation.objects.create(
        person=person,
        email=user.email,
        token_hash=services._hash(person.slug),
        expires_at="2030-01-01T00:00Z",
    )


def _join_request(person, user):
    # Kept by address: it arrived before the person was in the directory.
    return JoinRequest.objects.create(
        name=person.name, email=user.email, role="organiser", statement="Hello."
    )


def _profile_change(person, user):
    return services.record_profile_change(
        person=person, fields=["bio"], actor=user, source="member"
    )


def _deletion_request(person, user):
    return services.deletion_request(user=user)


def _email_address(person, user):
    return user.emailaddress_set.get()


def _authenticator(person, user):
    from tests.conftest import enrol_mfa

    enrol_mfa(user)
    return user.authenticator_set.get(type="totp")


def _subscriber(person, user):
    from tests.updates.factories import SubscriberFactory
    from updates.models import Subscriber

    found = Subscriber.objects.filter(email=user.email).first()
    return found or SubscriberFactory(email=user.email)


def _consent_event(person, user):
    return _subscriber(person, user).consent_events.order_by("pk").first()


def _delivery(person, user):
    from tests.updates.factories import MailingFactory
    from updates.models import Delivery

    return Delivery.objects.create(
        mailing=MailingFactory(), subscriber=_subscriber(person, user)
    )


def _pending_signup(person, user):
    from updates.models import PendingSignup

    return PendingSignup.objects.create(email=user.email.lower(), name=person.name)


def _campaign_site():
    from cms.models import EventPage, StatementPage
    from tests.factories import build_site_pages

    if not EventPage.objects.exists():
        build_site_pages()
    return EventPage.objects.first(), StatementPage.objects.first()


def _registration(person, user):
    from cms.models import Registration

    event, _ = _campaign_site()
    return Registration.objects.create(
        event=event, name=person.name, email=user.email.lower()
    )


def _signature(person, user):
    from cms.models import StatementSignatory

    _, statement = _campaign_site()
    return StatementSignatory.objects.create(page=statement, person=person)


def _hosting(person, user):
    from cms.models import EventHost

    event, _ = _campaign_site()
    return EventHost.objects.create(page=event, person=person)


def _pledge(user):
    from campaign.models import Pledge, PledgeWording
    from network.models import Area

    wording, _ = PledgeWording.objects.get_or_create(
        version="test", defaults={"statement": "I pledge.", "consent": "I agree."}
    )
    return Pledge.objects.create(
        wording=wording,
        name=user.person.name,
        email=user.email,
        constituency=Area.objects.filter(area_type="constituency").first(),
        client_hash="a" * 40,
    )


def _ask(user):
    from campaign.models import ConstituentAsk

    return ConstituentAsk.objects.create(
        candidacy=CandidacyFactory(),
        name=user.person.name,
        email=user.email,
        subject="A ceasefire?",
        message=f"From {user.person.name}.",
        client_hash="b" * 40,
    )


# One way to make a record of each registered model for a given member. A model
# registered without a sample here fails test_every_registered_model_has_a_sample.
SAMPLES = {
    "network.Person": lambda person, user: person,
    "network.User": lambda person, user: user,
    "network.ContactDetail": lambda person, user: ContactFactory(person=person),
    "network.Role": lambda person, user: RoleFactory(person=person),
    "network.Affiliation": lambda person, user: AffiliationFactory(person=person),
    "network.GroupMembership": _membership,
    "network.CoordinationNote": _note,
    "campaign.StanceEvent": lambda person, user: StanceEventFactory(
        candidacy=CandidacyFactory(person=person)
    ),
    "network.Invitation": _invitation,
    "network.JoinRequest": _join_request,
    "network.ProfileChange": _profile_change,
    "network.DeletionRequest": _deletion_request,
    "account.EmailAddress": _email_address,
    "mfa.Authenticator": _authenticator,
    "updates.Subscriber": _subscriber,
    "updates.ConsentEvent": _consent_event,
    "updates.Delivery": _delivery,
    "updates.PendingSignup": _pending_signup,
    "cms.Registration": _registration,
    "cms.StatementSignatory": _signature,
    "cms.EventHost": _hosting,
    "api.PersonDocument": lambda person, user: PersonDocument.objects.get(
        person=person, audience=1
    ),
    "campaign.Pledge": lambda person, user: _pledge(user),
    "campaign.ConstituentAsk": lambda person, user: _ask(user),
}


def label(model):
    return f"{model._meta.app_label}.{model.__name__}"


def test_every_registered_model_has_a_sample():
    missing = {label(m) for m in personal_data.registry()} - set(SAMPLES)
    assert not missing, f"Add a sample for {missing} to SAMPLES in this file."


# Models of the project's own apps that point at a person, an account or a role
# but hold nothing personal about that person, each with the reason.
NOT_PERSONAL: dict[str, str] = {}
# Fields naming who did something (a coordinator, an editor): the record is not
# about them, and deleting their account clears the field (SET_NULL).
ACTOR_FIELDS = {"author", "actor", "owner"}


def _project_models():
    base = str(settings.BASE_DIR)
    for config in apps.get_app_configs():
        if config.path.startswith(base) and ".venv" not in config.path:
            yield from config.get_models()


def test_every_model_pointing_at_a_person_or_account_is_registered():
    targets = {Person, get_user_model(), Role}
    registered = set(personal_data.registry())
    unregistered = []
    for model in _project_models():
        if model in registered or label(model) in NOT_PERSONAL:
            continue
        for field in model._meta.get_fields():
            if (
                field.is_relation
                and field.concrete
                and field.model is model  # not inherited from a library's model
                and field.related_model in targets
                and field.name not in ACTOR_FIELDS
                and not field.name.endswith("_by")
            ):
                unregistered.append(f"{label(model)}.{field.name}")
    assert not unregistered, (
        "Register these in network/personal_data.py (or the app's own "
        f"personal_data.py): {unregistered}"
    )


@pytest.fixture
def two_members(make_member, uk_areas):
    cache.clear()
    return make_member(name="Fay Leaving"), make_member(name="Gus Staying")


def _make_all(user):
    made = {}
    for name, make in SAMPLES.items():
        made[name] = make(user.person, user)
    return made


def test_export_contains_a_record_of_every_model_and_nothing_of_others(
    client, two_members
):
    leaving, staying = two_members
    mine = _make_all(leaving)
    theirs = _make_all(staying)
    client.force_login(leaving)
    response = client.get(reverse("members:my_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    entries = {label(e.model): e for e in personal_data.registry().values()}
    for name, record in mine.items():
        ids = {row["id"] for row in data[entries[name].label]}
        assert record.pk in ids, f"{name} missing from the export"
        assert theirs[name].pk not in ids, f"{name}: someone else's record exported"
    # Secrets never leave the server.
    body = response.content.decode()
    assert "pbkdf2" not in body and "md5$" not in body
    assert '"token_hash"' not in body
    assert all("data" not in row for row in data["authenticators"])


def test_erasure_drops_the_cached_public_pages(
    client, two_members, superuser, django_capture_on_commit_callbacks
):
    """On its own (no registration whose deletion would purge anyway): the person
    must vanish from cached pages at once."""
    from ops.pagecache import GENERATION_KEY

    leaving, _ = two_members
    request = _deletion_request(leaving.person, leaving)
    sign_in_with_mfa(client, superuser)
    cache.set(GENERATION_KEY, "before")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members_deletion_confirm", args=[request.pk]),
            {"decision": "erase"},
        )
    assert response.status_code == 302
    assert cache.get(GENERATION_KEY) != "before"


def test_erasure_removes_a_record_of_every_model_and_keeps_others(
    client, two_members, superuser, django_capture_on_commit_callbacks
):
    from ops.pagecache import GENERATION_KEY

    leaving, staying = two_members
    person = leaving.person
    person.bio = "Distinctive bio text to forget"
    person.save()
    person.save_revision(user=superuser, log_action=True)
    mine = _make_all(leaving)
    theirs = _make_all(staying)
    request = DeletionRequest.objects.get(user=leaving)

    sign_in_with_mfa(client, superuser)
    url = reverse("members_deletion_confirm", args=[request.pk])
    assert b"Fay Leaving" in client.get(url).content
    cache.set(GENERATION_KEY, "before")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "erase"})
    assert response.status_code == 302
    assert cache.get(GENERATION_KEY) != "before"  # cached public pages dropped

    for name, record in mine.items():
        model = type(record)
        entry = personal_data.registry()[model]
        remaining = model._default_manager.filter(pk=record.pk)
        if isinstance(entry.erase, dict):
            assert remaining.filter(**entry.erase).exists(), name
        else:
            assert not remaining.exists(), f"{name} survived the erasure"
    for name, record in theirs.items():
        assert type(record)._default_manager.filter(pk=record.pk).exists(), name

    request.refresh_from_db()
    assert request.status == DeletionRequestStatus.ERASED
    assert (request.person, request.user) == (None, None)
    # No history keeps a copy of the erased values.
    person_type = ContentType.objects.get_for_model(Person)
    assert not Revision.objects.filter(
        base_content_type=person_type, object_id=str(person.pk)
    ).exists()
    assert not Revision.objects.filter(content__icontains="Distinctive bio").exists()
    assert not Revision.objects.filter(object_str__icontains="Fay Leaving").exists()
    # The other member's history stays (a note's revision names no one, so look
    # it up by the note).
    their_note = theirs["network.CoordinationNote"]
    assert Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(their_note),
        object_id=str(their_note.pk),
    ).exists()
    mine_note = mine["network.CoordinationNote"]
    assert not Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(mine_note),
        object_id=str(mine_note.pk),
    ).exists()
    assert not ModelLogEntry.objects.filter(label__icontains="Fay Leaving").exists()
    # Gone from the directory.
    client.force_login(staying)
    assert b"Fay Leaving" not in client.get(reverse("members:directory")).content


def test_member_asks_and_nothing_happens_until_a_coordinator_confirms(
    client, two_members
):
    leaving, _ = two_members
    client.force_login(leaving)
    assert client.get(reverse("members:delete_account")).status_code == 200
    client.post(reverse("members:delete_account"), {"confirm": "yes"})
    client.post(reverse("members:delete_account"), {"confirm": "yes"})
    request = DeletionRequest.objects.get()
    assert request.status == DeletionRequestStatus.PENDING
    assert Person.objects.filter(pk=leaving.person_id).exists()
    assert (
        b"a coordinator will confirm"
        in client.get(reverse("members:dashboard")).content
    )

    # A member cannot confirm it themselves.
    client.post(
        reverse("members_deletion_confirm", args=[request.pk]), {"decision": "erase"}
    )
    assert Person.objects.filter(pk=leaving.person_id).exists()
