"""Whole-response cache for the public site, purged when an editor publishes.

When a statement goes viral, most requests are anonymous reads of a handful of
pages. Those are answered from the cache (Redis when ``REDIS_URL`` is set) without
touching the database. What is cached, and for whom:

- only anonymous ``GET``/``HEAD`` requests: a request carrying any cookie other
  than the CSRF cookie or the language choice (a signed-in member or editor, a
  pending message) or an ``Authorization`` header is served fresh;
- one copy per address *and language*: the language is the address's prefix
  (``/ur/...``, none for English, see ``ops/i18n.py``), and the key names it too,
  so no visitor is ever served a page in another language than the one asked;
- only ``200`` responses that set no cookie, do not vary on ``Cookie`` (a page with
  a form and its CSRF token does) and are not marked private or ``no-store``;
- never under ``PUBLIC_PAGE_CACHE_EXCLUDE_PREFIXES`` (admin, API, documents, ...),
  in any language;
- for ``PUBLIC_PAGE_CACHE_SECONDS``, or less when the response says it changes
  sooner with ``Cache-Control: max-age`` (an event page whose registration is
  about to close).

Each page is stored with the *generation* it was made in, a random token kept in
the cache and read in the same round trip as the page. Publishing or unpublishing
a page, editing a snippet or a site setting replaces the token (after the
transaction commits), so every cached page is dropped at once: pages list
each other (menus, news, events), and editors publish rarely compared with how
often the public reads. Entries also expire after ``PUBLIC_PAGE_CACHE_SECONDS``,
which bounds staleness after changes made outside the admin (imports, the API).
Code that changes what public pages show can call :func:`purge_public_pages`.

If the cache is down, pages are served fresh: the cache only ever saves work.
"""

import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.cache import cc_delim_re, get_max_age
from django.utils.translation import get_language_from_path

from .i18n import strip_language_prefix

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
STATUS_HEADER = "X-Page-Cache"
_last_failure_logged = 0.0


def purge_public_pages() -> None:
    """Drop every cached public page (once the current transaction commits)."""
    transaction.on_commit(_new_generation)


def _new_generation() -> str:
    generation = uuid.uuid4().hex
    try:
        cache.set(GENERATION_KEY, generation, timeout=None)
    except Exception as error:
        _log_cache_failure(error)
    return generation


def _current_generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # First request after a start or an eviction: whichever process gets here
        # first decides, so all agree on one token.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _log_cache_failure(error: Exception) -> None:
    # Once a minute per process: an outage must not flood the logs.
    global _last_failure_logged
    now = time.monotonic()
    if now - _last_failure_logged > 60:
        _last_failure_logged = now
        logger.warning(
            "Page cache unavailable, serving fresh pages (%s)", type(error).__name__
        )


def _is_cacheable_request(request) -> bool:
    if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0:
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    path = strip_language_prefix(request.path_info)
    if path.startswith(tuple(settings.PUBLIC_PAGE_CACHE_EXCLUDE_PREFIXES)):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    # The language cookie only ever leads to a redirect (ops/i18n.py), made
    # before this cache is asked; the page at an address is the same with it.
    harmless = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return not (set(request.COOKIES) - harmless)


def _is_cacheable_response(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", ""))}
    # Django's LocaleMiddleware marks English addresses (no prefix) as varying on
    # Accept-Language, for proxies: here that header only ever redirected before
    # this cache was asked, and the key carries the language.
    if vary - {"", "accept-encoding", "accept-language"}:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(w in cache_control for w in ("private", "no-store", "no-cache")):
        return False
    return _timeout(response) > 0


def _timeout(response) -> int:
    max_age = get_max_age(response)
    if max_age is None:
        return settings.PUBLIC_PAGE_CACHE_SECONDS
    return min(max_age, settings.PUBLIC_PAGE_CACHE_SECONDS)


def _key(request) -> str:
    # get_host() refuses hosts outside ALLOWED_HOSTS, so a forged Host header
    # cannot plant a page under another name.
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    raw = f"{language} {request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"pagecache:{hashlib.sha256(raw.encode()).hexdigest()}"


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_cacheable_request(request):
            return self.get_response(request)
        try:
            key = _key(request)
            # One round trip for both: the page is stored with the generation it
            # was made in, and only served while that generation is current.
            found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY) or _current_generation()
        except DisallowedHost:
            return self.get_response(request)  # answered with 400 further in
        except Exception as error:
            _log_cache_failure(error)
            return self.get_response(request)
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            response = entry[1]
            response[STATUS_HEADER] = "hit"
            return response

        response = self.get_response(request)
        # A HEAD answer may have lost its body on the way: only GET answers are kept.
        if request.method == "GET" and _is_cacheable_response(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.add_post_render_callback(
                    lambda r: self._store(key, generation, r)
                )
            else:
                self._store(key, generation, response)
        response[STATUS_HEADER] = "miss"
        return response

    @staticmethod
    def _store(key, generation, response):
        try:
            cache.set(key, (generation, response), timeout=_timeout(response))
        except Exception as error:
            _log_cache_failure(error)


# ---------------------------------------------------------------- purging


def _purge_on_signal(**kwargs):
    purge_public_pages()


def _purge_on_model_change(sender, instance, **kwargs):
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.models import Page

    if isinstance(instance, BaseGenericSetting | BaseSiteSetting):
        purge_public_pages()
    elif kwargs.get("signal") is post_delete and isinstance(instance, Page):
        purge_public_pages()


def connect_signals() -> None:
    from wagtail.signals import (
        page_published,
        page_unpublished,
        post_page_move,
        published,
        unpublished,
    )

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_purge_on_signal, dispatch_uid=f"pagecache-{id(signal)}")
    # Draftable snippets (people, events, ...) announce their own publishing.
    for signal in (published, unpublished):
        signal.connect(_purge_on_signal, dispatch_uid=f"pagecache-{id(signal)}")
    post_save.connect(_purge_on_model_change, dispatch_uid="pagecache-post-save")
    post_delete.connect(_purge_on_model_change, dispatch_uid="pagecache-post-delete")
