"""Keeping cached public pages true to the stance history.

/where-they-stand/ and the constituency pages show every candidate's stance and
the page cache keeps them (see ops.pagecache). Whatever records, corrects or
deletes a stance event (the service, the admin, the API, a shell) drops the
cached pages once its transaction commits."""

from django.db.models.signals import post_delete, post_save

from ops.pagecache import purge_public_pages


def _stance_event_changed(sender, instance, **kwargs):
    purge_public_pages()


def connect() -> None:
    from campaign.models import StanceEvent

    for signal in (post_save, post_delete):
        signal.connect(
            _stance_event_changed,
            sender=StanceEvent,
            dispatch_uid=f"campaign-stance-{id(signal)}",
        )
