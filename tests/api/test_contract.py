"""The OpenAPI document the site serves is the partner API's contract.

Every answer of every operation, for every kind of caller and every error status,
is checked against it with openapi-core, strictly: a status, a header or a field
the document does not declare fails, and so does a missing one it requires. The
requests are worked out from the document itself (each operation, each query
parameter with each of its listed values, each declared error), so an endpoint,
parameter or status added later fails here until a request exercises it; and a
walk of api/urls.py fails on a route the document leaves out."""

import json
import re
from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from django.core.cache import cache
from django.test import override_settings
from django.urls import URLResolver
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.deserializing.media_types.util import plain_loads
from openapi_core.exceptions import OpenAPIError
from openapi_schema_validator import OAS31Validator
from rest_framework.test import APIClient
from werkzeug.datastructures import Headers, ImmutableMultiDict

from api import urls as api_urls
from api.models import PartnerKey, PartnerOrganisation
from api.services import partner_key_create
from api.webhooks import services as webhook_services
from api.webhooks.models import WebhookDelivery, WebhookEvent
from campaign.services import stance_record
from network.members import services as member_services
from network.models import Area, ChangeSource, Person
from network.visibility import COORDINATOR_GROUP, MEMBER_GROUP
from tests.conftest import sign_in_as_staff
from tests.factories import (
    CandidacyFactory,
    ContactFactory,
    GroupFactory,
    PartyFactory,
    PersonFactory,
    RoleFactory,
)

from .conftest import BLACKBURN, BURNLEY_WARD, BWD, ENGLAND, NORTH_WEST

pytestmark = pytest.mark.django_db

ROOT = "/api/v1"
DOCUMENT = f"{ROOT}/schema/?format=json"
METHODS = ("get", "put", "post", "patch", "delete")
PARAMETER = re.compile(r"{\w+}")
RATES = {"API_THROTTLE_ANON": "100000/minute", "API_THROTTLE_USER": "100000/minute"}


# ------------------------------------------------------------------ openapi-core


class CheckedRequest:
    """A Django request as openapi-core reads one. The path is matched against
    the document's own paths and server, never against Django's route."""

    def __init__(self, request):
        self.request = request
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(request.GET.lists())),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(request.COOKIES),
        )
        self.host_url = request._current_scheme_host
        self.path = request.path
        self.method = request.method.lower()
        self.body = request.body
        self.content_type = request.META.get("CONTENT_TYPE", "")


class CheckedResponse:
    """A Django response, streamed or not, as openapi-core reads one."""

    def __init__(self, response):
        self.status_code = response.status_code
        self.content_type = response.get("Content-Type", "")
        self.headers = Headers(list(response.headers.items()))
        if response.streaming:
            self.data = b"".join(response.streaming_content)
        else:
            self.data = response.content


class Contract:
    """The served document, and a record of each (method, path, status) checked
    against it."""

    def __init__(self, document):
        self.document = document
        self.openapi = OpenAPI.from_dict(
            document,
            # CSV is declared as text; openapi-core would otherwise hand the
            # validator bytes.
            config=Config(
                extra_media_type_deserializers={"text/csv": plain_loads},
                # The document's own validity is test_schema.py's (and redocly's)
                # to check; doing it here again costs seconds per test.
                spec_validator_cls=None,
            ),
        )
        self.operations = {
            (method.upper(), path): operation
            for path, item in document["paths"].items()
            for method, operation in item.items()
            if method in METHODS
        }
        self.patterns = [
            (re.compile("^" + ROOT + PARAMETER.sub("[^/]+", path.rstrip("/")) + "/?$"),
             path)
            for path in sorted(document["paths"], key=len, reverse=True)
        ]  # fmt: skip
        self.seen: set[tuple[str, str | None, int]] = set()

    def path_of(self, address: str) -> str | None:
        return next((p for pattern, p in self.patterns if pattern.match(address)), None)

    def error_shape(self, response) -> None:
        """Answers outside the document's operations (no such address, a method
        it does not offer) still have its `Error` shape."""
        schema = self.document["components"]["schemas"]["Error"]
        assert response["Content-Type"] == "application/json"
        OAS31Validator(schema).validate(response.json())

    def check(self, response, status: int):
        request = response.wsgi_request
        label = (request.method, request.get_full_path(), response.status_code)
        assert response.status_code == status, (*label, _body(response))
        path = self.path_of(request.path)
        if (request.method, path) in self.operations:
            try:
                self.openapi.validate_response(
                    CheckedRequest(request), CheckedResponse(response)
                )
            except OpenAPIError as error:
                detail = getattr(error, "__cause__", None) or error
                pytest.fail(f"{label} breaks the document: {error}: {detail}")
        else:
            assert status in (404, 405), label
            self.error_shape(response)
        self.seen.add((request.method, path, response.status_code))
        return response

    def exercised(self) -> set[tuple[str, str]]:
        return {(method, path) for method, path, _ in self.seen}


