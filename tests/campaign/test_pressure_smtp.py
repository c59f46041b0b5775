"""The pledge and an ask through a real SMTP server (aiosmtpd on loopback): the
confirmation emails, and the ask delivered to the candidate with the
constituent as Reply-To."""

import email
import email.policy
import re

import pytest

from campaign.models import AskStatus, ConstituentAsk, Pledge, PledgeStatus
from network.models import Area, Visibility
from tests.cms.test_smtp import smtp_server  # noqa: F401 - the fixture
from tests.factories import CandidacyFactory, ContactFactory

pytestmark = pytest.mark.django_db


def parsed(envelope):
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


def link_in(message, pattern):
    body = message.get_body(("plain",)).get_content()
    return re.search(pattern, body).group(1)


def test_pledge_and_ask_through_smtp(
    client,
    smtp_server,  # noqa: F811 - the fixture imported above
    wording,
    uk_areas,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/pledge/", {
            "name": "Sol Smtp", "email": "sol.smtp@example.org",
            "postcode": "BB1 1QR", "consent": "on", "join_updates": "on",
        })  # fmt: skip
    (envelope,) = smtp_server.messages
    assert envelope.rcpt_tos == ["sol.smtp@example.org"]
    message = parsed(envelope)
    assert "confirm your pledge and your updates" in message["Subject"]
    path = link_in(message, r"https?://[^/\s]+(/pledge/confirm/\S+/)")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path).status_code == 200
    assert Pledge.objects.get().status == PledgeStatus.CONFIRMED
    assert len(smtp_server.messages) == 1  # one email confirmed both

    blackburn = Area.objects.get(area_type="constituency", name="Blackburn")
    candidacy = CandidacyFactory(area=blackburn, person__name="Cy Candidate")
    ContactFactory(person=candidacy.person, kind="email", value="cy@example.org",
                   visibility=Visibility.PUBLIC)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/ask/{candidacy.pk}/", {
            "name": "Sol Smtp", "email": "sol.smtp@example.org",
            "postcode": "BB1 1QR", "subject": "Ceasefire?",
            "message": "Please call for a ceasefire.", "consent": "on",
        })  # fmt: skip
    assert len(smtp_server.messages) == 2
    path = link_in(parsed(smtp_server.messages[1]),
                   r"https?://[^/\s]+(/ask/confirm/\S+/)")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path)
    delivered = smtp_server.messages[2]
    assert delivered.rcpt_tos == ["cy@example.org"]
    message = parsed(delivered)
    assert message["Reply-To"] == "sol.smtp@example.org"
    assert "Please call for a ceasefire." in message.get_body(("plain",)).get_content()
    assert ConstituentAsk.objects.get().status == AskStatus.SENT
