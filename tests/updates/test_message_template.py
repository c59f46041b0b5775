"""Each recipient's copy of a mailing, made from the message built once, is the
message Django would have built for them: same headers and bodies, their own
address, unsubscribe link and a Message-ID of their own."""

from email import message_from_bytes, policy

import pytest

from tests.updates.factories import MailingFactory
from updates.mail import (
    LINK_PLACEHOLDER,
    MailingRenderer,
    MessageTemplate,
    new_message_id,
    recipient_address,
)

pytestmark = pytest.mark.django_db


def _parts(message):
    return {p.get_content_type(): p.get_content() for p in message.iter_parts()}


@pytest.mark.parametrize(
    "email", ["reader@example.org", "rhiannon@bücher.example", "o'neil@example.org"]
)
def test_a_copy_from_the_template_is_the_message_django_builds(email):
    mailing = MailingFactory(
        subject="Gaza: what your MP said — and what comes next ✊",
        body="<p>Ceasefire now. <a href='https://example.org/ask'>Ask them</a></p>"
        + "<p>" + "A long paragraph of news. " * 60 + "</p>",
    )  # fmt: skip
    renderer = MailingRenderer(mailing)
    template = MessageTemplate.build(renderer)
    assert template is not None
    link = "https://updates.example.org/updates/unsubscribe/42:abcDEF_-123/"
    raw = template.render(
        to=recipient_address(email),
        unsubscribe=link,
        message_id=new_message_id("bench.example", 7),
    )
    fast = message_from_bytes(raw, policy=policy.default)
    slow = message_from_bytes(
        renderer.message(to=email, unsubscribe=link).message().as_bytes(linesep="\r\n"),
        policy=policy.default,
    )
    for header in ("Subject", "From", "To", "List-Unsubscribe",
                   "List-Unsubscribe-Post", "List-Id", "MIME-Version"):  # fmt: skip
        assert str(fast[header]).strip() == str(slow[header]).strip(), header
    assert fast.get_content_type() == slow.get_content_type()
    assert _parts(fast) == _parts(slow)
    assert link in _parts(fast)["text/html"] and link in _parts(fast)["text/plain"]
    assert fast["Message-ID"].startswith("<") and "bench.example" in fast["Message-ID"]
    assert b"\r\n" in raw and b"PLACEHOLDER" not in raw


def test_every_copy_has_its_own_message_id():
    ids = {new_message_id("example.org", n % 3) for n in range(1000)}
    assert len(ids) == 1000


def test_a_template_that_would_split_a_placeholder_is_refused(monkeypatch):
    """The serialised form is checked: if a placeholder does not come out whole
    (as a transfer encoding could make it), each message is built as before."""
    renderer = MailingRenderer(MailingFactory())
    build = renderer.message

    def split(**kwargs):
        message = build(**kwargs)
        message.body = message.body.replace(LINK_PLACEHOLDER, "UNSUB-\nSCRIBE")
        return message

    monkeypatch.setattr(renderer, "message", split)
    assert MessageTemplate.build(renderer) is None


def test_the_senders_own_sql_names_the_real_tables():
    from updates.models import Delivery, Mailing
    from updates.sending import HAND_OVER_AND_SENT_SQL, HAND_OVER_SQL, SENT_SQL

    assert Delivery._meta.db_table == "updates_delivery"
    assert Mailing._meta.db_table == "updates_mailing"
    for sql in (HAND_OVER_SQL, HAND_OVER_AND_SENT_SQL):
        assert sql.startswith("UPDATE updates_delivery ")
        assert "updates_mailing" in sql
    assert SENT_SQL.startswith("UPDATE updates_delivery ")


def test_the_senders_own_sql_spells_the_statuses_as_the_model_does():
    """The statements write the statuses in; a renamed status must not leave
    them matching no row."""
    import re

    from updates.models import DeliveryStatus
    from updates.sending import HAND_OVER_AND_SENT_SQL, HAND_OVER_SQL, SENT_SQL

    values = {status.value for status in DeliveryStatus}
    for sql in (HAND_OVER_SQL, HAND_OVER_AND_SENT_SQL, SENT_SQL):
        written = set(re.findall(r"'([a-z]+)'", sql))
        assert written and written <= values, written - values
    assert {"queued", "sending"} <= set(re.findall(r"'([a-z]+)'", HAND_OVER_SQL))


@pytest.mark.parametrize(
    "email",
    [
        "reader@example.org",
        "First.Last+news@Mail.Example.ORG",
        "o'neil@example.org",
        "x@" + "a" * 63 + ".example",
        # Not plain: each takes Django's and smtplib's own way.
        "x@" + "a" * 64 + ".example",
        "rhiannon@bücher.example",
        "zoë@example.org",
        "two..dots@example.org",
        '"quoted local"@example.org',
        "Reader <reader@example.org>",
    ],
)
def test_addresses_are_given_as_django_and_smtplib_give_them(email):
    """The sender's shortcut for plain addresses changes nothing: the address in
    the message and the envelope are those Django's SMTP backend and smtplib's
    ``sendmail`` would give (or the same error)."""
    import smtplib

    from django.conf import settings
    from django.core.mail.message import sanitize_address

    from updates.mail import envelope_address

    try:
        expected = sanitize_address(email, settings.DEFAULT_CHARSET)
    except ValueError as error:
        with pytest.raises(type(error)):
            recipient_address(email)
        return
    assert recipient_address(email) == expected
    assert envelope_address(expected) == smtplib.quoteaddr(expected)


def test_the_mailings_unsubscribe_links_are_each_recipients_own():
    """Worked out once per mailing, the links are those built one by one, and
    each opens the unsubscribe page of its own subscriber."""
    from updates.mail import unsubscribe_url, unsubscribe_urls
    from updates.tokens import read_unsubscribe_token

    link = unsubscribe_urls()
    for subscriber_id in (1, 42, 987654321):
        assert link(subscriber_id) == unsubscribe_url(subscriber_id)
        token = link(subscriber_id).rstrip("/").rsplit("/", 1)[1]
        assert read_unsubscribe_token(token) == subscriber_id