def _body(response):
    if response.streaming:
        return "<streamed>"
    return response.content[:500]


@pytest.fixture
def contract(client):
    return Contract(client.get(DOCUMENT).json())


# ------------------------------------------------------------------ the world


def _key(name, *, scope="public", may_record_stances=False, rate="100000/hour"):
    organisation = PartnerOrganisation.objects.create(
        name=name,
        scope=scope,
        contact_email="partner@example.org",
        rate_limit=rate,
        may_record_stances=may_record_stances,
    )
    return partner_key_create(organisation=organisation, name="contract")[1]


@pytest.fixture
def world(directory, make_member):
    """The directory, with every nullable thing both null and filled somewhere:
    stances with and without evidence, a role in a group and not in an area, a
    group with an area, a removed person (a tombstone), and members with and
    without a directory entry."""
    bilal = directory["bilal"].roles.get(kind="candidate")
    stance_record(candidacy=bilal, kind="asked", method="email", asked_by="Asker",
                  occurred_on=date(2024, 6, 1), actor=None)  # fmt: skip
    stance_record(candidacy=bilal, kind="replied", occurred_on=date(2024, 6, 5),
                  position="ceasefire", quote="Ceasefire now.",
                  evidence_url="https://example.org/evidence", actor=None)  # fmt: skip
    rival = CandidacyFactory(
        person__name="Lou Rival",
        party=PartyFactory(name="Labour Party", slug="labour"),
        area=Area.objects.get(gss_code=BLACKBURN),
    )
    stance_record(candidacy=rival, kind="asked", method="letter",
                  occurred_on=date(2024, 6, 1), actor=None)  # fmt: skip
    # A ward candidacy under no party: no party, and no constituency page.
    CandidacyFactory(person__name="Wren Ward", party=None,
                     area=Area.objects.get(gss_code=BURNLEY_WARD))  # fmt: skip
    area_group = GroupFactory(area=Area.objects.get(gss_code=BWD), website="")
    RoleFactory(person=directory["dev"], kind="organiser", area=None,
                group=area_group, title="Organiser")  # fmt: skip
    gone = PersonFactory(name="Gone Person", public_profile=True)
    ContactFactory(person=gone, value="gone@example.org")
    gone.delete()

    member = make_member(name="Mo Member")
    coordinator = make_member(name="Coco Ordinator")
    coordinator.groups.add(AuthGroup.objects.get_or_create(name=COORDINATOR_GROUP)[0])
    return {**directory, "rival": rival, "member": member, "coordinator": coordinator}


