"""Deployment checks (``manage.py check --deploy``) for the updates list."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def links_use_https(app_configs, **kwargs):
    if settings.SITE_URL.startswith("https://"):
        return []
    return [
        Warning(
            "SITE_URL is not an https address.",
            hint="Unsubscribe links (List-Unsubscribe, RFC 8058) must be https: "
            "set SITE_URL=https://your.site",
            id="updates.W001",
        )
    ]


@register(deploy=True)
def tasks_run_in_the_background(app_configs, **kwargs):
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if "Immediate" not in backend:
        return []
    return [
        Warning(
            "Tasks run immediately: a mailing is sent inside the admin request, "
            "and how long a sign-up takes shows whether the address is on the list.",
            hint="Use django_tasks_db.DatabaseBackend and run manage.py db_worker.",
            id="updates.W002",
        )
    ]
