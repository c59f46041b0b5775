# Tombstones named removed people by their slug, which is made from the name and
# outlived an erasure. They now name them by the person's public id; see
# 0004_tombstone_ids_replace_slugs.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_partner_write_scope_stances"),
        ("network", "0007_person_public_id_unique"),
    ]

    operations = [
        migrations.AddField(
            model_name="persontombstone",
            name="public_id",
            field=models.UUIDField(null=True),
        ),
    ]
