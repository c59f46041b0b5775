"""Answers of the people list, kept in the shared cache between changes.

Partners page through the same list again and again, and most of their requests
come between two changes of anyone's documents. So a numbered or cursor page of
the unfiltered list is kept whole, once per audience, address and query string,
and served from the cache until a stored document changes.

Every change moves the documents' *generation* on (``documents_changed``, called
by api/documents.py and when a person is deleted): at once, and again when the
change's transaction commits. A reader takes the generation before it reads the
database and stores its answer under it; an answer is served only while its
generation is the current one. So an answer read while a change was committing
is kept under the generation before the change, never served after it, and the
answer of a rolled-back change was never visible to anyone but its writer.

Filtered lists are not kept: a filter can read what no document holds (a group's
members, an area's parts). Nor are CSV exports, which stream, or the change feed,
whose cursors are already cheap to serve.

If Redis drops one of the moves (a write's commit during a brief outage), an
answer may be served for at most ``API_LIST_CACHE_SECONDS`` more; 0 turns the
cache off.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.middleware.gzip import GZipMiddleware
from django.utils.text import compress_string

GENERATION_KEY = "api-answers:generation"


@dataclass(frozen=True)
class Answer:
    generation: str
    text: str
    last_modified: datetime | None
    # The body's ETag digest and its gzip, made once when kept rather than for
    # every caller (compressing a page of 100 people is a fair share of a
    # request's time).
    digest: str
    gzipped: bytes


def body_digest(body: bytes) -> str:
    """The ETag of a JSON answer: a hash of the body the caller gets."""
    return hashlib.sha256(body).hexdigest()[:32]


def enabled() -> bool:
    return settings.API_LIST_CACHE_SECONDS > 0


def _move_on() -> None:
    cache.set(GENERATION_KEY, secrets.token_hex(8), None)


def documents_changed() -> None:
    """Stop serving every kept answer: now, for readers of the committed data
    before this change, and again at commit, for anyone who read meanwhile."""
    if not enabled():
        return
    _move_on()
    transaction.on_commit(_move_on)


def forget_after_migrating(**kwargs) -> None:
    if enabled():
        _move_on()


def answer_key(audience, api_root: str, full_path: str) -> str:
    """The answer's links start with the API's absolute root (scheme and host as
    the caller reached it), so the root is part of the key."""
    # Hashed: the query string is the caller's, of any length and content.
    digest = hashlib.sha256(f"{api_root}\n{full_path}".encode()).hexdigest()[:32]
    return f"api-answers:{int(audience)}:{digest}"


def lookup(key: str) -> tuple[str | None, Answer | None]:
    """The current generation (taken before the caller reads the database) and
    the answer kept under ``key`` if it is of that generation. In one round trip."""
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        # Unknown (first use, or evicted): start one; nothing kept before counts.
        generation = secrets.token_hex(8)
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY)
        return generation, None
    answer = found.get(key)
    if answer is None or answer.generation != generation:
        return generation, None
    return generation, answer


def keep(
    key: str, generation: str | None, text: str, last_modified: datetime | None
) -> Answer | None:
    """Keep ``text`` under ``key`` for readers of ``generation``; the answer."""
    if generation is None:
        return None
    body = text.encode()
    answer = Answer(
        generation,
        text,
        last_modified,
        digest=body_digest(body),
        # With the random padding Django's GZipMiddleware adds against BREACH;
        # each kept page has its own.
        gzipped=compress_string(body, max_random_bytes=GZipMiddleware.max_random_bytes),
    )
    cache.set(key, answer, settings.API_LIST_CACHE_SECONDS)
    return answer
