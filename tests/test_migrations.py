"""Moving the stance tracker into ``campaign`` and the updates list to the top level
keeps every row and every permission.

The database is taken back to the migrations of the layout before the move (the
directory held ``StanceEvent``; ``updates`` lived in ``cms/updates/``), filled
there through the models as they were then, and migrated forward to today. What
refers to the stance events by app label (the content type, the permissions and
who holds them, Wagtail's history and reference index) must follow them, and a
task queued under the updates app's old path must name its new one."""

import uuid
from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from wagtail.models import ModelLogEntry, ReferenceIndex, Revision

from campaign.models import StanceEvent
from network.models import CoordinationNote, Role
from network.visibility import COORDINATOR_GROUP
from updates.models import ConsentEvent, Delivery, Mailing, Subscriber

pytestmark = pytest.mark.django_db(transaction=True)

# The leaf migrations of the apps the move changed, as they were before it; the
# campaign app did not exist.
BEFORE_THE_MOVE = [
    ("network", "0007_person_public_id_unique"),
    ("updates", "0003_pending_signup"),
    ("campaign", None),
]
# ... and right after it. Rows are counted here, before later migrations reshape
# tables of their own (each of those keeps its rows, tested beside it).
AFTER_THE_MOVE = [
    ("network", "0008_stanceevent_moves_to_campaign"),
    ("updates", "0004_task_paths_after_move"),
    ("campaign", "0002_stanceevent_table_and_content_type"),
]
STANCE_ACTIONS = ("add", "change", "delete", "view")


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def apps_before_the_move():
    """Migrate back and return the models as they were there."""
    executor = migrate(BEFORE_THE_MOVE)
    graph = executor.loader.graph
    applied = [key for key in executor.loader.applied_migrations if key in graph.nodes]
    return executor.loader.project_state(applied).apps


@pytest.fixture
def old_apps():
    """The database at the layout before the move, and its models; back at the
    latest migrations afterwards, whatever the test did."""
    try:
        yield apps_before_the_move()
    finally:
        migrate_to_latest()


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608  (a table name)
            counts[table] = cursor.fetchone()[0]
    return counts


def group_grants(apps) -> dict[str, set]:
    grants = {}
    for group in apps.get_model("auth", "Group").objects.all():
        grants[group.name] = {
            (p.content_type.app_label, p.content_type.model, p.codename)
            for p in group.permissions.select_related("content_type")
        }
    return grants


def as_moved(grants: dict[str, set]) -> dict[str, set]:
    """The grants with network.stanceevent read as campaign.stanceevent."""
    moved = {("network", "stanceevent"): ("campaign", "stanceevent")}
    return {
        name: {
            (*moved.get((app, model), (app, model)), code) for app, model, code in held
        }
        for name, held in grants.items()
    }


