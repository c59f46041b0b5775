from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0004_tombstone_ids_replace_slugs"),
    ]

    operations = [
        migrations.RemoveField(model_name="persontombstone", name="slug"),
        migrations.RemoveField(model_name="persontombstone", name="person_id"),
        migrations.AlterField(
            model_name="persontombstone",
            name="public_id",
            field=models.UUIDField(
                help_text=(
                    "The removed person's public id, as the API gave it to partners."
                )
            ),
        ),
    ]
