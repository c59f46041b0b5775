"""Signing in: every route to the admin passes the second factor, and the per-address
limits on failed sign-ins tell visitors apart behind the site's proxy."""

import re

import pytest
from allauth.account.views import LoginView as AllauthLoginView
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.admindocs.views import simplify_regex
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import Group as AuthGroup
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, reverse

from network.roles import EDITOR_GROUP
from tests.conftest import enrol_mfa, totp_code
from tests.security.envsettings import settings_for_environment

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Passphrase-42"
ADMIN = "/admin/"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # allauth counts attempts and used codes in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(django_user_model):
    """An editor who has enrolled an authenticator app; ``editor.secret`` is its
    TOTP secret."""
    from allauth.account.models import EmailAddress

    user = django_user_model.objects.create_user(
        username="ed", email="ed@example.org", password=PASSWORD
    )
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    user.groups.add(AuthGroup.objects.get(name=EDITOR_GROUP))
    user.secret = enrol_mfa(user)
    return user


def dashboard_opens(client) -> bool:
    return client.get(ADMIN).status_code == 200


def refused(response) -> bool:
    return response.status_code == 429 or b"Too many failed" in response.content


# ------------------------------------------------------------------ every route


def _routes(patterns, prefix=""):
    """(path, view) for every URL pattern, descending into includes."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield simplify_regex(prefix + str(pattern.pattern)), pattern.callback


LOGIN_VIEW_CLASSES = (auth_views.LoginView, AllauthLoginView)


def login_form_paths() -> set[str]:
    """Paths that offer a sign-in: every route without parameters whose page, for
    a visitor, has a password field, and every route to a known sign-in view."""
    visitor = Client(raise_request_exception=False)
    found = set()
    for path, view in _routes(get_resolver().url_patterns):
        if "<" in path:
            continue  # needs a parameter
        view_class = getattr(view, "view_class", None)
        if view_class and issubclass(view_class, LOGIN_VIEW_CLASSES):
            found.add(path)
            continue
        response = visitor.get(path)
        if response.status_code == 200 and re.search(
            rb"<input[^>]*type=[\"']?password", response.content
        ):
            found.add(path)
    return found


def test_no_sign_in_route_opens_the_admin_with_the_password_alone(editor):
    paths = login_form_paths()
    # The walk did find the sign-in pages people use, and Wagtail's own.
    assert {"/accounts/login/", "/admin/login/", "/_util/login/"} <= paths
    opened = []
    for path in sorted(paths):
        cache.clear()
        client = Client()
        client.post(
            path,
            {
                "login": editor.email,
                "username": editor.email,
                "email": editor.email,
                "password": PASSWORD,
                "next": ADMIN,
            },
        )
        if dashboard_opens(client):
            opened.append(path)
    assert opened == []


def test_wagtail_front_end_sign_in_leads_to_allauth_keeping_the_next_page(editor):
    client = Client()
    response = client.get("/_util/login/", {"next": "/members-only/"})
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=%2Fmembers-only%2F"
    # A password posted there is not checked, and signs nobody in.
    response = client.post(
        "/_util/login/", {"username": editor.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_private_pages_send_visitors_to_the_sign_in_with_the_second_factor(
    client, site_pages
):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=site_pages.standard, restriction_type=PageViewRestriction.LOGIN
    )
    path = site_pages.standard.url
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={path}"


def test_private_documents_send_visitors_to_the_sign_in_with_the_second_factor(
    client,
):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.models import Collection, CollectionViewRestriction

    private = Collection.get_first_root_node().add_child(name="Private")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = Document.objects.create(
        title="Minutes",
        collection=private,
        file=ContentFile(b"minutes", name="minutes.txt"),
    )
    response = client.get(document.url)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={document.url}"


# ------------------------------------------------------------------ the admin gate


def test_a_session_that_skipped_the_second_factor_is_asked_for_it(client, editor):
    # Signed in without the app's code (as any route but allauth's would).
    client.force_login(editor)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.url == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2Fpages%2F"
    # Still signed in: the code is asked for, not the password again.
    form = client.get(response.url)
    assert form.status_code == 200
    assert b'name="code"' in form.content

    response = client.post(response.url, {"code": "000000"})
    assert response.status_code == 200  # the form again
    assert not dashboard_opens(client)

    response = client.post(
        f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2Fpages%2F",
        {"code": totp_code(editor.secret)},
    )
    assert response.status_code == 302
    assert response.url == "/admin/pages/"
    assert dashboard_opens(client)


def test_staff_without_an_authenticator_are_sent_to_enrol(client, django_user_model):
    user = django_user_model.objects.create_user(
        username="new-ed", email="new-ed@example.org", password=PASSWORD
    )
    user.groups.add(AuthGroup.objects.get(name=EDITOR_GROUP))
    client.force_login(user)
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


@pytest.mark.parametrize("sign_in_page", ["/accounts/login/", "/admin/login/"])
def test_the_password_then_the_app_code_opens_the_admin(editor, sign_in_page):
    client = Client()
    response = client.post(
        sign_in_page, {"login": editor.email, "password": PASSWORD, "next": ADMIN}
    )
    assert response.url == reverse("mfa_authenticate")
    assert not dashboard_opens(client)
    response = client.post(
        reverse("mfa_authenticate"), {"code": totp_code(editor.secret)}
    )
    assert response.url == ADMIN
    assert dashboard_opens(client)


def test_a_recovery_code_opens_the_admin_once(editor):
    codes = RecoveryCodes(
        Authenticator.objects.get(user=editor, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    for attempt in ("first", "again"):
        client = Client()
        client.post("/admin/login/", {"login": editor.email, "password": PASSWORD})
        client.post(reverse("mfa_authenticate"), {"code": codes[0]})
        assert dashboard_opens(client) is (attempt == "first")


# ------------------------------------------------------------------ behind a proxy

PROXY = "10.0.0.2"


@pytest.fixture
def behind_one_proxy():
    """The settings base.py gives a deployment with DJANGO_NUM_PROXIES=1: whatever
    it derives about proxies, and the API's throttle settings that carry it."""
    derived = settings_for_environment(DJANGO_NUM_PROXIES="1")
    chosen = {name: value for name, value in derived.items() if "PROX" in name}
    with override_settings(REST_FRAMEWORK=derived["REST_FRAMEWORK"], **chosen):
        yield


