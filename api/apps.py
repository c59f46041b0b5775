from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Partner API"

    def ready(self):
        from . import schema, signals  # noqa: F401  (registers them)
        from .webhooks import signals as webhook_signals  # noqa: F401
