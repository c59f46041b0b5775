"""Keep the change feed complete: note every person who leaves a caller's view.

Partners sync with ``?modified_since=``; a deleted row leaves nothing to find, so
a tombstone records it, by the person's public id only: never the slug, which is
made from the name, since the tombstone outlives an erasure. People are deleted
and edited from several places (the admin, commands, members' own profile pages),
and a change feed that misses one of them silently corrupts every partner's copy,
which is why this hooks the model signals rather than each of those places.

For the same reason a change to what a person's answer shows (their roles,
contacts, party history, groups or a candidacy's stance) marks the person as
changed, whichever screen or command made it, and every change rebuilds the
stored documents the API serves (api/documents.py) in the same transaction: a
rename of an area, party, group or election rebuilds the documents of the people
whose answer names it.
"""

import threading

from django.db import connection
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from campaign.models import StanceEvent
from network.models import (
    Affiliation,
    Area,
    ContactDetail,
    Election,
    Group,
    GroupMembership,
    Party,
    Person,
    Role,
)
from ops import batching

from . import answers
from .authentication import forget_keys
from .documents import documents_rebuild
from .models import PartnerKey, PartnerOrganisation, PersonTombstone

# In a bulk write (ops.batching) each person's documents are rebuilt once, at the
# end, instead of at every save of their parts.
batching.register("person documents", documents_rebuild)


def _rebuild(person_ids) -> None:
    if not batching.note("person documents", person_ids):
        documents_rebuild(person_ids)


# People being deleted in this thread: their parts' deletion signals must not
# write documents for a row about to go.
_deleting = threading.local()


def _being_deleted() -> set:
    if not hasattr(_deleting, "ids"):
        _deleting.ids = set()
    return _deleting.ids


@receiver(pre_save, sender=Person, dispatch_uid="api_person_withdrawn")
def note_withdrawn_profile(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance.public_profile:
        return
    # The stored id, not the instance's: partners only ever saw the stored one.
    public_id = (
        Person.objects.filter(pk=instance.pk, public_profile=True)
        .values_list("public_id", flat=True)
        .first()
    )
    if public_id is not None:
        PersonTombstone.objects.create(
            public_id=public_id,
            reason=PersonTombstone.Reason.WITHDRAWN,
            was_public=True,
        )


@receiver(post_save, sender=Person, dispatch_uid="api_person_documents")
def rebuild_person_documents(sender, instance, raw=False, **kwargs):
    if not raw:
        _rebuild([instance.pk])


@receiver(pre_delete, sender=Person, dispatch_uid="api_person_deleting")
def note_deleting_person(sender, instance, **kwargs):
    _being_deleted().add(instance.pk)


@receiver(post_delete, sender=Person, dispatch_uid="api_person_deleted")
def note_deleted_person(sender, instance, **kwargs):
    _being_deleted().discard(instance.pk)
    # Their documents went with them (a cascade, which sends no signal of its own).
    answers.documents_changed()
    PersonTombstone.objects.create(
        public_id=instance.public_id,
        reason=PersonTombstone.Reason.DELETED,
        was_public=instance.public_profile,
    )


PARTS_OF_A_PERSON = (Role, ContactDetail, Affiliation, GroupMembership)


def _touch(person_id):
    """Mark the person changed and rebuild their documents; returns the time."""
    now = timezone.now()
    deleting = _being_deleted()
    if deleting and not connection.in_atomic_block:
        deleting.clear()  # a deletion always runs in a transaction: none is
    if not person_id or person_id in deleting:
        return now
    Person.objects.filter(pk=person_id).update(updated_at=now)
    _rebuild([person_id])
    return now


def touch_person(sender, instance, raw=False, **kwargs):
    if raw or not instance.person_id:
        return
    now = _touch(instance.person_id)
    # Keep a person object the caller holds in step with the database, so a
    # version derived from it (e.g. for If-Match) stays current.
    if sender.person.is_cached(instance) and instance.person is not None:
        instance.person.updated_at = now


for part in PARTS_OF_A_PERSON:
    post_save.connect(
        touch_person, sender=part, dispatch_uid=f"api_touch_{part.__name__}"
    )
    post_delete.connect(
        touch_person, sender=part, dispatch_uid=f"api_touch_del_{part.__name__}"
    )


def touch_candidate(sender, instance, raw=False, **kwargs):
    """A stance event changes what its candidate's answer shows."""
    if raw:
        return
    person_id = (
        Role.objects.filter(pk=instance.candidacy_id)
        .values_list("person_id", flat=True)
        .first()
    )
    _touch(person_id)


post_save.connect(touch_candidate, sender=StanceEvent, dispatch_uid="api_stance")
post_delete.connect(touch_candidate, sender=StanceEvent, dispatch_uid="api_stance_del")

# What a person's answer names of each kind of record, by the path from Person.
NAMED_IN_ANSWERS = {
    Area: ("roles__area",),
    Election: ("roles__election",),
    Party: ("roles__party", "affiliations__party"),
    Group: ("roles__group", "group_memberships__group"),
}


def rebuild_named(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:
        return
    q = Q()
    for path in NAMED_IN_ANSWERS[sender]:
        q |= Q(**{path: instance.pk})
    _rebuild(Person.objects.filter(q).values_list("pk", flat=True).distinct())


for named in NAMED_IN_ANSWERS:
    post_save.connect(
        rebuild_named, sender=named, dispatch_uid=f"api_named_{named.__name__}"
    )


# ------------------------------------------------------------------ partner keys
# A key's record is cached for a few seconds (api/authentication.py): any change
# to the key (revoked, expiry moved, deleted) or its organisation (scope, rate)
# drops it, so the next request reads the change.


@receiver(post_save, sender=PartnerKey)
@receiver(post_delete, sender=PartnerKey)
def forget_changed_key(sender, instance, **kwargs):
    forget_keys([instance.prefix])


@receiver(post_save, sender=PartnerOrganisation)
@receiver(pre_delete, sender=PartnerOrganisation)
def forget_organisations_keys(sender, instance, **kwargs):
    forget_keys(instance.keys.values_list("prefix", flat=True))
