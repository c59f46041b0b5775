"""Test databases: on SQLite built from the models instead of the migrations, and
the UK areas put back quickly after a test that commits (at the end of this file).

Replaying every migration (274 of them, most of them the libraries') took each
test worker about half a minute, nearly all of it Django rendering the models of
each migration's moment. On SQLite the test settings create the tables straight
from the models (``TEST["MIGRATE"] = False``); :func:`complete` then adds what the
migrations leave behind besides tables, so that tests start from the same rows
either way:

- Wagtail's search index as a full-text (FTS5) table with its triggers, created by
  Wagtail's own migration's SQL;
- Wagtail's first rows: the root page with the first home page under it, the
  default site, the root collection, the default locale and the default
  moderation workflow;
- the permission wagtail-localize creates by migration, and the role groups with
  their grants (network/migrations/0004's own function, which also removes
  Wagtail's unused "Editors" and "Moderators" groups);
- every migration recorded as applied, as ``migrate`` records them, so that the
  tests that take the database back to an earlier migration and forward again
  (tests/test_migrations.py) start from the latest one.

PostgreSQL (CI, ``DATABASE_URL``) keeps replaying the real migrations, which is what
proves them; ``makemigrations --check`` (.ci/run) proves that the models and the
migrations agree, and tests/test_initial_data.py that both ways start from the same
rows.
"""

import importlib

from django.apps import apps
from django.db import migrations


def built_from_models(connection) -> bool:
    return connection.settings_dict.get("TEST", {}).get("MIGRATE", True) is False


def migration(name: str):
    """A migration module by its dotted name (they start with digits)."""
    return importlib.import_module(name)


def complete(connection) -> None:
    """Add to a database built from the models what the migrations would have."""
    with connection.schema_editor() as editor:
        _search_index(editor)
        _wagtail_first_rows()
        _role_groups()
    _record_migrations(connection)


def _search_index(editor) -> None:
    """Wagtail's SQLite search backend reads a virtual FTS5 table kept in step by
    triggers; the model built an ordinary table of the same name instead. Replaced
    by the statements of Wagtail's migration (present when SQLite has FTS5)."""
    module = migration("wagtail.search.migrations.0006_customise_indexentry")
    for operation in module.Migration.operations:
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            editor.execute("DROP TABLE IF EXISTS wagtailsearch_indexentry_fts")
            for statement in operation.database_operations:
                statement.database_forwards("wagtailsearch", editor, None, None)


WELCOME = "Welcome to your new Wagtail site!"


def _wagtail_first_rows() -> None:
    from wagtail.models import (
        GroupApprovalTask,
        Locale,
        Page,
        Site,
        Workflow,
        WorkflowPage,
        WorkflowTask,
    )

    # The root collection and the default locale: the migrations' own functions.
    migration("wagtail.migrations.0025_collection_initial_data").initial_data(
        apps, None
    )
    migration("wagtail.migrations.0054_initial_locale").initial_locale(apps, None)

    # wagtailcore 0002 and 0048 cannot run on today's models: they grant page
    # permissions by a `permission_type` that Wagtail has since replaced. Their
    # rows, as the later migrations leave them: the root page with Wagtail's first
    # home page under it, the default site on that page, and the default workflow
    # on the root, whose approval task belonged to "Moderators" (a group that
    # network/migrations/0004 removes, being empty).
    # Written as the migration writes them, without Page.save(): no log entries,
    # no search index entries.
    locale = Locale.get_default()
    root, home = Page.objects.bulk_create(
        [
            Page(
                title="Root",
                draft_title="Root",
                slug="root",
                path="0001",
                depth=1,
                numchild=1,
                url_path="/",
                locale=locale,
            ),
            Page(
                title=WELCOME,
                draft_title=WELCOME,
                slug="home",
                path="00010001",
                depth=2,
                numchild=0,
                url_path="/home/",
                locale=locale,
            ),
        ]
    )
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    task = GroupApprovalTask.objects.create(name="Moderators approval", active=True)
    workflow = Workflow.objects.create(name="Moderators approval", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=root)


def _role_groups() -> None:
    """wagtail-localize's permission, then the role groups: with the root page and
    collection there, the editors' grants on them too."""
    migration(
        "wagtail_localize.migrations.0006_create_submit_translation_permission"
    ).create_submit_translation_permission(apps, None)
    migration("network.migrations.0004_members").create_role_groups(apps, None)


def _record_migrations(connection) -> None:
    """Every migration recorded as applied, as `migrate` records them: a squashed
    migration under its own name and under each name it replaces."""
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    names = set()
    for key, found in loader.graph.nodes.items():
        names.add(key)
        names.update(found.replaces)
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    recorder.migration_qs.bulk_create(
        [recorder.Migration(app=app, name=name) for app, name in sorted(names)]
    )


# ---- the UK areas

# The rows `load_areas` wrote when the test database was set up, as the database
# holds them. A test that commits empties every table afterwards; the tests after
# it that want the areas get these rows back with one INSERT per table, where
# loading the files again took a second or more each time.
_AREA_ROWS: dict[str, tuple[list[str], list[tuple]]] = {}


def _area_tables():
    from network.models import Area, ConstituencyCouncilOverlap

    return (Area, ConstituencyCouncilOverlap)  # parents before what refers to them


def keep_uk_areas(connection) -> None:
    """Remember the areas and overlaps as `load_areas` has just written them."""
    _AREA_ROWS.clear()
    with connection.cursor() as cursor:
        for model in _area_tables():
            table = connection.ops.quote_name(model._meta.db_table)
            columns = [field.column for field in model._meta.concrete_fields]
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            pk = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"SELECT {names} FROM {table} ORDER BY {pk}")  # noqa: S608
            _AREA_ROWS[model._meta.db_table] = (columns, cursor.fetchall())


def put_uk_areas_back(connection) -> None:
    """The areas as they were after set-up, when a test that commits has emptied
    their tables; otherwise (some rows left, or none remembered) `load_areas`,
    which adds what is missing."""
    from django.core.management import call_command

    tables = _area_tables()
    if not _AREA_ROWS or any(model.objects.exists() for model in tables):
        call_command("load_areas", verbosity=0)
        return
    with connection.cursor() as cursor:
        for model in tables:
            columns, rows = _AREA_ROWS[model._meta.db_table]
            table = connection.ops.quote_name(model._meta.db_table)
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                rows,
            )
