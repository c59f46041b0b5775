"""Bulk writes: follow-up work done once per batch instead of once per change.

The demo seed and the imports save the same person dozens of times (their roles,
contacts, stances, groups), and each save rebuilds that person's stored API
documents. Inside ``batch()`` such follow-up work is only noted, under a name, and
done once for everything noted when the batch ends, still inside the batch's
transaction: a reader never sees the records without their follow-up, and a
failed batch leaves neither.

An app registers what to do for its name (``register``) and calls ``note`` where it
would do the work; ``note`` answers False outside a batch, and the caller then does
the work at once, as before.
"""

import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.db import transaction

_state = threading.local()
_finishers: dict[str, Callable[[set], object]] = {}


def register(name: str, finish: Callable[[set], object]) -> None:
    """What to do, at the end of a batch, with everything noted under ``name``."""
    _finishers[name] = finish


def note(name: str, items: Iterable) -> bool:
    """Note ``items`` for the end of the current batch; False outside one."""
    pending = getattr(_state, "pending", None)
    if pending is None:
        return False
    pending.setdefault(name, set()).update(items)
    return True


@contextmanager
def batch():
    """One transaction whose follow-up work is done once, at its end. A batch
    inside a batch joins the outer one."""
    if getattr(_state, "pending", None) is not None:
        yield
        return
    _state.pending = {}
    try:
        with transaction.atomic():
            yield
            pending, _state.pending = _state.pending, None
            if transaction.get_rollback():
                return  # a dry run: nothing written is kept, so nothing follows
            # Outside the batch now: anything the finishers change is done at once.
            for name, items in pending.items():
                _finishers[name](items)
    finally:
        _state.pending = None
