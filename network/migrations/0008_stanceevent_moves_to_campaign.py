"""StanceEvent now belongs to the campaign app (campaign/migrations/0001 took it
over, table and rows included): drop it from the network app's migration state
without touching the database."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("network", "0007_person_public_id_unique"),
        ("campaign", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="StanceEvent")],
            database_operations=[],
        ),
    ]
