"""The site's languages: which one a request is in, the first visit's choice from
Accept-Language, the language switcher's links and mail in the reader's language.

English (``en-gb``) has no prefix, so every address the site had before it spoke
other languages still works; the others carry theirs (``/ur/``, ``/cy/``, ...).
The public site is translated; the partner API, the admin, the member area, the
feeds and the sitemap stay where they were, without a prefix (``config/urls.py``).
The member area and sign-in pages are translated too, but keep their one address:
``ReaderLanguageMiddleware`` shows them in the reader's chosen language.

Which language a page is in is decided by its address alone, so the page cache
(``ops/pagecache.py``) and any proxy can keep one copy per address. Accept-Language
and the visitor's own choice only ever lead to a redirect, made here before the
page cache is asked.
"""

from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponseRedirect
from django.urls import (
    LocalePrefixPattern,
    Resolver404,
    get_resolver,
    get_urlconf,
    translate_url,
)
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from ops.siteurl import absolute_url

# Each language named in itself, for the switcher (Django names Punjabi in English).
LOCAL_NAMES = {
    "en-gb": "English",
    "cy": "Cymraeg",
    "ur": "اردو",
    "bn": "বাংলা",
    "pa": "ਪੰਜਾਬੀ",
}
RIGHT_TO_LEFT = {"ur"}


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def supported_language(code: str | None) -> str:
    """The site's language closest to ``code`` (``en`` -> ``en-gb``), else English."""
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


def request_language(request) -> str:
    """The language the visitor is reading the site in: the one of the address
    they posted from (``/ur/...``), English without a prefix. Record this on a
    sign-up, a registration or a pledge so their mail is in that language."""
    if request is None:
        return settings.LANGUAGE_CODE
    from_path = translation.get_language_from_path(request.path_info)
    return supported_language(from_path or translation.get_language())


@contextmanager
def language_of(code: str | None):
    """Render (a mail, a subject) in ``code``; unknown or empty means English."""
    with translation.override(supported_language(code)):
        yield


def in_language(code: str | None, render: Callable[[], object]):
    """``render()`` with ``code`` active: ``in_language(sub.language, build_mail)``."""
    with language_of(code):
        return render()


def strip_language_prefix(path: str) -> str:
    """``/ur/where-they-stand/`` -> ``/where-they-stand/``; other paths unchanged."""
    code = translation.get_language_from_path(path)
    if not code:
        return path
    for prefix in (f"/{code}/", f"/{code.lower()}/"):
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def is_translated_path(path: str) -> bool:
    """Whether ``path`` (without a language prefix) is one of the public site's
    addresses, which exist in every language, rather than the admin, the API, a
    feed or another address outside ``i18n_patterns``."""
    relative = path.removeprefix("/")
    for pattern in get_resolver(get_urlconf()).url_patterns:
        if isinstance(getattr(pattern, "pattern", None), LocalePrefixPattern):
            continue
        try:
            if pattern.resolve(relative):
                return False
        except Resolver404:
            continue
    return True


def translated_url(request, code: str) -> str | None:
    """The address of what ``request`` shows, in language ``code``: a page's
    translation (None when it has none live), or a view's address with the
    language's prefix."""
    page = getattr(request, "_i18n_page", None)
    path = strip_language_prefix(request.path)
    if page is None:
        page = _wagtail_page_at(request, path)
    if page is not None:
        translated = _live_translation(page, code)
        return translated.get_url(request) if translated is not None else None
    # translate_url resolves the English address, then names it in ``code``.
    with translation.override(settings.LANGUAGE_CODE):
        url = translate_url(path, code)
    if url == path and code != settings.LANGUAGE_CODE and is_translated_path(path):
        return None  # the path did not resolve: nothing to translate
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


def _wagtail_page_at(request, path: str):
    from django.urls import resolve

    with translation.override(settings.LANGUAGE_CODE):
        try:
            match = resolve(path)
        except Resolver404:
            return None
    if match.url_name != "wagtail_serve":
        return None
    from wagtail.models import Page

    return Page.find_for_request(request, path)


def _live_translation(page, code: str):
    from wagtail.models import Locale

    if page.locale.language_code == code:
        return page
    try:
        locale = Locale.objects.get_for_language(code)
    except Locale.DoesNotExist:
        return None
    translation_ = page.get_translation_or_none(locale)
    return translation_ if translation_ is not None and translation_.live else None