def populate(apps) -> dict:
    """A candidate asked and replying, a note with a revision, the mailing list, a
    queued task, and who may do what: through the models before the move."""
    now = timezone.now()
    User = apps.get_model("network", "User")
    Area = apps.get_model("network", "Area")
    Election = apps.get_model("network", "Election")
    Party = apps.get_model("network", "Party")
    Person = apps.get_model("network", "Person")
    RoleModel = apps.get_model("network", "Role")
    Event = apps.get_model("network", "StanceEvent")
    Note = apps.get_model("network", "CoordinationNote")
    ContentTypeThen = apps.get_model("contenttypes", "ContentType")
    PermissionThen = apps.get_model("auth", "Permission")
    GroupThen = apps.get_model("auth", "Group")

    coordinator = User.objects.create(username="coordinator", is_staff=True)
    volunteer = User.objects.create(username="volunteer", is_staff=True)
    seat = Area.objects.create(
        gss_code="E14999901", name="Testborough", slug="testborough",
        area_type="constituency",
    )  # fmt: skip
    election = Election.objects.create(
        election_id="parl.2024-07-04", name="General election",
        date=date(2024, 7, 4), kind="parl",
    )  # fmt: skip
    party = Party.objects.create(name="Test Party", slug="test-party")
    person = Person.objects.create(name="Ann Candidate", slug="ann-candidate")
    candidacy = RoleModel.objects.create(
        person=person, kind="candidate", area=seat, election=election, party=party
    )
    events = [
        Event.objects.create(
            candidacy=candidacy, kind="asked", occurred_on=date(2024, 6, 1),
            method="email", asked_by="Testborough for Gaza", recorded_by=coordinator,
        ),
        Event.objects.create(
            candidacy=candidacy, kind="replied", occurred_on=date(2024, 6, 3),
            method="email", position="ceasefire", quote="A ceasefire, now.",
            evidence_url="https://example.org/reply", recorded_by=coordinator,
        ),
    ]  # fmt: skip
    note = Note.objects.create(
        person=person, text="<p>Ring her</p>", author=coordinator
    )

    stance_type = ContentTypeThen.objects.get(app_label="network", model="stanceevent")
    note_type = ContentTypeThen.objects.get(
        app_label="network", model="coordinationnote"
    )
    role_type = ContentTypeThen.objects.get(app_label="network", model="role")
    # The Coordinator role holds the stance permissions (network/roles.py before the
    # move); a group and a user of this site's own hold some too.
    coordinators = GroupThen.objects.get(name=COORDINATOR_GROUP)
    stance_permissions = PermissionThen.objects.filter(content_type=stance_type)
    assert {p.codename for p in coordinators.permissions.all()} >= {
        f"{action}_stanceevent" for action in STANCE_ACTIONS
    }
    coordinator.groups.add(coordinators)
    checkers = GroupThen.objects.create(name="Stance checkers")
    checkers.permissions.add(stance_permissions.get(codename="view_stanceevent"))
    volunteer.user_permissions.add(stance_permissions.get(codename="add_stanceevent"))

    # Wagtail's history of an event, the reference index, and a note's revision.
    apps.get_model("wagtailcore", "ModelLogEntry").objects.create(
        content_type=stance_type, object_id=str(events[1].pk), label="Replied",
        action="wagtail.create", timestamp=now, user=coordinator,
    )  # fmt: skip
    apps.get_model("wagtailcore", "ReferenceIndex").objects.create(
        content_type=stance_type, base_content_type=stance_type,
        object_id=str(events[1].pk), to_content_type=role_type,
        to_object_id=str(candidacy.pk), model_path="candidacy",
        content_path="candidacy", content_path_hash=uuid.uuid4(),
    )  # fmt: skip
    revision = apps.get_model("wagtailcore", "Revision").objects.create(
        content_type=note_type, base_content_type=note_type, object_id=str(note.pk),
        created_at=now, user=coordinator, object_str="Ring her",
        content={"text": "<p>Ring her</p>"},
    )  # fmt: skip

    # The mailing list, and a send queued before the deploy under the old path.
    subscriber = apps.get_model("updates", "Subscriber").objects.create(
        email="reader@example.org", status="confirmed", constituency=seat
    )
    apps.get_model("updates", "ConsentEvent").objects.create(
        subscriber=subscriber, action="confirmed", method="email link",
        wording_version="2024-05",
    )  # fmt: skip
    mailing = apps.get_model("updates", "Mailing").objects.create(
        subject="News", body="<p>News</p>", status="queued", created_by=coordinator
    )
    mailing.target_constituencies.add(seat)
    apps.get_model("updates", "Delivery").objects.create(
        mailing=mailing, subscriber=subscriber
    )
    task = apps.get_model("django_tasks_database", "DBTaskResult").objects.create(
        task_path="cms.updates.tasks.send_mailing", queue_name="updates",
        backend_name="default", status="READY", run_after=get_date_max(),
        args_kwargs={
            "args": [mailing.pk], "kwargs": {},
        },
    )  # fmt: skip
    return {
        "stance_type": stance_type.pk,
        "events": [(e.pk, e.kind, e.quote, e.candidacy_id) for e in events],
        "note": note.pk,
        "revision": revision.pk,
        "mailing": mailing.pk,
        "subscriber": subscriber.pk,
        "task": task.pk,
        "coordinator": coordinator.pk,
        "volunteer": volunteer.pk,
    }


