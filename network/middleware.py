"""Keep the admin closed to any session that has not passed the second factor.

Editors, coordinators and superusers sign in through allauth, which asks for their
TOTP code (or a recovery code) once they have enrolled, and records in the session
each way it was authenticated. Every admin page checks that record, not only that
the user has enrolled: a session opened any other way (a sign-in route that took a
password alone, a session from before enrolment, a test's ``force_login``) must
not open the admin.

- May use the admin but has no authenticator app: sent to enrol first.
- Enrolled, but this session has not passed the second factor: sent to allauth's
  re-authentication page, which asks for the app's code (or a recovery code),
  rate-limited like the sign-in's, and then returns to the page asked for. The
  session stays signed in, for the member area.

The same holds for the member area (``/network/``), where coordinators read what
only coordinators may. To the partner API (``/api/``) such a session is anonymous:
it gets what the public gets, so a session that skipped the second factor never
reads coordinators' data there either.

The sign-in and sign-out pages stay open.
"""

from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
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


def session_passed_mfa(request) -> bool:
    """Whether this session's user gave their second factor in this session, at
    sign-in or since (allauth records both as method "mfa")."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class AdminRequiresMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.ADMIN_REQUIRES_MFA and self._api_without_mfa(request):
            request.user = AnonymousUser()
        elif settings.ADMIN_REQUIRES_MFA and self._guards(request):
            query = urlencode({"next": request.get_full_path()})
            if not has_enrolled_mfa(request.user):
                messages.info(
                    request,
                    "Set up an authenticator app before using the admin: it keeps "
                    "the network's data safe if your password leaks.",
                )
                return redirect(f"{reverse('mfa_activate_totp')}?{query}")
            if not session_passed_mfa(request):
                messages.info(
                    request,
                    "Enter the code from your authenticator app to open the admin.",
                )
                return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return self.get_response(request)

    def _api_without_mfa(self, request) -> bool:
        """A partner API request on the session of someone who may use the admin
        but whose session has not passed the second factor."""
        if not request.path.startswith("/api/"):
            return False
        user = request.user
        return (
            user.is_authenticated
            and may_use_admin(user)
            and not session_passed_mfa(request)
        )

    def _guards(self, request) -> bool:
        """An admin or member-area page (not the admin's sign-in or sign-out) asked
        for by someone who may use the admin."""
        guarded = (reverse("wagtailadmin_home"), reverse("members:dashboard"))
        if not request.path.startswith(guarded):
            return False
        open_paths = (reverse("wagtailadmin_login"), reverse("wagtailadmin_logout"))
        if request.path in open_paths:
            return False
        user = request.user
        return user.is_authenticated and may_use_admin(user)
