"""Two saves of the same profile at the same moment, on PostgreSQL: one wins, the
other is told, and nothing of the loser's is half-written."""

import threading
import time

import pytest
from django.db import connection, connections

from network.members import services
from network.models import Person, ProfileChange


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_one_wins_one_is_told(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (set DATABASE_URL); SQLite serialises")
    person = Person.objects.create(name="Hana Concurrent", slug="hana-concurrent")
    version = services.person_version(person)

    real_record = services.record_profile_change

    def slow_record(**kwargs):
        # Hold the row lock a moment so the other save is sure to queue on it.
        time.sleep(0.3)
        return real_record(**kwargs)

    monkeypatch.setattr(services, "record_profile_change", slow_record)
    start = threading.Barrier(2)
    outcomes = {}

    def save(bio):
        try:
            start.wait()
            services.profile_update(
                person=Person.objects.get(pk=person.pk),
                data={"bio": bio, "pronouns": bio[:10]},
                actor=None,
                expected_version=version,
            )
            outcomes[bio] = "saved"
        except services.StaleEdit:
            outcomes[bio] = "stale"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(bio,)) for bio in ("first bio", "second")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)

    assert sorted(outcomes.values()) == ["saved", "stale"]
    winner = next(bio for bio, outcome in outcomes.items() if outcome == "saved")
    person.refresh_from_db()
    assert person.bio == winner
    assert person.pronouns == winner[:10]  # all of the winner, none of the loser
    assert ProfileChange.objects.filter(person=person).count() == 1
