"""Building the emails: multipart plain text + HTML, each with a visible unsubscribe
link and the List-Unsubscribe / List-Unsubscribe-Post headers of RFC 2369 and 8058.

A mailing's templates render once; each recipient's copy only swaps in their own
unsubscribe link, so building 50,000 messages costs little more than building one.
"""

import re

import nh3
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.rich_text import expand_db_html

from ops import siteurl
from ops.text import html_to_text

from . import tokens
from .models import Mailing

# Stands in for each recipient's unsubscribe link in the rendered templates. Only
# characters that HTML escaping leaves alone, so it survives both templates as is.
LINK_PLACEHOLDER = "UNSUBSCRIBE-LINK-PLACEHOLDER-7f3a"


def absolute_url(path: str) -> str:
    return siteurl.absolute_url(path)


def unsubscribe_url(subscriber_id: int) -> str:
    token = tokens.unsubscribe_token(subscriber_id=subscriber_id)
    return absolute_url(reverse("updates:unsubscribe", args=[token]))


def list_id() -> str:
    # RFC 2919: a unique identifier under a domain the list's owner controls.
    return f"<updates.{siteurl.site_domain()}>"


def unsubscribe_headers(url: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"No Ceasefire No Vote updates {list_id()}",
    }


def build_message(
    *, to: str, subject: str, text: str, html: str, unsubscribe: str, connection=None
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=unsubscribe_headers(unsubscribe),
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


# ------------------------------------------------------------------ confirmation


def confirmation_message(*, subscriber, request_id: int) -> EmailMultiAlternatives:
    token = tokens.confirm_token(subscriber_id=subscriber.pk, request_id=request_id)
    context = {
        "name": subscriber.name,
        "confirm_url": absolute_url(reverse("updates:confirm", args=[token])),
        "unsubscribe_url": unsubscribe_url(subscriber.pk),
        "valid_days": max(settings.UPDATES_CONFIRM_MAX_AGE // 86400, 1),
    }
    return build_message(
        to=subscriber.email,
        subject="Please confirm: updates from No Ceasefire No Vote",
        text=render_to_string("updates/email/confirm.txt", context),
        html=render_to_string("updates/email/confirm.html", context),
        unsubscribe=context["unsubscribe_url"],
    )


# ------------------------------------------------------------------ mailings

_RELATIVE_HREF = re.compile(r'href="(/[^"]*)"')


def mailing_body_html(mailing: Mailing) -> str:
    """The body as email-ready HTML: internal links expanded and made absolute, and
    anything but plain formatting removed."""
    html = nh3.clean(expand_db_html(mailing.body))
    return _RELATIVE_HREF.sub(lambda m: f'href="{absolute_url(m.group(1))}"', html)


class MailingRenderer:
    """Renders a mailing's templates once, then makes each recipient's message."""

    def __init__(self, mailing: Mailing, *, test: bool = False):
        body_html = mailing_body_html(mailing)
        context = {
            "subject": mailing.subject,
            "body_html": body_html,
            "body_text": html_to_text(body_html),
            "unsubscribe_url": LINK_PLACEHOLDER,
            "test": test,
        }
        self.subject = f"[Test] {mailing.subject}" if test else mailing.subject
        self.html = render_to_string("updates/email/mailing.html", context)
        self.text = render_to_string("updates/email/mailing.txt", context)

    def html_for(self, unsubscribe: str) -> str:
        return self.html.replace(LINK_PLACEHOLDER, unsubscribe)

    def message(
        self, *, to: str, unsubscribe: str, connection=None
    ) -> EmailMultiAlternatives:
        return build_message(
            to=to,
            subject=self.subject,
            text=self.text.replace(LINK_PLACEHOLDER, unsubscribe),
            html=self.html_for(unsubscribe),
            unsubscribe=unsubscribe,
            connection=connection,
        )
