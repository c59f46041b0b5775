"""The pledge: the page and form, email confirmation (one email with the updates
sign-up), what is kept, and counts kept per constituency, region and nation."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse

from campaign import selectors, services
from campaign.models import Pledge, PledgeCount, PledgeStatus
from network.models import Area
from tests.cms.test_forms_pattern import assert_pattern
from tests.factories import CandidacyFactory, build_site_pages
from updates.models import ConsentAction, Subscriber, SubscriberStatus

pytestmark = pytest.mark.django_db

PLEDGE = "/pledge/"
BLACKBURN_POSTCODE = "bb1 1qr"


def form(**extra):
    data = {
        "name": "Nadia Voter",
        "email": "Nadia.Voter@Example.org",
        "postcode": BLACKBURN_POSTCODE,
        "consent": "on",
        "website": "",
    }
    data.update(extra)
    return data


def make_pledge(client, capture, **extra):
    with capture(execute=True):
        return client.post(PLEDGE, form(**extra))


def confirm_link(message) -> str:
    return re.search(r"https?://\S+/pledge/confirm/\S+/", message.body).group(0)


def follow(client, capture, link):
    path = "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200  # a scanner opening it: no effect
    with capture(execute=True):
        return client.post(path)


def blackburn():
    return Area.objects.select_related("region", "nation").get(
        area_type="constituency", name="Blackburn"
    )


def count_of(area) -> int:
    return selectors.pledge_count(area)


def test_page_shows_the_current_wording_and_follows_the_form_pattern(
    client, wording, uk_areas
):
    response = client.get(PLEDGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert wording.statement in page
    assert wording.consent in page
    soup = assert_pattern(page)
    consent = soup.select_one(".form-consent")
    assert consent.select_one("a[href]").get_text() == "privacy notice"

    response = client.post(PLEDGE, form(consent="", email="bad"))
    assert response.status_code == 400
    soup = assert_pattern(response.content.decode(), errors=True)
    links = {a["href"] for a in soup.select(".error-summary a")}
    assert {"#id_email", "#id_consent"} <= links


def test_without_a_wording_there_is_no_pledge_page(client, db):
    assert client.get(PLEDGE).status_code == 404


def test_pledge_is_counted_only_once_confirmed_by_email(
    client, wording, uk_areas, django_capture_on_commit_callbacks
):
    response = make_pledge(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("pledge:check_email")
    pledge = Pledge.objects.get()
    area = blackburn()
    assert pledge.email == "nadia.voter@example.org"
    assert pledge.constituency == area and pledge.ward is not None
    assert pledge.wording == wording
    assert pledge.status == PledgeStatus.PENDING
    assert count_of(area) == 0
    # The full postcode is not kept anywhere when they do not join the updates.
    assert "BB1 1QR" not in str(Pledge.objects.values().get())
    assert not Subscriber.objects.exists()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nadia.voter@example.org"]
    response = follow(client, django_capture_on_commit_callbacks, confirm_link(message))
    assert response.status_code == 200
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.CONFIRMED and pledge.confirmed_at
    assert count_of(area) == 1
    assert count_of(area.region) == 1
    assert count_of(area.nation) == 1
    assert selectors.pledge_total() == 1

    # Following the link again counts nothing twice.
    follow(client, django_capture_on_commit_callbacks, confirm_link(message))
    assert count_of(area) == 1


def test_joining_updates_takes_one_email_for_both_and_keeps_the_postcode_there(
    client, wording, uk_areas, django_capture_on_commit_callbacks
):
    make_pledge(client, django_capture_on_commit_callbacks, join_updates="on")
    assert len(mail.outbox) == 1
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.postcode == "BB1 1QR"
    assert subscriber.constituency == blackburn()
    follow(client, django_capture_on_commit_callbacks, confirm_link(mail.outbox[0]))
    assert len(mail.outbox) == 1  # no second email for the updates
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    actions = list(subscriber.consent_events.values_list("action", "source"))
    assert {a for a, _s in actions} == {
        ConsentAction.REQUESTED,
        ConsentAction.CONFIRMED,
    }
    assert all(source for _a, source in actions)
    assert count_of(blackburn()) == 1


def test_the_answer_is_the_same_for_new_repeated_and_bot_pledges(
    client, wording, uk_areas, django_capture_on_commit_callbacks
):
    first = make_pledge(client, django_capture_on_commit_callbacks)
    again = make_pledge(client, django_capture_on_commit_callbacks)
    bot = make_pledge(
        client, django_capture_on_commit_callbacks, website="spam", email="b@x.org"
    )
    assert first["Location"] == again["Location"] == bot["Location"]
    assert Pledge.objects.count() == 1
    # A repeat while unconfirmed sends the link again; a bot gets nothing.
    assert len(mail.outbox) == 2


def test_bad_postcodes_are_field_errors(client, wording, uk_areas):
    response = client.post(PLEDGE, form(postcode="ZZ99 9ZZ"))
    assert response.status_code == 400
    assert 'id="id_postcode_error"' in response.content.decode()
    assert not Pledge.objects.exists()


def test_forged_or_unknown_links_do_nothing(client, wording, uk_areas):
    assert client.get("/pledge/confirm/nonsense/").status_code == 404
    assert client.post("/pledge/confirm/nonsense/").status_code == 404


def test_counts_appear_on_the_constituency_page_home_page_and_map(
    client, wording, uk_areas
):
    area = blackburn()
    CandidacyFactory(area=area)
    for n in range(3):
        pledge = services.pledge_make(
            email=f"p{n}@example.org", name="P", constituency=area
        )
        services.pledge_confirm(pledge_id=pledge.pk)
    page = client.get(f"/where-they-stand/{area.slug}/").content.decode()
    text = BeautifulSoup(page, "html.parser").select_one(".pledge-count").get_text()
    assert "3 people here have pledged" in " ".join(text.split())

    hexes = selectors.constituency_map(selectors.overview())
    by_gss = {h["cell"].gss_code: h["pledges"] for h in hexes}
    assert by_gss[area.gss_code] == 3
    assert sum(by_gss.values()) == 3

    build_site_pages()
    home = client.get("/").content.decode()
    counter = BeautifulSoup(home, "html.parser").select_one(".counter--pledge")
    assert counter.select_one(".counter__number").get_text() == "3"


def test_pages_read_the_counters_not_the_pledges(
    client, wording, uk_areas, django_assert_num_queries
):
    """A constituency page costs the same whatever the number of pledges: the
    counter row is read, the pledges never counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    area = blackburn()
    pledge = services.pledge_make(email="a@example.org", name="A", constituency=area)
    services.pledge_confirm(pledge_id=pledge.pk)
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/where-they-stand/{area.slug}/")
    pledge_table = Pledge._meta.db_table
    assert not [q for q in queries if f'"{pledge_table}"' in q["sql"]]
    assert [q for q in queries if f'"{PledgeCount._meta.db_table}"' in q["sql"]]


