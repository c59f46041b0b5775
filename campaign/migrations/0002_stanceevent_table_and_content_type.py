"""StanceEvent's table and what names it by app label follow it to the campaign app.

- The table is renamed ``campaign_stanceevent`` (rows, ids, foreign keys and the
  indexes on single columns go with it; the two-column index gets the name Django
  now expects).
- The content type ``network.stanceevent`` becomes ``campaign.stanceevent``. It is
  one row, and everything that refers to the model by app label does so through its
  id: the model's permissions (and so every group's and user's grant of them), the
  admin's history, Wagtail's log entries, revisions and reference index. Renaming
  the row keeps all of them pointing at the model.

Should a ``campaign.stanceevent`` content type exist already (created by code that
ran before this migration), the two are merged first: its permissions' grants go
to the matching permissions of the original, anything else pointing at it is
pointed at the original, and the duplicate is deleted."""

from django.db import migrations

MODEL = "stanceevent"


def _merge_content_type(apps, db, duplicate, kept):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("network", "User")
    grants = [
        (Group.permissions.through, "group_id"),
        (User.user_permissions.through, "user_id"),
    ]
    for permission in Permission.objects.using(db).filter(content_type=duplicate):
        twin = (
            Permission.objects.using(db)
            .filter(content_type=kept, codename=permission.codename)
            .first()
        )
        if twin is None:
            permission.content_type = kept
            permission.save(update_fields=["content_type"])
            continue
        for through, holder in grants:
            rows = through.objects.using(db).filter(permission_id=permission.pk)
            for holder_id in rows.values_list(holder, flat=True):
                through.objects.using(db).get_or_create(
                    **{holder: holder_id, "permission_id": twin.pk}
                )
            rows.delete()
        permission.delete()
    # Anything else holding the duplicate's id: log entries, revisions, references.
    for model in apps.get_models(include_auto_created=True):
        if model is Permission:
            continue
        for field in model._meta.concrete_fields:
            if field.many_to_one and field.related_model is ContentType:
                model._base_manager.using(db).filter(**{field.name: duplicate}).update(
                    **{field.name: kept}
                )
    duplicate.delete()


def _move_content_type(apps, schema_editor, *, source, target):
    from django.contrib.contenttypes.models import ContentType as LiveContentType

    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    found = ContentType.objects.using(db).filter(app_label=source, model=MODEL).first()
    if found is None:
        return  # never recorded: migrate's post_migrate step creates it under target
    duplicate = ContentType.objects.using(db).filter(app_label=target, model=MODEL)
    if duplicate.exists():
        _merge_content_type(apps, db, duplicate.get(), found)
    found.app_label = target
    found.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()
    LiveContentType.objects.clear_cache()


def to_campaign(apps, schema_editor):
    _move_content_type(apps, schema_editor, source="network", target="campaign")


def to_network(apps, schema_editor):
    _move_content_type(apps, schema_editor, source="campaign", target="network")


class Migration(migrations.Migration):

    dependencies = [
        ("campaign", "0001_initial"),
        ("network", "0008_stanceevent_moves_to_campaign"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        # Their tables refer to content types: merged duplicates are repointed there.
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AlterModelTable(name="stanceevent", table=None),
        migrations.RenameIndex(
            model_name="stanceevent",
            new_name="campaign_st_candida_85275b_idx",
            old_name="network_sta_candida_209439_idx",
        ),
        migrations.RunPython(to_campaign, to_network),
    ]
