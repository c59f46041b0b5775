"""Each stored person document gets its CSV line, written from the document
itself, so the export streams stored lines from the first request on."""

from django.db import migrations, models

BATCH = 1000


def fill_csv_lines(apps, schema_editor):
    from api.csvrows import person_csv_line

    PersonDocument = apps.get_model("api", "PersonDocument")
    last = 0
    while True:
        rows = list(
            PersonDocument.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "document")[:BATCH]
        )
        if not rows:
            return
        for row in rows:
            row.csv_line = person_csv_line(row.document)
        PersonDocument.objects.bulk_update(rows, ["csv_line"])
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0007_person_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="persondocument",
            name="csv_line",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(fill_csv_lines, migrations.RunPython.noop),
    ]
