"""Pages of the people list kept in the cache (api/answers.py): served again
without the database, never after a change, never to another audience.

They are kept only in a cache all processes share, so these tests run against
the machine's Redis (tests/ops/machine.py), as production does."""

import gzip

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from api import answers
from network.models import ContactDetail, Visibility
from ops import cache as tolerant
from tests.ops.machine import machine_redis_url

LIST = "/api/v1/people/"
SHARED_CACHE = {
    "default": {
        "BACKEND": "ops.cache.TolerantRedisCache",
        "LOCATION": machine_redis_url(),
        "KEY_PREFIX": "ncnv-test-answers",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@pytest.fixture(autouse=True)
def shared_cache():
    with override_settings(CACHES=SHARED_CACHE):
        cache.clear()  # this test worker's own Redis database
        tolerant._resting_until.clear()
        yield
        cache.clear()
        tolerant._resting_until.clear()


@pytest.fixture
def network(client_as):
    return client_as("network_key")


@pytest.fixture
def public(client_as):
    return client_as("public_key")


def read(client, address=LIST, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address, **extra)
    assert response.status_code == 200, response.content
    documents = [q["sql"] for q in captured if "api_persondocument" in q["sql"]]
    return response, documents


def names(response) -> list[str]:
    return [person["name"] for person in response.json()["results"]]


def test_a_page_read_again_comes_from_the_cache_unchanged(directory, network):
    first, asked = read(network)
    assert asked, "the first reading comes from the stored documents"
    again, asked_again = read(network)
    assert asked_again == []
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]


def test_a_kept_page_still_answers_a_conditional_get(directory, network):
    first, _ = read(network)
    response = network.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 304


def test_a_renamed_person_shows_at_once(directory, network):
    before, _ = read(network)
    assert names(before)[:2] == ["Amira Test", "Bilal Test"]
    amira = directory["amira"]
    amira.name = "Amira Renamed"
    amira.save()
    after, asked = read(network)
    assert asked
    assert names(after)[:2] == ["Amira Renamed", "Bilal Test"]


def test_a_deleted_person_goes_at_once(directory, network):
    read(network)
    directory["amira"].delete()
    after, _ = read(network)
    assert "Amira Test" not in names(after)
    assert after.json()["count"] == 3  # Bilal, Cara (network sees her), Dev


def test_a_withdrawn_profile_leaves_the_public_list_at_once(directory, public):
    before, _ = read(public)
    assert "Amira Test" in names(before)
    amira = directory["amira"]
    amira.public_profile = False
    amira.save()
    after, _ = read(public)
    assert "Amira Test" not in names(after)


def test_a_contact_made_private_leaves_the_public_page_at_once(directory, public):
    amira = directory["amira"]
    public_contact = ContactDetail.objects.get(
        person=amira, visibility=Visibility.PUBLIC
    )
    before, _ = read(public)
    assert public_contact.value in before.content.decode()
    public_contact.visibility = Visibility.NETWORK
    public_contact.save()
    after, _ = read(public)
    assert public_contact.value not in after.content.decode()


def test_a_page_kept_for_the_network_never_reaches_a_public_caller(
    directory, network, public
):
    network_page, _ = read(network, "/api/v1/people/")
    network_text = network_page.content.decode()
    assert "Cara Private" in network_text
    assert f"{directory['amira'].slug}.network@example.org" in network_text
    public_page, asked = read(public, "/api/v1/people/")
    assert asked, "read for the public, not taken from the network's answer"
    public_text = public_page.content.decode()
    assert "Cara Private" not in public_text
    assert "@example.org" in public_text
    assert ".network@example.org" not in public_text
    assert ".coordinators@example.org" not in public_text


def test_links_follow_the_address_the_caller_used(directory, network):
    here, _ = read(network, HTTP_HOST="localhost")
    there, asked = read(network, HTTP_HOST="127.0.0.1")
    assert asked
    assert here.json()["results"][0]["url"].startswith("http://localhost/api/v1/")
    assert there.json()["results"][0]["url"].startswith("http://127.0.0.1/api/v1/")


def test_filtered_lists_are_read_every_time(directory, network):
    group = directory["group"].slug
    address = f"/api/v1/people/?group={group}"
    read(network, address)
    _, asked = read(network, address)
    assert asked


def test_with_the_cache_off_every_page_is_read(directory, network, settings):
    settings.API_LIST_CACHE_SECONDS = 0
    read(network)
    _, asked = read(network)
    assert asked


def test_an_answer_read_while_a_change_committed_is_not_served_after_it(
    db, django_capture_on_commit_callbacks
):
    """A reader takes the generation, then reads the database; if a change
    commits in between, what it read may be from before the change, and the
    answer it keeps must not be served."""
    key = answers.answer_key(0, "https://example.org/api/v1/", "/api/v1/people/?")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        answers.documents_changed()  # the change, not yet committed
        # Another process reads after the change began and before it commits.
        generation, kept = answers.lookup(key)
        assert kept is None
        answers.keep(key, generation, '{"count": 0}', None)
        assert answers.lookup(key)[1] is not None
    assert callbacks, "the generation moves again when the change commits"
    _, kept = answers.lookup(key)
    assert kept is None
    # What is read and kept now is served.
    generation, _ = answers.lookup(key)
    answers.keep(key, generation, '{"count": 1}', None)
    assert answers.lookup(key)[1].text == '{"count": 1}'


def test_a_page_kept_for_coordinators_never_reaches_the_network(
    directory, network, client_as
):
    coordinator = client_as("coordinator")
    kept, _ = read(coordinator)
    assert ".coordinators@example.org" in kept.content.decode()
    answer, asked = read(network)
    assert asked
    assert ".coordinators@example.org" not in answer.content.decode()


@pytest.mark.parametrize(
    "spelling",
    [
        "?page_size=50",  # the default size, asked for
        "?page=1",  # page 1's own address has no page
        "?page=02",
        "?page=2&page=2",
        "?page=2&ordering=name",  # the API's links sort the parameters
        "?page=2&page_size=50",
        "?format=json",
    ],
)
def test_only_the_apis_own_spelling_of_an_address_is_kept(directory, network, spelling):
    """Otherwise one caller could fill the cache with copies of one page."""
    from tests.api.test_documents import _bulk_people

    _bulk_people(60)
    read(network, LIST + spelling)
    _, asked = read(network, LIST + spelling)
    assert asked


def test_the_apis_own_next_links_are_kept(directory, network):
    from tests.api.test_documents import _bulk_people

    _bulk_people(120)
    url = read(network, "/api/v1/people/?ordering=-modified")[0].json()["next"]
    assert "page=2" in url
    read(network, url)
    _, asked = read(network, url)
    assert asked == []


def test_nothing_is_kept_in_one_process_memory(directory, network):
    """With each process's own memory, a change in one process could not drop
    the pages another keeps."""
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        read(network)
        _, asked = read(network)
    assert asked


def test_a_change_drops_kept_pages_even_while_the_process_rests_redis(
    directory, network, settings
):
    """After a Redis fault a process leaves Redis alone for a few seconds; the
    drop of kept pages is still sent."""
    read(network)
    servers = tuple(cache._servers)
    tolerant._resting_until[servers] = float("inf")
    amira = directory["amira"]
    amira.name = "Amira While Resting"
    amira.save()
    tolerant._resting_until.clear()
    after, _ = read(network)
    assert "Amira While Resting" in names(after)


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_shows_at_once(uk_areas, directory, network):
    read(network)
    amira = directory["amira"]
    amira.name = "Amira Committed"
    amira.save()  # its own transaction, committed
    after, _ = read(network)
    assert "Amira Committed" in names(after)


def test_a_kept_page_goes_out_gzipped_as_the_site_would_compress_it(
    directory, network, settings
):
    settings.API_LIST_CACHE_SECONDS = 0
    plain, _ = read(network)
    # The site's own compression of the same page, when nothing is kept.
    compressed, _ = read(network, HTTP_ACCEPT_ENCODING="gzip")
    settings.API_LIST_CACHE_SECONDS = 60
    fresh, _ = read(network, HTTP_ACCEPT_ENCODING="gzip")
    kept, asked = read(network, HTTP_ACCEPT_ENCODING="gzip")
    assert asked == []
    for response in (compressed, fresh, kept):
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert int(response["Content-Length"]) == len(response.content)
        assert gzip.decompress(response.content) == plain.content
        # The weak form of the plain answer's ETag, as GZipMiddleware gives it.
        assert response["ETag"] == f"W/{plain['ETag']}"
    again = network.get(
        LIST,
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=kept["ETag"],
    )
    assert again.status_code == 304


def test_kept_pages_validate_against_the_published_document(directory, client_as):
    """What a caller is served from the cache is held to the API's contract as
    strictly as what is read from the database (tests/api/test_contract.py)."""
    from tests.api.test_contract import DOCUMENT, Contract
    from tests.api.test_documents import _bulk_people

    _bulk_people(60)
    for name in ("anonymous", "public_key", "network_key", "coordinator"):
        client = client_as(name)
        contract = Contract(client.get(DOCUMENT).json())
        # The document's own spelling of the address: no final slash.
        first, _ = read(client, "/api/v1/people")
        contract.check(first, 200)
        kept, asked = read(client, "/api/v1/people")
        assert asked == []
        contract.check(kept, 200)
        url = first.json()["next"]
        read(client, url)
        second, asked = read(client, url)
        assert asked == []
        contract.check(second, 200)


def test_the_list_with_and_without_its_final_slash_keeps_its_own_links(
    directory, network
):
    from tests.api.test_documents import _bulk_people

    _bulk_people(60)
    slash, _ = read(network, "/api/v1/people/")
    bare, _ = read(network, "/api/v1/people")
    assert slash.json()["next"].endswith("/api/v1/people/?page=2")
    assert bare.json()["next"].endswith("/api/v1/people?page=2")