@pytest.fixture
def callers(world, django_user_model):
    """An API client for each kind of caller."""

    def with_key(raw):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
        # Each partner's own webhook endpoint, with a failed delivery to replay.
        key = PartnerKey.objects.filter(prefix=raw.partition(".")[0]).first()
        if key is None:  # the wrong key
            return client
        organisation = key.organisation
        endpoint, _ = webhook_services.endpoint_create(
            organisation=organisation, url="http://127.0.0.1:9/hook"
        )
        event = WebhookEvent.objects.create(type="person.updated")
        WebhookDelivery.objects.create(endpoint=endpoint, event=event, status="failed")
        client.webhook = str(endpoint.public_id)
        return client

    def signed_in(user):
        client = APIClient()
        client.force_login(user)
        return client

    lonely = django_user_model.objects.create_user(username="lonely", password="x")
    lonely.groups.add(AuthGroup.objects.get(name=MEMBER_GROUP))
    return {
        "anonymous": APIClient(),
        "public_key": with_key(_key("Public partner")),
        "network_key": with_key(_key("Network partner", scope="network")),
        "stances_key": with_key(_key("Askers", may_record_stances=True)),
        "member": signed_in(world["member"]),
        # Staff reach the API from a session past the second factor.
        "coordinator": sign_in_as_staff(APIClient(), world["coordinator"]),
        # For the errors: a wrong key, and a member with no directory entry.
        "wrong_key": with_key("abcdefgh.abcdefghabcdefghabcdefghabcdefgh"),
        "lonely": signed_in(lonely),
    }


# ------------------------------------------------------------------ what to ask

# An address for each path with identifiers in it, naming something that exists.
ADDRESSES = {
    "/people/{slug}": "/people/amira-test",
    "/areas/{gss_code}": f"/areas/{BWD}",
    "/areas/{area_gss}/people": f"/areas/{BWD}/people",
    "/elections/{election_id}": "/elections/parl.2024-07-04",
    "/parties/{slug}": "/parties/independent",
    "/groups/{slug}": "/groups/blackburn-independents",
}
# ... and one naming nothing.
MISSING = {
    "/people/{slug}": "/people/nobody-at-all",
    "/areas/{gss_code}": "/areas/E99999999",
    "/areas/{area_gss}/people": "/areas/E99999999/people",
    "/elections/{election_id}": "/elections/parl.1900-01-01",
    "/parties/{slug}": "/parties/no-such-party",
    "/groups/{slug}": "/groups/no-such-group",
}

# A value for each query parameter that matches something; parameters that list
# their values (enums, orderings, format) are asked with every value instead.
VALUES = {
    "affiliation": "independent",
    "area": BWD,
    "region": NORTH_WEST,
    "nation": ENGLAND,
    "election": "parl.2024-07-04",
    "group": "blackburn-independents",
    "q": "test",
    "name": "darwen",
    "parent": BWD,
    "constituency": BLACKBURN,
    "party": "independent",
    "modified_since": "2000-01-01T00:00:00Z",
    "page": "1",
    "page_size": "2",
    "date_after": "2024-01-01",
    "date_before": "2030-01-01",
}
# Parameters that only mean something together with another.
COMPANIONS = {"include": {"area": BWD}}
# CSV lists are whole: these keep the UK's 10,000 areas out of them.
CSV_FILTERS = {"/areas": {"type": "nation"}}


# A webhook endpoint id that is nobody's.
NO_WEBHOOK = "0c0ffee0-0000-4000-8000-00000000dead"


def address_of(path: str, client=None) -> str:
    """The address of a path; webhook paths name the caller's own endpoint."""
    if path.startswith("/webhooks/"):
        webhook = getattr(client, "webhook", NO_WEBHOOK)
        return ROOT + path.replace("{id}", webhook).replace("{webhook_id}", webhook)
    if "{" not in path:
        return ROOT + path if path != "/" else ROOT + "/"
    assert path in ADDRESSES, f"add an address for {path} to ADDRESSES"
    return ROOT + ADDRESSES[path]


def parameter_queries(operation, client, address, *, every_value) -> list[dict]:
    """A query for each documented query parameter: with each value it lists, or
    (to keep the suite quick where the caller changes nothing) its first."""
    names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    queries = []
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "query":
            continue
        name, schema = parameter["name"], parameter["schema"]
        listed = schema.get("enum") or schema.get("items", {}).get("enum")
        if name == "cursor":
            feed = client.get(address, {"modified_since": VALUES["modified_since"]})
            values = [feed.json()["cursor"]]
        elif listed:
            values = listed if every_value else listed[:1]
        else:
            assert name in VALUES, f"add a value for `{name}` to VALUES"
            values = [VALUES[name]]
        extra = {k: v for k, v in COMPANIONS.get(name, {}).items() if k in names}
        queries += [{name: value, **extra} for value in values]
    return queries


