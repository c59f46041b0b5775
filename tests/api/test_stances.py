"""/api/v1/stances/ and the stance of each candidacy in /roles/ and /people/:
positions with their evidence, filters, recording events, and who sees what."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from api.models import PartnerOrganisation
from api.services import partner_key_create
from campaign.models import StanceEvent
from campaign.services import stance_record
from network.models import Area, Person
from network.services import note_add
from tests.factories import CandidacyFactory, ContactFactory, PartyFactory

from .conftest import BLACKBURN, NORTH_WEST

pytestmark = pytest.mark.django_db

URL = "/api/v1/stances/"
EVIDENCE = "https://example.org/evidence/1"


@pytest.fixture
def stances(directory):
    """Bilal (network, public profile) calls for a ceasefire; an imported Labour
    candidate without a public profile was asked twice and has not replied."""
    bilal = directory["bilal"].roles.get(kind="candidate")
    stance_record(candidacy=bilal, kind="asked", method="email",
                  occurred_on=date(2024, 6, 1), asked_by="SECRET-ASKER",
                  actor=None)  # fmt: skip
    stance_record(candidacy=bilal, kind="replied", occurred_on=date(2024, 6, 5),
                  position="ceasefire", quote="Ceasefire now.",
                  evidence_url=EVIDENCE, actor=None)  # fmt: skip
    labour = PartyFactory(name="Labour Party", slug="labour")
    rival = CandidacyFactory(person__name="Lou Rival", party=labour,
                             area=Area.objects.get(gss_code=BLACKBURN))  # fmt: skip
    ContactFactory(person=rival.person, value="lou.private@example.net",
                   visibility="coordinators")  # fmt: skip
    for kind, day in (("asked", 1), ("chased", 9)):
        stance_record(candidacy=rival, kind=kind, method="letter",
                      occurred_on=date(2024, 6, day), actor=None)  # fmt: skip
    note_add(author=None, person=rival.person, text="SECRET-NOTE about Lou")
    return {"bilal": bilal, "rival": rival}


def by_name(response):
    return {row["candidate"]["name"]: row for row in response.json()["results"]}


def test_positions_with_their_evidence_for_anyone(client_as, stances):
    response = client_as("anonymous").get(URL)
    assert response.status_code == 200
    rows = by_name(response)
    bilal, lou = rows["Bilal Test"], rows["Lou Rival"]
    assert bilal["position"] == "ceasefire"
    assert bilal["evidence"] == {"kind": "replied", "occurred_on": "2024-06-05",
                                 "quote": "Ceasefire now.",
                                 "evidence_url": EVIDENCE}  # fmt: skip
    assert bilal["constituency"]["gss_code"] == BLACKBURN
    assert bilal["region"]["gss_code"] == NORTH_WEST
    assert bilal["page_url"] == "http://testserver/where-they-stand/blackburn/"
    assert bilal["candidate"]["url"].endswith("/api/v1/people/bilal-test/")
    assert lou["position"] == "no_reply"
    assert (lou["asked_count"], lou["last_asked_on"]) == (2, "2024-06-09")
    assert lou["evidence"] is None
    assert lou["party"]["slug"] == "labour"
    # Candidacies are public record, but Lou has no public profile to link to.
    assert lou["candidate"]["url"] is None
    assert [e["kind"] for e in lou["events"]] == ["asked", "chased"]


@pytest.mark.parametrize(
    "caller, sees_asker",
    [("anonymous", False), ("public_key", False), ("network_key", True),
     ("member", True), ("coordinator", True)],
)  # fmt: skip
def test_who_asked_reaches_network_callers_only_and_notes_nobody(
    client_as, stances, caller, sees_asker
):
    client = client_as(caller)
    for url in (URL, "/api/v1/roles/", "/api/v1/people/bilal-test/"):
        body = client.get(url).content.decode()
        assert "SECRET-NOTE" not in body, (caller, url)
        assert "lou.private@example.net" not in body or caller == "coordinator"
        assert "recorded_by" not in body
    body = client.get(URL).content.decode()
    assert ("SECRET-ASKER" in body) == sees_asker


@pytest.mark.parametrize(
    "query, names",
    [
        ({"position": "ceasefire"}, {"Bilal Test"}),
        ({"position": "no_reply"}, {"Lou Rival"}),
        ({"position": "not_asked"}, set()),
        ({"party": "labour"}, {"Lou Rival"}),
        ({"constituency": BLACKBURN}, {"Bilal Test", "Lou Rival"}),
        ({"region": NORTH_WEST}, {"Bilal Test", "Lou Rival"}),
        ({"region": "S92000003"}, set()),
        ({"election": "parl.2024-07-04", "position": "ceasefire"}, {"Bilal Test"}),
    ],
)
def test_filters(client_as, stances, query, names):
    response = client_as("public_key").get(URL, query)
    assert response.status_code == 200
    assert set(by_name(response)) == names


@pytest.mark.parametrize(
    "query, parameter",
    [({"position": "maybe"}, "position"), ({"constituency": "E14999999"},
      "constituency"), ({"party": "nobody"}, "party"),
     ({"election": "parl.1900-01-01"}, "election")],
)  # fmt: skip
def test_bad_filter_values_answer_400_naming_the_parameter(
    client_as, stances, query, parameter
):
    response = client_as("anonymous").get(URL, query)
    assert response.status_code == 400
    assert parameter in response.json()


def test_candidacy_fields_carry_the_stance(client_as, stances):
    client = client_as("anonymous")
    roles = client.get("/api/v1/roles/", {"kind": "candidate"}).json()["results"]
    bilal = next(r for r in roles if r["person"]["slug"] == "bilal-test")
    assert bilal["stance"]["position"] == "ceasefire"
    assert bilal["stance"]["evidence"]["evidence_url"] == EVIDENCE
    person = client.get("/api/v1/people/bilal-test/").json()
    candidacy = next(r for r in person["roles"] if r["kind"] == "candidate")
    assert candidacy["stance"]["asked_count"] == 1
    councillor = client.get("/api/v1/people/amira-test/").json()["roles"][0]
    assert councillor["stance"] is None


def test_list_queries_do_not_grow_with_the_page(
    client_as, stances, django_assert_max_num_queries
):
    for _ in range(12):
        candidacy = CandidacyFactory()
        stance_record(candidacy=candidacy, kind="asked", method="email",
                      occurred_on=date(2024, 6, 1), actor=None)  # fmt: skip
    client = client_as("public_key")
    client.get(URL, {"page_size": 2})  # warm the key's caches
    with django_assert_max_num_queries(20) as small:
        assert len(client.get(URL, {"page_size": 2}).json()["results"]) == 2
    with django_assert_max_num_queries(len(small.captured_queries)):
        large = client.get(URL, {"page_size": 200}).json()["results"]
    assert len(large) > 12


# ------------------------------------------------------------------ recording


def reply_body(role, **changes):
    body = {"candidacy": role.pk, "kind": "replied",
            "occurred_on": "2024-06-20", "position": "refuses",
            "quote": "Not at this time.", "evidence_url": EVIDENCE}  # fmt: skip
    body.update(changes)
    return body


def test_a_coordinator_records_a_reply(client_as, stances):
    rival = stances["rival"]
    response = client_as("coordinator").post(URL, reply_body(rival), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["event"]["kind"] == "replied"
    assert data["stance"]["position"] == "refuses"
    assert data["stance"]["asked_count"] == 2
    event = StanceEvent.objects.get(pk=data["event"]["id"])
    assert event.recorded_by.username == "coordinator"


def test_a_reply_without_evidence_is_refused_naming_the_field(client_as, stances):
    client = client_as("coordinator")
    rival = stances["rival"]
    response = client.post(URL, reply_body(rival, evidence_url=""), format="json")
    assert response.status_code == 400
    assert "evidence_url" in response.json()
    response = client.post(URL, reply_body(rival, candidacy=999999), format="json")
    assert response.status_code == 400 and "candidacy" in response.json()
    response = client.post(URL, reply_body(rival, kind="gossip"), format="json")
    assert response.status_code == 400 and "kind" in response.json()
    assert not StanceEvent.objects.filter(kind="replied", candidacy=rival).exists()


def write_key(may_record: bool) -> str:
    organisation = PartnerOrganisation.objects.create(
        name=f"Askers {may_record}", contact_email="askers@example.org",
        scope="public", may_record_stances=may_record,
    )  # fmt: skip
    return partner_key_create(organisation=organisation, name="k")[1]


def test_keys_with_the_write_scope_record_and_others_are_refused(client_as, stances):
    rival = stances["rival"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {write_key(False)}")
    assert client.post(URL, reply_body(rival), format="json").status_code == 403
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {write_key(True)}")
    response = client.post(URL, reply_body(rival), format="json")
    assert response.status_code == 201
    assert (
        StanceEvent.objects.get(pk=response.json()["event"]["id"]).recorded_by is None
    )
    # The write scope opens this endpoint only.
    assert client.post("/api/v1/people/", {}, format="json").status_code == 405
    assert client_as("member").post(URL, reply_body(rival)).status_code == 403


def test_imported_candidates_without_profiles_stay_out_of_people(client_as, stances):
    slugs = {p["slug"] for p in client_as("anonymous").get("/api/v1/people/").json()[
        "results"]}  # fmt: skip
    lou = Person.objects.get(name="Lou Rival")
    assert lou.slug not in slugs
