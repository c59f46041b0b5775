"""Keep the admin closed to anyone who may use it but has no second factor yet.

Editors, coordinators and superusers sign in through allauth, which asks for their
TOTP code (or a recovery code) once they have enrolled. Until they have, every admin
page sends them to enrol first; the sign-in and sign-out pages stay open.
"""

from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse


def may_use_admin(user) -> bool:
    return user.is_active and (
        user.is_superuser or user.has_perm("wagtailadmin.access_admin")
    )


def has_enrolled_mfa(user) -> bool:
    return Authenticator.objects.filter(
        user_id=user.pk, type=Authenticator.Type.TOTP
    ).exists()


class AdminRequiresMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.ADMIN_REQUIRES_MFA and self._blocks(request):
            messages.info(
                request,
                "Set up an authenticator app before using the admin: it keeps "
                "the network's data safe if your password leaks.",
            )
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)

    def _blocks(self, request) -> bool:
        admin = reverse("wagtailadmin_home")
        if not request.path.startswith(admin):
            return False
        open_paths = (reverse("wagtailadmin_login"), reverse("wagtailadmin_logout"))
        if request.path in open_paths:
            return False
        user = request.user
        if not user.is_authenticated or not may_use_admin(user):
            return False
        return not has_enrolled_mfa(user)
