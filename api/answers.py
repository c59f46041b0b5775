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

Answers are kept only in a cache every process shares (Redis): with each
process's own memory, one process's change could not reach the pages another
keeps. The moves go to Redis even while a process rests it after a fault
(ops/cache.py); if one still fails, it is logged as an error, and the answers of
that generation may be served for at most ``API_LIST_CACHE_SECONDS`` more (the
entries' lifetime). 0 turns keeping off; changes still move the generation, for
processes that keep.

Only some answers are kept:
- not filtered lists: a filter can read what no document holds (a group's
  members, an area's parts); nor CSV exports, which stream, nor the change
  feed, whose cursors are already cheap to serve;
- only a query string in the form the API's own links take (the parameters in
  order, each once, the default page size): a caller cannot fill the cache, and
  push out the sign-in limits and throttle counts kept beside it, by spelling
  one page a thousand ways.
"""

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.middleware.gzip import GZipMiddleware
from django.utils.text import compress_string
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# The format is part of the names: a process of an older release, still running
# during a deploy, neither reads nor writes these entries.
PREFIX = "api-answers:v2"
GENERATION_KEY = f"{PREFIX}:generation"
# A generation outlives any answer kept under it; if it is evicted, the next
# reader starts a new one and nothing kept before counts.
GENERATION_SECONDS = 24 * 3600
KEPT_PARAMETERS = ("cursor", "ordering", "page")
ORDERING = re.compile(r"-?(name|modified)(,-?(name|modified))?")
PAGE = re.compile(r"[2-9]|[1-9][0-9]+")


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


def _shared() -> RedisCache | None:
    backend = caches["default"]
    return backend if isinstance(backend, RedisCache) else None


def enabled() -> bool:
    return settings.API_LIST_CACHE_SECONDS > 0 and _shared() is not None


def _move_on() -> None:
    backend = _shared()
    if backend is None:
        return
    try:
        # Django's own set: straight to Redis, even while this process leaves
        # Redis alone after a fault (TolerantRedisCache would skip the write).
        RedisCache.set(
            backend, GENERATION_KEY, secrets.token_hex(8), GENERATION_SECONDS
        )
    except RedisError as error:
        logger.error(
            "Kept API answers could not be dropped (%s): they may be served for "
            "up to API_LIST_CACHE_SECONDS more",
            type(error).__name__,
        )


def documents_changed() -> None:
    """Stop serving every kept answer: now, for readers of the committed data
    before this change, and again at commit, for anyone who read meanwhile."""
    if _shared() is None:
        return
    _move_on()
    transaction.on_commit(_move_on, robust=True)


def forget_after_migrating(**kwargs) -> None:
    """A migration may rewrite stored documents without telling anyone."""
    _move_on()


def canonical(query: dict[str, list[str]]) -> str | None:
    """The query string the API's own links would give for these parameters
    (DRF sorts them), or None when the answer is not one to keep."""
    if set(query) - set(KEPT_PARAMETERS):
        return None
    if any(len(values) != 1 for values in query.values()):
        return None
    if "ordering" in query and not ORDERING.fullmatch(query["ordering"][0]):
        return None
    if "page" in query and not PAGE.fullmatch(query["page"][0]):
        return None  # page 1's own address has no page
    if "page" in query and "cursor" in query:
        return None
    return urlencode(sorted((name, values[0]) for name, values in query.items()))


def answer_key(audience, api_root: str, address: str) -> str:
    """The answer's links start with the API's absolute root (scheme and host as
    the caller reached it) and repeat the address (path and query string), so
    both are part of the key."""
    # Hashed: the cursor is the caller's, of any length and content.
    digest = hashlib.sha256(f"{api_root}\n{address}".encode()).hexdigest()[:32]
    return f"{PREFIX}:{int(audience)}:{digest}"


def lookup(key: str) -> tuple[str | None, Answer | None]:
    """The current generation (taken before the caller reads the database) and
    the answer kept under ``key`` if it is of that generation. In one round trip."""
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        # Unknown (first use, or evicted): start one; nothing kept before counts.
        generation = secrets.token_hex(8)
        if not cache.add(GENERATION_KEY, generation, GENERATION_SECONDS):
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
        # With the random padding Django's GZipMiddleware adds against BREACH.
        # Fixed for this entry, so one address always has the same length; any
        # other address (another cursor, page or ordering) is padded anew.
        gzipped=compress_string(body, max_random_bytes=GZipMiddleware.max_random_bytes),
    )
    cache.set(key, answer, settings.API_LIST_CACHE_SECONDS)
    return answer
