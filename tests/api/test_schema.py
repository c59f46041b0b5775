"""The OpenAPI document: valid, only the partner API, served with its own docs
page, and honoured by every response (Schemathesis, in-process)."""

from unittest.mock import ANY

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

pytestmark = pytest.mark.django_db

# The site gzips answers for clients that accept it; the in-process WSGI client
# does not unpack them, so these calls ask for plain bodies, as curl does.
PLAIN = {"Accept-Encoding": "identity"}


def test_schema_is_valid_openapi_without_warnings(tmp_path):
    # --validate checks against the OpenAPI 3 JSON schema; --fail-on-warn turns
    # any unresolved type or missing description into a failure.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "  /people:" in text and "/admin/" not in text


def test_schema_and_docs_are_served_from_the_site(client):
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    body = schema.json()
    assert body["openapi"] == "3.1.0"
    # Paths are relative to the one server, the API's root.
    assert body["servers"] == [{"url": "/api/v1", "description": ANY}]
    assert "/people" in body["paths"] and "/" in body["paths"]
    assert not any(path.startswith("/api") for path in body["paths"])
    assert "PartnerKey" in body["components"]["securitySchemes"]
    people = body["paths"]["/people"]["get"]
    area = next(p for p in people["parameters"] if p["name"] == "area")
    assert "GSS code" in area["description"]
    assert "Keeping a copy in sync" in people["description"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "/static/drf_spectacular_sidecar/" in html
    assert "https://" not in html.split("<body")[0]


@override_settings(
    API_THROTTLE_ANON="7/minute",
    API_THROTTLE_USER="77/minute",
    API_CONTACT_EMAIL="keys@example.org",
)
def test_the_docs_page_is_a_guide_that_stands_on_its_own(client):
    """What a partner needs is on the page itself, with this site's own values:
    how to get a key and from whom, the rates, who sees what, paging, a sync
    recipe and examples; never a pointer to a file in the repository."""
    body = client.get("/api/v1/schema/?format=json").json()
    guide = body["info"]["description"]
    assert body["info"]["contact"]["email"] == "keys@example.org"
    for needed in (
        "## Getting a key",
        "ask the network's coordinators for a key at **keys@example.org**",
        "Authorization: Api-Key <your key>",
        "## Who sees what",
        "| key with **network** scope | everyone in the network |",
        "| no key | 7/minute per address |",
        "| partner key | the organisation's rate, 1000/hour",
        "| signed in to the site | 77/minute per account |",
        "## Paging",
        "`count`, the number of rows that match your filters across all pages",
        "Follow `next` until it is null",
        "## Keeping a copy in sync",
        "/people?cursor=<the cursor you kept>",
        'curl -H "Authorization: Api-Key $KEY"',
        "import requests",
        "http://testserver/api/v1/people",
    ):
        assert needed in guide, needed
    assert "docs/" not in guide.replace("/api/v1/docs/", "")
    assert ".md" not in guide and "repository" not in guide
    # Without a contact address set, the page still says whom to ask.
    with override_settings(API_CONTACT_EMAIL=""):
        body = client.get("/api/v1/schema/?format=json").json()
    assert "contact address at the foot of every page" in body["info"]["description"]
    assert "contact" not in body["info"]


# Building the document needs no database, so it is read once, at collection. The
# coverage phase (every boundary value of every parameter) runs for the key, whose
# answers carry the most; anonymous calls get the random fuzzing only, to keep the
# suite quick.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
fuzz_only = schemathesis.openapi.from_wsgi(
    "/api/v1/schema/?format=json",
    application,
    config=schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}}),
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


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


HYPOTHESIS = settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


@fuzz_only.parametrize()
@HYPOTHESIS
@override_settings(API_THROTTLE_ANON="100000/minute")
def test_every_operation_conforms_anonymously(case, directory, in_test_transaction):
    case.call_and_validate(headers=PLAIN, checks=CHECKS)


@pytest.fixture
def network_key(make_key):
    """One key for all of an operation's cases, as a partner uses one: the API
    has no operation that revokes or rotates the caller's own key."""
    return make_key("network", rate="100000/hour")


@schema.parametrize()
@HYPOTHESIS
def test_every_operation_conforms_with_a_network_key(
    case, directory, network_key, in_test_transaction
):
    case.call_and_validate(
        headers={**PLAIN, "Authorization": f"Api-Key {network_key}"}, checks=CHECKS
    )
