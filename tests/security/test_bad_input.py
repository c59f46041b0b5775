"""Bad input gets a clear 400 (or 404), never a 500: NUL characters that PostgreSQL
cannot store, full-text search syntax SQLite's FTS5 would read as commands, JSON
nested deeper than the parser can follow or holding characters no encoder can
write. The same tests run on PostgreSQL and SQLite."""

import json

import pytest
from django.core import mail

from network.models import Area, Person
from tests.api.conftest import BLACKBURN, BWD, directory, fresh_throttles, make_key
from tests.conftest import sign_in_as_staff

pytestmark = pytest.mark.django_db

# Fixtures of other tests, imported so that pytest finds them here.
SHARED_FIXTURES = (directory, fresh_throttles, make_key)

NUL = "%00"


def no_server_error(response):
    assert response.status_code < 500, response.content[:500]
    return response


def json_error(response, status=400) -> dict:
    no_server_error(response)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


# ------------------------------------------------------------------ search


def test_a_nul_in_the_search_query_is_a_400_saying_so(client, site_pages):
    response = no_server_error(client.get(f"/search/?q=peace{NUL}"))
    assert response.status_code == 400
    assert b"null character" in response.content


FTS_SYNTAX = [
    '"',
    'lasting"peace',
    '"unterminated',
    "peace*",
    "*",
    "NEAR(peace",
    "peace OR",
    "AND",
    "NOT peace",
    "-peace",
    "^peace",
    "title:peace",
    "{title body}: peace",
    "(peace",
    "peace)",
    "'",
    "\\",
    "%",
    "%s %s",
    "+",
    "!",
    "&|",
    "peace:*",
]


def test_search_syntax_in_a_query_is_read_as_plain_words(client, site_pages):
    for query in FTS_SYNTAX:
        response = no_server_error(client.get("/search/", {"q": query}))
        assert response.status_code == 200, query
    # Quotes and punctuation around words still find the page holding them.
    for query in ('"lasting peace"', "peace!", "(lasting) peace", 'peace"', "peace*"):
        html = no_server_error(client.get("/search/", {"q": query})).content
        assert b"Our first statement" in html, query


# ------------------------------------------------------------------ partner API


def detail_addresses(directory):
    """Every API address with an identifier in it, and the identifier's name."""
    from network.models import Election, Party

    return {
        "slug": [
            f"/api/v1/people/{directory['amira'].slug}/",
            f"/api/v1/parties/{Party.objects.first().slug}/",
            f"/api/v1/groups/{directory['group'].slug}/",
        ],
        "gss_code": [f"/api/v1/areas/{BWD}/"],
        "area_gss": [f"/api/v1/areas/{BWD}/people/"],
        "election_id": [f"/api/v1/elections/{Election.objects.first().election_id}/"],
    }


def test_a_nul_in_any_api_identifier_is_a_json_400_naming_it(client, directory):
    for name, addresses in detail_addresses(directory).items():
        for address in addresses:
            assert client.get(address).status_code == 200, address
            head, _, tail = address.rstrip("/").rpartition("/")
            if name == "area_gss":  # /areas/<code>/people/
                head, _, code = head.rpartition("/")
                bad = f"{head}/{code}{NUL}x/{tail}/"
            else:
                bad = f"{head}/{tail}{NUL}x/"
            body = json_error(client.get(bad))
            assert list(body) == [name], (bad, body)
            assert "null character" in body[name][0]


def test_a_nul_anywhere_else_in_an_api_address_is_a_json_400(client, directory):
    body = json_error(client.get(f"/api/v1/no{NUL}where/"))
    assert "null character" in body["detail"]


def api_query_parameters(client):
    """(address, parameter) for every query parameter of every list in the OpenAPI
    document, so a parameter added later is covered too."""
    schema = client.get("/api/v1/schema/?format=json").json()
    root = schema["servers"][0]["url"]  # paths are relative to the API's root
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method != "get":
                continue
            address = root + path.replace("{area_gss}", BWD)
            if "{" in address:
                continue  # detail addresses: the identifier test covers them
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    found.append((address, parameter["name"]))
    return found


def test_a_nul_in_any_api_query_parameter_is_a_json_400_naming_it(client, directory):
    parameters = api_query_parameters(client)
    assert ("/api/v1/people", "area") in parameters
    assert ("/api/v1/stances", "constituency") in parameters
    assert ("/api/v1/people", "page") in parameters
    for address, name in parameters:
        for value in (f"{NUL}", f"E06000008{NUL}", f"{NUL}2"):
            body = json_error(client.get(f"{address}?{name}={value}"))
            assert list(body) == [name], (address, name, value, body)
            assert "null character" in body[name][0]


def test_a_nul_in_a_parameter_name_is_a_json_400(client, directory):
    body = json_error(client.get(f"/api/v1/people/?q{NUL}=x"))
    assert list(body) == ["q\x00"]


