"""Writes for the member area: profile updates, invitations, join requests,
erasure requests. Each validates, runs in one transaction and records who did it.

Profile updates are guarded by a version: the person's ``updated_at`` in
microseconds, which every save (here, in the admin, by an import) moves on. A
save that names the version it started from fails with ``StaleEdit`` when
someone else saved in between, and writes nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from network.models import (
    AreaType,
    ChangeSource,
    ContactDetail,
    DeletionRequest,
    DeletionRequestStatus,
    Election,
    ElectionKind,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    NetworkStatus,
    Person,
    ProfileChange,
    Role,
    RoleKind,
)
from network.models.people import unique_slug
from network.visibility import MEMBER_GROUP
from ops.pagecache import purge_public_pages
from ops.siteurl import absolute_url

from . import photos

PROFILE_FIELDS = ("bio", "pronouns", "public_profile")
CONTACT_FIELDS = ("kind", "value", "label", "visibility")
# One limit for every way a member saves their contacts (the profile form and
# /api/v1/me/ both come through profile_update): room for each kind twice over,
# and a bound on how many rows one save may write.
MAX_CONTACTS = 30
TOO_MANY_CONTACTS = f"At most {MAX_CONTACTS} contacts: remove one to add another."
INVITATION_DAYS = 14
INVITATION_SALT = "network.invitation"


# ------------------------------------------------------------------ versions


def person_version(person: Person) -> str:
    """The token a client sends back to say which state it edited."""
    return str(int(person.updated_at.timestamp() * 1_000_000))


@dataclass
class StaleEdit(Exception):
    """Someone saved the person after the version the editor started from."""

    current_version: str
    changed_at: object
    changed_fields: list[str] = field(default_factory=list)

    def __str__(self):
        return "Someone else saved this profile after you opened it."


# ------------------------------------------------------------------ history


def record_profile_change(
    *, person: Person, fields, actor=None, source: str, channel: str = ""
) -> ProfileChange | None:
    """Write a history entry (field names only). Imports and the admin call this
    for their own saves; profile_update calls it for the member's."""
    fields = sorted(set(fields))
    if not fields:
        return None
    return ProfileChange.objects.create(
        person=person,
        actor=actor if actor is not None and actor.is_authenticated else None,
        source=source,
        channel=channel,
        fields=fields,
    )


