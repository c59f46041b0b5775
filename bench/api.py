"""Partner API benchmark: the people endpoints against a raw baseline, in one run.

    make bench-api                     # or: python bench/api.py --help

1. Prepares a database (default: PostgreSQL ncnv_bench_api on 127.0.0.1, created
   if missing; --database to change) with every UK area and a fictional directory
   of 20,000 people (bench/api_dataset.py).
2. In one process, through Django's whole request stack, calls each API endpoint
   and its raw baseline (bench/api_baseline.py: the same rows and the same JSON
   built with `.values()` and `json.dumps`) in turn, and checks they return the
   same document.
3. Prints requests per second for both and the ratio endpoint/baseline, queries
   per request (page of 10, 100 and 500: constant when it does not grow), and for
   the full CSV export its time and peak Python memory at 10,000 and 20,000 rows,
   next to the baseline that builds the same rows as one JSON document.

Nothing leaves this machine; the run stops by itself.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/ncnv_bench_api"


def ensure_postgres_database(url: str) -> None:
    parts = urlparse(url)
    if parts.scheme not in ("postgres", "postgresql"):
        return
    name = parts.path.lstrip("/")
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    args += ["-U", parts.username or "postgres"]
    made = subprocess.run(  # noqa: S603
        ["createdb", *args, name],  # noqa: S607
        capture_output=True,
        text=True,
    )
    if made.returncode and "already exists" not in made.stderr:
        raise SystemExit(made.stderr)


def targets(slug: str, size: int = 100) -> list[tuple[str, str, str]]:
    """(name, API path, baseline path) of each compared endpoint."""
    return [
        (f"people list, page of {size}", f"/api/v1/people/?page_size={size}",
         f"/bench/people/?page_size={size}"),
        (f"people list, filtered, page of {size}",
         f"/api/v1/people/?page_size={size}&status=active&role=councillor",
         f"/bench/people/?page_size={size}&status=active&role=councillor"),
        ("person detail", f"/api/v1/people/{slug}/", f"/bench/people/{slug}/"),
    ]  # fmt: skip


def limit_target(size: int = 100) -> tuple[str, str, str]:
    """The people list and the stored-document limit it is measured against."""
    return (
        f"people list, page of {size}",
        f"/api/v1/people/?page_size={size}",
        f"/bench/stored/people/?page_size={size}",
    )


def deep_page_path(page: int, size: int = 100) -> str:
    """The list's address for page `page` as a partner reaches it by following
    `next`: by keyset cursor past the numbered pages."""
    from api.models import PersonDocument
    from api.pagination import encode_list_cursor
    from network.visibility import Audience

    last = (
        PersonDocument.objects.filter(audience=int(Audience.NETWORK))
        .order_by("sort_name", "person_id")
        .values_list("sort_name", "person_id")[(page - 1) * size - 1]
    )
    cursor = encode_list_cursor("name", list(last))
    return f"/api/v1/people/?page_size={size}&cursor={cursor}"


def assert_same(client, name: str, api_path: str, base_path: str) -> None:
    """The API and its baseline answer the same document: otherwise the ratio
    compares different work. tests/api/test_bench_baseline.py runs this in CI."""
    api_body = json.loads(client.get(api_path).content)
    base_body = json.loads(client.get(base_path).content)
    assert api_body == base_body, f"{name}: the API and the baseline differ"


def timed(client, path, rounds):
    """Seconds per request, median of `rounds` calls."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(path)
        if hasattr(response, "streaming_content"):
            for _chunk in response.streaming_content:
                pass
        else:
            response.content  # noqa: B018
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times)


def compare(client, api_path, base_path, rounds):
    """Interleave endpoint and baseline so drift in machine load hits both."""
    api_times, base_times = [], []
    for _ in range(rounds):
        api_times.append(timed(client, api_path, 1))
        base_times.append(timed(client, base_path, 1))
    api, base = statistics.median(api_times), statistics.median(base_times)
    return 1 / api, 1 / base


def queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if hasattr(response, "streaming_content"):
            for _chunk in response.streaming_content:
                pass
    return len(captured)


