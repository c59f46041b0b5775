import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0006_person_public_id_fill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="public_id",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                help_text=(
                    "How the API names this person to partners, and how it tells "
                    "them the person was removed: random, so it reveals nothing "
                    "about them, and it never changes, so it outlives a new name "
                    "or slug."
                ),
                unique=True,
                verbose_name="public id",
            ),
        ),
    ]
