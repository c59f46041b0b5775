"""How django-allauth behaves here: no open sign-up; accounts come from invitations."""

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.core.exceptions import ImproperlyConfigured

from ops.siteurl import absolute_url
from ops.throttle import client_address


def _on_site_url(value, request_host: str | None):
    """A link allauth built from the request's host, moved to the public address
    (SITE_URL): a sign-in reached at an internal address must not mail links to it."""
    if not isinstance(value, str) or request_host is None:
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or parts.netloc != request_host:
        return value
    return absolute_url(parts._replace(scheme="", netloc="").geturl())


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # People join by invitation (network/members/views.py) or by asking to
        # join; allauth's own sign-up form stays closed.
        return False

    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        host = request.get_host() if request is not None else None
        context = {key: _on_site_url(value, host) for key, value in context.items()}
        return super().send_mail(template_prefix, email, context)

    def get_client_ip(self, request):
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            # Fewer X-Forwarded-For entries than DJANGO_NUM_PROXIES: the request
            # came round a proxy. allauth would answer 500; count it under the
            # address the site's throttles give it instead.
            return client_address(request)
