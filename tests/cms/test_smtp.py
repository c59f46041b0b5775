"""The confirmation email through a real SMTP conversation (aiosmtpd on loopback)."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar

from cms import services

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    with socket.socket() as probe:  # a free loopback port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


def test_confirmation_goes_out_over_smtp_with_the_calendar_file(
    smtp_server, site_pages
):
    services.registration_create(
        event=site_pages.event, name="Ada Example", email="ada@example.org"
    )
    (envelope,) = smtp_server.messages
    assert envelope.rcpt_tos == ["ada@example.org"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "Your place at Test conference"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "event.ics"
    calendar = Calendar.from_ical(attachment.get_content())
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == "Test conference"
