"""A partner's client, generated from the OpenAPI document by
openapi-python-client with no hand edits, pages through people, reads one and
keeps a copy in sync, against a live server.

The client is generated once per session, from the document drf-spectacular
builds; the test checks that the site serves that same document."""

import importlib
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from django.db import connection
from drf_spectacular.generators import SchemaGenerator

from network.models import Area, AreaType, Person
from network.visibility import Audience, visible_people
from tests.database import put_uk_areas_back
from tests.factories import PersonFactory

from .conftest import BWD_WARD

PACKAGE = "ncnv_partner_client"
# Generated code is left as generated: no formatter runs over it.
GENERATOR_CONFIG = f"package_name_override: {PACKAGE}\npost_hooks: []\n"


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """The generated package, importable, and the document it came from."""
    folder = tmp_path_factory.mktemp("generated")
    document = SchemaGenerator().get_schema(request=None, public=True)
    (folder / "openapi.json").write_text(json.dumps(document))
    (folder / "config.yaml").write_text(GENERATOR_CONFIG)
    result = subprocess.run(  # noqa: S603 (our own generator, fixed arguments)
        [
            Path(sys.executable).parent / "openapi-python-client",
            *("generate", "--meta", "none"),
            *("--path", folder / "openapi.json"),
            *("--output-path", folder / PACKAGE),
            *("--config", folder / "config.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # The generator skips what it cannot express, with a warning: none allowed.
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE), document
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]


@pytest.fixture
def areas_back():
    """The live server needs committed data, so this test's database is emptied
    afterwards; put the UK areas back for the tests that follow (this teardown
    runs after that flush). A test that committed before this one may have
    emptied them already, so they are loaded first when missing too."""

    def load_when_missing():
        if not Area.objects.filter(area_type=AreaType.WARD).exists():
            put_uk_areas_back(connection)

    load_when_missing()
    yield
    load_when_missing()


def visible(audience):
    return {
        str(p.public_id): p.name for p in visible_people(Person.objects.all(), audience)
    }


def test_a_generated_client_pages_reads_and_syncs(
    areas_back, live_server, generated, directory, make_key
):
    package, document = generated
    api = importlib.import_module(f"{PACKAGE}.api.people")
    people_list = importlib.import_module(f"{api.__name__}.people_list")
    people_retrieve = importlib.import_module(f"{api.__name__}.people_retrieve")
    models = importlib.import_module(f"{PACKAGE}.models")

    served = httpx.get(f"{live_server.url}/api/v1/schema/?format=json").json()
    assert served["paths"] == document["paths"]
    assert served["components"] == document["components"]

    for n in range(3):
        PersonFactory(name=f"Paged Person {n}", public_profile=True)
    client = package.AuthenticatedClient(
        base_url=f"{live_server.url}/api/v1",
        token=make_key("network", rate="100000/hour"),
        prefix="Api-Key",
    )

    # Page through everyone, two at a time, following `next`.
    seen, number = [], 1
    while True:
        page = people_list.sync(client=client, page=number, page_size=2)
        assert isinstance(page, models.PaginatedPersonList), page
        seen += page.results
        if page.next_ is None:
            break
        number += 1
    everyone = visible(Audience.NETWORK)
    assert {str(p.id) for p in seen} == set(everyone)
    assert page.count == len(everyone) and number == (len(everyone) + 1) // 2

    # One person, with typed nested objects where they exist and None where not.
    amira = people_retrieve.sync(slug="amira-test", client=client)
    assert isinstance(amira, models.Person) and isinstance(amira.id, UUID)
    seat = amira.roles[0]
    assert seat.area.gss_code == BWD_WARD and seat.election is None
    assert seat.stance is None and seat.affiliation.slug == "independent"
    assert amira.party_history[0].reason_for_leaving == "Private reason"

    # A copy kept in sync by the change feed: a full pass, then the changes.
    copy = {}

    def drain(page):
        while True:
            for person in page.results:
                copy[str(person.id)] = person.name
            for gone in page.deleted:
                copy.pop(str(gone.id), None)
            if page.next_ is None:
                return page.cursor
            page = people_list.sync(client=client, cursor=page.cursor, page_size=2)

    since = datetime(2000, 1, 1, tzinfo=UTC)
    cursor = drain(people_list.sync(client=client, modified_since=since, page_size=2))
    assert copy == visible(Audience.NETWORK)

    directory["bilal"].name = "Bilal Renamed"
    directory["bilal"].save()
    directory["dev"].delete()
    PersonFactory(name="Newly Added", public_profile=True)
    cursor = drain(people_list.sync(client=client, cursor=cursor, page_size=2))
    assert copy == visible(Audience.NETWORK)
    assert "Bilal Renamed" in copy.values() and "Dev Test" not in copy.values()

    # Nothing new since: an empty page that still hands back a cursor.
    last = people_list.sync(client=client, cursor=cursor)
    assert last.results == [] and last.deleted == [] and last.cursor
