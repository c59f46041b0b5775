"""Benchmark: one update sent to N subscribers (50,000 by default) into a local SMTP
sink. Run with ``make bench-mail`` (BENCH_MAIL_N to change N; DATABASE_URL to use
PostgreSQL, as production does).

Everything is reported as a ratio against a baseline measured in the same run, so
the figures mean the same on any machine:

- throughput: the sender's messages per second over those of a bare smtplib loop
  pushing ready-made messages through the same sink with the same batch size (the
  mail server and network alone; no Django, no database), N/2 messages right
  before the sender's runs and N/2 right after, averaged;
- memory: the sending worker's peak RSS for N recipients over its peak for N/10
  (1.0 means flat as the list grows);
- resume: a worker is killed (SIGKILL) halfway through a mailing and a new one
  started; the sink counts messages to the same recipient with the same subject.

BENCH_PROFILE=1 prints a profile of each sending worker to stderr (ordered by
cumulative time, or as BENCH_PROFILE_SORT says, e.g. tottime).

The benchmark works in a database of its own (Django's test database, created and
destroyed here) so it can never mail anyone on a real list.
"""

import json
import os
import resource
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
# A killed sender's lease on its mailing must run out before another sender may
# take the mailing over: short here, so the resume step does not wait long.
os.environ.setdefault("UPDATES_SENDER_LEASE", "2")