def export(client, path):
    """Time, and separately peak traced memory, of consuming a whole response."""
    seconds = timed(client, path, 1)
    tracemalloc.start()
    response = client.get(path)
    rows = 0
    if hasattr(response, "streaming_content"):
        for chunk in response.streaming_content:
            rows += chunk.count(b"\n")
        rows -= 1  # the header
    else:
        rows = len(json.loads(response.content)["results"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak, rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    )
    parser.add_argument("--size", type=int, default=20_000, help="people to generate")
    parser.add_argument("--rounds", type=int, default=30, help="requests per target")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "output")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = args.database
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    ensure_postgres_database(args.database)

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client, override_settings

    from api.models import PartnerOrganisation
    from api.services import partner_key_create
    from bench import api_dataset

    print(f"database: {args.database}")
    call_command("migrate", verbosity=0)
    call_command("load_areas", verbosity=0)
    started = time.perf_counter()
    made = api_dataset.build(args.size)
    from django.db import connection

    if connection.vendor == "postgresql":
        # The planner's statistics and the visibility map of the rows just
        # loaded (or changed by the last run), as a database that has lived a
        # while has them from autovacuum.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(
        f"directory: {args.size:,} people"
        + (f" (made in {time.perf_counter() - started:.0f} s)" if made else "")
    )
    organisation, _ = PartnerOrganisation.objects.update_or_create(
        name="API benchmark (fictional)",
        defaults={
            "contact_email": "bench@example.org",
            "scope": "network",
            "rate_limit": "1000000000/hour",
        },
    )
    _, raw = partner_key_create(organisation=organisation, name="bench run")
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    slug = f"{api_dataset.PREFIX}00003"
    half = args.size // 2
    results = {"size": args.size, "targets": {}, "queries": {}, "export": {}}

    # What the database path costs against the baselines: a page kept in the
    # cache between changes (api/answers.py, measured by make bench-load) would
    # answer every request after the first here.
    with override_settings(ROOT_URLCONF="bench.api_urls", API_LIST_CACHE_SECONDS=0):
        print()
        print(f"{'target':38} {'API req/s':>10} {'raw req/s':>10} {'ratio':>6}")
        for name, api_path, base_path in targets(slug):
            assert_same(client, name, api_path, base_path)
            api_rps, base_rps = compare(client, api_path, base_path, args.rounds)
            ratio = api_rps / base_rps
            results["targets"][name] = {
                "api_rps": round(api_rps, 1),
                "baseline_rps": round(base_rps, 1),
                "ratio": round(ratio, 2),
            }
            print(f"{name:38} {api_rps:10.1f} {base_rps:10.1f} {ratio:6.2f}")

        print()
        print("against the stored-document limit (one query reading stored JSON):")
        name, api_path, limit_path = limit_target()
        assert_same(client, name, api_path, limit_path)
        api_rps, limit_rps = compare(client, api_path, limit_path, args.rounds)
        ratio = api_rps / limit_rps
        results["limit"] = {
            "api_rps": round(api_rps, 1),
            "limit_rps": round(limit_rps, 1),
            "ratio": round(ratio, 2),
        }
        print(f"  {name:36} {api_rps:10.1f} {limit_rps:10.1f} {ratio:6.2f}")

        print()
        deep = min(150, args.size // 100)
        first_rps, deep_rps = compare(
            client, "/api/v1/people/?page_size=100", deep_page_path(deep), args.rounds
        )
        offset_rps, _ = compare(
            client, f"/api/v1/people/?page_size=100&page={deep}",
            "/api/v1/people/?page_size=100", args.rounds,
        )  # fmt: skip
        results["deep_page"] = {
            "page": deep,
            "cursor_vs_first": round(first_rps / deep_rps, 2),
            "offset_vs_first": round(first_rps / offset_rps, 2),
        }
        print(
            f"page {deep} of {args.size:,} by cursor: x{first_rps / deep_rps:.2f} "
            f"the time of page 1 (by page number: x{first_rps / offset_rps:.2f})"
        )

        print()
        print("queries per request (page size 10 / 100 / 500):")
        for name, path in [
            ("people list", "/api/v1/people/"),
            ("people list, filtered", "/api/v1/people/?status=active&role=councillor"),
            ("people list, by cursor",
             "/api/v1/people/?cursor=" + deep_page_path(2, 10).split("cursor=")[1]),
            ("change feed", "/api/v1/people/?modified_since=2020-01-01T00:00Z"),
            ("area people", "/api/v1/areas/E12000002/people/"),
            ("roles", "/api/v1/roles/"),
        ]:  # fmt: skip
            sep = "&" if "?" in path else "?"
            counts = [
                queries(client, f"{path}{sep}page_size={n}") for n in (10, 100, 500)
            ]
            results["queries"][name] = counts
            flat = "constant" if len(set(counts)) == 1 else "GROWS"
            print(f"  {name:36} {' / '.join(map(str, counts)):>14}  {flat}")

        print()
        print(f"{'full export':38} {'rows':>7} {'seconds':>8} {'peak MiB':>9}")
        for label, query in [(f"{half:,}", "&status=active"), (f"{args.size:,}", "")]:
            csv_s, csv_peak, csv_rows = export(
                client, f"/api/v1/people/?format=csv{query}"
            )
            base_s, base_peak, base_rows = export(
                client, f"/bench/people/?page_size={args.size}{query}"
            )
            results["export"][label] = {
                "csv_rows": csv_rows,
                "csv_seconds": round(csv_s, 2),
                "csv_peak_mib": round(csv_peak / 2**20, 1),
                "baseline_rows": base_rows,
                "baseline_seconds": round(base_s, 2),
                "baseline_peak_mib": round(base_peak / 2**20, 1),
            }
            print(
                f"  CSV stream, {label:>6} people{'':12} {csv_rows:7,} {csv_s:8.2f}"
                f" {csv_peak / 2**20:9.1f}"
            )
            print(
                f"  raw JSON,   {label:>6} people{'':12} {base_rows:7,} {base_s:8.2f}"
                f" {base_peak / 2**20:9.1f}"
            )
        for label, figures in results["export"].items():
            figures["csv_rows_per_s"] = round(
                figures["csv_rows"] / max(figures["csv_seconds"], 1e-6)
            )
            print(f"  CSV, {label:>6} people: {figures['csv_rows_per_s']:,} rows/s")
        small, large = results["export"].values()
        growth = large["csv_peak_mib"] / max(small["csv_peak_mib"], 0.1)
        print(f"  CSV peak memory, {args.size:,} vs {half:,} rows: x{growth:.2f}")
        results["export_memory_growth"] = round(growth, 2)

    args.output.mkdir(parents=True, exist_ok=True)
    out = args.output / "api.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {out}")
    checks = [
        ("people list >= 0.5 of the stored-document limit",
         results["limit"]["ratio"] >= 0.5),
        (f"page {results['deep_page']['page']} within 1.2x of page 1",
         results["deep_page"]["cursor_vs_first"] <= 1.2),
        ("CSV export >= 10,000 rows/s",
         all(f["csv_rows_per_s"] >= 10_000 for f in results["export"].values())),
        ("CSV memory flat (x1.5 at most for twice the rows)",
         results["export_memory_growth"] <= 1.5),
    ]  # fmt: skip
    for label, met in checks:
        print(f"target: {label}: {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
