"""Many people at the same moment, against a real server process (gunicorn with a
thread per client, each thread with its own database connection, on the
development settings `make run` uses) on whichever database the suite runs on:
SQLite, the default for `make run`, in a file as there; PostgreSQL as in
production. Both must give the same answers: no server error, nothing lost, one
winner where there can be only one."""

import http.client
import json
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.test import Client

from cms.models import Registration, RegistrationStatus
from network.members import services as member_services
from network.models import Person, ProfileChange
from tests.e2e.conftest import ensure_wagtail_roots
from tests.factories import build_site_pages
from tests.security.faults_support import (
    LiveDatabase,
    free_port,
    process_env,
    start,
    stop,
    wait_for,
)

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 20
CSRF_TOKEN = "c" * 32  # any 32 letters will do as the cookie's secret


@pytest.fixture
def server(tmp_path):
    """Start the site on the live database once the test has published it:
    ``base_url = server(live)``."""
    processes = []
    log = tmp_path / "web.log"

    def serve(live: LiveDatabase) -> str:
        live.publish()
        port = free_port()
        env = process_env(
            live,
            DJANGO_SETTINGS_MODULE="config.settings.dev",
            PORT=str(port),
            WEB_CONCURRENCY="1",
            GUNICORN_THREADS=str(CLIENTS),
            EMAIL_URL="memory://",
            # All clients share one address: the per-address limit is not tested.
            CMS_REGISTRATION_RATE="1000/hour",
            LOG_LEVEL="WARNING",
        )
        processes.append(
            start(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
                + ["config.wsgi"],
                env,
                log,
            )
        )
        base = f"http://127.0.0.1:{port}"

        def up():
            if processes[-1].poll() is not None:
                raise AssertionError("the server exited:\n" + log.read_text())
            try:
                return _request("GET", f"{base}/healthz")[0] == 200
            except OSError:
                return False

        wait_for(up, timeout=60, what="the server", log=log)
        return base

    yield serve
    for process in processes:
        stop(process)


def _request(method, url, *, body=None, headers=None):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request(method, parts.path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def all_at_once(work):
    """Run ``work(i)`` for every client at the same moment; the answers in order."""
    answers = [None] * CLIENTS
    barrier = threading.Barrier(CLIENTS)

    def run(i):
        barrier.wait()
        try:
            answers[i] = work(i)
        except Exception as error:  # shown in the assertion, not lost in a thread
            answers[i] = repr(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return answers


def test_twenty_people_register_at_once_for_the_last_place(server, tmp_path):
    live = LiveDatabase(tmp_path)
    ensure_wagtail_roots()  # an earlier test's flush may have removed them
    event = build_site_pages(capacity=1).event
    base = server(live)
    url = base + event.registration_url()

    def register(i):
        # A browser of its own: its cookies carry it to the thank-you step.
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar())
        )
        form = {"name": f"Person {i}", "email": f"person{i}@example.org"}
        try:
            with browser.open(url, urllib.parse.urlencode(form).encode(), 60) as page:
                text = page.read().decode()
                if "There were places left" in text:
                    return "place"
                if "join the waiting list" in text:
                    return "waiting"
                return f"{page.status} {page.url}"
        except urllib.error.HTTPError as error:
            return error.code

    answers = all_at_once(register)
    live.collect()

    assert sorted(answers, key=str) == ["place"] + ["waiting"] * (CLIENTS - 1), answers
    registrations = Registration.objects.filter(event=event)
    assert registrations.count() == CLIENTS  # nobody lost
    assert registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 1
    assert registrations.filter(status=RegistrationStatus.WAITING).count() == (
        CLIENTS - 1
    )
    (winner,) = [i for i, answer in enumerate(answers) if answer == "place"]
    confirmed = registrations.get(status=RegistrationStatus.CONFIRMED)
    assert confirmed.email == f"person{winner}@example.org"


def test_twenty_saves_of_one_profile_at_once_one_wins_the_rest_are_told(
    server, tmp_path, make_member
):
    live = LiveDatabase(tmp_path)
    member = make_member(name="Noor Parallel")
    browser = Client()
    browser.force_login(member)
    session = browser.cookies["sessionid"].value
    version = member_services.person_version(member.person)
    base = server(live)

    def save(i):
        headers = {
            "Content-Type": "application/json",
            "Cookie": f"sessionid={session}; csrftoken={CSRF_TOKEN}",
            "X-CSRFToken": CSRF_TOKEN,
        }
        data = {"bio": f"Written by client {i}."}
        # Half say which version they edited in the body, half in If-Match.
        if i % 2:
            headers["If-Match"] = f'"{version}"'
        else:
            data["version"] = version
        status, _body = _request(
            "PATCH", f"{base}/api/v1/me/", body=json.dumps(data), headers=headers
        )
        return status

    answers = all_at_once(save)
    live.collect()

    assert answers.count(200) == 1, answers
    (winner,) = [i for i, answer in enumerate(answers) if answer == 200]
    # The others edited a version that is no longer current: 409 when they said
    # so in the body, 412 for If-Match; never a server error.
    for i, answer in enumerate(answers):
        if i != winner:
            assert answer == (412 if i % 2 else 409), answers
    person = Person.objects.get(pk=member.person.pk)
    assert person.bio == f"Written by client {winner}."
    assert ProfileChange.objects.filter(person=person).count() == 1
