"""Stance history: the lifecycle of events, evidence rules, and derived state."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from campaign.models import Position, StanceKind
from campaign.selectors import (
    StanceState,
    candidacies_with_stance,
    derive_stance,
    filter_by_state,
)
from campaign.services import stance_record
from network.models import RoleKind
from tests.factories import CandidacyFactory, RoleFactory

pytestmark = pytest.mark.django_db

QUOTE = "I call for an immediate and permanent ceasefire."
EVIDENCE = "https://example.org/hustings-2024"


def annotated(candidacy):
    return candidacies_with_stance().get(pk=candidacy.pk)


def both_derivations(candidacy):
    """The SQL annotation and the Python derivation must always agree."""
    row = annotated(candidacy)
    stance = derive_stance(candidacy.stance_events.all())
    assert row.asked_count == stance.asked_count
    assert row.last_asked_on == stance.last_asked_on
    assert row.current_position == stance.position
    return stance


def test_a_candidacy_goes_from_not_asked_to_asked_to_chased_to_a_position(uk_areas):
    candidacy = CandidacyFactory()
    assert both_derivations(candidacy).state == StanceState.NOT_ASKED

    stance_record(candidacy=candidacy, kind=StanceKind.ASKED, method="email",
                  occurred_on=date(2024, 6, 1), asked_by="Blackburn group",
                  actor=None)  # fmt: skip
    stance_record(candidacy=candidacy, kind=StanceKind.CHASED, method="phone",
                  occurred_on=date(2024, 6, 8), actor=None)  # fmt: skip
    stance = both_derivations(candidacy)
    assert stance.state == StanceState.NO_REPLY
    assert stance.asked_count == 2
    assert stance.last_asked_on == date(2024, 6, 8)

    stance_record(candidacy=candidacy, kind=StanceKind.REPLIED,
                  occurred_on=date(2024, 6, 10), position=Position.UNCLEAR,
                  quote="I want peace.", evidence_url=EVIDENCE, actor=None)  # fmt: skip
    assert both_derivations(candidacy).state == StanceState.UNCLEAR

    stance_record(candidacy=candidacy, kind=StanceKind.CHANGED,
                  occurred_on=date(2024, 6, 20), position=Position.CEASEFIRE,
                  quote=QUOTE, evidence_url=EVIDENCE, actor=None)  # fmt: skip
    stance = both_derivations(candidacy)
    assert stance.state == StanceState.CEASEFIRE
    assert stance.position_event.quote == QUOTE
    assert stance.asked_count == 2  # replies are not asks


def test_a_correction_with_a_position_becomes_the_current_position(uk_areas):
    candidacy = CandidacyFactory()
    stance_record(candidacy=candidacy, kind=StanceKind.REPLIED,
                  occurred_on=date(2024, 6, 10), position=Position.REFUSES,
                  quote="Not for me to say.", evidence_url=EVIDENCE,
                  actor=None)  # fmt: skip
    stance_record(candidacy=candidacy, kind=StanceKind.CORRECTION,
                  occurred_on=date(2024, 6, 12), position=Position.CEASEFIRE,
                  quote="You misquoted me: I back one.", actor=None)  # fmt: skip
    stance = both_derivations(candidacy)
    assert stance.state == StanceState.CEASEFIRE
    assert [e.kind for e in stance.corrections] == [StanceKind.CORRECTION]


def test_an_event_recorded_late_but_dated_earlier_does_not_override(uk_areas):
    candidacy = CandidacyFactory()
    stance_record(candidacy=candidacy, kind=StanceKind.REPLIED,
                  occurred_on=date(2024, 6, 20), position=Position.CEASEFIRE,
                  quote=QUOTE, evidence_url=EVIDENCE, actor=None)  # fmt: skip
    stance_record(candidacy=candidacy, kind=StanceKind.REPLIED,
                  occurred_on=date(2024, 6, 1), position=Position.REFUSES,
                  quote="No.", evidence_url=EVIDENCE, actor=None)  # fmt: skip
    assert both_derivations(candidacy).state == StanceState.CEASEFIRE


@pytest.mark.parametrize("missing", ["position", "quote", "evidence_url"])
@pytest.mark.parametrize("kind", [StanceKind.REPLIED, StanceKind.CHANGED])
def test_a_reply_needs_a_position_a_quote_and_evidence(uk_areas, missing, kind):
    candidacy = CandidacyFactory()
    if kind == StanceKind.CHANGED:
        stance_record(candidacy=candidacy, kind=StanceKind.REPLIED,
                      occurred_on=date(2024, 6, 1), position=Position.UNCLEAR,
                      quote="Maybe.", evidence_url=EVIDENCE, actor=None)  # fmt: skip
    fields = {"position": Position.CEASEFIRE, "quote": QUOTE, "evidence_url": EVIDENCE}
    fields[missing] = ""
    with pytest.raises(ValidationError) as error:
        stance_record(candidacy=candidacy, kind=kind, occurred_on=date(2024, 6, 5),
                      actor=None, **fields)  # fmt: skip
    assert missing in error.value.message_dict
    assert candidacy.stance_events.filter(kind=kind).count() == 0


def test_asking_needs_a_method_and_records_no_answer(uk_areas):
    candidacy = CandidacyFactory()
    with pytest.raises(ValidationError) as error:
        stance_record(candidacy=candidacy, kind=StanceKind.ASKED,
                      occurred_on=date(2024, 6, 1), actor=None,
                      position=Position.CEASEFIRE)  # fmt: skip
    assert {"method", "position"} <= set(error.value.message_dict)


def test_order_rules_chase_after_ask_change_after_a_position(uk_areas):
    candidacy = CandidacyFactory()
    with pytest.raises(ValidationError, match="first time they were asked"):
        stance_record(candidacy=candidacy, kind=StanceKind.CHASED, method="email",
                      occurred_on=date(2024, 6, 1), actor=None)  # fmt: skip
    with pytest.raises(ValidationError, match="Nothing to change"):
        stance_record(candidacy=candidacy, kind=StanceKind.CHANGED,
                      occurred_on=date(2024, 6, 1), position=Position.CEASEFIRE,
                      quote=QUOTE, evidence_url=EVIDENCE, actor=None)  # fmt: skip


def test_no_future_dates_and_only_on_candidacies_and_seats(uk_areas):
    with pytest.raises(ValidationError) as error:
        stance_record(candidacy=CandidacyFactory(), kind=StanceKind.ASKED,
                      method="email", occurred_on=date(2999, 1, 1),
                      actor=None)  # fmt: skip
    assert "occurred_on" in error.value.message_dict
    organiser = RoleFactory(kind=RoleKind.ORGANISER)
    with pytest.raises(ValidationError) as error:
        stance_record(candidacy=organiser, kind=StanceKind.ASKED, method="email",
                      occurred_on=date(2024, 6, 1), actor=None)  # fmt: skip
    assert "candidacy" in error.value.message_dict
    # A sitting councillor is asked between elections, like a candidate.
    councillor = RoleFactory(kind=RoleKind.COUNCILLOR)
    stance_record(candidacy=councillor, kind=StanceKind.ASKED, method="email",
                  occurred_on=date(2024, 6, 1), actor=None)  # fmt: skip
    assert councillor.stance_events.count() == 1


def test_filter_by_state_splits_candidacies(uk_areas):
    silent, asked, backer = CandidacyFactory.create_batch(3)
    stance_record(candidacy=asked, kind=StanceKind.ASKED, method="letter",
                  occurred_on=date(2024, 6, 1), actor=None)  # fmt: skip
    stance_record(candidacy=backer, kind=StanceKind.REPLIED,
                  occurred_on=date(2024, 6, 2), position=Position.CEASEFIRE,
                  quote=QUOTE, evidence_url=EVIDENCE, actor=None)  # fmt: skip
    rows = candidacies_with_stance()
    assert set(filter_by_state(rows, "not_asked")) == {silent}
    assert set(filter_by_state(rows, "no_reply")) == {asked}
    assert set(filter_by_state(rows, "ceasefire")) == {backer}
    assert not filter_by_state(rows, "refuses").exists()


def test_annotation_is_one_query_for_many_candidacies(
    uk_areas, django_assert_num_queries
):
    for candidacy in CandidacyFactory.create_batch(5):
        stance_record(candidacy=candidacy, kind=StanceKind.ASKED, method="email",
                      occurred_on=date(2024, 6, 1), actor=None)  # fmt: skip
    with django_assert_num_queries(1):
        rows = list(candidacies_with_stance())
    assert [r.asked_count for r in rows] == [1] * 5


def test_recording_an_event_drops_cached_public_pages(
    uk_areas, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from ops.pagecache import GENERATION_KEY

    cache.set(GENERATION_KEY, "before")
    with django_capture_on_commit_callbacks(execute=True):
        stance_record(candidacy=CandidacyFactory(), kind=StanceKind.ASKED,
                      method="email", occurred_on=date(2024, 6, 1),
                      actor=None)  # fmt: skip
    assert cache.get(GENERATION_KEY) != "before"
