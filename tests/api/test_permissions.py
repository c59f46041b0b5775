"""Who may call what, and what they see: every operation in the OpenAPI document
for every kind of caller, plus a walk of the router for routes open by accident."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import URLPattern, URLResolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.permissions import AllowAny

from api import urls as api_urls
from api.authentication import PartnerKeyAuthentication, SessionAuthentication
from api.models import PartnerOrganisation
from api.permissions import IsNetworkMember, IsPartnerKey, ReadOrWrite
from api.throttles import ApiRateThrottle
from api.webhooks import services as webhook_services
from api.webhooks.models import WebhookDelivery, WebhookEvent

from .conftest import BWD, CALLERS

pytestmark = pytest.mark.django_db

PUBLIC = {"public"}
NETWORK = {"public", "network"}
EVERYTHING = {"public", "network", "coordinators"}


def _statuses(ok=200, *, private=None):
    """Expected status per caller: bad keys are refused on every route."""
    expected = dict.fromkeys(CALLERS, ok)
    expected["revoked_key"] = expected["expired_key"] = 401
    if private is not None:  # a person only network callers may see
        expected["anonymous"] = expected["public_key"] = private
    return expected


# Contact visibilities each caller gets where people appear.
SEES = {
    "anonymous": PUBLIC,
    "public_key": PUBLIC,
    "network_key": NETWORK,
    "member": NETWORK,
    "coordinator": EVERYTHING,
}

# (method, path in the schema) -> (address to call, statuses, lists people?).
# The addresses end in a slash, the document's paths do not: both forms work.
MATRIX = {
    ("get", "/"): ("/api/v1/", _statuses(), False),
    ("get", "/people"): ("/api/v1/people/", _statuses(), True),
    ("get", "/people/{slug}"): (
        "/api/v1/people/amira-test/",
        _statuses(),
        True,
    ),
    ("get", "/areas"): ("/api/v1/areas/?type=nation", _statuses(), False),
    ("get", "/areas/{gss_code}"): (f"/api/v1/areas/{BWD}/", _statuses(), False),
    ("get", "/areas/{area_gss}/people"): (
        f"/api/v1/areas/{BWD}/people/",
        _statuses(),
        True,
    ),
    ("get", "/roles"): ("/api/v1/roles/", _statuses(), False),
    ("get", "/elections"): ("/api/v1/elections/", _statuses(), False),
    ("get", "/elections/{election_id}"): (
        "/api/v1/elections/parl.2024-07-04/",
        _statuses(),
        False,
    ),
    ("get", "/parties"): ("/api/v1/parties/", _statuses(), False),
    ("get", "/parties/{slug}"): (
        "/api/v1/parties/independent/",
        _statuses(),
        False,
    ),
    ("get", "/groups"): ("/api/v1/groups/", _statuses(), False),
    ("get", "/groups/{slug}"): (
        "/api/v1/groups/blackburn-independents/",
        _statuses(),
        False,
    ),
    ("get", "/stances"): ("/api/v1/stances/", _statuses(), False),
    # Counts only, open to everyone.
    ("get", "/pledges"): ("/api/v1/pledges/", _statuses(), False),
    # Recording needs a coordinator or a key with the stances write scope (none of
    # these keys has it); an empty body then fails validation.
    ("post", "/stances"): (
        "/api/v1/stances/",
        {
            **_statuses(403),
            "anonymous": 401,
            "coordinator": 400,
        },
        False,
    ),
}

# A partner's own webhook endpoints: partner keys only, each its own
# organisation's. The addresses name the network partner's endpoint, which the
# public partner cannot reach (404). Bodies are empty: 400 where one is needed.
HOOK = "/api/v1/webhooks/0c0ffee0-0000-4000-8000-000000000001"


def _keys_only(public, network=None):
    statuses = {**_statuses(403), "anonymous": 401, "public_key": public}
    statuses["network_key"] = public if network is None else network
    return statuses


MATRIX.update(
    {
        ("get", "/webhooks"): ("/api/v1/webhooks/", _keys_only(200), False),
        ("post", "/webhooks"): ("/api/v1/webhooks/", _keys_only(400), False),
        ("get", "/webhooks/{id}"): (f"{HOOK}/", _keys_only(404, 200), False),
        ("patch", "/webhooks/{id}"): (f"{HOOK}/", _keys_only(404, 200), False),
        ("get", "/webhooks/{webhook_id}/deliveries"): (
            f"{HOOK}/deliveries/",
            _keys_only(404, 200),
            False,
        ),
        ("post", "/webhooks/{webhook_id}/replays"): (
            f"{HOOK}/replays/",
            _keys_only(404, 400),
            False,
        ),
        ("post", "/webhooks/{webhook_id}/secrets"): (
            f"{HOOK}/secrets/",
            _keys_only(404, 201),
            False,
        ),
        # Last: it removes the endpoint.
        ("delete", "/webhooks/{id}"): (f"{HOOK}/", _keys_only(404, 204), False),
    }
)


@pytest.fixture
def network_webhook(db):
    """The network partner's endpoint (the organisation its keys belong to)."""
    organisation, _ = PartnerOrganisation.objects.get_or_create(
        name="Partner network 1000/hour",
        defaults={"scope": "network", "contact_email": "partner@example.org"},
    )
    endpoint, _ = webhook_services.endpoint_create(
        organisation=organisation, url="http://127.0.0.1:9/hook"
    )
    endpoint.public_id = HOOK.rsplit("/", 1)[1]
    endpoint.save()
    event = WebhookEvent.objects.create(type="person.updated")
    WebhookDelivery.objects.create(endpoint=endpoint, event=event, status="failed")
    return endpoint