def follow(contract, client, response, *, pages=None):
    """The pages after this one, by `next`, each checked: all of them, or as many
    as ``pages``."""
    while response.json()["next"] and pages != 0:
        response = contract.check(client.get(response.json()["next"]), 200)
        pages = None if pages is None else pages - 1
    return response


def stance_body(world):
    return {
        "candidacy": world["rival"].pk,
        "kind": "replied",
        "occurred_on": "2024-06-20",
        "position": "refuses",
        "quote": "Not at this time.",
        "evidence_url": "https://example.org/evidence/2",
    }


# Partner keys manage their own webhook endpoints; nobody else may (403).
KEYS_ONLY = {"anonymous": 401}


def _keys(status):
    return {**KEYS_ONLY, "public_key": status, "network_key": status,
            "stances_key": status}  # fmt: skip


WEBHOOK_WRITES = {
    ("GET", "/webhooks"): _keys(200),
    ("POST", "/webhooks"): _keys(201),
    ("GET", "/webhooks/{id}"): _keys(200),
    ("PATCH", "/webhooks/{id}"): _keys(200),
    ("DELETE", "/webhooks/{id}"): _keys(204),
    ("GET", "/webhooks/{webhook_id}/deliveries"): _keys(200),
    ("POST", "/webhooks/{webhook_id}/replays"): _keys(202),
    ("POST", "/webhooks/{webhook_id}/secrets"): _keys(201),
}

# What each caller may do with the operations that are not open reads.
WRITES = {
    **WEBHOOK_WRITES,
    ("POST", "/stances"): {"anonymous": 401, "stances_key": 201, "coordinator": 201},
    ("GET", "/me"): {"anonymous": 401, "member": 200, "coordinator": 200},
    ("PATCH", "/me"): {"anonymous": 401, "member": 200, "coordinator": 200},
}
FORBIDDEN = 403  # every other caller of those


WEBHOOK_BODIES = {
    ("POST", "/webhooks"): {"url": "http://127.0.0.1:9/new",
                            "event_types": ["person.updated"]},
    ("PATCH", "/webhooks/{id}"): {"description": "Our sync", "enabled": True},
    ("POST", "/webhooks/{webhook_id}/replays"): {"status": "failed"},
}  # fmt: skip


def webhook_write(contract, client, status, method, path):
    body = WEBHOOK_BODIES.get((method, path))
    address = address_of(path, client)
    if method == "DELETE" and status == 204:
        # One made to be deleted, so the caller's own stays for the rest.
        made = client.post(
            f"{ROOT}/webhooks", WEBHOOK_BODIES[("POST", "/webhooks")], format="json"
        )
        address = f"{ROOT}/webhooks/{made.json()['id']}"
    if method == "GET":
        response = contract.check(client.get(address), status)
        if status == 200 and "status" in str(contract.operations[(method, path)]):
            contract.check(client.get(address, {"status": "failed"}), 200)
        return response
    kwargs = {"format": "json"} if body is not None else {}
    response = getattr(client, method.lower())(address, body, **kwargs)
    return contract.check(response, status)


def write(contract, client, caller, method, path, world):
    status = WRITES[(method, path)].get(caller, FORBIDDEN)
    if path.startswith("/webhooks"):
        return webhook_write(contract, client, status, method, path)
    if method == "POST":
        response = client.post(address_of(path), stance_body(world), format="json")
        return contract.check(response, status)
    if method == "GET":
        return contract.check(client.get(address_of(path)), status)
    version = "unknown"
    if status == 200:
        version = client.get(address_of(path)).json()["version"]
    body = {
        "version": version,
        "bio": "Changed through the API.",
        "contacts": [{"kind": "website", "value": "https://example.org/me",
                      "visibility": "public"}],
    }  # fmt: skip
    return contract.check(client.patch(address_of(path), body, format="json"), status)


