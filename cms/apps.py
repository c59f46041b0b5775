from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Campaign site"

    def ready(self):
        from cms import (
            signals,
            views,  # noqa: F401  (registers what each page shows)
        )

        signals.connect()
