"""Property-based fuzzing: no input makes the site answer 500.

Schemathesis reads the API's own OpenAPI document and sends every operation
valid and invalid parameters and bodies, as each kind of caller (anonymous, a key
of each scope, a key that may record stances, a signed-in member). Hypothesis
sends what Schemathesis keeps clear of: arbitrary bytes (NUL, invalid UTF-8, very
long strings, search syntax) to every public form, to search and in place of
every API identifier, and JSON bodies holding NUL, lone surrogates or nesting
100,000 deep to every API write. Both are derandomized, so a run in CI tries the
same inputs as a run on a laptop, and kept to a few examples each so the file
takes well under a minute. They run on whichever database the suite uses:
PostgreSQL in CI, SQLite by default.
"""

import json
import re
from contextlib import contextmanager
from urllib.parse import quote_from_bytes

import pytest
import schemathesis
from django.contrib.auth.models import Group as AuthGroup
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from api.models import PartnerOrganisation
from config.wsgi import application
from network.models import Area
from network.visibility import COORDINATOR_GROUP
from tests.api.conftest import BWD, directory, fresh_throttles, make_key

pytestmark = pytest.mark.django_db

# Fixtures of other tests, imported so that pytest finds them here.
SHARED_FIXTURES = (directory, fresh_throttles, make_key)


def examples(count):
    return settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture
def in_test_transaction():
    """Calls through the WSGI application end with Django closing the database
    connection, which would end the test's transaction; Django's own test client
    prevents that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@contextmanager
def undone():
    """Each example starts from the same data, and a failed statement in one (on
    PostgreSQL) cannot spoil the test's transaction for the next."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# ------------------------------------------------------------------ inputs

FTS_WORDS = ['"', "*", "NEAR(", " OR ", " AND ", "NOT ", "^", ":", "(", ")", "-", "{"]
search_syntax = st.lists(
    st.sampled_from(["\x00", "peace", " ", "é", *FTS_WORDS]), min_size=1, max_size=6
).map("".join)

# Text as a browser or a script could send it: any character, NUL and search
# syntax often, now and then very long.
texts = st.one_of(
    search_syntax,
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=3).map(
        lambda s: s * 5000
    ),
)
# Raw bytes for a field: the text above encoded, or bytes that are not UTF-8 at
# all, among them a lone surrogate's encoding (ED A0 80), which Django reads as
# replacement characters.
raw_values = st.one_of(
    texts.map(lambda text: text.encode("utf-8")),
    st.binary(max_size=20),
    st.sampled_from([b"\xed\xa0\x80", b"\xff\xfe", b"%", b"\x00"]),
)

# Strings a JSON body can carry and a form cannot: NUL, and lone surrogates
# ("\ud800" is valid JSON but no character at all).
json_text = st.text(
    st.one_of(
        st.characters(),
        st.characters(categories=["Cs"]),
        st.sampled_from(["\x00", '"', "\\"]),
    ),
    max_size=12,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | json_text,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(json_text, inner, max_size=3)
    ),
    max_leaves=8,
)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def encoded(fields: dict[str, bytes]) -> str:
    return "&".join(
        f"{quote_from_bytes(name.encode())}={quote_from_bytes(value)}"
        for name, value in fields.items()
    )


def no_server_error(response, what):
    assert response.status_code < 500, (what, response.content[:300])


# ------------------------------------------------------------------ the API

# The document is built without the database, once, at collection. Coverage
# (every boundary value of every parameter) is tests/api/test_schema.py's job;
# here random data is sent, invalid as well as valid. The caller comes from the
# test, not from generated Authorization headers.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/schema/?format=json",
    application,
    config=schemathesis.Config.from_dict(
        {"generation": {"with-security-parameters": False}}
    ),
)
OPERATIONS = [result.ok() for result in schema.get_all_operations()]
WRITES = [op for op in OPERATIONS if op.method.upper() != "GET"]
FOR_MEMBERS = [
    op for op in OPERATIONS if op.method.upper() != "GET" or op.path == "/api/v1/me/"
]