# ------------------------------------------------------------------ the tests

# Every listed value of every parameter is asked by the caller who sees most.
EVERY_VALUE_FOR = "coordinator"
CALLERS = ("anonymous", "public_key", "network_key", "stances_key", "member",
           "coordinator")  # fmt: skip


@pytest.mark.parametrize("caller", CALLERS)
@override_settings(**RATES)
def test_every_operation_answers_each_caller_as_documented(
    caller, contract, callers, world
):
    client = callers[caller]
    for (method, path), operation in contract.operations.items():
        if (method, path) in WRITES:
            write(contract, client, caller, method, path, world)
            continue
        assert method == "GET", f"add {method} {path} to WRITES"
        address = address_of(path)
        first = contract.check(client.get(address), 200)
        narrow = CSV_FILTERS.get(path, {})
        queries = parameter_queries(
            operation, client, address, every_value=caller == EVERY_VALUE_FOR
        )
        for query in queries:
            if query.get("format") == "csv":
                query = {**narrow, **query}
            contract.check(client.get(address, query), 200)
        if "next" in first.json():
            small = contract.check(client.get(address, {"page_size": 1}), 200)
            follow(contract, client, small, pages=2)
        if "text/csv" in operation["responses"]["200"]["content"]:
            csv = client.get(address, narrow, HTTP_ACCEPT="text/csv")
            assert contract.check(csv, 200)["Content-Type"].startswith("text/csv")
    # The change feed, page by page to its end, with a removed person in it.
    feed = contract.check(
        client.get(f"{ROOT}/people", {"modified_since": "2000-01-01T00:00Z",
                                       "page_size": 1}), 200)  # fmt: skip
    last = follow(contract, client, feed)
    since = client.get(f"{ROOT}/people", {"cursor": last.json()["cursor"]})
    assert contract.check(since, 200).json()["results"] == []
    missing = set(contract.operations) - contract.exercised()
    assert not missing, f"operations no request exercised: {missing}"


def test_the_change_feed_in_the_contract_carries_removals(contract, callers):
    """The world's removed person reaches the feed, so `deleted` entries are
    among the answers checked above."""
    client = callers["network_key"]
    feed = contract.check(
        client.get(f"{ROOT}/people", {"modified_since": "2000-01-01T00:00Z"}), 200
    )
    assert len(feed.json()["deleted"]) == 1
    assert feed.json()["next"] is None and "count" not in feed.json()
    listed = contract.check(client.get(f"{ROOT}/people", {"page_size": 2}), 200)
    assert listed.json()["count"] == Person.objects.count()
    assert listed.json()["next"]


# How to make each documented error happen: (status) -> function of the
# operation's method and path, giving a response.


