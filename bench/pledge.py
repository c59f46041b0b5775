"""Benchmark: a viral moment for the pledge. N pending pledges (20,000 by default)
are confirmed by W concurrent workers on the database (PostgreSQL, as production),
each pledge's link followed twice (people double-click, mail scanners retry),
while a coordinator invalidates a flood of made-up pledges halfway through. Run
with ``make bench-pledge`` (BENCH_PLEDGE_N, BENCH_PLEDGE_WORKERS,
BENCH_PLEDGE_RATE to change; the rate, in confirmations per second, paces the
workers: unset, they go as fast as they can).

Reported as a ratio against a baseline measured in the same run, so the figure
means the same on any machine: confirmations per second over bare inserts per
second (one row, one commit, the same number of workers). A confirmation does
more than an insert (a locked read, an update, three counter updates and a
check for spikes), so the ratio says what counting in the same transaction
costs.

Then the correctness checks, which fail the run:

- lost: a pledge neither confirmed nor invalidated after every link was followed;
- double counted: more than one "confirmed" outcome for one pledge;
- counters: every constituency's, region's and nation's counter equals a full
  recount of the pledges (``COUNT(*)`` grouped by constituency).

``measure()`` does the work in the current database; CI calls it on a small
dataset (tests/campaign/test_bench_pledge.py) so the checks keep holding. The
command line creates a throwaway database of its own, as bench/mail.py does.
"""

import json
import os
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

PREFIX = "benchpledge"
FLOOD_DOMAIN = "flood.bench.invalid"
BASELINE_TABLE = "bench_pledge_baseline"


# ------------------------------------------------------------------ the dataset


def build(n: int, constituencies: int = 20) -> list[int]:
    """A nation, a region and some constituencies of their own, a wording and N
    pending pledges (one in ten from the flood domain). Returns the pledge ids."""
    from campaign.models import Pledge, PledgeWording
    from network.models import Area, AreaType

    nation = Area.objects.create(
        gss_code="X92000001", name="Bench Nation", slug=f"{PREFIX}-nation",
        area_type=AreaType.NATION,
    )  # fmt: skip
    region = Area.objects.create(
        gss_code="X12000001", name="Bench Region", slug=f"{PREFIX}-region",
        area_type=AreaType.REGION, nation=nation,
    )  # fmt: skip
    seats = [
        Area.objects.create(
            gss_code=f"X14{i:06d}",
            name=f"Bench Seat {i}",
            slug=f"{PREFIX}-{i}",
            area_type=AreaType.CONSTITUENCY,
            region=region,
            nation=nation,
        )  # fmt: skip
        for i in range(constituencies)
    ]
    wording = PledgeWording.objects.create(
        version=f"{PREFIX}", statement="A benchmark pledge.", consent="I agree."
    )
    rows = []
    for i in range(n):
        domain = FLOOD_DOMAIN if i % 10 == 0 else "bench.invalid"
        rows.append(
            Pledge(
                wording=wording,
                name=f"Bench {i}",
                email=f"{PREFIX}{i}@{domain}",
                email_domain=domain,
                constituency=seats[i % constituencies],
            )
        )
    made = []
    for start in range(0, n, 5000):
        made += Pledge.objects.bulk_create(rows[start : start + 5000])
    return [pledge.pk for pledge in made]


# ------------------------------------------------------------------ workers


def _run_threads(target, shares):
    from django.db import connection

    errors = []

    def run(share):
        try:
            target(share)
        except Exception as error:  # noqa: BLE001 - reported, fails the run
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(share,)) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, errors


def _paced(items, rate_per_worker):
    """Yield items, no faster than ``rate_per_worker`` a second (if set)."""
    started = time.perf_counter()
    for done, item in enumerate(items):
        if rate_per_worker:
            wait = started + done / rate_per_worker - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
        yield item


