"""Record a webhook event for every change to a person, wherever it is made.

People change in the admin, the member area, ``PATCH /api/v1/me/``, the API,
imports and management commands; a partner whose copy misses one of them holds a
wrong copy without knowing, which is why this hooks the model signals (as the
change feed does in api/signals.py) rather than each of those places. Events are
written in the transaction of the change, so they commit or roll back with it.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from campaign.events import pledge_counts_changed
from campaign.models import StanceEvent
from network.models import Affiliation, ContactDetail, GroupMembership, Person, Role

from .models import EventType
from .services import event_record


@receiver(pre_save, sender=Person, dispatch_uid="webhooks_person_withdrawn")
def person_withdrawn(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance.public_profile:
        return
    public_id = (
        Person.objects.filter(pk=instance.pk, public_profile=True)
        .values_list("public_id", flat=True)
        .first()
    )
    if public_id is not None:
        event_record(
            type=EventType.PERSON_REMOVED,
            person_public_id=public_id,
            was_public=True,
            data={"reason": "withdrawn"},
        )


@receiver(post_save, sender=Person, dispatch_uid="webhooks_person_saved")
def person_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    event_record(
        type=EventType.PERSON_CREATED if created else EventType.PERSON_UPDATED,
        person_pk=instance.pk,
        person_public_id=instance.public_id,
    )


@receiver(post_delete, sender=Person, dispatch_uid="webhooks_person_deleted")
def person_deleted(sender, instance, **kwargs):
    event_record(
        type=EventType.PERSON_REMOVED,
        person_public_id=instance.public_id,
        was_public=instance.public_profile,
        data={"reason": "deleted"},
    )


def part_changed(sender, instance, raw=False, **kwargs):
    if raw or not instance.person_id:
        return
    event_record(type=EventType.PERSON_UPDATED, person_pk=instance.person_id)


for part in (Role, ContactDetail, Affiliation, GroupMembership):
    post_save.connect(
        part_changed, sender=part, dispatch_uid=f"webhooks_part_{part.__name__}"
    )
    post_delete.connect(
        part_changed, sender=part, dispatch_uid=f"webhooks_part_del_{part.__name__}"
    )


@receiver(post_save, sender=StanceEvent, dispatch_uid="webhooks_stance_recorded")
def stance_recorded(sender, instance, created=False, raw=False, **kwargs):
    if raw or not created:
        return
    event_record(type=EventType.STANCE_RECORDED, stance_event_pk=instance.pk)


@receiver(pledge_counts_changed, dispatch_uid="webhooks_pledge_counts")
def pledge_counts(sender, counts, **kwargs):
    event_record(type=EventType.PLEDGE_COUNTS_CHANGED, data=counts)
