"""The machine's own services that some tests talk to."""

import os


def machine_redis_url() -> str:
    """The machine's Redis, in a database of the tests' own: 15, then 13 down to 1
    for further parallel test workers (pytest -n; `make test` runs at most 8), so
    workers never clear each other's keys (14 is the load benchmark's)."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    if worker > 13:
        raise RuntimeError("more than 14 test workers: Redis has no database left")
    database = 15 if worker == 0 else 14 - worker
    # TEST_REDIS_PORT lets two checkouts run their suites at once on one machine,
    # each against a Redis server of its own.
    port = int(os.environ.get("TEST_REDIS_PORT", "6379"))
    return f"redis://127.0.0.1:{port}/{database}"
