"""The three working roles and what each may do. docs/permissions.md explains them.

- **Editor**: the Wagtail admin's pages, images, documents and mailings.
- **Coordinator**: the directory (people, groups, roles, contacts, party history),
  coordination notes, partner keys, invitations, join requests, erasure requests,
  profile history.
- **Member**: their own profile and the network directory in the member area
  (``/network/``); no admin.

Superusers may do everything. ``sync_role_groups`` creates the groups and grants
the permissions; the migration that introduced the roles runs it, and it runs again
after every ``migrate`` so that models added later (mailings, notes, partner keys)
join their role without another data migration. It only ever adds.
"""

from django.apps import apps as global_apps

from network.visibility import COORDINATOR_GROUP, EDITOR_GROUP, MEMBER_GROUP

ACCESS_ADMIN = ("wagtailadmin", "access_admin")
EDIT_OWN_PROFILE = ("network", "edit_own_profile")
VIEW_NETWORK_DIRECTORY = ("network", "view_network_directory")

ALL = ("add", "change", "delete", "view")

# (app label, model name, actions). Models that do not exist (yet) are skipped.
MODEL_PERMISSIONS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    EDITOR_GROUP: [
        ("wagtailimages", "image", ("add", "change", "delete", "choose")),
        ("wagtaildocs", "document", ("add", "change", "delete", "choose")),
        ("updates", "mailing", ALL),
        ("updates", "subscriber", ("view",)),
        ("campaign", "pledgewording", ("add", "change", "view")),
        ("campaign", "campaignsettings", ("change",)),
    ],
    COORDINATOR_GROUP: [
        ("network", "person", ALL),
        ("network", "contactdetail", ALL),
        ("network", "role", ALL),
        ("network", "affiliation", ALL),
        ("network", "group", ALL),
        ("network", "groupmembership", ALL),
        ("network", "election", ALL),
        ("network", "party", ALL),
        ("network", "area", ("view",)),
        ("network", "invitation", ALL),
        ("network", "joinrequest", ("view", "change")),
        ("network", "profilechange", ("view",)),
        ("network", "deletionrequest", ("view", "change")),
        ("network", "coordinationnote", ALL),
        ("campaign", "stanceevent", ALL),
        ("campaign", "pledge", ("view",)),
        ("campaign", "pledgerule", ALL),
        ("campaign", "pledgeinvalidation", ("add", "view")),
        ("campaign", "constituentask", ("view",)),
        ("network", "note", ALL),
        ("api", "partnerkey", ALL),
        ("api", "apikey", ALL),
        ("api", "partner", ALL),
        ("api", "partnerorganisation", ALL),
        ("wagtailimages", "image", ("add", "choose")),
    ],
    MEMBER_GROUP: [],
}

# Extra single permissions: (app label, codename).
EXTRA_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    EDITOR_GROUP: [ACCESS_ADMIN, ("updates", "send_mailing")],
    COORDINATOR_GROUP: [ACCESS_ADMIN, EDIT_OWN_PROFILE, VIEW_NETWORK_DIRECTORY],
    MEMBER_GROUP: [EDIT_OWN_PROFILE, VIEW_NETWORK_DIRECTORY],
}

# Editors work on every page of the site.
EDITOR_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
)
EDITOR_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


def _codenames(model: str, actions) -> list[str]:
    return [f"{action}_{model}" for action in actions]


def sync_role_groups(apps=global_apps) -> None:
    """Create the three groups and add their permissions; never removes any."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permission(app_label, codename):
        return Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()

    for name in (EDITOR_GROUP, COORDINATOR_GROUP, MEMBER_GROUP):
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for app_label, model, actions in MODEL_PERMISSIONS[name]:
            wanted += [(app_label, codename) for codename in _codenames(model, actions)]
        wanted += EXTRA_PERMISSIONS[name]
        found = [p for p in (permission(*key) for key in wanted) if p is not None]
        group.permissions.add(*found)

    editors = Group.objects.get(name=EDITOR_GROUP)
    _grant_pages(apps, editors, permission)


def _grant_pages(apps, group, permission) -> None:
    try:
        Page = apps.get_model("wagtailcore", "Page")
        GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
        Collection = apps.get_model("wagtailcore", "Collection")
        GroupCollectionPermission = apps.get_model(
            "wagtailcore", "GroupCollectionPermission"
        )
    except LookupError:
        return
    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for codename in EDITOR_PAGE_PERMISSIONS:
            perm = permission("wagtailcore", codename)
            if perm is not None:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=perm
                )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, codename in EDITOR_COLLECTION_PERMISSIONS:
            perm = permission(app_label, codename)
            if perm is not None:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=perm
                )


def remove_unused_wagtail_default_groups(apps=global_apps) -> None:
    """Wagtail starts every site with "Editors" and "Moderators" groups; next to
    this project's "Editor" they only confuse. Removed while nobody is in them."""
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=("Editors", "Moderators"), user__isnull=True).delete()


def create_all_permissions(apps=global_apps) -> None:
    """Make sure every model's permissions exist (Django creates them only after
    the whole migrate run, which is too late for a data migration)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        had = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = had