def test_behind_a_proxy_one_visitors_failed_sign_ins_do_not_lock_out_another(
    behind_one_proxy, editor
):
    # Each visitor's address is the one the proxy appended; anything before it
    # came from the visitor and changes nothing.
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    for attempt in range(10):
        response = attacker.post(
            reverse("account_login"),
            {"login": f"guess{attempt}@example.org", "password": "wrong-guess-123"},
        )
        assert not refused(response), attempt
    forged = Client(
        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.66"
    )
    response = forged.post(
        reverse("account_login"), {"login": editor.email, "password": PASSWORD}
    )
    assert refused(response)

    colleague = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.77")
    response = colleague.post(
        reverse("account_login"), {"login": editor.email, "password": PASSWORD}
    )
    assert not refused(response)
    assert response.url == reverse("mfa_authenticate")
    colleague.post(reverse("mfa_authenticate"), {"code": totp_code(editor.secret)})
    assert dashboard_opens(colleague)


def test_a_request_that_skipped_a_proxy_is_counted_not_failed(editor):
    derived = settings_for_environment(DJANGO_NUM_PROXIES="2")
    chosen = {name: value for name, value in derived.items() if "PROX" in name}
    with override_settings(REST_FRAMEWORK=derived["REST_FRAMEWORK"], **chosen):
        # Only the inner proxy appended an address: one entry where two are due.
        client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.88")
        response = client.post(
            reverse("account_login"), {"login": editor.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        assert response.url == reverse("mfa_authenticate")


@pytest.fixture
def coordinator_without_second_factor(client, django_user_model):
    """A coordinator signed in with a password only: enrolled, but this session
    never gave the app's code."""
    from network.roles import COORDINATOR_GROUP

    user = django_user_model.objects.create_user(
        username="coord", email="coord@example.org", password=PASSWORD
    )
    user.groups.add(AuthGroup.objects.get(name=COORDINATOR_GROUP))
    enrol_mfa(user)
    client.force_login(user)
    return user


def test_the_member_area_asks_staff_for_the_second_factor(
    client, coordinator_without_second_factor
):
    response = client.get("/network/directory/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_reauthenticate"))


def test_the_api_treats_a_staff_session_without_the_second_factor_as_anonymous(
    client, coordinator_without_second_factor
):
    from network.models import ContactDetail, Visibility
    from tests.factories import PersonFactory

    hidden = PersonFactory(name="Quietly Listed", public_profile=False)
    ContactDetail.objects.create(
        person=hidden,
        kind="email",
        value="quiet@example.org",
        visibility=Visibility.COORDINATORS,
    )
    response = client.get("/api/v1/people/", {"q": "Quietly"})
    assert response.status_code == 200
    assert b"Quietly Listed" not in response.content
    assert b"quiet@example.org" not in response.content

    # The same coordinator after the app's code reads them, as coordinators may.
    from tests.conftest import sign_in_with_mfa

    sign_in_with_mfa(client, coordinator_without_second_factor)
    response = client.get("/api/v1/people/", {"q": "Quietly"})
    assert b"quiet@example.org" in response.content
