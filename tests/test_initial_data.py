"""Every test database starts from the rows the migrations leave.

On PostgreSQL the real migrations build it; on SQLite the tables come from the
models and tests/database.py adds those rows. This test holds both to one list, so
that the two ways cannot drift apart unnoticed: CI (PostgreSQL) proves the list is
what the migrations make, `make test` (SQLite) that the shortcut makes the same."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
)

from network.roles import EDITOR_COLLECTION_PERMISSIONS, EDITOR_PAGE_PERMISSIONS
from network.visibility import COORDINATOR_GROUP, EDITOR_GROUP, MEMBER_GROUP

pytestmark = pytest.mark.django_db

WELCOME = "Welcome to your new Wagtail site!"


def test_wagtails_first_rows():
    pages = Page.objects.order_by("path").values_list(
        "path", "depth", "numchild", "slug", "title", "draft_title", "url_path", "live"
    )
    assert list(pages) == [
        ("0001", 1, 1, "root", "Root", "Root", "/", True),
        ("00010001", 2, 0, "home", WELCOME, WELCOME, "/home/", True),
    ]
    assert {page.specific_class for page in Page.objects.all()} == {Page}
    assert [locale.language_code for locale in Locale.objects.all()] == ["en-gb"]
    assert not Page.objects.exclude(locale=Locale.get_default()).exists()
    assert [
        (site.hostname, site.port, site.root_page.slug, site.is_default_site)
        for site in Site.objects.all()
    ] == [("localhost", 80, "home", True)]
    assert list(Collection.objects.values_list("name", "depth")) == [("Root", 1)]


def test_the_default_workflow_on_the_root_page():
    (workflow,) = Workflow.objects.all()
    assert (workflow.name, workflow.active) == ("Moderators approval", True)
    assert [link.page.path for link in workflow.workflow_pages.all()] == ["0001"]
    (task,) = [link.task.specific for link in workflow.workflow_tasks.all()]
    assert type(task).__name__ == "GroupApprovalTask"
    assert (task.name, task.active) == ("Moderators approval", True)
    # Its group was Wagtail's "Moderators", removed with "Editors" as unused.
    assert not task.groups.exists()


def test_the_role_groups_and_their_grants_on_the_root_page_and_collection():
    assert set(Group.objects.values_list("name", flat=True)) == {
        EDITOR_GROUP,
        COORDINATOR_GROUP,
        MEMBER_GROUP,
    }
    editors = Group.objects.get(name=EDITOR_GROUP)
    on_pages = GroupPagePermission.objects.filter(group=editors)
    assert {grant.page.path for grant in on_pages} == {"0001"}
    assert {grant.permission.codename for grant in on_pages} == set(
        EDITOR_PAGE_PERMISSIONS
    )
    on_collections = GroupCollectionPermission.objects.filter(group=editors)
    assert {grant.collection.depth for grant in on_collections} == {1}
    assert {
        (grant.permission.content_type.app_label, grant.permission.codename)
        for grant in on_collections
    } == set(EDITOR_COLLECTION_PERMISSIONS)
    assert not GroupPagePermission.objects.exclude(group=editors).exists()
    assert not GroupCollectionPermission.objects.exclude(group=editors).exists()
    assert Permission.objects.filter(
        content_type__app_label="wagtail_localize", codename="submit_translation"
    ).exists()


def test_every_migration_is_recorded_as_applied():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
