"""Load benchmark: the site under gunicorn on 127.0.0.1, driven by locust.

    make bench-load                       # or: python bench/load.py --help

1. Prepares a PostgreSQL database (default ncnv_bench on 127.0.0.1; created if
   missing) with the UK-scale dataset (bench/dataset.py) and empties a Redis
   database (default 127.0.0.1:6379/14) for the cache.
2. Starts the web process exactly as the container does (`bin/entrypoint web`:
   gunicorn, production settings, DEBUG off), plus one trivial view as baseline.
3. For each concurrency level (16, 64, 256 clients) and each target (the trivial
   view, the home page, an event page, a constituency page, the people API) runs
   locust headless for a bounded time, each client requesting as fast as it is
   answered (the statistics restart once every client is running), in rounds
   with the trivial view measured right before and after each run.
4. Prints requests per second, p50/p95/p99 latency and error rate per level and
   target (the median round), and each target's throughput as a ratio of the
   trivial view's around it, and writes them to bench/output/.

Only addresses on this machine are used; every run stops by itself.
"""

import argparse
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/ncnv_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"


def free_port() -> int:
    """BENCH_PORT when set (a port range agreed on a shared machine), else any."""
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()


def server_environment(args, port: int) -> dict:
    return {
        **os.environ,
        "PYTHON": sys.executable,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "SITE_URL": "https://bench.example.org",
        "DATABASE_URL": args.database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": args.redis_url,
        "PORT": str(port),
        "WEB_CONCURRENCY": str(args.workers),
        "GUNICORN_THREADS": str(args.threads),
        "GUNICORN_ACCESS_LOG": "0",
        "LOG_LEVEL": "WARNING",
    }


