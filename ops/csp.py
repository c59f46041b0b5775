"""One Content-Security-Policy for the public site and the API, a looser one for
the Wagtail admin.

The strict policy (``CONTENT_SECURITY_POLICY`` in settings) allows scripts, styles,
fonts and images from this site only: no inline code, no other host. The Wagtail
admin relies on inline styles and a few inline scripts, so under its URL prefixes
the directives in ``CSP_ADMIN_DIRECTIVES`` replace the matching strict ones.
Views can still adjust their own policy with django-csp's decorators.

A preview is a page of the site shown inside the admin: Wagtail renders it through
a made-up request for the page's own address (marked ``is_dummy``), which would
get the strict policy's ``frame-ancestors 'none'`` and be refused its place in the
editor's preview panel. It keeps the strict policy, framed by the site only.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(settings.CSP_ADMIN_URL_PREFIXES))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if is_admin_path(request.path_info):
            parts.replace = {**settings.CSP_ADMIN_DIRECTIVES, **(parts.replace or {})}
        elif getattr(request, "is_dummy", False):
            parts.replace = {"frame-ancestors": ["'self'"], **(parts.replace or {})}
        return parts
