"""What the fault tests share: the test database opened by processes the test
starts, free ports, and starting and killing those processes."""

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection


def free_port() -> int:
    """A free local port: from ``TEST_PORT_RANGE`` (e.g. ``8160-8179``) when set, so
    checkouts testing side by side keep to their own ports, else any the system
    gives out."""
    wanted = os.environ.get("TEST_PORT_RANGE", "")
    if wanted:
        first, _, last = wanted.partition("-")
        candidates = range(int(first), int(last or first) + 1)
    else:
        candidates = [0]
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in TEST_PORT_RANGE={wanted}")


class LiveDatabase:
    """The test database, for processes the test starts (the test must commit what
    they should see: ``transactional_db``).

    PostgreSQL: the test database itself. SQLite: pytest-django's test database
    lives in memory, so ``publish()`` copies it to a file the processes open, and
    ``collect()`` copies their work back, for the test to read with the ORM."""

    def __init__(self, folder: Path):
        self.vendor = connection.vendor
        self.path = folder / "live.sqlite3"

    @property
    def url(self) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:///{self.path}"
        db = connection.settings_dict
        user = quote(db["USER"] or "", safe="")
        password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
        return f"postgres://{user}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"

    def publish(self) -> None:
        if self.vendor != "sqlite":
            return
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(self.path)) as target:
            connection.connection.backup(target)

    def collect(self) -> None:
        if self.vendor != "sqlite":
            return
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(self.path, timeout=20)) as source:
            source.backup(connection.connection)

    def row(self, sql: str, params=()) -> tuple | None:
        """One row, read as the processes see the database now."""
        if self.vendor == "sqlite":
            with contextlib.closing(sqlite3.connect(self.path, timeout=20)) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchone()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()


def process_env(live: LiveDatabase, **extra: str) -> dict[str, str]:
    """The environment of a site process on the live database: nothing from the
    developer's shell that would point it elsewhere (Redis, mail, tasks)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "TASKS_"))
    }
    env.update(
        PYTHON=sys.executable,
        DATABASE_URL=live.url,
        REDIS_URL="",
        # The test's own key: sessions and tokens the test makes must hold there.
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # Production settings need the public https address; the tests' own.
        SITE_URL=settings.SITE_URL,
        LOG_FORMAT="plain",
        **extra,
    )
    if live.vendor != "sqlite" and connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    return env


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start a process in its own group (so it can be killed with its children),
    its output going to ``log``."""
    with open(log, "ab") as out:
        return subprocess.Popen(  # noqa: S603
            args,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def start_worker(name: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """``bin/entrypoint worker``, as production runs it, polling every 0.1 s."""
    args = [str(settings.BASE_DIR / "bin" / "entrypoint"), "worker"]
    args += ["--queue-name", "*", "--worker-id", name, "--interval", "0.1"]
    return start([*args, "--no-startup-delay", "--no-reload"], env, log)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_for(condition, *, timeout: float, what: str, log: Path | None = None):
    """Poll ``condition`` until it returns something true; fail after ``timeout``
    seconds, showing the process log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    shown = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{shown}")
