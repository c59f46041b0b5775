"""``manage.py release`` runs every deploy step in one process, in order; with
``--demo`` (``make run``) it seeds the demo and ensures an admin after them."""

import pytest
from django.core.management import call_command
from wagtail.models import Site

from ops.management.commands import release

pytestmark = pytest.mark.django_db


def test_release_runs_the_deploy_steps_in_order(monkeypatch):
    ran, options_of = [], {}

    def record(name, **options):
        ran.append(name)
        options_of[name] = options

    monkeypatch.setattr(release, "call_command", record)
    call_command("release", verbosity=0)
    assert ran == [
        "migrate",
        "load_areas",
        "secure_profile_photos",
        "sync_site",
        "rebuild_person_documents",
    ]
    # Only people without stored API documents: a deploy does not rebuild all.
    assert options_of["rebuild_person_documents"]["missing"] is True
    ran.clear()
    call_command("release", "--demo", verbosity=0)
    assert ran[-2:] == ["seed_demo", "ensure_admin"]


def test_the_site_record_steps_put_the_site_on_the_public_address(settings):
    settings.SITE_URL = "http://example.test:8765"
    Site.objects.update(is_default_site=True)
    call_command("sync_site", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("example.test", 8765)
    settings.SITE_URL = "https://nocfnov.example.org"
    call_command("sync_site", verbosity=0)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("nocfnov.example.org", 443)
