"""The pledge benchmark's own checks on a small dataset: confirmations racing a
batch invalidation lose nothing, count nothing twice, and leave every counter
equal to a full recount. (Its speed is reported by ``make bench-pledge``.)"""

import pytest
from django.db import connection

from bench import pledge as bench


@pytest.mark.django_db(transaction=True)
def test_benchmark_checks_hold_on_a_small_dataset():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (set DATABASE_URL)")
    results = bench.measure(n=300, workers=4)
    assert results["problems"] == []
    assert results["lost"] == results["double_counted"] == 0
    assert results["counted"] == 270  # one in ten came from the flood domain
    assert results["outcomes"]["confirmed"] >= 270
    assert results["counters_checked"] == 22  # 20 seats, their region and nation
