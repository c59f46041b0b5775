"""Everything the platform holds about a person, in one registry.

"Download my data" and erasure both walk this registry, so a model that holds
personal data must be registered here or it is neither exported nor erased (a
test fails for any model pointing at a Person, a User or a Role that is not).

Each app registers its own models in ``<app>/personal_data.py`` (found by
autodiscovery), e.g.::

    from network.personal_data import register
    register(Subscription, label="subscriptions", email_field="email")

A record belongs to a person through ``person_field`` (a lookup path to the
Person, e.g. ``"candidacy__person"``), ``user_field`` (a path to their account)
or ``email_field`` (records kept by email address). ``erase`` is ``"delete"``
(the default) or a dict of field values that anonymise the record instead;
``exclude`` names fields never exported (secrets, hashes); ``versions`` names
fields exported from each of the record's saved revisions too (what earlier
versions said, and when).

The subject of a request is an account, the directory entry linked to it, and
the addresses the account has *verified*: nothing else. An address a member typed
into their profile, or added to their account without confirming it, proves
nothing about whose it is; matching on it would hand a stranger's event
registrations (with access needs: health data), subscription and join request to
whoever typed it, and an erasure would delete them.

The export names no one but the subject: a field pointing at another person or
another account (the coordinator who wrote a note, who edited it, who decided a
request) says only that someone else did it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class Entry:
    model: type[models.Model]
    label: str
    person_field: str | None = None
    user_field: str | None = None
    email_field: str | None = None
    erase: str | dict = "delete"
    exclude: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    def queryset(self, *, person, user, emails) -> models.QuerySet:
        query = Q()
        matched = False
        if self.person_field and person is not None:
            query |= Q(**{self.person_field: person.pk})
            matched = True
        if self.user_field and user is not None:
            query |= Q(**{self.user_field: user.pk})
            matched = True
        if self.email_field and emails:
            # Forms store addresses as typed; the same mailbox in another case
            # is still the subject's own verified address.
            for email in emails:
                query |= Q(**{f"{self.email_field}__iexact": email})
            matched = True
        if not matched:
            return self.model._default_manager.none()
        return self.model._default_manager.filter(query).distinct()


_REGISTRY: dict[type[models.Model], Entry] = {}
_discovered = False


def register(
    model,
    *,
    label: str | None = None,
    person_field: str | None = None,
    user_field: str | None = None,
    email_field: str | None = None,
    erase: str | dict = "delete",
    exclude: tuple[str, ...] = (),
    versions: tuple[str, ...] = (),
) -> None:
    if not (person_field or user_field or email_field):
        raise ValueError(f"{model.__name__}: say how a record belongs to a person.")
    _REGISTRY[model] = Entry(
        model=model,
        label=label or model._meta.verbose_name_plural.replace(" ", "_"),
        person_field=person_field,
        user_field=user_field,
        email_field=email_field,
        erase=erase,
        exclude=tuple(exclude),
        versions=tuple(versions),
    )


def registry() -> dict[type[models.Model], Entry]:
    global _discovered
    if not _discovered:
        _discovered = True
        _register_own()
        autodiscover_modules("personal_data")
    return dict(_REGISTRY)


def _register_own() -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model

    from network.models import (
        Affiliation,
        ContactDetail,
        CoordinationNote,
        DeletionRequest,
        GroupMembership,
        Invitation,
        JoinRequest,
        Person,
        ProfileChange,
        Role,
    )

    register(Person, label="person", person_field="pk")
    register(ContactDetail, label="contacts", person_field="person")
    register(Role, label="roles", person_field="person")
    register(Affiliation, label="party_history", person_field="person")
    register(GroupMembership, label="groups", person_field="person")
    # What coordinators wrote about the person, and what earlier versions said,
    # is theirs to read; who wrote it is withheld (see _row).
    register(
        CoordinationNote,
        label="notes_about_you",
        person_field="person",
        versions=("text", "follow_up_on", "done"),
    )
    register(
        Invitation,
        label="invitations",
        person_field="person",
        exclude=("token_hash",),
    )
    register(
        JoinRequest, label="join_requests", person_field="person", email_field="email"
    )
    register(ProfileChange, label="profile_changes", person_field="person")
    # The request itself is kept as the record that an erasure happened, with
    # nothing left in it that identifies anyone.
    register(
        DeletionRequest,
        label="deletion_requests",
        person_field="person",
        user_field="user",
        erase={"person": None, "user": None},
    )
    register(
        get_user_model(),
        label="account",
        user_field="pk",
        exclude=("password",),
    )
    register(EmailAddress, label="email_addresses", user_field="user")
    # The TOTP secret and recovery seed never leave the server.
    register(
        Authenticator, label="authenticators", user_field="user", exclude=("data",)
    )


# ------------------------------------------------------------------ finding


def _subject(person=None, user=None):
    """Complete the pair: a person's account, an account's person."""
    if person is None and user is not None:
        person = getattr(user, "person", None)
    if user is None and person is not None:
        user = getattr(person, "account", None) if person.pk else None
    return person, user


def _emails(person, user) -> set[str]:
    """The addresses the subject has proved are theirs: the account's verified
    addresses. Profile contacts and unconfirmed account addresses are whatever
    someone typed, so they never widen a request (see the module docstring)."""
    from allauth.account.models import EmailAddress

    if user is None or not user.pk:
        return set()
    return {
        email.lower()
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }


def records(
    *, person=None, user=None, emails: set[str] | None = None
) -> dict[Entry, models.QuerySet]:
    person, user = _subject(person, user)
    if emails is None:
        emails = _emails(person, user)
    return {
        entry: entry.queryset(person=person, user=user, emails=emails)
        for entry in registry().values()
    }


# ------------------------------------------------------------------ export


# What the export says in place of another person's name or account.
WITHHELD = "withheld (another person)"


@dataclass(frozen=True)
class _Subject:
    person_id: int | None
    user_id: int | None

    def names(self, model, pk) -> bool:
        """Whether ``pk`` of ``model`` is the subject's own person or account,
        or points at neither kind (a group, an area, an event)."""
        from django.contrib.auth import get_user_model

        from network.models import Person

        if issubclass(model, Person):
            return pk == self.person_id
        if issubclass(model, get_user_model()):
            return pk == self.user_id
        return True


def _row(obj, entry: Entry, subject: _Subject) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in entry.exclude:
            continue
        value = f.value_from_object(obj)
        if f.is_relation and value is not None:
            if subject.names(f.related_model, value):
                value = {"id": value, "name": str(getattr(obj, f.name))}
            else:
                value = WITHHELD
        elif hasattr(value, "name") and isinstance(f, models.FileField):
            value = value.name or None
        row[f.name] = value
    if entry.versions:
        row["versions"] = _versions(obj, entry.versions, subject)
    return row


def _versions(obj, fields: tuple[str, ...], subject: _Subject) -> list[dict]:
    """Each saved revision of ``obj``, oldest first: when, the named fields as
    they were, and who saved it (withheld unless the subject did)."""
    from django.contrib.auth import get_user_model

    out = []
    for revision in obj.revisions.order_by("created_at", "pk"):
        content = revision.content or {}
        saved_by = None
        if revision.user_id is not None:
            saved_by = (
                {"id": revision.user_id, "name": str(revision.user)}
                if subject.names(get_user_model(), revision.user_id)
                else WITHHELD
            )
        version = {"saved_at": revision.created_at, "saved_by": saved_by}
        version.update({name: content.get(name) for name in fields})
        out.append(version)
    return out


def export(*, person=None, user=None) -> dict[str, Any]:
    """Everything held about the person and their account, JSON-ready."""
    person, user = _subject(person, user)
    subject = _Subject(
        person_id=person.pk if person is not None else None,
        user_id=user.pk if user is not None else None,
    )
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "about": (
            "Everything the No Ceasefire No Vote platform holds about you. "
            "Each section is one kind of record. Where a record names someone "
            f'else (who wrote or edited it, who decided), it says "{WITHHELD}".'
        ),
    }
    for entry, queryset in records(person=person, user=user).items():
        data[entry.label] = [
            _row(obj, entry, subject) for obj in queryset.order_by("pk")
        ]
    return data


def export_json(*, person=None, user=None) -> str:
    import json

    return json.dumps(export(person=person, user=user), cls=DjangoJSONEncoder, indent=2)


# ------------------------------------------------------------------ erasure


def erase(*, person=None, user=None) -> dict[str, int]:
    """Erase or anonymise every registered record of the person and their account,
    then the person and the account themselves, in one transaction. Returns how
    many records of each kind went. The Person's own Wagtail revisions and admin
    log entries go too, so no history keeps a copy of erased values."""
    from django.contrib.auth import get_user_model

    from network.models import Person

    person, user = _subject(person, user)
    User = get_user_model()
    counts: dict[str, int] = {}
    with transaction.atomic():
        emails = _emails(person, user)
        found = records(person=person, user=user, emails=emails)
        # Resolve the ids first: deleting one kind can unlink another.
        ids = {
            entry: list(queryset.values_list("pk", flat=True))
            for entry, queryset in found.items()
        }
        for entry, pks in ids.items():
            if entry.model in (Person, User) or not pks:
                continue
            queryset = entry.model._default_manager.filter(pk__in=pks)
            _forget_history(entry.model, pks)
            if isinstance(entry.erase, dict):
                counts[entry.label] = queryset.update(**entry.erase)
            else:
                # A queryset delete: cascades and signals (search index) run, but
                # not a model's own delete(), which may refuse (append-only logs).
                counts[entry.label] = queryset.delete()[1].get(
                    entry.model._meta.label, 0
                )
        if person is not None and person.pk:
            photo = person.photo
            _forget_history(Person, [person.pk])
            Person.objects.filter(pk=person.pk).delete()
            counts["person"] = 1
            if photo is not None:
                photo.delete()
        if user is not None and user.pk:
            User.objects.filter(pk=user.pk).delete()
            counts["account"] = 1
        # Deleting the person can itself leave records behind (e.g. a change-feed
        # entry for partners): a second pass erases those too.
        again = records(person=person, user=user, emails=emails)
        for entry, queryset in again.items():
            if entry.model in (Person, User):
                continue
            if isinstance(entry.erase, dict):
                queryset.filter(~Q(**entry.erase)).update(**entry.erase)
            else:
                queryset.delete()
    log.info("Erased a member's records: %s", counts)  # counts only, no names
    return counts


def _forget_history(model, pks) -> None:
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry, Revision

    content_type = ContentType.objects.get_for_model(model)
    keys = [str(pk) for pk in pks]
    Revision.objects.filter(base_content_type=content_type, object_id__in=keys).delete()
    Revision.objects.filter(content_type=content_type, object_id__in=keys).delete()
    ModelLogEntry.objects.filter(content_type=content_type, object_id__in=keys).delete()
