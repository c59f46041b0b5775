"""The updates app moved from ``cms/updates/`` to ``updates/``: its tasks' dotted
paths changed with it. django-tasks stores each queued task by that path, so rows
queued before the deploy are rewritten to the new one. The worker finds their task
again, and the stranded-mailing check, which matches a mailing's send task by its
current path, sees them.

Tasks queued while this runs by processes still on the old code keep the old path;
``cms/updates/tasks.py`` answers for those."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

OLD = "cms.updates.tasks."
NEW = "updates.tasks."


def _rewrite(apps, schema_editor, *, old, new):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    db = schema_editor.connection.alias
    DBTaskResult.objects.using(db).filter(task_path__startswith=old).update(
        task_path=Concat(Value(new), Substr("task_path", len(old) + 1))
    )


def forwards(apps, schema_editor):
    _rewrite(apps, schema_editor, old=OLD, new=NEW)


def backwards(apps, schema_editor):
    _rewrite(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):

    dependencies = [
        ("updates", "0003_pending_signup"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
