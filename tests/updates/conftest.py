"""Fixtures for the updates tests: a real SMTP server on a random local port."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache


class SinkHandler:
    """Keeps every message it accepts; refuses the addresses in ``refuse``."""

    def __init__(self):
        self.messages = []
        self.refuse: dict[str, str] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (
                list(envelope.rcpt_tos),
                message_from_bytes(envelope.content, policy=policy.default),
            )
        )
        return "250 Message accepted"

    def recipients(self) -> list[str]:
        return [rcpt for rcpts, _ in self.messages for rcpt in rcpts]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """An aiosmtpd server on 127.0.0.1, with Django's SMTP backend pointed at it."""
    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The sign-up throttle counts in the cache: start every test at zero."""
    cache.clear()
    yield
    cache.clear()
