"""The web process exactly as the container starts it: `bin/entrypoint web`
(gunicorn with gunicorn.conf.py, production settings, WhiteNoise)."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, headers=None):
    """GET without following redirects: (status, headers, body)."""
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    try:
        conn.request("GET", parsed.path or "/", headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


@pytest.fixture
def web_server(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the server runs in another process: needs DATABASE_URL=postgres")
    db = connection.settings_dict
    port = free_port()
    log_path = tmp_path / "web.log"
    environ = {
        **os.environ,
        "PYTHON": sys.executable,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "entrypoint-test-only-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://nocease.example.org",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "REDIS_URL": "",
    }
    if db.get("PASSWORD"):
        environ["PGPASSWORD"] = db["PASSWORD"]
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603
            [str(settings.BASE_DIR / "bin" / "entrypoint"), "web"],
            env=environ,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        # The first start on a fresh checkout also collects static files.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail("the web process exited:\n" + log_path.read_text())
            try:
                if fetch(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        else:
            pytest.fail("the web process did not answer:\n" + log_path.read_text())
        yield base, log_path
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_the_container_entrypoint_serves_securely(web_server):
    base, log_path = web_server

    status, headers, body = fetch(f"{base}/healthz")
    assert status == 200
    assert json.loads(body)["status"] == "ok"

    # Plain HTTP from a client is sent to HTTPS ...
    status, headers, _ = fetch(f"{base}/admin/login/")
    assert status == 301
    assert headers["Location"] == f"https://{base[7:]}/admin/login/"

    # ... and behind the TLS proxy every security header is present.
    status, headers, body = fetch(
        f"{base}/admin/login/", {"X-Forwarded-Proto": "https"}
    )
    assert status in (200, 302)
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]

    status, headers, _ = fetch(f"{base}/no-such-page/", {"X-Forwarded-Proto": "https"})
    assert status == 404
    assert "script-src 'self';" in headers["Content-Security-Policy"] + ";"
    assert headers["X-Frame-Options"] == "DENY"

    # Static files: hashed names from the manifest, compressed, cached for long.
    manifest = json.loads(
        (settings.BASE_DIR / "staticfiles" / "staticfiles.json").read_text()
    )
    hashed = manifest["paths"]["css/site.css"]
    assert hashed != "css/site.css"
    status, headers, _ = fetch(
        f"{base}/static/{hashed}",
        {"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"},
    )
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]

    # Access log: one JSON object per request, with its id and no client address.
    time.sleep(0.5)
    lines = [json.loads(line) for line in log_path.read_text().splitlines()]
    access = [line for line in lines if line["logger"] == "access"]
    assert {line["path"] for line in access} >= {"/healthz", "/no-such-page/"}
    assert all(len(line["request_id"]) == 32 for line in access)
    assert "127.0.0.1" not in json.dumps(access)
