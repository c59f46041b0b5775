from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs):
    # Models added after the roles migration (mailings, notes, partner keys) get
    # their permissions only at the end of migrate; grant them to their role now.
    from network.roles import create_all_permissions, sync_role_groups

    create_all_permissions()
    sync_role_groups()


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Directory"

    def ready(self):
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="network-roles")
