# People get a random public id: the API names them by it, and partners' change
# feed tells them by it (not by a name-made slug) that someone was removed. Added
# empty first, filled one person at a time, then made unique, so that existing
# people each get their own.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0004_members"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
    ]
