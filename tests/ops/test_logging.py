"""Log lines: one JSON object each, with the request id, and no personal data."""

import json
import logging

import pytest

from ops.logging import GunicornAccessFormatter, JsonFormatter, redact

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ops.urls")]


def json_lines(caplog):
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records]


def test_every_response_carries_a_fresh_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_proxy_supplied_request_id_is_kept_and_a_forged_one_replaced(client):
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="lb-4f2a9c01")
    assert kept["X-Request-ID"] == "lb-4f2a9c01"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID='x" level="ERROR')
    assert forged["X-Request-ID"] != 'x" level="ERROR'
    assert len(forged["X-Request-ID"]) == 32


def test_log_lines_written_during_a_request_carry_its_id(client, caplog):
    caplog.set_level(logging.INFO, logger="tests.ops")
    response = client.get("/test-log/")
    (line,) = [entry for entry in json_lines(caplog) if entry["logger"] == "tests.ops"]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["message"] == "contact reached at [email]"
    assert set(line) == {"time", "level", "logger", "message", "request_id"}


def test_a_server_error_is_logged_with_its_request_id_and_shown_to_the_person(
    client, caplog
):
    client.raise_request_exception = False
    response = client.get("/test-fail/", HTTP_COOKIE="sessionid=abc123secret")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert request_id.encode() in response.content

    (line,) = [entry for entry in json_lines(caplog) if entry["level"] == "ERROR"]
    assert line["request_id"] == request_id
    assert line["status_code"] == 500
    assert line["message"] == "Internal Server Error: /test-fail/"
    assert "RuntimeError: lookup failed for [email] on [number]" in line["exception"]
    # The request (cookies, addresses) never reaches the log line.
    text = json.dumps(line)
    for private in ("jane.doe", "447700900123", "abc123secret", "127.0.0.1"):
        assert private not in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail jane@example.org now", "mail [email] now"),
        ("call +447700900123 or 0161 496 0000", "call [number] or [number]"),
        (
            "postgres://ncnv:s3cret@db:5432/ncnv failed",
            "postgres://[credentials]@db:5432/ncnv failed",
        ),
        ("token=abc123 api_key: xyz", "token=[redacted] api_key: [redacted]"),
        (
            "Key (slug)=(jane-doe) already exists.",
            "Key (slug)=([redacted]) already exists.",
        ),
        # Dates, GSS codes and counts stay readable.
        (
            "E14001234 loaded 2026-11-24: 8396 rows",
            "E14001234 loaded 2026-11-24: 8396 rows",
        ),
    ],
)
def test_redaction(text, expected):
    assert redact(text) == expected


def test_gunicorn_access_line_has_no_client_address_agent_or_query():
    atoms = {
        "h": "203.0.113.9",
        "m": "GET",
        "U": "/api/v1/people/",
        "q": "postcode=SW1A1AA",
        "s": "200",
        "B": 512,
        "M": 12,
        "a": "Mozilla/5.0",
        "f": "https://example.org/",
        "{x-request-id}o": "abc123abc123",
    }
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, "", (), None)
    record.args = atoms
    line = json.loads(GunicornAccessFormatter().format(record))
    assert line == {
        "time": line["time"],
        "level": "INFO",
        "logger": "access",
        "method": "GET",
        "path": "/api/v1/people/",
        "status": 200,
        "bytes": 512,
        "duration_ms": 12,
        "request_id": "abc123abc123",
    }
