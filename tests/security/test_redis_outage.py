"""A Redis outage: sign-in, password reset and asking to join keep working, and every
limit still counts (in each process's memory until Redis is back).

Each test starts a real redis-server, configures the cache as production does
(base.py with ``REDIS_URL``), and kills the server part-way."""

import os
import shutil
import socket
import subprocess
import time

import pytest
import redis
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group as AuthGroup
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from network.roles import EDITOR_GROUP
from ops import cache as tolerant
from tests.conftest import enrol_mfa, totp_code
from tests.security.envsettings import settings_for_environment

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Passphrase-42"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


class RedisServer:
    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(  # noqa: S603 - a fixed argument list
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        self.client = redis.Redis(port=self.port, socket_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise
                time.sleep(0.02)

    def keys(self, pattern: str) -> list[bytes]:
        return self.client.keys(pattern)

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def redis_server():
    if not shutil.which("redis-server"):
        reason = "redis-server is not installed (apt-get install -y redis-server)"
        if IN_CI:
            pytest.fail(reason)
        print(f"\nSkipping: {reason}")  # noqa: T201 - the printed reason
        pytest.skip(reason)
    server = RedisServer()
    # The cache exactly as a deployment with REDIS_URL set gets it.
    caches = settings_for_environment(REDIS_URL=server.url)["CACHES"]
    tolerant._resting_until.clear()
    with override_settings(CACHES=caches):
        from django.core.cache import cache

        yield server
        server.stop()
        tolerant._resting_until.clear()
        cache.clear()  # this process's stand-in counts
    tolerant._resting_until.clear()


def refused(response) -> bool:
    return response.status_code == 429 or b"Too many failed" in response.content


def make_editor(django_user_model, email="ed@example.org"):
    user = django_user_model.objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    user.groups.add(AuthGroup.objects.get(name=EDITOR_GROUP))
    return user, enrol_mfa(user)


def fail_sign_in(client, n):
    return client.post(
        reverse("account_login"),
        {"login": f"guess{n}@example.org", "password": "wrong-guess-123"},
    )


def test_sign_in_works_and_failed_attempts_are_still_limited(
    redis_server, django_user_model
):
    editor, secret = make_editor(django_user_model)
    client = Client()
    # With Redis up the attempts are counted there.
    assert not refused(fail_sign_in(client, "before"))
    assert redis_server.keys("*allauth:rl*login_failed*")

    redis_server.stop()
    started = time.monotonic()
    response = client.post(
        reverse("account_login"), {"login": editor.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    # The app's code is accepted (and remembered as used) without Redis too.
    code = totp_code(secret)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.url == reverse("members:dashboard")
    assert client.get("/admin/").status_code == 200
    # No request waited on the dead server.
    assert time.monotonic() - started < 5

    other = Client()
    other.post(reverse("account_login"), {"login": editor.email, "password": PASSWORD})
    # The same code again (not a fresh one: the app may have moved on to the
    # next 30-second code meanwhile, which would rightly be accepted).
    response = other.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200  # a used code is refused
    assert "_auth_user_id" not in other.session

    # Another address: the refused code above counted against this one.
    attacker = Client(REMOTE_ADDR="192.0.2.50")
    for attempt in range(10):
        assert not refused(fail_sign_in(attacker, attempt)), attempt
    assert refused(fail_sign_in(attacker, 10))
    response = attacker.post(
        reverse("account_login"), {"login": editor.email, "password": PASSWORD}
    )
    assert refused(response)
    assert "_auth_user_id" not in attacker.session


def test_password_reset_and_asking_to_join_work_and_are_limited(
    redis_server, django_user_model, uk_areas
):
    editor, _ = make_editor(django_user_model)
    redis_server.stop()
    client = Client()
    response = client.post(reverse("account_reset_password"), {"email": editor.email})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[editor.email]]

    def join(n):
        return client.post(
            reverse("members:join"),
            {
                "name": f"Sam Joiner{n}",
                "email": f"sam{n}@example.org",
                "role": "organiser",
                "statement": "I organise the local vigil and want to help.",
            },
        )

    for attempt in range(5):  # ACCOUNT_RATE_LIMITS["join_request"]: 5 an hour
        response = join(attempt)
        assert response.status_code == 302, attempt
        assert response.url == reverse("members:join_thanks")
    assert join(5).status_code == 429


@override_settings(API_THROTTLE_ANON="3/minute", POSTCODE_LOOKUPS_PER_MINUTE=2)
def test_api_and_form_throttles_still_count(redis_server, uk_areas):
    redis_server.stop()
    client = Client()
    assert [client.get("/api/v1/parties/").status_code for _ in range(4)] == [
        200,
        200,
        200,
        429,
    ]
    lookups = [
        client.get("/where-they-stand/", {"postcode": "BB1 2AB"}).status_code
        for _ in range(3)
    ]
    assert lookups == [302, 302, 429]
    # The counts stand in for Redis; they do not hide the outage from operators.
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["checks"]["cache"] == "unavailable"