@pytest.fixture
def caller(directory, make_key, make_member, settings):
    """What makes a request come from each kind of caller: headers, cookies."""
    settings.API_THROTTLE_ANON = "100000/minute"
    settings.API_THROTTLE_USER = "100000/minute"

    def key(scope, *, stances=False):
        raw = make_key(scope, rate="100000/hour")
        if stances:
            PartnerOrganisation.objects.filter(keys__prefix=raw.split(".")[0]).update(
                may_record_stances=True
            )
        return {"headers": {"Authorization": f"Api-Key {raw}"}}

    def member():
        user = make_member(name="Fuzz Member")
        # A coordinator too, so that recording stances is tried by a session.
        user.groups.add(AuthGroup.objects.get(name=COORDINATOR_GROUP))
        browser = Client()
        browser.force_login(user)
        csrf = get_random_string(32)
        session = browser.cookies["sessionid"].value
        return {
            "cookies": {"sessionid": session, "csrftoken": csrf},
            "headers": {"X-CSRFToken": csrf},
        }

    def make(kind):
        return {
            "anonymous": dict,
            "public_key": lambda: key("public"),
            "network_key": lambda: key("network"),
            "stances_key": lambda: key("network", stances=True),
            "member": member,
        }[kind]()

    return make


def fuzz(operations, caller, *, count=8):
    """Each operation, valid and invalid input alike, one hypothesis run each; the
    caller's data is made once for all of them."""
    assert operations
    for operation in operations:
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @examples(count)
        @given(case=cases)
        def no_500(case):
            cache.clear()  # throttle counts
            with undone():
                case.call_and_validate(checks=[not_a_server_error], **caller)

        no_500()


@pytest.mark.parametrize("kind", ["anonymous", "public_key", "network_key"])
def test_no_api_operation_answers_500_to_any_reader(kind, caller, in_test_transaction):
    assert len(OPERATIONS) >= 15  # every endpoint is in the document
    fuzz(OPERATIONS, caller(kind))


def test_no_api_write_answers_500_to_a_key_that_may_write(caller, in_test_transaction):
    fuzz(WRITES, caller("stances_key"), count=20)


def test_no_api_write_or_profile_call_answers_500_to_a_member(
    caller, in_test_transaction
):
    fuzz(FOR_MEMBERS, caller("member"), count=20)


def request_fields(operation) -> list[str]:
    """The names of the operation's JSON body fields, from the document."""
    if "requestBody" not in operation.definition.raw:
        return []  # an action that takes no body (a replay, a rotation)
    content = operation.definition.raw["requestBody"]["content"]
    ref = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    return list(schema.raw_schema["components"]["schemas"][ref]["properties"])


def json_bodies(operation):
    """Bodies shaped like the operation's (its field names, any values), any JSON
    at all, JSON nested far too deep, and text that is not JSON."""
    names = request_fields(operation)
    shaped = st.dictionaries(
        st.sampled_from(names) | json_text, json_values, max_size=len(names)
    )
    return st.one_of(
        shaped.map(json.dumps),
        json_values.map(json.dumps),
        st.sampled_from([40, 5_000, 100_000]).map(nested),
        st.text(max_size=30),
    )


def post_bodies(client, operation, headers):
    @examples(25)
    @given(body=json_bodies(operation))
    def no_500(body):
        cache.clear()
        with undone():
            response = client.generic(
                operation.method.upper(),
                operation.path,
                body,
                content_type="application/json",
                **headers,
            )
        no_server_error(response, (operation.label, body[:200]))

    no_500()


def test_no_api_write_answers_500_to_any_json_body(client, caller):
    """Schemathesis sends only what UTF-8 can carry; these bodies add what JSON
    can say and a database cannot store, as a member and as a key that may write."""
    client.cookies["sessionid"] = caller("member")["cookies"]["sessionid"]
    key = caller("stances_key")["headers"]["Authorization"]
    for operation in WRITES:
        for headers in ({}, {"HTTP_AUTHORIZATION": key}):
            post_bodies(client, operation, headers)


