"""Signals other parts of the site listen to, sent by campaign's services.

``pledge_counts_changed``: send it (``announce_pledge_counts``) after pledge totals
change, inside the transaction that changed them; the partner API's webhooks
tell partners that asked for ``pledge.counts_changed``. campaign cannot import
the API (apps depend downwards), hence a signal.
"""

from django.dispatch import Signal

pledge_counts_changed = Signal()


def announce_pledge_counts(*, counts: dict) -> None:
    """``counts``: the new totals as JSON-ready data, e.g.
    ``{"total": 120, "by_constituency": {"E14001102": 3}}``. Only totals: never
    who pledged."""
    pledge_counts_changed.send(sender=None, counts=counts)
