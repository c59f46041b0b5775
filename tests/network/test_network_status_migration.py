"""The migration that makes network membership explicit marks the people already
in the directory: the network's own people stay in it, other parties' candidates
become tracked."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("network", "0009_person_network_status")]
AFTER = [("network", "0010_person_network_status_fill")]


def test_existing_people_are_marked():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    apps = executor.loader.project_state(BEFORE).apps
    Person = apps.get_model("network", "Person")
    Party = apps.get_model("network", "Party")
    Role = apps.get_model("network", "Role")
    Group = apps.get_model("network", "Group")
    GroupMembership = apps.get_model("network", "GroupMembership")
    User = apps.get_model("network", "User")

    independent = Party.objects.create(
        name="Independent", slug="independent", is_independent=True
    )
    labour = Party.objects.create(name="Labour Party", slug="labour", ec_id="PP53")
    reform = Party.objects.create(name="Reform UK", slug="reform-uk")

    def person(slug, **kwargs):
        return Person.objects.create(name=slug, slug=slug, **kwargs)

    our_candidate = person("our-candidate")
    Role.objects.create(person=our_candidate, kind="candidate", party=independent)
    account_holder = person("account-holder", democracy_club_id="123")
    User.objects.create(username="acc", person=account_holder)
    group_member = person("group-member")
    group = Group.objects.create(name="G", slug="g", kind="local_network")
    GroupMembership.objects.create(group=group, person=group_member, sort_order=0)
    organiser = person("organiser")
    Role.objects.create(person=organiser, kind="organiser", group=group)
    labour_candidate = person("labour-candidate", democracy_club_id="456")
    Role.objects.create(person=labour_candidate, kind="candidate", party=labour)
    reform_candidate = person("reform-candidate")
    Role.objects.create(person=reform_candidate, kind="candidate", party=reform)
    imported_only = person("imported-only", democracy_club_id="789")
    hand_entered = person("hand-entered")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    Person = executor.loader.project_state(AFTER).apps.get_model("network", "Person")
    status = dict(Person.objects.values_list("slug", "network_status"))
    assert status == {
        our_candidate.slug: "member",
        account_holder.slug: "member",
        group_member.slug: "member",
        organiser.slug: "organiser",
        labour_candidate.slug: "tracked",
        reform_candidate.slug: "tracked",
        imported_only.slug: "tracked",
        hand_entered.slug: "member",
    }
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
