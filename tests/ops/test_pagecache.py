"""Public pages come from the cache for anonymous readers, and publishing purges
them, so a viral moment costs no database work and editors see their change live."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from wagtail import hooks

from ops.pagecache import PublicPageCacheMiddleware, purge_public_pages
from tests.ops.machine import machine_redis_url

pytestmark = pytest.mark.django_db


def test_second_anonymous_read_is_served_from_the_cache_without_queries(
    client, home_page, page_cache, django_assert_num_queries
):
    first = client.get("/")
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # Headers added on the way out are fresh on every answer, not replayed.
    assert second["X-Request-ID"] != first["X-Request-ID"]
    assert "script-src 'self'" in second["Content-Security-Policy"]


def test_publishing_purges_so_the_next_reader_sees_the_change(
    client, home_page, page_cache, django_capture_on_commit_callbacks
):
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"

    home_page.headline = "Ceasefire now: ask your candidate"
    with django_capture_on_commit_callbacks(execute=True):
        home_page.save_revision().publish()

    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert b"Ceasefire now: ask your candidate" in response.content


def test_unpublishing_purges_too(
    client, home_page, page_cache, django_capture_on_commit_callbacks
):
    assert client.get("/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        home_page.unpublish()
    assert client.get("/").status_code == 404


def test_snippet_changes_in_the_admin_purge(
    page_cache, django_capture_on_commit_callbacks
):
    middleware = PublicPageCacheMiddleware(lambda request: HttpResponse("profile"))
    factory = RequestFactory()
    middleware(factory.get("/people/jane/"))
    for hook in ("after_create_snippet", "after_edit_snippet", "after_delete_snippet"):
        assert middleware(factory.get("/people/jane/"))["X-Page-Cache"] == "hit"
        with django_capture_on_commit_callbacks(execute=True):
            for fn in hooks.get_hooks(hook):
                fn(factory.post("/admin/snippets/"), object())
        assert middleware(factory.get("/people/jane/"))["X-Page-Cache"] == "miss"


def test_signed_in_people_always_get_a_fresh_page(
    client, home_page, page_cache, django_user_model
):
    client.get("/")  # cached for the public
    client.force_login(django_user_model.objects.create_user("member", "m@x.org"))
    response = client.get("/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_query_strings_are_cached_apart(client, home_page, page_cache):
    client.get("/")
    assert client.get("/?page=2")["X-Page-Cache"] == "miss"
    assert client.get("/?page=2")["X-Page-Cache"] == "hit"


def test_a_forged_host_gets_400_and_plants_nothing(client, home_page, page_cache):
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_admin_and_api_are_never_cached(client, page_cache):
    client.get("/admin/login/")
    assert "X-Page-Cache" not in client.get("/admin/login/")


@pytest.mark.parametrize(
    "personalise",
    [
        lambda r: r.set_cookie("csrftoken", "abc"),
        lambda r: r.headers.__setitem__("Vary", "Cookie"),
        lambda r: r.headers.__setitem__("Cache-Control", "private"),
        lambda r: setattr(r, "status_code", 302),
        lambda r: r.headers.__setitem__("Cache-Control", "max-age=0"),
    ],
    ids=["sets-cookie", "varies-on-cookie", "private", "redirect", "expires-now"],
)
def test_personal_or_transient_answers_are_not_kept(page_cache, personalise):
    calls = []

    def view(request):
        calls.append(1)
        response = HttpResponse(f"answer {len(calls)}")
        personalise(response)
        return response

    middleware = PublicPageCacheMiddleware(view)
    factory = RequestFactory()
    middleware(factory.get("/events/"))
    second = middleware(factory.get("/events/"))
    assert len(calls) == 2
    assert second["X-Page-Cache"] == "miss"


def test_a_visitor_with_only_the_csrf_cookie_still_gets_cached_pages(page_cache):
    middleware = PublicPageCacheMiddleware(lambda request: HttpResponse("page"))
    factory = RequestFactory()
    middleware(factory.get("/news/"))
    request = factory.get("/news/")
    request.COOKIES["csrftoken"] = "abc"
    assert middleware(request)["X-Page-Cache"] == "hit"
    request = factory.get("/news/")
    request.COOKIES["sessionid"] = "abc"
    assert "X-Page-Cache" not in middleware(request)


def test_purge_helper_drops_everything(page_cache, django_capture_on_commit_callbacks):
    middleware = PublicPageCacheMiddleware(lambda request: HttpResponse("page"))
    factory = RequestFactory()
    middleware(factory.get("/news/"))
    assert middleware(factory.get("/news/"))["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        purge_public_pages()
    assert middleware(factory.get("/news/"))["X-Page-Cache"] == "miss"


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "ops.cache.TolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    },
    PUBLIC_PAGE_CACHE_SECONDS=300,
)
def test_pages_are_served_fresh_when_the_cache_is_down(client):
    # The whole demo site, so the pages link to other pages: Wagtail reads the
    # cache to build every page link, and an unreachable Redis must not break that.
    from cms.demo import seed_site

    seed_site()
    for path in ("/", "/statements/", "/events/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "X-Page-Cache" not in response or response["X-Page-Cache"] == "miss"
    assert b"No ceasefire, no vote" in client.get("/").content


REAL_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": machine_redis_url(),
        "KEY_PREFIX": "ncnv-test",
    }
}


@override_settings(CACHES=REAL_REDIS, PUBLIC_PAGE_CACHE_SECONDS=300)
def test_with_redis_pages_are_shared_and_purged(
    client, home_page, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    cache.clear()
    assert client.get("/healthz").status_code == 200
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        home_page.save_revision().publish()
    assert client.get("/")["X-Page-Cache"] == "miss"
    cache.clear()


def test_event_pages_are_cached_until_the_last_place_is_taken(
    client, site_pages, page_cache, django_capture_on_commit_callbacks
):
    """The page most shared before a conference is kept like the others, and
    still says in time that all places are taken."""
    from cms.services import registration_create

    event = site_pages.event  # two places
    assert client.get(event.url)["X-Page-Cache"] == "miss"
    assert client.get(event.url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=event, name="One", email="one@example.org")
    assert client.get(event.url)["X-Page-Cache"] == "hit"  # a place is still free

    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=event, name="Two", email="two@example.org")
    page = client.get(event.url)
    assert page["X-Page-Cache"] == "miss"
    assert b"All places are taken" in page.content

    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=event, name="Three", email="three@example.org")
    assert client.get(event.url)["X-Page-Cache"] == "hit"  # the waiting list

    # An editor cancelling a place frees it: the page stops saying it is full.
    from cms.models import Registration, RegistrationStatus

    cancelled = Registration.objects.get(email="one@example.org")
    cancelled.status = RegistrationStatus.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        cancelled.save()
    page = client.get(event.url)
    assert page["X-Page-Cache"] == "miss"
    assert b"All places are taken" not in page.content


def test_attendance_marking_leaves_cached_pages_alone(
    client, site_pages, page_cache, django_capture_on_commit_callbacks, admin_user
):
    from cms.services import attendance_mark, registration_create

    event = site_pages.event
    registration = registration_create(
        event=event, name="One", email="one@example.org"
    ).registration
    client.get(event.url)
    with django_capture_on_commit_callbacks(execute=True):
        attendance_mark(event=event, attended_ids={registration.pk}, actor=admin_user)
    assert client.get(event.url)["X-Page-Cache"] == "hit"


def test_a_page_that_changes_sooner_is_kept_only_that_long(page_cache):
    from django.core.cache import cache

    from ops.pagecache import _key

    def view(request):
        response = HttpResponse("closing soon")
        response["Cache-Control"] = "max-age=42"
        return response

    captured = {}
    real_set = cache.set

    def spy(key, value, timeout=None, **kwargs):
        captured[key] = timeout
        return real_set(key, value, timeout=timeout, **kwargs)

    middleware = PublicPageCacheMiddleware(view)
    request = RequestFactory().get("/events/closing/")
    cache.set = spy
    try:
        middleware(request)
    finally:
        del cache.set
    assert captured[_key(request)] == 42
    assert middleware(RequestFactory().get("/events/closing/"))["X-Page-Cache"] == "hit"
