"""Keeping cached public pages true to registrations.

An event page says when all places are taken, and the page cache keeps event
pages (see ops.pagecache). A registration that takes the last place, or an
editor changing or removing a registration, may change what the page says, so
those drop the cached pages. Ordinary registrations and attendance marking do not:
a conference's busiest hour must not empty the cache on every sign-up."""

from django.db.models.signals import post_delete, post_save

from ops.pagecache import purge_public_pages


def _registration_saved(sender, instance, created, update_fields=None, **kwargs):
    if update_fields is not None and "status" not in update_fields:
        return  # attendance and the like: the public page does not show them
    if created:
        if _took_the_last_place(instance):
            purge_public_pages()
    elif instance.event.capacity is not None:
        purge_public_pages()


def _registration_deleted(sender, instance, **kwargs):
    purge_public_pages()


def _took_the_last_place(registration) -> bool:
    from cms.models import RegistrationStatus

    if registration.status != RegistrationStatus.CONFIRMED:
        return False  # the waiting list changes nothing the public sees
    event = registration.event
    if event.capacity is None:
        return False
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED)
    return confirmed.count() == event.capacity


def connect() -> None:
    from cms.models import Registration

    post_save.connect(_registration_saved, sender=Registration, dispatch_uid="cms-reg")
    post_delete.connect(
        _registration_deleted, sender=Registration, dispatch_uid="cms-reg-del"
    )
