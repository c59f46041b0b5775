"""Shared fixtures: the UK areas loaded once per test database, users, clients."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import TestCase, TransactionTestCase

from network.models import Area, AreaType


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real UK areas once, outside the per-test transactions, so every test
    can use them without paying for the load (about a second) again. A database
    built from the models (SQLite) first gets what the migrations would have left
    in it (tests/database.py)."""
    from django.db import connection

    from tests import database

    with django_db_blocker.unblock():
        if database.built_from_models(connection):
            database.complete(connection)
        call_command("load_areas", verbosity=0)
        database.keep_uk_areas(connection)


@pytest.fixture(autouse=True)
def english_to_begin_with():
    """Each test starts in the site's default language, whatever the request
    before it in this worker activated (a /cy/ page, a Welsh reader's sign-in)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def no_kept_api_answers():
    """Pages of the people list kept by an earlier test (api/answers.py) were read
    from data its rollback undid: none counts here."""
    from django.core.cache import cache

    from api.answers import GENERATION_KEY

    cache.delete(GENERATION_KEY)


@pytest.fixture
def uk_areas(db):
    """The real areas. A transactional test elsewhere may have flushed them, so
    put them back (inside this test's transaction) when they are missing."""
    if not Area.objects.filter(area_type=AreaType.WARD).exists():
        from django.db import connection

        from tests.database import put_uk_areas_back

        put_uk_areas_back(connection)


@pytest.fixture
def superuser(django_user_model):
    user = django_user_model.objects.create_superuser(
        username="super", email="super@example.org", password="pw"
    )
    enrol_mfa(user)  # the admin is closed to anyone without a second factor
    return user


@pytest.fixture
def make_staff(django_user_model):
    """A staff user allowed into the Wagtail admin with just the given permissions."""

    def make(*codenames, username="staff"):
        user = django_user_model.objects.create_user(
            username=username, email=f"{username}@example.org", password="pw"
        )
        perms = Permission.objects.filter(codename__in=("access_admin", *codenames))
        user.user_permissions.set(perms)
        enrol_mfa(user)  # the admin is closed to anyone without a second factor
        return user

    return make


@pytest.fixture
def admin_client_for(client):
    """``admin_client_for(user)``: the test client, signed in as ``user`` with the
    second factor passed (see :func:`sign_in_with_mfa`)."""

    def login(user):
        return sign_in_with_mfa(client, user)

    return login


# ---- accounts & MFA


def enrol_mfa(user) -> str:
    """Enrol a user as the admin's MFA gate expects: a verified primary address, an
    authenticator app (TOTP) and recovery codes. Returns the TOTP secret, so a test
    can compute codes with ``totp_code(secret)``."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if user.email:
        EmailAddress.objects.update_or_create(
            user=user,
            email=user.email.lower(),
            defaults={"verified": True, "primary": True},
        )
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def sign_in_with_mfa(client, user):
    """Sign ``user`` in on a test client the way allauth leaves a session after the
    password and the authenticator app's code: ``force_login`` alone would not pass
    the admin's gate, which wants this session to have completed the second factor
    (network/middleware.py). allauth's own function records the two steps. Returns
    the client."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.test import RequestFactory

    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "password", email=user.email)
    totp = Authenticator.objects.filter(
        user_id=user.pk, type=Authenticator.Type.TOTP
    ).first()
    if totp is not None:
        record_authentication(request, user, "mfa", id=totp.pk, type=totp.type)
    request.session.save()
    return client


def sign_in_as_staff(client, user):
    """Sign in someone who may use the admin as they must: enrolled in an
    authenticator app, their session past its code. Returns the client."""
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(
        user_id=user.pk, type=Authenticator.Type.TOTP
    ).exists():
        enrol_mfa(user)
    return sign_in_with_mfa(client, user)


def totp_code(secret: str) -> str:
    """The current code an authenticator app would show for this secret."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def enrol_totp(db):
    """``enrol_totp(user) -> secret``: the user enrols TOTP and recovery codes."""
    return enrol_mfa


@pytest.fixture
def make_member(django_user_model):
    """A network member: a directory Person, their account (verified address,
    Member group) linked to it. ``make_member(name=..., email=...)``."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group as AuthGroup
    from django.utils import timezone

    from network.models import Person
    from network.visibility import MEMBER_GROUP

    def make(
        name="Member Testperson", email=None, password="a-long-Passphrase-42", **person
    ):
        from network.models.people import unique_slug

        person.setdefault("public_profile", True)
        if person["public_profile"]:
            person.setdefault("public_profile_agreed_at", timezone.now())
        who = Person.objects.create(name=name, slug=unique_slug(Person, name), **person)
        email = email or f"{who.slug}@example.org"
        user = django_user_model.objects.create_user(
            username=who.slug[:150], email=email, password=password, person=who
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        user.groups.add(AuthGroup.objects.get(name=MEMBER_GROUP))
        return user

    return make


# ---- campaign site
@pytest.fixture
def site_pages(db):
    """Home, statement index and statement, event index and one upcoming event
    (two places), and a standard page. See tests.factories.build_site_pages."""
    from tests.factories import build_site_pages

    return build_site_pages()


def _database_kind(item):
    """0 for tests inside a rolled-back transaction, 1 for tests that commit
    (their database is emptied afterwards, UK areas included), 2 for tests
    without a database: pytest-django's own order, which sorting must keep."""
    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return 0 if issubclass(cls, TestCase) else 1
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    commits = "transactional_db" in fixtures or "live_server" in fixtures
    if marker is not None:
        commits = commits or marker.kwargs.get("transaction", False)
        commits = commits or marker.kwargs.get("reset_sequences", False)
    if commits:
        return 1
    return 0 if marker is not None or "db" in fixtures else 2


def pytest_collection_modifyitems(config, items):
    """Run browser tests last: their live server empties the database after each
    test, and the tests before them then keep the UK areas loaded once. For the
    same reason tests that commit run after those that roll back. Within each
    group the long tests go first, so that parallel workers are not left waiting
    on one of them at the end."""
    items.sort(
        key=lambda item: (
            "e2e" in item.keywords,
            _database_kind(item),
            "long" not in item.keywords,
        )
    )