def prepare(environ: dict) -> dict:
    subprocess.run(  # noqa: S603
        [str(ROOT / "bin" / "entrypoint"), "release"],
        env=environ, check=True, cwd=ROOT,
    )  # fmt: skip
    code = (
        "import json, django; django.setup(); "
        "from bench.dataset import prepare; print(json.dumps(prepare()))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env=environ, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode:
        raise SystemExit("preparing the data failed:\n" + result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def wait_until_up(base: str, process, deadline_seconds: float = 180) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the web process exited; see its output above")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("the web process did not answer /healthz")


def run_level(base, targets, users, seconds, rounds, workdir) -> list[dict]:
    """Each target at this many clients, in rounds: every round measures the
    baseline right before and right after the target, and the round's ratio is the
    target's throughput over the mean of those two. A target's figures are the
    median of its rounds, so a burst from a busy neighbour on the machine weighs
    on both sides of a ratio and then on one round only."""
    (baseline_name, baseline), *others = targets.items()
    baselines = [measure(base, baseline_name, baseline, users, seconds, workdir)]
    level = []
    for name, target in others:
        rounds_run = []
        for _ in range(rounds):
            stats = measure(base, name, target, users, seconds, workdir)
            baselines.append(
                measure(base, baseline_name, baseline, users, seconds, workdir)
            )
            reference = (baselines[-2]["rps"] + baselines[-1]["rps"]) / 2
            stats["ratio"] = stats["rps"] / reference
            rounds_run.append(stats)
        level.append(combine(rounds_run, middle="ratio"))
    summary = combine(baselines, middle="rps")
    summary["ratio"] = 1.0
    return [summary, *level]


def measure(base, name, target, users, seconds, workdir) -> dict:
    print(f"  {users:>4} clients  {name} ...", end="", flush=True)
    stats = run_locust(base, target, users, seconds, Path(workdir))
    stats.update(users=users, target=name, path=target["path"], cache=target["cache"])
    print(
        f" {stats['rps']:.0f} req/s, p95 {stats['p95_ms']:.0f} ms, "
        f"{stats['errors']} errors"
    )
    return stats


def combine(runs: list[dict], middle: str) -> dict:
    """The run with the median ``middle`` value stands for all; requests and errors
    are counted over every run."""
    ordered = sorted(runs, key=lambda r: r[middle])
    combined = dict(ordered[(len(ordered) - 1) // 2])
    combined["requests"] = sum(r["requests"] for r in runs)
    combined["errors"] = sum(r["errors"] for r in runs)
    combined["error_rate"] = combined["errors"] / max(combined["requests"], 1)
    combined["runs"] = len(runs)
    return combined


def warm(base: str, target: dict) -> str:
    request = urllib.request.Request(base + target["path"])  # noqa: S310
    if target.get("authorization"):
        request.add_header("Authorization", target["authorization"])
    # Enough requests for every web process to have served it once; the last
    # answer comes from the cache if anything does.
    for _ in range(20):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                cache = response.headers.get("X-Page-Cache", "-")
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{target['path']} answered {error.code}") from error
    return cache


def run_locust(base: str, target: dict, users: int, seconds: int, workdir: Path):
    prefix = workdir / f"run-{users}-{abs(hash(target['path']))}"
    environ = {**os.environ, "BENCH_PATH": target["path"]}
    if target.get("authorization"):
        environ["BENCH_AUTHORIZATION"] = target["authorization"]
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
         "--headless", "--users", str(users), "--spawn-rate", str(users),
         "--run-time", f"{seconds}s", "--stop-timeout", "5", "--reset-stats",
         "--host", base, "--csv", str(prefix), "--only-summary",
         "--loglevel", "ERROR", "--exit-code-on-error", "0"],
        env=environ, check=True, cwd=ROOT, capture_output=True, text=True,
        timeout=seconds + 120,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as stats:
        row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
    requests = int(row["Request Count"])
    failures = int(row["Failure Count"])
    return {
        "rps": float(row["Requests/s"]),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
        "requests": requests,
        "errors": failures,
        "error_rate": failures / requests if requests else 1.0,
    }


def report(results: list[dict], info: dict) -> str:
    lines = [
        f"Load benchmark, {info['when']}: {info['people']:,} people, "
        f"{info['areas']:,} areas on PostgreSQL; gunicorn {info['workers']} "
        f"processes x {info['threads']} threads; Redis cache; {info['rounds']} "
        f"rounds of {info['seconds']} s per target (the median shown), the trivial "
        "view before and after each; locust on the same machine.",
        "",
        "| clients | target | path | cache | req/s | x baseline | p50 ms | p95 ms "
        "| p99 ms | errors |",
        "| ---: | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['users']} | {r['target']} | `{r['path']}` | {r['cache']} "
            f"| {r['rps']:.0f} | {r['ratio']:.2f} | {r['p50_ms']:.0f} "
            f"| {r['p95_ms']:.0f} | {r['p99_ms']:.0f} "
            f"| {r['errors']} ({100 * r['error_rate']:.2f}%) |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--levels", type=int, nargs="+", default=[16, 64, 256])
    parser.add_argument("--seconds", type=int, default=8, help="per run")
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs of each target (median kept)"
    )
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    )
    parser.add_argument("--only", nargs="*", help="target names to run")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("the benchmark runs on PostgreSQL: give a postgres:// URL")

    ensure_database(args.database_url)
    flush_redis(args.redis_url)
    port = free_port()
    environ = server_environment(args, port)
    print("Preparing the UK-scale dataset ...", flush=True)
    info = prepare(environ)
    targets = info["targets"]
    if args.only:
        targets = {
            name: t for name, t in targets.items()
            if name in args.only or name.startswith("trivial")
        }  # fmt: skip
    for name in ("event page", "constituency page", "people API"):
        if name not in info["targets"]:
            print(f"  {name}: not available in this build, left out")

    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603
        [str(ROOT / "bin" / "entrypoint"), "web"],
        env=environ, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    results = []
    try:
        wait_until_up(base, server)
        for target in targets.values():
            target["cache"] = warm(base, target)
        with tempfile.TemporaryDirectory() as workdir:
            for users in args.levels:
                results.extend(
                    run_level(base, targets, users, args.seconds, args.rounds, workdir)
                )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)

    info.update(
        when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        workers=args.workers, threads=args.threads, seconds=args.seconds,
        rounds=args.rounds,
    )  # fmt: skip
    table = report(results, info)
    print()
    print(table)
    output = ROOT / "bench" / "output"
    output.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    (output / f"load-{stamp}.md").write_text(table + "\n")
    (output / f"load-{stamp}.json").write_text(
        json.dumps(
            {
                "info": {k: v for k, v in info.items() if k != "targets"},
                "results": results,
            },
            indent=2,
        )  # fmt: skip
    )
    errors = sum(r["errors"] for r in results)
    cached = [r for r in results if r["cache"] == "hit"]
    slow = [r for r in cached if r["ratio"] < 0.5]
    print()
    print(f"errors in all runs: {errors}")
    print(
        "cached pages within 2x of the trivial view's throughput: "
        + ("yes" if not slow else "no: " + ", ".join(
            f"{r['target']} at {r['users']}" for r in slow))
    )  # fmt: skip
    api = [r for r in results if r["target"] == "people API" and r["users"] <= 64]
    if api:
        short = [r for r in api if r["ratio"] < 0.3]
        print(
            "people API at 0.3 of the trivial view or more (16 and 64 clients): "
            + ("yes" if not short else "no: " + ", ".join(
                f"{r['ratio']:.2f} at {r['users']}" for r in short))
        )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
