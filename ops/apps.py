from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the site: request ids, structured logs, the health check, the
    Content-Security-Policy, the public page cache, request size limits and safe
    spreadsheet exports."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self):
        from . import pagecache, siteurl, spreadsheets

        pagecache.connect_signals()
        siteurl.use_site_domain_in_message_ids()
        spreadsheets.protect_admin_exports()
