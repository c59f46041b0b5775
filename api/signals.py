"""Keep the change feed complete: note every person who leaves a caller's view.

Partners sync with ``?modified_since=``; a deleted row leaves nothing to find, so
a tombstone records it, by the person's public id only: never the slug, which is
made from the name, since the tombstone outlives an erasure. People are deleted
and edited from several places (the admin, commands, members' own profile pages),
and a change feed that misses one of them silently corrupts every partner's copy,
which is why this hooks the model signals rather than each of those places.

For the same reason a change to what a person's answer shows (their roles,
contacts, party history or groups) marks the person as changed, whichever screen
or command made it.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from network.models import Affiliation, ContactDetail, GroupMembership, Person, Role

from .models import PersonTombstone


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


@receiver(post_delete, sender=Person, dispatch_uid="api_person_deleted")
def note_deleted_person(sender, instance, **kwargs):
    PersonTombstone.objects.create(
        public_id=instance.public_id,
        reason=PersonTombstone.Reason.DELETED,
        was_public=instance.public_profile,
    )


PARTS_OF_A_PERSON = (Role, ContactDetail, Affiliation, GroupMembership)


def touch_person(sender, instance, raw=False, **kwargs):
    if raw or not instance.person_id:
        return
    now = timezone.now()
    Person.objects.filter(pk=instance.person_id).update(updated_at=now)
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
