import uuid

from django.db import migrations


def replace_slugs(apps, schema_editor):
    """A person still in the directory (they only withdrew their public profile)
    keeps their own public id, so partners who sync again can match them. Anyone
    no longer there gets one new random id for all their tombstones: partners
    never saw it, but it names no one. The slug column goes in the next step."""
    Person = apps.get_model("network", "Person")
    PersonTombstone = apps.get_model("api", "PersonTombstone")
    person_ids = set(PersonTombstone.objects.values_list("person_id", flat=True))
    ids = dict(
        Person.objects.filter(pk__in=person_ids).values_list("pk", "public_id")
    )
    for person_id in person_ids:
        PersonTombstone.objects.filter(person_id=person_id).update(
            public_id=ids.get(person_id) or uuid.uuid4(), slug=""
        )


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0003_tombstone_public_id"),
        ("network", "0007_person_public_id_unique"),
    ]

    operations = [
        migrations.RunPython(replace_slugs, migrations.RunPython.noop),
    ]