import django  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    """Until the sink accepts connections."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def use_smtp(port: int) -> None:
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False


# ------------------------------------------------------------------ worker process


def worker(db_name: str, port: int, mailing_id: int) -> None:
    """Send one mailing, as a task worker would; print what it cost."""
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = db_name
    django.setup()
    use_smtp(port)
    from updates.sending import mailing_deliver

    started = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        report = profile.runcall(mailing_deliver, mailing_id=mailing_id)
        stats = pstats.Stats(profile, stream=sys.stderr)
        order = os.environ.get("BENCH_PROFILE_SORT", "cumulative")
        stats.sort_stats(order).print_stats(35)
    else:
        report = mailing_deliver(mailing_id=mailing_id)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"sent": report.sent, "seconds": seconds, "peak_kib": peak_kib}))


def run_worker(db_name, port, mailing_id, **popen):
    return subprocess.Popen(  # noqa: S603 - our own script
        [sys.executable, __file__, "--worker", db_name, str(port), str(mailing_id)],
        stdout=subprocess.PIPE,
        text=True,
        **popen,
    )


def finish(process) -> dict:
    out, _ = process.communicate()
    if process.returncode:
        raise SystemExit(f"worker failed ({process.returncode})")
    return json.loads(out.strip().splitlines()[-1])


# ------------------------------------------------------------------ baseline


def bare_smtplib(port: int, n: int, batch: int, tag: str) -> float:
    """Messages per second for ready-made messages over plain smtplib."""
    from updates.mail import MailingRenderer
    from updates.models import Mailing

    renderer = MailingRenderer(Mailing(subject="Baseline", body="<p>Hello</p>"))
    raw = renderer.message(to="x@bench.invalid", unsubscribe="https://x/").message()
    data = raw.as_bytes(linesep="\r\n")
    started = time.perf_counter()
    sent = 0
    while sent < n:
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for _ in range(min(batch, n - sent)):
                rcpt = f"{tag}{sent}@bench.invalid"
                smtp.sendmail("updates@bench.invalid", [rcpt], data)
                sent += 1
    return n / (time.perf_counter() - started)


# ------------------------------------------------------------------ the run


def main() -> None:
    n = int(os.environ.get("BENCH_MAIL_N", "50000"))
    small, killed_size = max(n // 10, 1), max(n // 5, 10)
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        folder = ROOT / "bench" / "output"
        folder.mkdir(parents=True, exist_ok=True)
        db.setdefault("TEST", {})["NAME"] = str(folder / "bench-mail.sqlite3")
    # The tables straight from the models, which `makemigrations --check` keeps in
    # step with the migrations: replaying every migration would take most of a
    # short run, and the benchmark needs none of their data.
    db.setdefault("TEST", {})["MIGRATE"] = False
    django.setup()
    from django.db import connection

    print(f"Creating a throwaway {connection.vendor} database ...", flush=True)
    db_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False
    )
    port = free_port()
    report_file = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name
    sink = subprocess.Popen(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "bench" / "smtp_sink.py"), str(port), report_file]
    )
    try:
        wait_for_port(port)
        mailings = populate(n, small, killed_size)
        connection.close()  # the workers get the database to themselves
        batch = settings.UPDATES_BATCH_SIZE

        # The baseline runs before and after the sender and the two are averaged,
        # so a change in the machine's load meanwhile evens out.
        # Each baseline half as long as the large send, so the two sides of the
        # ratio are timed over comparable stretches: a baseline of a fraction
        # of a second swung with every burst of other work on the machine.
        baseline_n = max(n // 2, 1)
        print(f"Baseline: bare smtplib, {baseline_n:,} messages ...", flush=True)
        before = bare_smtplib(port, baseline_n, batch, "before")
        print(f"Sender: {small:,} recipients ...", flush=True)
        small_run = finish(run_worker(db_name, port, mailings["small"]))
        print(f"Sender: {n:,} recipients ...", flush=True)
        large_run = finish(run_worker(db_name, port, mailings["large"]))
        print(f"Baseline: bare smtplib, {baseline_n:,} messages ...", flush=True)
        after = bare_smtplib(port, baseline_n, batch, "after")
        baseline_rate = (before + after) / 2

        print(f"Resume: {killed_size:,} recipients, killed halfway ...", flush=True)
        resume = kill_and_resume(db_name, port, mailings["killed"], killed_size)
    finally:
        sink.send_signal(signal.SIGTERM)
        sink.wait(timeout=60)
        connection.creation.destroy_test_db(db_name, verbosity=0)
    counted = json.loads(Path(report_file).read_text())
    os.unlink(report_file)

    rate = large_run["sent"] / large_run["seconds"]
    results = {
        "n": n,
        "database": connection.vendor,
        "batch_size": batch,
        "sender_messages_per_second": round(rate),
        "baseline_messages_per_second": round(baseline_rate),
        "throughput_ratio": round(rate / baseline_rate, 2),
        "peak_rss_mib_small": round(small_run["peak_kib"] / 1024, 1),
        "peak_rss_mib_large": round(large_run["peak_kib"] / 1024, 1),
        "memory_ratio_large_over_small": round(
            large_run["peak_kib"] / small_run["peak_kib"], 3
        ),
        "sent": {"small": small_run["sent"], "large": large_run["sent"]},
        "resume": resume,
        "sink": counted,
    }
    problems = []
    if large_run["sent"] != n or small_run["sent"] != small:
        problems.append("not every recipient was sent to")
    # Two baselines, the two sends, then the killed mailing: its sent rows, plus the
    # uncertain one if it reached the sink before the kill.
    killed_received = counted["messages"] - (2 * baseline_n + small + n)
    results["resume"]["received"] = killed_received
    extra = killed_received - resume["sent_total"]
    if not 0 <= extra <= resume["uncertain"]:
        problems.append(f"the sink got {killed_received:,} of the killed mailing")
    if counted["duplicates"]:
        problems.append(f"{counted['duplicates']} duplicate messages")
    if resume["missing"] > 1:
        problems.append("the resumed send missed recipients")
    if resume["killed_after"] >= resume["size"]:
        problems.append("the sender finished before it was killed: nothing resumed")
    print_table(results)
    out = ROOT / "bench" / "output"
    out.mkdir(parents=True, exist_ok=True)
    (out / "mail.json").write_text(json.dumps(results, indent=2))
    if problems:
        raise SystemExit("FAILED: " + "; ".join(problems))


def populate(n: int, small: int, killed_size: int) -> dict[str, int]:
    """N confirmed subscribers; the first N/10 in one constituency (the small
    mailing's target), the next N/5 in another (the killed one's)."""
    from network.models import Area, AreaType
    from updates.models import Mailing, MailingStatus, Subscriber

    here = Area.objects.create(
        gss_code="E14000001", name="Bench One", slug="bench-one",
        area_type=AreaType.CONSTITUENCY,
    )  # fmt: skip
    there = Area.objects.create(
        gss_code="E14000002", name="Bench Two", slug="bench-two",
        area_type=AreaType.CONSTITUENCY,
    )  # fmt: skip
    print(f"Creating {n:,} confirmed subscribers ...", flush=True)

    def area_for(i):
        if i < small:
            return here
        if i < small + killed_size:
            return there
        return None

    chunk = 5000
    for start in range(0, n, chunk):
        Subscriber.objects.bulk_create(
            Subscriber(
                email=f"reader{i}@bench.invalid",
                status="confirmed",
                constituency=area_for(i),
            )
            for i in range(start, min(start + chunk, n))
        )
    body = (
        "<h2>News from the network</h2><p>A paragraph of news, with "
        '<a href="https://example.org/report">a link to the report</a>.</p>'
        "<ul><li>One thing to do</li><li>Another thing</li></ul>"
    )
    ids = {}
    for name, target in (("small", here), ("large", None), ("killed", there)):
        mailing = Mailing.objects.create(
            subject=f"Bench {name}", body=body, status=MailingStatus.QUEUED
        )
        if target:
            mailing.target_areas.set([target])
        ids[name] = mailing.pk
    return ids


def kill_and_resume(db_name, port, mailing_id, size) -> dict:
    from django.db import connection
    from django.db.models import Count

    from updates.models import Delivery, DeliveryStatus

    def sent():
        return Delivery.objects.filter(
            mailing_id=mailing_id, status=DeliveryStatus.SENT
        ).count()

    first = run_worker(db_name, port, mailing_id)
    deadline = time.monotonic() + 600
    # Checked often: a small list (the CI check's) is sent in a fraction of a
    # second, and the kill must land while the sender is still at it.
    while sent() < size // 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    first.wait()
    at_kill = sent()
    connection.close()
    time.sleep(float(os.environ["UPDATES_SENDER_LEASE"]))
    second = finish(run_worker(db_name, port, mailing_id))
    statuses = dict(
        Delivery.objects.filter(mailing_id=mailing_id)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "size": size,
        "sent_total": statuses.get(DeliveryStatus.SENT, 0),
        "killed_after": at_kill,
        "sent_after_restart": second["sent"],
        "uncertain": statuses.get(DeliveryStatus.FAILED, 0),
        "missing": size - statuses.get(DeliveryStatus.SENT, 0),
    }


def print_table(r: dict) -> None:
    print()
    print(f"Mail benchmark: {r['n']:,} subscribers, {r['database']}, ")
    print(f"batches of {r['batch_size']} per SMTP connection")
    print(f"  throughput  sender / bare smtplib      {r['throughput_ratio']:.2f}")
    print(
        f"              ({r['sender_messages_per_second']:,} vs "
        f"{r['baseline_messages_per_second']:,} messages/s on this machine)"
    )
    print(
        f"  memory      peak RSS, N / (N/10)        "
        f"{r['memory_ratio_large_over_small']:.3f}"
    )
    print(f"              ({r['peak_rss_mib_large']} vs {r['peak_rss_mib_small']} MiB)")
    resume = r["resume"]
    print(
        f"  resume      killed after {resume['killed_after']:,} sent, restart sent "
        f"{resume['sent_after_restart']:,}, uncertain {resume['uncertain']}, "
        f"received {resume['received']:,} of {resume['size']:,}, "
        f"duplicates {r['sink']['duplicates']}"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
