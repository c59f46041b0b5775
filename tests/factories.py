"""factory_boy factories for the directory."""

from datetime import date

import factory
from django.utils.text import slugify

from network.models import (
    Affiliation,
    Area,
    ContactDetail,
    ContactKind,
    Election,
    ElectionKind,
    Group,
    GroupKind,
    Party,
    Person,
    Role,
    RoleKind,
    Visibility,
)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Test Party {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election
        django_get_or_create = ("election_id",)

    election_id = "parl.2024-07-04"
    name = "UK Parliament general election 2024"
    date = date(2024, 7, 4)
    kind = ElectionKind.PARLIAMENTARY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Testperson Number{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactDetail

    person = factory.SubFactory(PersonFactory)
    kind = ContactKind.EMAIL
    value = factory.LazyAttribute(lambda o: f"{o.person.slug}@example.org")
    visibility = Visibility.PUBLIC


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Test Group {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = GroupKind.LOCAL_NETWORK


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    person = factory.SubFactory(PersonFactory)
    kind = RoleKind.COUNCILLOR
    area = factory.LazyFunction(lambda: Area.objects.get(gss_code="E05011515"))


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    party = factory.SubFactory(PartyFactory, name="Labour Party")


# ------------------------------------------------------------------ stances & notes


class CandidacyFactory(factory.django.DjangoModelFactory):
    """A candidate in Blackburn at the 2024 general election."""

    class Meta:
        model = Role

    person = factory.SubFactory(PersonFactory)
    kind = RoleKind.CANDIDATE
    area = factory.LazyFunction(lambda: Area.objects.get(gss_code="E14001102"))
    election = factory.SubFactory(ElectionFactory)
    party = factory.SubFactory(PartyFactory, name="Independent")


class StanceEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaign.StanceEvent"

    candidacy = factory.SubFactory(CandidacyFactory)
    kind = "asked"
    occurred_on = date(2024, 6, 3)
    method = "email"


# ---- campaign site pages
def build_site_pages(**event_fields):
    """A small campaign site: home, statements with one statement, events with one
    upcoming event (extra fields override its defaults), and a standard page.
    Returns a SimpleNamespace of the pages."""
    import json
    from datetime import timedelta
    from types import SimpleNamespace

    from django.utils import timezone

    from cms.demo import seed_home
    from cms.models import (
        EventIndexPage,
        EventPage,
        StandardPage,
        StatementIndexPage,
        StatementPage,
    )

    home = seed_home()

    def add(parent, page):
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    statements = add(home, StatementIndexPage(title="Statements", slug="statements"))
    statement = add(
        statements,
        StatementPage(
            title="Our first statement",
            slug="our-first-statement",
            summary="A statement for the tests.",
            body=json.dumps(
                [{"type": "paragraph", "value": "<p>We call for a lasting peace.</p>"}]
            ),
        ),
    )
    events = add(home, EventIndexPage(title="Events", slug="events"))
    start = (timezone.now() + timedelta(days=30)).replace(second=0, microsecond=0)
    fields = {
        "title": "Test conference",
        "slug": "test-conference",
        "start": start,
        "end": start + timedelta(hours=5),
        "venue_name": "Test Hall",
        "venue_address": "1 Example Street\nDemotown\nDT1 1AA",
        "capacity": 2,
        **event_fields,
    }
    event = add(events, EventPage(**fields))
    standard = add(home, StandardPage(title="Privacy policy", slug="privacy"))
    return SimpleNamespace(
        home=home,
        statements=statements,
        statement=statement,
        events=events,
        event=event,
        standard=standard,
    )


def give_photo(person, colour: str = "teal"):
    """The person's profile photo, stored as a member's upload is
    (network/members/photos.py: private, under a random name)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from network.members.photos import store_photo

    out = io.BytesIO()
    Image.new("RGB", (400, 300), colour).save(out, "PNG")
    person.photo = store_photo(SimpleUploadedFile("photo.png", out.getvalue()))
    Person.objects.filter(pk=person.pk).update(photo=person.photo)
    return person.photo