def accept_language_choice(request) -> str:
    """The site's language that best fits the browser's Accept-Language."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in translation.trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class FirstVisitLanguageMiddleware:
    """Send a visitor arriving from outside the site on an English address to the
    same page in the language they chose before (the switcher's cookie) or,
    failing that, the one their browser asks for first.

    Only arrivals are redirected: someone following a link within the site, or
    who chose English, stays where the link leads. Placed before the page cache,
    which keeps one copy per address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        target = self._target(request)
        if target is None:
            return self.get_response(request)
        response = HttpResponseRedirect(target)
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def _target(self, request) -> str | None:
        if request.method not in ("GET", "HEAD"):
            return None
        if translation.get_language_from_path(request.path_info):
            return None
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            code = supported_language(chosen)
        else:
            if _same_site_referer(request):
                return None
            code = accept_language_choice(request)
        if code == settings.LANGUAGE_CODE:
            return None
        with translation.override(settings.LANGUAGE_CODE):
            if not is_translated_path(request.path_info):
                return None
            try:
                return translated_url(request, code)
            except Exception:  # noqa: BLE001 - a redirect is a nicety, never an error
                return None


# Pages with one address for every language, shown in the reader's: the member
# area and the sign-in pages (allauth's, with the second factor). The admin keeps
# its own language setting; feeds, the API and the sitemap are for machines.
READER_LANGUAGE_PATHS = ("/network/", "/accounts/", "/_util/login/")


def reader_language(request) -> str:
    """The language the reader chose before (the switcher's cookie), else the
    first of their browser's Accept-Language the site speaks, else English."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen and chosen in language_codes():
        return chosen
    return accept_language_choice(request)


class ReaderLanguageMiddleware:
    """Show the member area and sign-in pages (``READER_LANGUAGE_PATHS``), which
    have no language in their address, in ``reader_language``. Their sign-in
    codes and password-reset emails are written while the language is active,
    so they are in it too.

    After LocaleMiddleware, which makes every address without a prefix English.
    These pages are private (never in the page cache); the answer says it
    varies on the cookie and Accept-Language for any cache further out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(READER_LANGUAGE_PATHS):
            return self.get_response(request)
        code = reader_language(request)
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", code)
        return response


def _same_site_referer(request) -> bool:
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return False
    try:
        host = request.get_host()
    except Exception:  # noqa: BLE001 - a refused Host is answered further in
        return False
    return url_has_allowed_host_and_scheme(referer, allowed_hosts={host})


@require_GET
def choose_language(request, code):
    """The language switcher's link: remember the visitor's choice (a year) and
    go to the page they were on, in that language."""
    if code not in language_codes():
        code = settings.LANGUAGE_CODE
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/"):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def language_links(request, page=None) -> list[dict]:
    """Every language with the address of what ``request`` shows in it (relative).
    ``exists`` is False where a page has no live translation: the link then leads
    to that language's home page, and no hreflang alternate names it; nor does
    one name a page with one address for all languages (the member area). One query
    for a page's translations; none for other views."""
    from django.urls import reverse
    from wagtail.models import Page

    current = translation.get_language()
    try:
        request.get_host()
    except DisallowedHost:
        return []  # the error page for a refused Host: no addresses to offer
    by_code = {}
    if isinstance(page, Page) and page.pk:
        by_code = _page_urls(request, page)
        # An address per language (hreflang alternates), or one for them all.
        own_addresses = True
    else:
        with translation.override(settings.LANGUAGE_CODE):
            own_addresses = is_translated_path(strip_language_prefix(request.path))
    links = []
    for code in language_codes():
        if isinstance(page, Page) and page.pk:
            url = by_code.get(code)
        else:
            try:
                url = translated_url(request, code)
            except Exception:  # noqa: BLE001 - a missing translation is not an error
                url = None
        exists = url is not None
        if url is None:
            with translation.override(code):
                url = reverse("wagtail_serve", args=[""])
        links.append(
            {
                "code": code,
                "tag": language_tag(code),
                "name": LOCAL_NAMES.get(code, code),
                "url": url,
                # On the public address, as the canonical link is (ops/siteurl.py).
                "absolute_url": url if "://" in url else absolute_url(url),
                "exists": exists,
                "alternate": exists and own_addresses,
                "current": code == current,
                "dir": "rtl" if code in RIGHT_TO_LEFT else "ltr",
            }
        )
    return links


def _page_urls(request, page) -> dict[str, str]:
    """Language code -> address of each live translation of ``page`` (itself
    included), with the part of the address a routable page answered (a tag, a
    registration step) kept."""
    own_url = page.get_url(request) or ""
    path = request.path
    rest = path[len(own_url) :] if own_url and path.startswith(own_url) else ""
    urls = {}
    translations = page.get_translations(inclusive=True).live().select_related("locale")
    for translated in translations.specific(defer=True):
        url = translated.get_url(request)
        if url:
            urls[translated.locale.language_code] = url + rest
    return urls


def language_tag(code: str) -> str:
    """BCP 47 as browsers and search engines write it: ``en-gb`` -> ``en-GB``."""
    language, _sep, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language
