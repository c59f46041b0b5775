"""Pages of the people list kept in the cache (api/answers.py): served again
without the database, never after a change, never to another audience."""

import gzip

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import answers
from network.models import ContactDetail, Visibility

LIST = "/api/v1/people/?page_size=2"


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
    assert names(before) == ["Amira Test", "Bilal Test"]
    amira = directory["amira"]
    amira.name = "Amira Renamed"
    amira.save()
    after, asked = read(network)
    assert asked
    assert names(after) == ["Amira Renamed", "Bilal Test"]


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
    assert here.json()["next"].startswith("http://localhost/api/v1/")
    assert there.json()["next"].startswith("http://127.0.0.1/api/v1/")


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


def test_an_answer_read_while_a_change_committed_is_not_served_after_it(db):
    """A reader takes the generation, then reads the database; if a change
    commits in between, what it read may be from before the change, and the
    answer it keeps must not be served."""
    key = answers.answer_key(0, "https://example.org/api/v1/", "/api/v1/people/")
    generation, kept = answers.lookup(key)
    assert kept is None
    answers.documents_changed()  # another process's change commits here
    answers.keep(key, generation, '{"count": 0}', None)
    _, kept = answers.lookup(key)
    assert kept is None
    # What is read and kept now is served.
    generation, _ = answers.lookup(key)
    answers.keep(key, generation, '{"count": 1}', None)
    assert answers.lookup(key)[1].text == '{"count": 1}'


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_shows_at_once(uk_areas, directory, network):
    read(network)
    amira = directory["amira"]
    amira.name = "Amira Committed"
    amira.save()  # its own transaction, committed
    after, _ = read(network)
    assert "Amira Committed" in names(after)


def test_a_kept_page_goes_out_gzipped_as_the_site_would_compress_it(directory, network):
    plain, _ = read(network, "/api/v1/people/")
    fresh, _ = read(network, "/api/v1/people/?page=1", HTTP_ACCEPT_ENCODING="gzip")
    kept, asked = read(network, "/api/v1/people/?page=1", HTTP_ACCEPT_ENCODING="gzip")
    assert asked == []
    for response in (fresh, kept):
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert int(response["Content-Length"]) == len(response.content)
        assert gzip.decompress(response.content) == plain.content
        # The weak form of the plain answer's ETag, as GZipMiddleware gives it.
        assert response["ETag"] == f"W/{plain['ETag']}"
    again = network.get(
        "/api/v1/people/?page=1",
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=kept["ETag"],
    )
    assert again.status_code == 304
