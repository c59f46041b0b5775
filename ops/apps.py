from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the site: request ids, structured logs, the health check, the
    Content-Security-Policy and the public page cache."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self):
        from . import pagecache

        pagecache.connect_signals()
