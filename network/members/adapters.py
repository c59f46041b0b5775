"""How django-allauth behaves here: no open sign-up; accounts come from invitations."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ImproperlyConfigured

from ops.throttle import client_address


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # People join by invitation (network/members/views.py) or by asking to
        # join; allauth's own sign-up form stays closed.
        return False

    def get_client_ip(self, request):
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            # Fewer X-Forwarded-For entries than DJANGO_NUM_PROXIES: the request
            # came round a proxy. allauth would answer 500; count it under the
            # address the site's throttles give it instead.
            return client_address(request)
