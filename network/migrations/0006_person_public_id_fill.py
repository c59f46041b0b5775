import uuid

from django.db import migrations


def give_each_person_an_id(apps, schema_editor):
    Person = apps.get_model("network", "Person")
    for pk in Person.objects.filter(public_id__isnull=True).values_list(
        "pk", flat=True
    ):
        Person.objects.filter(pk=pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0005_person_public_id"),
    ]

    operations = [
        migrations.RunPython(give_each_person_an_id, migrations.RunPython.noop),
    ]