@pytest.mark.parametrize(
    "header", ["HTTP_AUTHORIZATION", "HTTP_COOKIE", "HTTP_IF_NONE_MATCH"]
)
def test_a_nul_in_a_request_header_is_a_400(client, directory, make_key, header):
    values = {
        "HTTP_AUTHORIZATION": f"Api-Key {make_key('network')[:4]}\x00x",
        "HTTP_COOKIE": "sessionid=abcdefgh\x00ijklmnop",
        "HTTP_IF_NONE_MATCH": '"abc\x00"',
    }
    body = json_error(client.get("/api/v1/people/", **{header: values[header]}))
    assert "null character" in body["detail"]
    page = no_server_error(client.get("/network/", **{header: values[header]}))
    assert page.status_code == 400


# ------------------------------------------------------------------ JSON bodies


@pytest.fixture
def member_client(client, make_member):
    client.force_login(make_member(name="Member Bad Input"))
    return client


def me_patch(client, body: str, **headers):
    version = client.get("/api/v1/me/").json()["version"]
    return client.patch(
        "/api/v1/me/",
        body.replace("VERSION", version),
        content_type="application/json",
        **headers,
    )


def test_json_nested_100000_deep_is_a_400(member_client):
    deep = "[" * 100_000 + "]" * 100_000
    body = json_error(me_patch(member_client, deep))
    assert "nested" in body["detail"]
    just_too_deep = '{"bio": ' + "[" * 40 + "]" * 40 + ', "version": "VERSION"}'
    body = json_error(me_patch(member_client, just_too_deep))
    assert "nested" in body["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"bio": "a\\u0000b", "version": "VERSION"}', "bio"),
        ('{"bio": "a\\ud800b", "version": "VERSION"}', "bio"),
        ('{"\\ud800": 1, "version": "VERSION"}', "\\ud800"),
        ('{"bio\\u0000": 1, "version": "VERSION"}', "bio\\u0000"),
        (
            '{"contacts": [{"kind": "\\udfff", "value": "x", "visibility": "public"}],'
            ' "version": "VERSION"}',
            "contacts.0.kind",
        ),
    ],
)
def test_json_strings_that_cannot_be_stored_are_a_400_naming_the_field(
    member_client, body, field
):
    before = Person.objects.get(name="Member Bad Input").bio
    answer = json_error(me_patch(member_client, body))
    assert list(answer) == [field], answer
    assert Person.objects.get(name="Member Bad Input").bio == before


def test_stance_records_with_unstorable_strings_are_a_400(
    client, directory, django_user_model
):
    from django.contrib.auth.models import Group as AuthGroup

    from network.visibility import COORDINATOR_GROUP

    coordinator = django_user_model.objects.create_user(username="coordinator")
    coordinator.groups.add(AuthGroup.objects.get_or_create(name=COORDINATOR_GROUP)[0])
    sign_in_as_staff(client, coordinator)
    body = json.dumps({"candidacy": 1, "occurred_on": "2026-01-01"})
    body = body[:-1] + ', "kind": "\\ud83d"}'
    answer = json_error(
        client.post("/api/v1/stances/", body, content_type="application/json")
    )
    assert list(answer) == ["kind"]


# ------------------------------------------------------------------ public forms


def test_event_registration_with_a_nul_shows_the_form_again(client, site_pages):
    event = site_pages.event
    area = Area.objects.get(gss_code=BWD)
    for field, value in (
        ("name", "Ada\x00"),
        ("email", "ada\x00@example.org"),
        ("organisation", "\x00"),
        ("area", f"{area.pk}\x00"),
        ("access_needs", "\x00"),
    ):
        data = {"name": "Ada Example", "email": "ada@example.org", field: value}
        response = no_server_error(client.post(event.registration_url(), data))
        assert response.status_code == 200, field
        assert b"Ada Example" in response.content or field == "name"
    assert mail.outbox == []


def test_updates_signup_with_a_nul_is_a_400_with_the_form(client):
    for field in ("email", "name", "postcode", "wording_version", "source_page"):
        data = {
            "email": "someone@example.org",
            "consent": "on",
            field: "x\x00y" if field != "email" else "a\x00@example.org",
        }
        response = no_server_error(client.post("/updates/signup/", data))
        assert response.status_code == 400, field
        if field in ("email", "name", "postcode"):  # the others are hidden
            assert b"Null characters are not allowed" in response.content, field


def test_where_they_stand_lookups_with_a_nul(client, uk_areas):
    for query in ("postcode=BB1%007DT", "q=Black%00burn"):
        response = no_server_error(client.get(f"/where-they-stand/?{query}"))
        assert response.status_code == 400
        assert b"null character" in response.content


def test_join_request_with_a_nul_shows_the_form_again(client, uk_areas):
    area = Area.objects.get(gss_code=BLACKBURN)
    for field, value in (
        ("name", "Ada\x00"),
        ("email", "ada\x00@example.org"),
        ("area", f"{area.pk}\x00"),
        ("statement", "\x00"),
        ("role", "\x00"),
    ):
        data = {
            "name": "Ada Example",
            "email": "ada@example.org",
            "role": "councillor",
            "statement": "I am a councillor.",
            field: value,
        }
        response = no_server_error(client.post("/network/join/", data))
        assert response.status_code == 200, field
