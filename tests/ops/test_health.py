"""/healthz: what a load balancer polls to decide whether to send traffic here."""

import pytest
from django.db import OperationalError
from django.test import override_settings

from ops import health

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        # The backend production uses: it reads an outage as a miss, and the
        # health check must still see the outage.
        "BACKEND": "ops.cache.TolerantRedisCache",
        # Nothing listens on port 1; the short timeout keeps the test fast.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_healthy_site_answers_200_with_each_check(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok"},
    }
    assert response["Cache-Control"] == "no-store"


def test_probe_by_ip_over_plain_http_is_neither_refused_nor_redirected(client):
    # Load balancers probe the instance address, not the public host name, and
    # over HTTP even when the site redirects everyone else to HTTPS.
    with override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["example.org"]):
        response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
        assert response.status_code == 200
        assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400


@override_settings(CACHES=UNREACHABLE_REDIS)
def test_unreachable_cache_answers_503_naming_the_failed_check(client, caplog):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "unavailable"}
    # The outage is logged by the cache backend, naming the error, not the key.
    assert "Cache unavailable during set (ConnectionError)" in caplog.text


def test_database_failure_answers_503(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "unavailable", "cache": "ok"}


def test_only_reads_are_allowed(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200
