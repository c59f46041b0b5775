"""The machine's own services that some tests talk to."""

import os


def machine_redis_url() -> str:
    """The machine's Redis, in a database of the tests' own: 15, and 13 down to 8
    for further parallel test workers (pytest -n), so workers never clear each
    other's keys (14 is the load benchmark's)."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    database = 15 if worker == 0 else 13 - (worker - 1) % 6
    return f"redis://127.0.0.1:6379/{database}"