def baseline(n: int, workers: int, rate_per_worker: float | None) -> float:
    """Bare inserts per second: one row, one commit each, W workers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
        cursor.execute(
            f"CREATE TABLE {BASELINE_TABLE} (email varchar(254), area integer)"
        )

    def insert(share):
        for i in _paced(share, rate_per_worker):
            with connection.cursor() as cursor:  # autocommit: a commit each
                cursor.execute(
                    f"INSERT INTO {BASELINE_TABLE} (email, area) VALUES (%s, %s)",  # noqa: S608
                    [f"{PREFIX}{i}@bench.invalid", i % 20],
                )

    shares = [range(w, n, workers) for w in range(workers)]
    seconds, errors = _run_threads(insert, shares)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {BASELINE_TABLE}")
    if errors:
        raise RuntimeError(f"baseline failed: {errors[:3]}")
    return n / seconds


def confirm_all(ids, workers: int, rate_per_worker: float | None, actor=None):
    """Follow every pledge's link twice (in different workers), while one more
    worker invalidates the flood domain halfway. Returns what happened."""
    from campaign import services

    clicks = list(ids) * 2
    random.Random(7).shuffle(clicks)
    outcomes: dict[str, int] = {}
    confirmed_ids: list[int] = []
    lock = threading.Lock()
    halfway = threading.Event()
    invalidation = {}
    total = len(clicks)
    done = [0]

    def confirm(share):
        for pledge_id in _paced(share, rate_per_worker):
            outcome = services.pledge_confirm(pledge_id=pledge_id)
            with lock:
                outcomes[outcome.value] = outcomes.get(outcome.value, 0) + 1
                if outcome is services.ConfirmOutcome.CONFIRMED:
                    confirmed_ids.append(pledge_id)
                done[0] += 1
                if done[0] >= total // 2:
                    halfway.set()

    def invalidate(_share):
        halfway.wait(timeout=600)
        batch = services.pledges_invalidate(
            reason="Benchmark flood", actor=actor, email_domain=FLOOD_DOMAIN
        )
        invalidation["pledges"] = batch.pledges_invalidated
        invalidation["counted"] = batch.counted_removed

    shares = [clicks[w::workers] for w in range(workers)]

    def either(share):
        return invalidate(share) if share is None else confirm(share)

    seconds, errors = _run_threads(either, [*shares, None])
    return {
        "seconds": seconds,
        "clicks": total,
        "outcomes": outcomes,
        "confirmed_ids": confirmed_ids,
        "invalidation": invalidation,
        "errors": errors,
    }


# ------------------------------------------------------------------ checks


def check(ids) -> tuple[dict, list[str]]:
    """Counters against a full recount; lost and double-counted pledges."""
    from django.db.models import Count

    from campaign.models import Pledge, PledgeCount, PledgeStatus
    from network.models import Area

    pledges = Pledge.objects.filter(pk__in=ids)
    recount = dict(
        pledges.filter(status=PledgeStatus.CONFIRMED, held=False)
        .values("constituency_id")
        .annotate(n=Count("pk"))
        .values_list("constituency_id", "n")
    )
    expected: dict[int, int] = {}
    for pk, region_id, nation_id in Area.objects.filter(
        pk__in=set(pledges.values_list("constituency_id", flat=True))
    ).values_list("pk", "region_id", "nation_id"):
        for area_id in {pk, region_id, nation_id} - {None}:
            expected[area_id] = expected.get(area_id, 0) + recount.get(pk, 0)
    counters: dict[int, int] = {}
    for area_id, n in PledgeCount.objects.filter(area_id__in=expected).values_list(
        "area_id", "pledges"
    ):
        counters[area_id] = counters.get(area_id, 0) + n
    wrong = {
        area_id: (counters.get(area_id, 0), n)
        for area_id, n in expected.items()
        if counters.get(area_id, 0) != n
    }
    lost = pledges.filter(status=PledgeStatus.PENDING).count()
    problems = []
    if lost:
        problems.append(f"{lost} pledges lost (still pending)")
    if wrong:
        problems.append(f"counters differ from a recount: {wrong}")
    return {
        "counted": sum(recount.values()),
        "lost": lost,
        "counters_checked": len(expected),
        "counters_wrong": len(wrong),
    }, problems


def measure(n: int, workers: int = 4, rate: float | None = None) -> dict:
    """Build, time the baseline and the confirmations, check. The results say
    ``problems`` (empty when every check holds)."""
    from django.db import connection

    ids = build(n)
    per_worker = rate / workers if rate else None
    insert_rate = baseline(n, workers, per_worker)
    run = confirm_all(ids, workers, per_worker)
    confirmed = run.pop("confirmed_ids")
    double = len(confirmed) - len(set(confirmed))
    checked, problems = check(ids)
    if double:
        problems.append(f"{double} pledges confirmed twice")
    if run["errors"]:
        problems.append(f"workers failed: {run['errors'][:3]}")
    # Every pledge confirmed once: the invalidation may come before a flood
    # pledge's link is followed, and then it is not confirmed at all.
    flood = n // 10 + (1 if n % 10 else 0)
    if not n - flood <= len(set(confirmed)) <= n:
        problems.append(f"{len(set(confirmed))} of {n} pledges confirmed")
    if checked["counted"] != n - flood:
        problems.append(f"{checked['counted']} counted, expected {n - flood}")
    confirm_rate = n / run["seconds"]
    return {
        "n": n,
        "workers": workers,
        "database": connection.vendor,
        "paced_at_per_second": rate,
        "bare_inserts_per_second": round(insert_rate),
        "confirmations_per_second": round(confirm_rate),
        "confirm_over_insert_ratio": round(confirm_rate / insert_rate, 3),
        "link_follows": run["clicks"],
        "outcomes": run["outcomes"],
        "invalidated": run["invalidation"],
        **checked,
        "double_counted": double,
        "problems": problems,
    }


def print_table(results: dict) -> None:
    width = max(len(key) for key in results)
    for key, value in results.items():
        print(f"  {key.ljust(width)}  {value}")


def main() -> None:
    n = int(os.environ.get("BENCH_PLEDGE_N", "20000"))
    workers = int(os.environ.get("BENCH_PLEDGE_WORKERS", "8"))
    rate = (
        float(os.environ["BENCH_PLEDGE_RATE"])
        if os.environ.get("BENCH_PLEDGE_RATE")
        else None
    )
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        raise SystemExit(
            "The pledge benchmark needs PostgreSQL (set DATABASE_URL): SQLite "
            "takes one writer at a time."
        )
    # A database of its own, apart from the test suite's.
    db.setdefault("TEST", {})["NAME"] = f"bench_pledge_{db['NAME']}"
    django.setup()
    from django.db import connection

    print(f"Creating a throwaway {connection.vendor} database ...", flush=True)
    db_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False
    )
    try:
        print(f"{n:,} pledges, {workers} workers ...", flush=True)
        results = measure(n, workers, rate)
    finally:
        connection.close()
        connection.creation.destroy_test_db(db_name, verbosity=0)
    print_table(results)
    out = ROOT / "bench" / "output"
    out.mkdir(parents=True, exist_ok=True)
    (out / "pledge.json").write_text(json.dumps(results, indent=2))
    if results["problems"]:
        raise SystemExit("FAILED: " + "; ".join(results["problems"]))


if __name__ == "__main__":
    main()
