from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Partner API"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import schema, signals  # noqa: F401  (registers them)
        from .answers import forget_after_migrating
        from .webhooks import signals as webhook_signals  # noqa: F401

        post_migrate.connect(forget_after_migrating, sender=self)