def test_api_lists_counts_only_as_json_and_csv(client, wording, uk_areas):
    area = blackburn()
    pledge = services.pledge_make(
        email="secret.person@example.org", name="Secret Person", constituency=area
    )
    services.pledge_confirm(pledge_id=pledge.pk)
    response = client.get("/api/v1/pledges/?type=constituency")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows == [
        {
            "gss_code": area.gss_code,
            "name": "Blackburn",
            "type": "constituency",
            "pledges": 1,
            "updated_at": rows[0]["updated_at"],
        }
    ]
    everything = client.get("/api/v1/pledges/").json()["results"]
    assert {r["type"] for r in everything} == {"constituency", "region", "nation"}
    csv = b"".join(client.get("/api/v1/pledges/?format=csv").streaming_content)
    assert b"Blackburn,constituency,1" in csv
    for body in (str(everything), csv.decode()):
        assert "secret" not in body.lower()
    bad = client.get("/api/v1/pledges/?type=person")
    assert bad.status_code == 400 and "type" in bad.json()


def test_api_query_count_is_constant(
    client, wording, uk_areas, django_assert_max_num_queries
):
    for n, name in enumerate(
        ["Blackburn", "Burnley", "Preston", "Pendle and Clitheroe"]
    ):
        area = Area.objects.get(area_type="constituency", name=name)
        pledge = services.pledge_make(
            email=f"q{n}@example.org", name="Q", constituency=area
        )
        services.pledge_confirm(pledge_id=pledge.pk)
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/pledges/").status_code == 200


def test_wording_in_use_cannot_be_changed(wording, uk_areas):
    from django.core.exceptions import ValidationError

    services.pledge_make(email="w@example.org", name="W", constituency=blackburn())
    wording.statement = "Something else."
    with pytest.raises(ValidationError):
        wording.full_clean()


def test_confirming_announces_the_new_totals_without_the_person(
    client, wording, uk_areas, django_capture_on_commit_callbacks
):
    """Partners' webhooks hear of every count change: the areas' new totals by GSS
    code, and nothing about who pledged."""
    from campaign.events import pledge_counts_changed

    heard = []

    def listener(sender, counts, **kwargs):
        heard.append(counts)

    pledge_counts_changed.connect(listener, dispatch_uid="test-pledge-listener")
    try:
        make_pledge(client, django_capture_on_commit_callbacks)
        assert heard == []  # a pledge not yet confirmed changes no count
        follow(
            client,
            django_capture_on_commit_callbacks,
            confirm_link(mail.outbox[0]),
        )
    finally:
        pledge_counts_changed.disconnect(dispatch_uid="test-pledge-listener")
    area = blackburn()
    codes = {area.gss_code, area.region.gss_code, area.nation.gss_code}
    assert heard == [
        {"changed": dict.fromkeys(codes, 1), "totals": dict.fromkeys(codes, 1)}
    ]
    assert "nadia" not in str(heard).lower()