# Not operations of their own, but the same matrix: a person without a public
# profile, by their address.
PRIVATE_PERSON = ("/api/v1/people/cara-private/", _statuses(private=404))


def schema_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "put", "post", "patch", "delete")
    }


# A member's own profile: its own matrix in tests/api/test_me.py.
OWN_PROFILE = {("get", "/me"), ("patch", "/me")}


def test_matrix_covers_every_operation_in_the_schema():
    """Adding an endpoint without adding it to the matrix fails here."""
    assert schema_operations() == set(MATRIX) | OWN_PROFILE


def contact_visibilities(data) -> set[str]:
    found = set()
    if isinstance(data, dict):
        for contact in data.get("contacts", ()):
            found.add(contact["visibility"])
        for value in data.values():
            found |= contact_visibilities(value)
    elif isinstance(data, list):
        for value in data:
            found |= contact_visibilities(value)
    return found


@pytest.mark.parametrize("caller", CALLERS)
def test_permission_matrix(caller, directory, client_as, network_webhook):
    client = client_as(caller)
    for (method, path), (address, statuses, lists_people) in MATRIX.items():
        response = getattr(client, method)(address)
        assert response.status_code == statuses[caller], (caller, path)
        if response.status_code == 401:
            assert "Api-Key" in response.headers.get("WWW-Authenticate", "")
        if response.status_code != 200:
            continue
        seen = contact_visibilities(response.json())
        assert seen == (SEES[caller] if lists_people else set()), (caller, path)
    address, statuses = PRIVATE_PERSON
    assert client.get(address).status_code == statuses[caller]


@pytest.mark.parametrize("caller", CALLERS)
def test_people_without_public_profile_only_reach_network_callers(
    caller, directory, client_as
):
    response = client_as(caller).get("/api/v1/people/")
    if response.status_code != 200:
        return
    slugs = {p["slug"] for p in response.json()["results"]}
    assert ("cara-private" in slugs) == (SEES[caller] != PUBLIC)
    assert {"amira-test", "bilal-test", "dev-test"} <= slugs


@pytest.mark.parametrize("caller", ["anonymous", "network_key", "coordinator"])
# More addresses than an anonymous caller's rate allows in a minute.
@override_settings(API_THROTTLE_ANON="100000/minute")
def test_every_write_method_answers_405(caller, directory, client_as):
    client = client_as(caller)
    offered = {(method, path) for method, path in MATRIX if method != "get"}
    for (_, path), (address, _, _) in MATRIX.items():
        address = address.split("?")[0]
        # Four calls per operation: more operations than the anonymous rate
        # allows in a minute, and a 429 would hide the 405 under test.
        cache.clear()
        for method in ("post", "put", "patch", "delete"):
            if (method, path) in offered:
                continue  # a write the endpoint offers: see its own tests
            response = getattr(client, method)(address, {}, format="json")
            assert response.status_code == 405, (caller, method, address)


def test_restricted_fields_follow_the_policy(directory, client_as):
    def amira(caller):
        return client_as(caller).get("/api/v1/people/amira-test/").json()

    public, network, coordinator = (
        amira("public_key"),
        amira("member"),
        amira("coordinator"),
    )
    assert "reason_for_leaving" not in public["party_history"][0]
    assert network["party_history"][0]["reason_for_leaving"] == "Private reason"
    assert "public_profile" not in public and "public_profile" not in network
    assert coordinator["public_profile"] is True


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


# Routes that are open on purpose: the OpenAPI document and its page.
OPEN_ON_PURPOSE = {"schema/", "docs/"}


def test_router_walk_finds_no_route_open_by_accident():
    routes = list(_walk(api_urls.urlpatterns))
    assert len(routes) >= 10
    for route, callback in routes:
        view = getattr(callback, "cls", None)
        assert view is not None, f"{route} is not a DRF view"
        initkwargs = getattr(callback, "initkwargs", {})
        auth = initkwargs.get("authentication_classes", view.authentication_classes)
        perms = initkwargs.get("permission_classes", view.permission_classes)
        throttles = initkwargs.get("throttle_classes", view.throttle_classes)
        assert ApiRateThrottle in throttles, route
        if route in OPEN_ON_PURPOSE:
            assert list(perms) == [AllowAny] and list(auth) == [], route
            continue
        assert list(auth) == [PartnerKeyAuthentication, SessionAuthentication], route
        assert perms and set(perms) <= {ReadOrWrite, IsNetworkMember, IsPartnerKey}, (
            route
        )
        # Set by our own base class, never inherited from DRF's global defaults.
        owner = next(k for k in view.__mro__ if "permission_classes" in vars(k))
        assert owner.__module__.startswith("api."), route
