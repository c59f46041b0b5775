"""CSV export (streamed, same rows and values as JSON) and conditional GET."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from api.csvrows import PEOPLE_CSV_COLUMNS
from api.renderers import safe_cell

from .conftest import BWD

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("caller", ["anonymous", "network_key", "coordinator"])
def test_csv_has_the_rows_and_contacts_the_caller_may_see(directory, client_as, caller):
    client = client_as(caller)
    json_rows = client.get("/api/v1/people/?page_size=500").json()["results"]
    rows = read_csv(client.get("/api/v1/people/?format=csv"))
    assert [r["slug"] for r in rows] == [r["slug"] for r in json_rows]
    for row, person in zip(rows, json_rows, strict=True):
        emails = {c["value"] for c in person["contacts"] if c["kind"] == "email"}
        assert set(row["email"].split("; ")) == emails
    emails = " ".join(r["email"] for r in rows)
    assert ("coordinators@" in emails) == (caller == "coordinator")
    assert ("network@" in emails) == (caller != "anonymous")


def test_csv_by_accept_header_and_filters(directory, client_as):
    client = client_as("network_key")
    response = client.get(f"/api/v1/people/?area={BWD}", HTTP_ACCEPT="text/csv")
    assert [r["slug"] for r in read_csv(response)] == ["amira-test"]
    areas = read_csv(client.get(f"/api/v1/areas/?parent={BWD}&format=csv"))
    assert len(areas) > 5 and {a["parent"] for a in areas} == {BWD}


def test_csv_export_is_not_paginated(directory, client_as):
    rows = read_csv(client_as("anonymous").get("/api/v1/areas/?format=csv"))
    assert len(rows) > 9000


def test_csv_errors_are_json(directory, client_as):
    response = client_as("anonymous").get("/api/v1/people/?format=csv&area=X")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "area" in response.json()


def test_csv_cells_never_run_as_formulas(directory, client_as):
    directory["amira"].bio = "irrelevant"
    directory["amira"].pronouns = '=HYPERLINK("http://example.org")'
    directory["amira"].name = '@Amira, "Test"'
    directory["amira"].save()
    rows = read_csv(client_as("anonymous").get("/api/v1/people/?format=csv"))
    amira = next(r for r in rows if r["slug"] == "amira-test")
    assert amira["pronouns"].startswith("'=")
    assert amira["name"] == '\'@Amira, "Test"'
    assert amira["url"] == "http://testserver/api/v1/people/amira-test/"


@pytest.mark.parametrize("caller", ["anonymous", "network_key", "coordinator"])
def test_csv_rows_are_the_json_answers_cells(directory, client_as, caller):
    """The stored lines say exactly what the JSON answer says, cell by cell."""
    client = client_as(caller)
    json_rows = client.get("/api/v1/people/?page_size=500").json()["results"]
    rows = read_csv(client.get("/api/v1/people/?format=csv"))
    expected = [
        {name: safe_cell(cell(dict(person))) for name, cell in PEOPLE_CSV_COLUMNS}
        for person in json_rows
    ]
    assert rows == expected
    assert len(rows) >= 2


@pytest.mark.parametrize(
    "path", ["/api/v1/people/", "/api/v1/people/amira-test/", "/api/v1/areas/"]
)
def test_etag_and_304(directory, client_as, path):
    client = client_as("network_key")
    first = client.get(path)
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert "Authorization" in first.headers["Vary"]
    again = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag
    assert client.get(path, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_etag_changes_with_the_data_and_with_the_caller(directory, client_as):
    network = client_as("network_key")
    etag = network.get("/api/v1/people/amira-test/").headers["ETag"]
    public_etag = (
        client_as("anonymous").get("/api/v1/people/amira-test/").headers["ETag"]
    )
    assert public_etag != etag
    directory["amira"].bio = "Now with a bio."
    directory["amira"].save()
    response = network.get("/api/v1/people/amira-test/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["bio"] == "Now with a bio."


def test_a_document_stored_without_its_csv_line_is_exported_in_full(
    directory, client_as
):
    """Code older than the stored line (during a deploy) saves documents without
    one: the export writes their line from the document instead of a broken row."""
    from api.models import PersonDocument

    client = client_as("network_key")
    before = read_csv(client.get("/api/v1/people/?format=csv"))
    PersonDocument.objects.filter(person=directory["amira"]).update(csv_line="")
    assert read_csv(client.get("/api/v1/people/?format=csv")) == before
