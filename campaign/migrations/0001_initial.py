"""StanceEvent joins the campaign app, keeping its table and every row.

The model was ``network.StanceEvent`` (network/migrations/0003). This migration
only tells Django's migration state that the campaign app now has it, on the table
it already has; network/migrations/0008 then drops it from the network app's state,
and 0002 here renames the table and moves what names the model by app label."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("network", "0007_person_public_id_unique"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StanceEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True, db_index=True)),
                        ("kind", models.CharField(choices=[("asked", "Asked"), ("chased", "Chased"), ("replied", "Replied"), ("changed", "Changed position"), ("correction", "Candidate's correction")], db_index=True, max_length=12)),
                        ("occurred_on", models.DateField(help_text="When they were asked, or when they replied.", verbose_name="date")),
                        ("method", models.CharField(blank=True, choices=[("email", "Email"), ("letter", "Letter"), ("phone", "Phone"), ("in_person", "In person"), ("hustings", "At a hustings"), ("social", "Social media"), ("other", "Other")], help_text="How they were asked or how they answered.", max_length=12, verbose_name="how")),
                        ("asked_by", models.CharField(blank=True, help_text="Who asked or chased, e.g. a local group. Seen by the network only, never on the public site.", max_length=200, verbose_name="by whom")),
                        ("position", models.CharField(blank=True, choices=[("ceasefire", "Calls for a ceasefire"), ("refuses", "Refuses to call for a ceasefire"), ("unclear", "Unclear")], db_index=True, help_text="Required for a reply or a change of position.", max_length=12)),
                        ("quote", models.TextField(blank=True, help_text="Their own words, exactly as published or sent.", max_length=2000)),
                        ("evidence_url", models.URLField(blank=True, help_text="Where anyone can check the quote: a post, an article, a letter.", max_length=500, verbose_name="evidence link")),
                        ("candidacy", models.ForeignKey(help_text="The candidate at one election in one constituency or ward.", limit_choices_to={"kind": "candidate"}, on_delete=django.db.models.deletion.CASCADE, related_name="stance_events", to="network.role")),
                        ("recorded_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "stance event",
                        "ordering": ["candidacy", "occurred_on", "pk"],
                        "db_table": "network_stanceevent",
                        "indexes": [models.Index(fields=["candidacy", "occurred_on"], name="network_sta_candida_209439_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