def get_addresses(client, operation):
    names = re.findall(r"{(\w+)}", operation.path)

    @examples(15)
    @given(values=st.tuples(*[raw_values] * len(names)))
    def no_500(values):
        path = operation.path
        for name, value in zip(names, values, strict=True):
            path = path.replace(f"{{{name}}}", quote_from_bytes(value, safe=""))
        with undone():
            no_server_error(client.get(path), path)

    no_500()


def test_no_api_address_answers_500_whatever_its_identifiers(client, caller):
    """Schemathesis keeps to identifiers a URL template allows; these are any
    bytes at all (NUL, invalid UTF-8, very long) in each identifier's place."""
    client.cookies["sessionid"] = caller("member")["cookies"]["sessionid"]
    with_identifiers = [op for op in OPERATIONS if "{" in op.path]
    assert len(with_identifiers) >= 6
    for operation in with_identifiers:
        get_addresses(client, operation)


# ------------------------------------------------------------------ forms and search

FORM_EXAMPLES = examples(25)
# The join form lists every council and constituency, and the lookup page draws
# the whole hex map: a tenth of a second or more each, so fewer tries.
SLOW_PAGE_EXAMPLES = examples(12)


@contextmanager
def fresh_example():
    cache.clear()  # the forms' per-address limits
    with undone():
        yield


def form_data(names):
    """Some of the form's fields (and a stray one), each with a raw value."""
    fields = st.sampled_from([*names, "unexpected"])
    return st.dictionaries(fields, raw_values, max_size=len(names) + 1)


def post_form(client, path, fields):
    return client.generic(
        "POST",
        path,
        encoded(fields),
        content_type="application/x-www-form-urlencoded",
    )


@pytest.fixture
def area_pk(uk_areas):
    return str(Area.objects.get(gss_code=BWD).pk).encode()


def test_search_never_answers_500(client, site_pages):
    @FORM_EXAMPLES
    @given(query=search_syntax.map(str.encode) | raw_values, page=raw_values)
    def search(query, page):
        with fresh_example():
            path = f"/search/?{encoded({'q': query, 'page': page})}"
            no_server_error(client.get(path), path)

    search()


def test_event_registration_never_answers_500(client, site_pages, area_pk):
    event = site_pages.event
    names = ["name", "email", "organisation", "area", "access_needs"]

    @SLOW_PAGE_EXAMPLES
    @given(fields=form_data([*names, "consent_to_contact"]))
    def register(fields):
        with fresh_example():
            data = {"name": b"Ada", "email": b"ada@example.org", "area": area_pk}
            data.update(fields)
            no_server_error(post_form(client, event.registration_url(), data), data)

    register()


def test_updates_signup_never_answers_500(client):
    names = ["email", "name", "postcode", "consent", "wording_version"]

    @FORM_EXAMPLES
    @given(fields=form_data([*names, "source_page", "website"]))
    def sign_up(fields):
        with fresh_example():
            data = {"email": b"reader@example.org", "consent": b"on"}
            data.update(fields)
            no_server_error(post_form(client, "/updates/signup/", data), data)

    sign_up()


def test_where_they_stand_lookups_never_answer_500(client, uk_areas):
    @SLOW_PAGE_EXAMPLES
    @given(fields=form_data(["postcode", "q"]))
    def look_up(fields):
        with fresh_example():
            path = f"/where-they-stand/?{encoded(fields)}"
            no_server_error(client.get(path), path)

    look_up()


def test_network_join_never_answers_500(client, area_pk):
    names = ["name", "email", "role", "area", "statement"]

    @SLOW_PAGE_EXAMPLES
    @given(fields=form_data(names))
    def join(fields):
        with fresh_example():
            data = {
                "name": b"Ada",
                "email": b"ada@example.org",
                "role": b"councillor",
                "area": area_pk,
                "statement": b"Why I want to join.",
            }
            data.update(fields)
            no_server_error(post_form(client, "/network/join/", data), data)

    join()