def changes_since(person: Person, version: str | None) -> list[str]:
    """Which fields others saved after ``version`` (for the conflict message)."""
    if not version:
        return []
    try:
        since = datetime.fromtimestamp(int(version) / 1_000_000, tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return []
    names: set[str] = set()
    for entry in ProfileChange.objects.filter(person=person, created_at__gt=since):
        names.update(entry.fields)
    return sorted(names)


# ------------------------------------------------------------------ profile


def _contact_key(contact: ContactDetail) -> tuple:
    return tuple(getattr(contact, name) for name in CONTACT_FIELDS)


def profile_update(
    *,
    person: Person,
    data: dict,
    actor,
    expected_version: str | None,
    source: str = ChangeSource.MEMBER,
    channel: str = "web",
) -> Person:
    """Apply a member's edit of their own profile.

    ``data`` may hold ``bio``, ``pronouns``, ``public_profile``, ``photo`` (an
    upload), ``remove_photo`` and ``contacts``: the complete new list, each a dict
    of kind, value, label, visibility and, for an existing contact, its ``id``;
    at most ``MAX_CONTACTS`` of them. Contacts left out are removed. Roles and
    party history are not the member's to change. Raises ``ValidationError``
    (keys name the field, e.g. ``contacts.1.value``) or ``StaleEdit``; in both
    cases nothing is written.
    """
    unknown = set(data) - {*PROFILE_FIELDS, "photo", "remove_photo", "contacts"}
    if unknown:
        raise ValidationError(
            dict.fromkeys(sorted(unknown), "This field cannot be changed here.")
        )
    if data.get("photo") is not None:
        try:
            photos.check_photo(data["photo"])
        except ValidationError as error:
            raise ValidationError({"photo": error.messages}) from error

    with transaction.atomic():
        current = Person.objects.select_for_update().get(pk=person.pk)
        if expected_version is not None and person_version(current) != str(
            expected_version
        ):
            raise StaleEdit(
                current_version=person_version(current),
                changed_at=current.updated_at,
                changed_fields=changes_since(current, expected_version),
            )
        changed: list[str] = []
        for name in PROFILE_FIELDS:
            if name in data and getattr(current, name) != data[name]:
                setattr(current, name, data[name])
                changed.append(name)
        if "public_profile" in changed:
            # The member's own choice is the consent; record when it was given.
            current.public_profile_agreed_at = (
                timezone.now() if current.public_profile else None
            )
        errors: dict[str, list[str]] = {}
        try:
            current.full_clean()
        except ValidationError as error:
            errors.update(error.message_dict)

        contact_plan = None
        if "contacts" in data:
            contact_plan, contact_errors = _plan_contacts(current, data["contacts"])
            errors.update(contact_errors)
        if errors:
            raise ValidationError(errors)

        old_photo = current.photo
        if data.get("photo") is not None:
            current.photo = photos.store_photo(data["photo"])
            changed.append("photo")
        elif data.get("remove_photo") and current.photo_id:
            current.photo = None
            changed.append("photo")

        if contact_plan is not None and _apply_contacts(current, contact_plan):
            changed.append("contacts")
        if not changed:
            return current
        current.save()
        if "photo" in changed and photos.is_profile_photo(old_photo):
            old_photo.delete()
        record_profile_change(
            person=current, fields=changed, actor=actor, source=source, channel=channel
        )
        # Public pages may show this profile (name, bio, photo, contacts).
        purge_public_pages()
    return current


def _plan_contacts(person: Person, items):
    existing = {c.pk: c for c in person.contacts.all()}
    plan, errors, seen = [], {}, set()
    if not isinstance(items, list | tuple):
        return None, {"contacts": ["Send a list of contacts."]}
    if len(items) > MAX_CONTACTS:
        return None, {"contacts": [TOO_MANY_CONTACTS]}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors[f"contacts.{index}"] = ["Each contact is an object."]
            continue
        pk = item.get("id")
        if pk is not None:
            contact = existing.get(pk)
            if contact is None or pk in seen:
                errors[f"contacts.{index}.id"] = ["No such contact on this profile."]
                continue
            seen.add(pk)
            before = _contact_key(contact)
        else:
            contact, before = ContactDetail(person=person), None
        for name in CONTACT_FIELDS:
            if name in item:
                setattr(contact, name, item[name] if item[name] is not None else "")
        contact.sort_order = index
        try:
            contact.full_clean(exclude=["person"])
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors[f"contacts.{index}.{key}"] = messages
            continue
        plan.append((contact, before))
    removed = [c for pk, c in existing.items() if pk not in seen]
    return (plan, removed), errors


def _apply_contacts(person: Person, plan) -> bool:
    kept, removed = plan
    changed = bool(removed)
    for contact in removed:
        contact.delete()
    for contact, before in kept:
        if before is None or before != _contact_key(contact):
            changed = True
        contact.save()
    return changed


# ------------------------------------------------------------------ invitations


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(invitation: Invitation, secret: str) -> str:
    signed = signing.dumps({"i": invitation.pk, "s": secret}, salt=INVITATION_SALT)
    return absolute_url(reverse("members:invitation", args=[signed]))


def invitation_send(*, person: Person, email: str, actor) -> Invitation:
    """Email a person a link that creates their account. Earlier unused links for
    the same person stop working."""
    from django.core.validators import validate_email

    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from error
    if getattr(person, "account", None) is not None:
        raise ValidationError(
            {"person": "This person already has an account in the network."}
        )
    secret = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(
            person=person, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            person=person,
            email=email,
            token_hash=_hash(secret),
            invited_by=actor,
            created_at=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
        link = invitation_link(invitation, secret)
        body = render_to_string(
            "network/members/email/invitation.txt",
            {"person": person, "link": link, "days": INVITATION_DAYS},
        )
        transaction.on_commit(
            lambda: send_mail(
                "Your invitation to the No Ceasefire No Vote network",
                body,
                None,
                [email],
            )
        )
    return invitation


def invitation_from_link(signed: str) -> Invitation | None:
    """The usable invitation behind a link, or None (tampered, expired, used)."""
    try:
        payload = signing.loads(
            signed,
            salt=INVITATION_SALT,
            max_age=timedelta(days=INVITATION_DAYS),
        )
        pk, secret = int(payload["i"]), str(payload["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    invitation = Invitation.objects.select_related("person").filter(pk=pk).first()
    if invitation is None or not secrets.compare_digest(
        invitation.token_hash, _hash(secret)
    ):
        return None
    return invitation if invitation.is_usable else None


def invitation_accept(*, signed: str, password: str):
    """Create the account for the invitation behind ``signed`` and link it to the
    person. The link works once. Returns the new user."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.password_validation import validate_password

    User = get_user_model()
    with transaction.atomic():
        invitation = invitation_from_link(signed)
        if invitation is None:
            raise ValidationError("This invitation link has expired or was used.")
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_usable:
            raise ValidationError("This invitation link has expired or was used.")
        person = invitation.person
        user = User(
            username=_free_username(person.slug or "member"),
            email=invitation.email.lower(),
            first_name=person.name[:150],
            person=person,
        )
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password1": error.messages}) from error
        if (
            EmailAddress.objects.filter(email__iexact=invitation.email).exists()
            or User.objects.filter(email__iexact=invitation.email).exists()
        ):
            raise ValidationError(
                "An account already uses this address: sign in, or ask a "
                "coordinator for an invitation to another address."
            )
        if User.objects.filter(person=person).exists():
            raise ValidationError("This person already has an account.")
        user.set_password(password)
        user.save()
        # Following the emailed link proves the address.
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=True
        )
        user.groups.add(AuthGroup.objects.get(name=MEMBER_GROUP))
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return user


def _free_username(base: str) -> str:
    User = get_user_model()
    base = base[:140] or "member"
    name, n = base, 2
    while User.objects.filter(username=name).exists():
        name, n = f"{base}-{n}", n + 1
    return name


# ------------------------------------------------------------------ join requests


def join_request_submit(
    *, name: str, email: str, role: str, area, statement: str
) -> JoinRequest:
    request = JoinRequest(
        name=name, email=email, role=role, area=area, statement=statement
    )
    request.full_clean()
    request.save()
    return request


def join_request_approve(
    *, join_request: JoinRequest, actor, person: Person | None = None
) -> Invitation:
    """Create (or link) the person and send them an invitation."""
    with transaction.atomic():
        join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if join_request.status != JoinRequestStatus.PENDING:
            raise ValidationError("This request was already decided.")
        if person is None:
            person = Person(name=join_request.name)
            person.slug = unique_slug(Person, person.name)
            if join_request.role == RoleKind.ORGANISER:
                person.network_status = NetworkStatus.ORGANISER
            person.full_clean()
            person.save()
            fields = ["name"]
            if join_request.role:
                _role_from_join_request(join_request, person)
                fields.append("roles")
            record_profile_change(
                person=person,
                fields=fields,
                actor=actor,
                source=ChangeSource.COORDINATOR,
                channel="join request",
            )
        elif not person.in_network:
            # Someone the campaign tracked asks to join: from now on they are one
            # of the network.
            person.network_status = NetworkStatus.MEMBER
            person.save(update_fields=["network_status", "updated_at"])
            record_profile_change(
                person=person,
                fields=["network_status"],
                actor=actor,
                source=ChangeSource.COORDINATOR,
                channel="join request",
            )
        join_request.status = JoinRequestStatus.APPROVED
        join_request.person = person
        join_request.decided_by = actor
        join_request.decided_at = timezone.now()
        join_request.save()
        return invitation_send(person=person, email=join_request.email, actor=actor)


def _role_from_join_request(join_request: JoinRequest, person: Person) -> Role:
    """The role and area someone gave when asking to join, as a role of theirs.

    A candidate who gave a constituency is taken to stand at the next UK
    Parliament election the directory holds, when there is one; otherwise the
    candidacy waits for a coordinator to name the election. What they said is
    kept even where it does not make a complete role yet (a councillor who gave
    a constituency): the coordinator completes it in the admin."""
    election = None
    area = join_request.area
    if (
        join_request.role == RoleKind.CANDIDATE
        and area is not None
        and area.area_type == AreaType.CONSTITUENCY
    ):
        election = (
            Election.objects.filter(
                kind=ElectionKind.PARLIAMENTARY, date__gte=timezone.localdate()
            )
            .order_by("date")
            .first()
        )
    return Role.objects.create(
        person=person,
        kind=join_request.role,
        area=area,
        election=election,
        start_date=timezone.localdate(),
    )


def join_request_decline(*, join_request: JoinRequest, actor) -> JoinRequest:
    with transaction.atomic():
        join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if join_request.status != JoinRequestStatus.PENDING:
            raise ValidationError("This request was already decided.")
        join_request.status = JoinRequestStatus.DECLINED
        join_request.decided_by = actor
        join_request.decided_at = timezone.now()
        join_request.save()
    return join_request


# ------------------------------------------------------------------ erasure requests


def deletion_request(*, user) -> DeletionRequest:
    """A member asks for their account and data to be erased. Idempotent."""
    existing = DeletionRequest.objects.filter(
        user=user, status=DeletionRequestStatus.PENDING
    ).first()
    if existing:
        return existing
    return DeletionRequest.objects.create(user=user, person=user.person)


def deletion_cancel(*, request: DeletionRequest, actor) -> DeletionRequest:
    request.status = DeletionRequestStatus.CANCELLED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save()
    return request


def deletion_confirm(*, request: DeletionRequest, actor) -> dict[str, int]:
    """A coordinator confirms: everything about the member is erased (see
    network/personal_data.py). The request stays, stripped, as the record."""
    from network import personal_data

    with transaction.atomic():
        request = DeletionRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != DeletionRequestStatus.PENDING:
            raise ValidationError("This request was already decided.")
        person, user = request.person, request.user
        request.status = DeletionRequestStatus.ERASED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save()
        counts = personal_data.erase(person=person, user=user)
        # The person must vanish from cached public pages at once, too.
        purge_public_pages()
        return counts