def test_migrating_to_the_new_apps_keeps_every_row_and_permission(
    old_apps, django_user_model
):
    before = populate(old_apps)
    counts_before = table_counts()
    grants_before = group_grants(old_apps)

    migrate(AFTER_THE_MOVE)

    # Every table holds what it held; the stance events' table has its new name.
    counts_after = table_counts()
    counts_before["campaign_stanceevent"] = counts_before.pop("network_stanceevent")
    for table in ("django_migrations",):  # the move's own migrations are recorded
        counts_before.pop(table), counts_after.pop(table)
    # Tables that later migrations add start empty.
    for table in set(counts_after) - set(counts_before):
        assert counts_after.pop(table) == 0, table
    assert counts_after == counts_before
    migrate_to_latest()  # today's models read the rows below

    # A mailing aimed at a constituency is still aimed at it.
    mailing = Mailing.objects.get(pk=before["mailing"])
    assert list(mailing.target_areas.values_list("pk", flat=True)) == [
        Subscriber.objects.get(pk=before["subscriber"]).constituency_id
    ]

    # The stance events, through the campaign app's model.
    assert [
        (e.pk, e.kind, e.quote, e.candidacy_id)
        for e in StanceEvent.objects.order_by("pk")
    ] == before["events"]
    candidacy = Role.objects.get(pk=before["events"][0][3])
    assert candidacy.stance_events.count() == 2

    # One content type, the same row, now under the campaign app.
    stance_type = ContentType.objects.get_for_model(StanceEvent)
    assert stance_type.pk == before["stance_type"]
    assert not ContentType.objects.filter(app_label="network", model="stanceevent")

    # Who may do what: every group's grants, the Coordinator's stance permissions
    # resolved through the new app label, a group's and a user's own.
    assert group_grants(django_user_model._meta.apps) == as_moved(grants_before)
    coordinators = Group.objects.get(name=COORDINATOR_GROUP)
    for action in STANCE_ACTIONS:
        permission = Permission.objects.get(
            content_type__app_label="campaign", codename=f"{action}_stanceevent"
        )
        assert coordinators.permissions.filter(pk=permission.pk).exists()
    coordinator = django_user_model.objects.get(pk=before["coordinator"])
    volunteer = django_user_model.objects.get(pk=before["volunteer"])
    assert coordinator.has_perm("campaign.change_stanceevent")
    assert volunteer.has_perm("campaign.add_stanceevent")
    assert not volunteer.has_perm("campaign.delete_stanceevent")
    assert Group.objects.get(name="Stance checkers").permissions.get().codename == (
        "view_stanceevent"
    )

    # Wagtail's history and references still find the event.
    replied = StanceEvent.objects.get(pk=before["events"][1][0])
    entry = ModelLogEntry.objects.for_instance(replied).get()
    assert (entry.action, entry.user_id) == ("wagtail.create", coordinator.pk)
    assert ReferenceIndex.get_references_for_object(replied).get().to_object_id == (
        str(candidacy.pk)
    )
    note = CoordinationNote.objects.get(pk=before["note"])
    assert Revision.objects.for_instance(note).get().pk == before["revision"]

    # The mailing list, untouched, and its queued send under the new path.
    subscriber = Subscriber.objects.get(pk=before["subscriber"])
    assert ConsentEvent.objects.filter(subscriber=subscriber).count() == 1
    assert Delivery.objects.filter(
        mailing=Mailing.objects.get(pk=before["mailing"]), subscriber=subscriber
    ).exists()
    task = DBTaskResult.objects.get(pk=before["task"])
    assert task.task_path == "updates.tasks.send_mailing"
    assert task.task.name == "send_mailing"


def test_a_campaign_content_type_made_too_early_is_merged_not_duplicated(
    old_apps, django_user_model
):
    """Code of the new layout that ran against the old tables (a management
    command before ``migrate``, say) may have created campaign.stanceevent with
    its own permissions and granted one. The migration keeps the original row and
    the grant, and drops the duplicate."""
    apps = old_apps
    before = populate(apps)
    ContentTypeThen = apps.get_model("contenttypes", "ContentType")
    PermissionThen = apps.get_model("auth", "Permission")
    early = ContentTypeThen.objects.create(app_label="campaign", model="stanceevent")
    early_view = PermissionThen.objects.create(
        content_type=early, codename="view_stanceevent", name="Can view stance event"
    )
    early_only = PermissionThen.objects.create(
        content_type=early, codename="export_stanceevent", name="Can export"
    )
    editors = apps.get_model("auth", "Group").objects.create(name="Early editors")
    editors.permissions.add(early_view, early_only)

    migrate_to_latest()

    stance_type = ContentType.objects.get(app_label="campaign", model="stanceevent")
    assert stance_type.pk == before["stance_type"]
    assert not ContentType.objects.filter(pk=early.pk).exists()
    assert not ContentType.objects.filter(app_label="network", model="stanceevent")
    held = Group.objects.get(name="Early editors").permissions.all()
    assert {(p.content_type_id, p.codename) for p in held} == {
        (stance_type.pk, "view_stanceevent"),
        (stance_type.pk, "export_stanceevent"),
    }
    assert (
        Permission.objects.filter(
            content_type=stance_type, codename="view_stanceevent"
        ).count()
        == 1
    )
    volunteer = django_user_model.objects.get(pk=before["volunteer"])
    assert volunteer.has_perm("campaign.add_stanceevent")