def producers(callers, world):
    anonymous, coordinator = callers["anonymous"], callers["coordinator"]

    def call(client, method, path, *, address=None, query="", **kwargs):
        address = (address or address_of(path, client)) + query
        if method == "GET":
            return client.get(address, **kwargs)
        kwargs.setdefault("format", "json")
        data = stance_body(world) if method == "POST" else {"bio": "x"}
        if path.startswith("/webhooks"):
            data = WEBHOOK_BODIES.get((method, path), {})
        return getattr(client, method.lower())(address, data, **kwargs)

    def not_modified(method, path):
        client = callers["network_key"]
        etag = call(client, method, path)["ETag"]
        return call(client, method, path, HTTP_IF_NONE_MATCH=etag)

    def not_found(method, path):
        if path.startswith("/webhooks"):
            # Not one of this partner's endpoints, or a page past the last.
            client = callers["network_key"]
            if "{" in path:
                return call(client, method, path, address=address_of(path))
            return call(client, method, path, query="?page=999")
        if path == "/me":
            return call(callers["lonely"], method, path)
        if path in MISSING:
            return call(anonymous, method, path, address=ROOT + MISSING[path])
        return call(anonymous, method, path, query="?page=999")

    def forbidden(method, path):
        caller = "public_key" if path == "/stances" else "network_key"
        if path.startswith("/webhooks"):
            caller = "coordinator"  # a session, not a partner key
        return call(callers[caller], method, path)

    def stale(if_match: bool):
        def make(method, path):
            client = callers["member"]
            old = client.get(address_of(path)).json()["version"]
            member = world["member"]
            member_services.profile_update(
                person=member.person, data={"bio": f"Elsewhere {if_match}."},
                actor=member,
                expected_version=old, source=ChangeSource.MEMBER, channel="web",
            )  # fmt: skip
            if if_match:
                return client.patch(address_of(path), {"bio": "Mine."}, format="json",
                                    HTTP_IF_MATCH=f'"{old}"')  # fmt: skip
            return client.patch(address_of(path), {"bio": "Mine.", "version": old},
                                format="json")  # fmt: skip

        return make

    def unsupported(method, path):
        client = callers["member"] if path == "/me" else coordinator
        if path.startswith("/webhooks"):
            client = callers["network_key"]
        return getattr(client, method.lower())(
            address_of(path, client), "bio=x", content_type="text/plain"
        )

    def too_large(method, path):
        # Keys get the anonymous room, members a little more on the API.
        client, size = (
            (callers["member"], settings.REQUEST_BODY_MAX_SIGNED_IN["/api/"])
            if path == "/me"
            else (callers["stances_key"], settings.REQUEST_BODY_MAX_ANONYMOUS)
        )
        body = json.dumps({"bio": "x" * size})
        return getattr(client, method.lower())(
            address_of(path, client), body, content_type="application/json"
        )

    def throttled(method, path):
        # Checked after permissions, so the caller is one allowed everywhere.
        cache.clear()
        if path.startswith("/webhooks"):
            client = callers["network_key"]
            organisation = PartnerOrganisation.objects.get(name="Network partner")
            PartnerOrganisation.objects.filter(pk=organisation.pk).update(
                rate_limit="1/day"
            )
            try:
                call(client, "GET", "/")
                return call(client, method, path)
            finally:
                PartnerOrganisation.objects.filter(pk=organisation.pk).update(
                    rate_limit="100000/hour"
                )
        with override_settings(API_THROTTLE_USER="1/day"):
            call(coordinator, "GET", "/")
            return call(coordinator, method, path)

    return {
        "304": not_modified,
        "400": lambda m, p: call(anonymous, m, p, query="?api_key=leaked"),
        "401": lambda m, p: call(callers["wrong_key"], m, p),
        "403": forbidden,
        "404": not_found,
        "406": lambda m, p: call(anonymous, m, p, HTTP_ACCEPT="application/xml"),
        "409": stale(if_match=False),
        "412": stale(if_match=True),
        "413": too_large,
        "415": unsupported,
        "429": throttled,
    }


@override_settings(**RATES)
def test_every_documented_error_happens_and_looks_as_documented(
    contract, callers, world
):
    make = producers(callers, world)
    for (method, path), operation in contract.operations.items():
        for status in operation["responses"]:
            if status.startswith("2"):
                continue
            assert status in make, f"add a way to make a {status} to producers()"
            cache.clear()
            contract.check(make[status](method, path), int(status))
    documented = {
        (method, path, int(status))
        for (method, path), operation in contract.operations.items()
        for status in operation["responses"]
        if not status.startswith("2")
    }
    assert documented <= contract.seen


