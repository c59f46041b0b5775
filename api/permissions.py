"""What a caller may do. Reading is open to every caller that authenticated (or
came anonymously): network/visibility.py then narrows what they see. Writing is
for signed-in users with a high enough audience, never for partner keys unless an
endpoint says otherwise.

Endpoints that write combine ``ReadOrWrite`` with their own ``write_audience``;
endpoints for members only use ``IsNetworkMember``.
"""

from rest_framework import permissions

from network.visibility import Audience, audience_for_request

from .authentication import is_partner

# Write scopes a partner organisation may hold: the view's ``partner_write_scope``
# names one, and the organisation's field says whether its keys have it.
PARTNER_WRITE_SCOPES = {"stances": "may_record_stances"}


def offers(view, method: str) -> bool:
    """Whether the view answers ``method`` (else it answers 405, to anyone)."""
    method = method.lower()
    return method in view.http_method_names and getattr(view, method, None) is not None


def caller_may_write(request, view) -> bool:
    """Signed-in users whose audience reaches the view's ``write_audience``
    (coordinators unless the view says otherwise). Partner keys may write only
    where the view names a ``partner_write_scope`` their organisation holds."""
    if is_partner(request):
        field = PARTNER_WRITE_SCOPES.get(getattr(view, "partner_write_scope", ""))
        return bool(field and getattr(request.auth.organisation, field, False))
    if not request.user.is_authenticated:
        return False
    needed = getattr(view, "write_audience", Audience.COORDINATORS)
    return audience_for_request(request) >= needed


class ReadOrWrite(permissions.BasePermission):
    """Reads for everyone; a method the endpoint doesn't offer falls through to
    405 Method Not Allowed; other writes need ``caller_may_write``."""

    message = (
        "Only coordinators signed in to the site, or keys holding this endpoint's "
        "write scope, may change this."
    )

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not offers(view, request.method):
            return True  # the view answers 405
        return caller_may_write(request, view)


class IsNetworkMember(permissions.BasePermission):
    """A signed-in member or coordinator (by session, not by partner key)."""

    message = "Sign in as a network member to use this."

    def has_permission(self, request, view):
        if not offers(view, request.method):
            return True  # the view answers 405, whoever asks
        return (
            not is_partner(request)
            and request.user.is_authenticated
            and audience_for_request(request) >= Audience.NETWORK
        )


class IsPartnerKey(permissions.BasePermission):
    """A partner organisation's key, whatever its scope: for what belongs to the
    organisation itself (its webhook endpoints)."""

    message = "Only partner keys may use this: send 'Authorization: Api-Key <key>'."

    def has_permission(self, request, view):
        if not offers(view, request.method):
            return True  # the view answers 405, whoever asks
        return is_partner(request)
