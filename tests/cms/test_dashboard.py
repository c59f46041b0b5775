"""The admin dashboard's "Waiting for you" panel: what editors and coordinators
have to act on, with links to where, at a cost that does not grow with it."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network.models import DeletionRequest, JoinRequest
from network.services import note_add
from network.visibility import COORDINATOR_GROUP, EDITOR_GROUP
from tests.conftest import sign_in_as_staff
from tests.factories import PersonFactory
from tests.updates.factories import MailingFactory
from updates.models import MailingStatus

pytestmark = pytest.mark.django_db


def user_in(django_user_model, group, username):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.org", password="pw"
    )
    user.groups.add(AuthGroup.objects.get(name=group))
    return user


def panel(html: str) -> str:
    start = html.index('id="waiting-for-you-heading"')
    return html[start : html.index("</section>", start)]


def row(html: str, label: str) -> tuple[int, str]:
    """The count and the link target of the panel's row for ``label``."""
    match = re.search(
        rf"<td>{re.escape(label)}</td>\s*<td data-waiting-count>(\d+)</td>\s*"
        r'<td>(?:<a href="([^"]*)")?',
        panel(html),
    )
    assert match, f"no row for {label}"
    return int(match.group(1)), (match.group(2) or "").replace("&amp;", "&")


def make_backlog(coordinator, n):
    today = timezone.localdate()
    for i in range(n):
        JoinRequest.objects.create(
            name=f"Asker {i}", email=f"ask{i}@example.org", role="organiser",
            statement="I organise locally.",
        )  # fmt: skip
        note_add(author=coordinator, person=PersonFactory(), text=f"<p>Ring {i}</p>",
                 follow_up_on=today - timedelta(days=i))  # fmt: skip
        MailingFactory()
    # Not waiting: decided, done, in the future, sent.
    JoinRequest.objects.create(name="Old", email="old@example.org", role="organiser",
                               statement="x", status="approved")  # fmt: skip
    note_add(author=coordinator, person=PersonFactory(), text="<p>Later</p>",
             follow_up_on=today + timedelta(days=3))  # fmt: skip
    MailingFactory(status=MailingStatus.SENT)


def test_coordinator_sees_join_requests_and_follow_ups(client, django_user_model):
    coordinator = user_in(django_user_model, COORDINATOR_GROUP, "coord")
    make_backlog(coordinator, 3)
    DeletionRequest.objects.create(person=PersonFactory())
    sign_in_as_staff(client, coordinator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    count, url = row(html, "Join requests to decide")
    assert count == 3 and url == reverse("joinrequest:index") + "?status=pending"
    assert client.get(url).status_code == 200
    count, url = row(html, "Your follow-ups due today or overdue")
    assert count == 3 and "follow_ups=mine" in url
    assert client.get(url).status_code == 200
    assert row(html, "Erasure requests to confirm")[0] == 1
    # Coordinators do not write mailings: that row is not theirs.
    assert "Mailings drafted" not in panel(html)


def test_editor_sees_mailings_waiting(client, django_user_model):
    editor = user_in(django_user_model, EDITOR_GROUP, "editor")
    MailingFactory()
    MailingFactory(status=MailingStatus.SENT)
    sign_in_as_staff(client, editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    count, url = row(html, "Mailings drafted, not sent")
    assert count == 1 and url == reverse("updates_mailing:index") + "?status=draft"
    listing = client.get(url)
    assert listing.status_code == 200
    assert "Join requests" not in panel(html)


def test_nothing_waiting_shows_no_link(client, django_user_model):
    editor = user_in(django_user_model, EDITOR_GROUP, "editor")
    sign_in_as_staff(client, editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert row(html, "Mailings drafted, not sent") == (0, "")


def test_panel_costs_the_same_for_a_long_backlog(client, django_user_model):
    coordinator = user_in(django_user_model, COORDINATOR_GROUP, "coord")
    coordinator.groups.add(AuthGroup.objects.get(name=EDITOR_GROUP))
    sign_in_as_staff(client, coordinator)
    make_backlog(coordinator, 1)
    client.get(reverse("wagtailadmin_home"))  # warm caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("wagtailadmin_home"))
    make_backlog(coordinator, 12)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert row(html, "Join requests to decide")[0] == 13
    assert len(many.captured_queries) <= len(few.captured_queries)