@override_settings(**RATES)
def test_errors_about_the_body_name_each_field(contract, callers, world):
    """400s from writes, in each shape a body error takes: a field's messages,
    one entry per item of a list, and the request as a whole."""
    member, coordinator = callers["member"], callers["coordinator"]
    me, stances = f"{ROOT}/me", f"{ROOT}/stances"
    version = member.get(me).json()["version"]
    bad_item = {"kind": "phone", "value": "", "visibility": "public"}
    good_item = {"kind": "website", "value": "https://example.org",
                 "visibility": "public"}  # fmt: skip
    cases = [
        (member, "patch", me, {"version": version, "contacts": [good_item, bad_item]}),
        (member, "patch", me, {"version": version, "contacts": "not a list"}),
        (member, "patch", me, {"version": version, "name": "Someone Else"}),
        (member, "patch", me, ["not", "an", "object"]),
        (member, "patch", me, {"bio": "No version."}),
        (coordinator, "post", stances, {**stance_body(world), "evidence_url": ""}),
        (coordinator, "post", stances, {**stance_body(world), "candidacy": 0}),
        (coordinator, "post", stances, {"kind": "gossip"}),
    ]
    for client, method, address, body in cases:
        response = getattr(client, method)(address, body, format="json")
        contract.check(response, 400)
        assert response.json(), body
    nested = member.patch(me, {"version": version, "contacts": [good_item, bad_item]},
                          format="json").json()  # fmt: skip
    assert list(nested["contacts"]) == ["1"] and "value" in nested["contacts"]["1"]
    broken = member.generic("PATCH", me, '{"bio": ', content_type="application/json")
    contract.check(broken, 400)


@override_settings(**RATES)
def test_methods_and_addresses_outside_the_document_are_json_errors(contract, callers):
    client = callers["network_key"]
    for path in contract.document["paths"]:
        offered = {m for m, p in contract.operations if p == path}
        for method in (*(m.upper() for m in METHODS), "OPTIONS"):
            if method in offered:
                continue
            response = client.generic(method, address_of(path))
            contract.check(response, 405)
            allowed = {m.strip() for m in response["Allow"].split(",")} - {"HEAD"}
            assert allowed == offered, (method, path)
    for address in (f"{ROOT}/nowhere", f"{ROOT}/people/amira-test/extra"):
        contract.check(client.get(address), 404)


def test_the_check_refuses_what_the_document_does_not_allow(contract, callers):
    """The validation is strict: an undeclared field, a wrong type, a missing
    required field or an undeclared status of a real answer each fail it."""
    response = callers["network_key"].get(f"{ROOT}/people/amira-test")
    request = CheckedRequest(response.wsgi_request)

    def tampered(change, status=200):
        body = response.json()
        change(body)
        fake = CheckedResponse(response)
        fake.data = json.dumps(body).encode()
        fake.status_code = status
        return fake

    cases = {
        "an undeclared field": lambda b: b.update(secret="x"),
        "an undeclared field in a role": lambda b: b["roles"][0].update(secret="x"),
        "a wrong type": lambda b: b["roles"][0].update(area=5),
        "a missing required field": lambda b: b.pop("id"),
        "a null where none is allowed": lambda b: b.update(name=None),
    }
    contract.openapi.validate_response(request, tampered(lambda b: None))
    for what, change in cases.items():
        with pytest.raises(OpenAPIError):
            contract.openapi.validate_response(request, tampered(change))
            pytest.fail(f"{what} passed")
    with pytest.raises(OpenAPIError):
        contract.openapi.validate_response(request, tampered(lambda b: None, 418))


def _route_path(route: str) -> str:
    """A route of api/urls.py as a path of the document."""
    path = route.removeprefix("^").removesuffix("$").removesuffix("/?")
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", path).rstrip("/")
    return "/" + path


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_every_route_of_the_api_is_in_the_document(contract):
    not_operations = {"schema/", "docs/", "^.*$"}  # the document, its page, 404s
    routes = {
        _route_path(route)
        for route in _walk(api_urls.urlpatterns)
        if route not in not_operations
    }
    assert routes == set(contract.document["paths"])


@override_settings(**RATES)
def test_the_index_lists_every_operation_and_the_docs(contract, callers):
    body = contract.check(callers["anonymous"].get(f"{ROOT}/"), 200).json()
    listed = {(op["method"], op["path"]) for op in body["operations"]}
    assert listed == set(contract.operations)
    assert body["docs"] == "http://testserver/api/v1/docs/"
    assert body["schema"] == "http://testserver/api/v1/schema/"
    people = next(op for op in body["operations"] if op["path"] == "/people/{slug}")
    assert people["url"] == "http://testserver/api/v1/people/{slug}"
