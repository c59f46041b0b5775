"""Shared fixtures: the UK areas loaded once per test database, users, clients."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from network.models import Area, AreaType


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real UK areas once, outside the per-test transactions, so every test
    can use them without paying for the load (about a second) again."""
    with django_db_blocker.unblock():
        call_command("load_areas", verbosity=0)


@pytest.fixture
def uk_areas(db):
    """The real areas. A transactional test elsewhere may have flushed them, so
    reload (inside this test's transaction) when they are missing."""
    if not Area.objects.filter(area_type=AreaType.WARD).exists():
        call_command("load_areas", verbosity=0)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="super", email="super@example.org", password="pw"
    )


@pytest.fixture
def make_staff(django_user_model):
    """A staff user allowed into the Wagtail admin with just the given permissions."""

    def make(*codenames, username="staff"):
        user = django_user_model.objects.create_user(
            username=username, email=f"{username}@example.org", password="pw"
        )
        perms = Permission.objects.filter(codename__in=("access_admin", *codenames))
        user.user_permissions.set(perms)
        return user

    return make


@pytest.fixture
def admin_client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# ---- campaign site
@pytest.fixture
def site_pages(db):
    """Home, statement index and statement, event index and one upcoming event
    (two places), and a standard page. See tests.factories.build_site_pages."""
    from tests.factories import build_site_pages

    return build_site_pages()


def pytest_collection_modifyitems(config, items):
    """Run browser tests last: their live server empties the database after each
    test, and the tests before them then keep the UK areas loaded once."""
    items.sort(key=lambda item: "e2e" in item.keywords)
