from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the site: request ids, structured logs, the health check, the
    Content-Security-Policy, the public page cache, request size limits and safe
    spreadsheet exports."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self):
        from . import pagecache, spreadsheets

        pagecache.connect_signals()
        spreadsheets.protect_admin_exports()
