"""Nothing identifying someone who pledged or asked a candidate reaches a public
page, the partner API (any caller, JSON or CSV), or a log line; and bad input to
the new forms is a form error, never a server error."""

import logging

import pytest
from django.core import mail
from django.core.cache import cache

from campaign import services
from campaign.models import PledgeWording
from network.models import Area, Visibility
from tests.api.conftest import (  # noqa: F401 - fixtures
    CALLERS,
    client_as,
    make_key,
    user_in_group,
)
from tests.factories import CandidacyFactory, ContactFactory, build_site_pages

pytestmark = pytest.mark.django_db

SECRETS = ("Zelda Pledger", "zelda.pledger", "Quentin Asker", "quentin.asker",
           "A message only the candidate reads")  # fmt: skip


@pytest.fixture
def pledged_and_asked(uk_areas, caplog, django_capture_on_commit_callbacks):
    cache.clear()
    caplog.set_level(logging.DEBUG)
    PledgeWording.objects.create(version="v1", statement="I pledge.", consent="OK")
    blackburn = Area.objects.get(area_type="constituency", name="Blackburn")
    pledge = services.pledge_make(
        email="zelda.pledger@example.org", name="Zelda Pledger",
        constituency=blackburn, client=services.Client.from_address("203.0.113.4"),
    )  # fmt: skip
    services.pledge_confirm(pledge_id=pledge.pk)
    candidacy = CandidacyFactory(area=blackburn)
    ContactFactory(person=candidacy.person, visibility=Visibility.PUBLIC)
    made = services.ask_make(
        candidacy=candidacy, email="quentin.asker@example.org", name="Quentin Asker",
        subject="Ceasefire?", message="A message only the candidate reads",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.ask_confirm(ask_id=made.pk)
    build_site_pages()
    return blackburn


def assert_clean(text, where):
    for secret in SECRETS:
        assert secret.lower() not in text.lower(), (secret, where)


def test_public_pages_show_counts_but_no_one(client, pledged_and_asked, caplog):
    area = pledged_and_asked
    for path in (
        "/",
        "/pledge/",
        "/where-they-stand/",
        f"/where-they-stand/{area.slug}/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_clean(response.content.decode(), path)
    page = client.get(f"/where-they-stand/{area.slug}/").content.decode()
    assert "Asked by 1 constituent" in page
    assert "1</strong> person here has pledged" in page
    # Nor do the logs hold who pledged or asked.
    assert_clean(caplog.text, "logs")
    # The candidate got the message; nobody else did.
    to_candidate = [m for m in mail.outbox if "A message only" in m.body]
    assert len(to_candidate) == 1


@pytest.mark.parametrize("caller", CALLERS)
def test_the_api_gives_partners_counts_only(caller, pledged_and_asked, client_as):  # noqa: F811
    api = client_as(caller)
    for path in ("/api/v1/pledges/", "/api/v1/pledges/?format=csv",
                 "/api/v1/stances/", "/api/v1/stances/?format=csv"):  # fmt: skip
        response = api.get(path)
        body = (
            b"".join(response.streaming_content).decode()
            if response.streaming
            else response.content.decode()
        )
        assert_clean(body, (caller, path))


def test_bad_input_to_the_new_forms_is_a_form_error(client, pledged_and_asked):
    candidacy = CandidacyFactory(area=pledged_and_asked)
    for field in ("name", "email", "postcode"):
        data = {"name": "A", "email": "a@example.org", "postcode": "BB1 1QR",
                "consent": "on", "subject": "S", "message": "M"}  # fmt: skip
        data[field] = "x\x00y" if field != "email" else "a\x00@example.org"
        for path in ("/pledge/", f"/ask/{candidacy.pk}/"):
            response = client.post(path, data)
            assert response.status_code == 400, (path, field)
            assert b"Null characters are not allowed" in response.content
    assert client.get("/ask/999999/").status_code == 404
