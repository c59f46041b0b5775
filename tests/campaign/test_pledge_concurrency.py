"""Counts stay exact when confirmations and invalidations race, on PostgreSQL:
every counter (constituency, region, nation) equals a full recount afterwards,
and no pledge is counted twice or lost."""

import threading

import pytest
from django.db import connection, connections
from django.db.models import Count

from campaign import selectors, services
from campaign.models import Pledge, PledgeStatus, PledgeWording
from network.models import Area


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_and_invalidations_keep_counts_exact(uk_areas):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (set DATABASE_URL); SQLite serialises")
    PledgeWording.objects.create(version="race", statement="I pledge.", consent="OK")
    seats = list(
        Area.objects.filter(
            area_type="constituency", name__in=["Blackburn", "Burnley", "Preston"]
        )
    )
    ids = []
    for n in range(90):
        domain = "flood.test" if n % 3 == 0 else "example.org"
        address = f"198.51.100.{n}" if n % 5 == 0 else f"203.0.113.{n}"
        pledge = services.pledge_make(
            email=f"race{n}@{domain}", name="R", constituency=seats[n % 3],
            client=services.Client.from_address(address),
        )  # fmt: skip
        ids.append(pledge.pk)
    Pledge.objects.update(held=False, hold_reason="")  # one address: not a flood

    start = threading.Barrier(6)
    outcomes, errors = [], []

    def confirm(share):
        try:
            start.wait()
            for pk in share:
                outcomes.append((pk, services.pledge_confirm(pledge_id=pk)))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connections.close_all()

    def invalidate(**criteria):
        try:
            start.wait()
            services.pledges_invalidate(reason="race", actor=None, **criteria)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connections.close_all()

    # Each link followed twice, by different threads, in different orders.
    threads = [
        threading.Thread(target=confirm, args=(ids,)),
        threading.Thread(target=confirm, args=(ids[::-1],)),
        threading.Thread(target=confirm, args=(ids[1::2] + ids[::2],)),
        threading.Thread(target=confirm, args=(ids[::2] + ids[1::2],)),
        threading.Thread(target=invalidate, kwargs={"email_domain": "flood.test"}),
        threading.Thread(target=invalidate, kwargs={"network": "198.51.100.0/24"}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors

    confirmed = [pk for pk, outcome in outcomes if outcome.value == "confirmed"]
    assert len(confirmed) == len(set(confirmed))  # never confirmed twice
    assert not Pledge.objects.filter(status=PledgeStatus.PENDING).exists()  # no loss
    valid = Pledge.objects.filter(status=PledgeStatus.CONFIRMED, held=False)
    # Neither flood domain nor flooded network survives.
    assert not valid.filter(email_domain="flood.test").exists()
    assert not valid.filter(client_network="198.51.100.0/24").exists()
    recount = dict(
        valid.values("constituency_id")
        .annotate(n=Count("pk"))
        .values_list("constituency_id", "n")
    )
    for seat in seats:
        assert selectors.pledge_count(seat) == recount.get(seat.pk, 0)
    region = seats[0].region
    assert selectors.pledge_count(region) == sum(recount.values())
    assert selectors.pledge_count(seats[0].nation) == sum(recount.values())
    assert sum(recount.values()) == 90 - 30 - 12  # flood domain, then the network
