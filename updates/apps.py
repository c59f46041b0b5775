from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "updates"
    label = "updates"
    verbose_name = "Updates"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
