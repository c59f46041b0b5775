"""Mark who is in the network and who the campaign only tracks.

Until now everyone in the directory counted as the network. People with a member
account, a group membership, a role in a group, or a role held as an independent
are the network (organisers where they hold an organiser role); people who stood
or sit for a party (Labour, Conservative, Lib Dem, Reform and the rest) or came
from a Democracy Club import with none of those are tracked. Anyone else stays a
member, as before."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q


def mark(apps, schema_editor):
    Person = apps.get_model("network", "Person")
    User = apps.get_model("network", "User")
    GroupMembership = apps.get_model("network", "GroupMembership")
    Role = apps.get_model("network", "Role")

    network = (
        Q(Exists(User.objects.filter(person=OuterRef("pk"))))
        | Q(Exists(GroupMembership.objects.filter(person=OuterRef("pk"))))
        | Q(Exists(Role.objects.filter(person=OuterRef("pk"), group__isnull=False)))
        | Q(
            Exists(
                Role.objects.filter(person=OuterRef("pk"), party__is_independent=True)
            )
        )
        | Q(
            Exists(
                Role.objects.filter(
                    person=OuterRef("pk"), kind__in=("organiser", "campaigner")
                )
            )
        )
    )
    party_role = Role.objects.filter(
        person=OuterRef("pk"), party__isnull=False, party__is_independent=False
    )
    tracked = ~network & (Q(Exists(party_role)) | ~Q(democracy_club_id=""))
    Person.objects.filter(tracked).update(network_status="tracked")
    organisers = Role.objects.filter(person=OuterRef("pk"), kind="organiser")
    Person.objects.filter(Exists(organisers)).update(network_status="organiser")


def unmark(apps, schema_editor):
    apps.get_model("network", "Person").objects.update(network_status="member")


class Migration(migrations.Migration):
    dependencies = [("network", "0009_person_network_status")]

    operations = [migrations.RunPython(mark, unmark)]
