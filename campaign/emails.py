"""The pledge's and asks' emails: confirmation links to the person who made them
(in the language of the page they used), the ask itself to the candidate, and the
spike alert to coordinators (both in English)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, EmailMultiAlternatives, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from campaign import tokens
from network.models import Area
from network.visibility import COORDINATOR_GROUP
from ops.i18n import language_of
from ops.siteurl import absolute_url


def _message(*, to: str, subject: str, template: str, context: dict):
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(
        render_to_string(f"{template}.html", context), "text/html"
    )
    return message


def pledge_confirmation(*, pledge) -> EmailMultiAlternatives:
    """In the pledge's language; its link leads to the confirmation page in it."""
    token = tokens.make(tokens.PLEDGE_SALT, pledge.pk)
    with language_of(pledge.language):
        context = {
            "name": pledge.name,
            "constituency": pledge.constituency.name,
            "joins_updates": pledge.updates_request_id is not None,
            "confirm_url": absolute_url(reverse("pledge:confirm", args=[token])),
            "valid_days": max(settings.PLEDGE_CONFIRM_MAX_AGE // 86400, 1),
        }
        subject = _("Please confirm your pledge: No ceasefire, no vote")
        if context["joins_updates"]:
            subject = _("Please confirm your pledge and your updates sign-up")
        return _message(
            to=pledge.email,
            subject=subject,
            template="campaign/email/pledge_confirm",
            context=context,
        )


def ask_confirmation(*, ask) -> EmailMultiAlternatives:
    """In the language the constituent wrote from."""
    token = tokens.make(tokens.ASK_SALT, ask.pk)
    with language_of(ask.language):
        context = {
            "name": ask.name,
            "candidate": ask.candidacy.person.name,
            "subject": ask.subject,
            "message": ask.message,
            "confirm_url": absolute_url(reverse("pledge:ask_confirm", args=[token])),
            "valid_days": max(settings.PLEDGE_CONFIRM_MAX_AGE // 86400, 1),
        }
        return _message(
            to=ask.email,
            subject=_("Please confirm your message to %(candidate)s")
            % {"candidate": ask.candidacy.person.name},
            template="campaign/email/ask_confirm",
            context=context,
        )


def ask_message(*, ask, to: str, connection=None) -> EmailMessage:
    """The ask as the candidate gets it: from the site, Reply-To the constituent,
    who confirmed the address."""
    body = render_to_string(
        "campaign/email/ask.txt",
        {
            "ask": ask,
            "constituency": ask.candidacy.area.name if ask.candidacy.area_id else "",
        },
    )
    return EmailMessage(
        subject=ask.subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[ask.email],
        headers={"X-Ask-Id": str(ask.pk)},
        connection=connection,
    )


def spike_alert(*, constituency_id: int, count: int) -> int:
    area = Area.objects.filter(pk=constituency_id).first()
    if area is None:
        return 0
    recipients = sorted(
        get_user_model()
        .objects.filter(groups__name=COORDINATOR_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return 0
    minutes = settings.PLEDGE_SPIKE_WINDOW // 60
    body = render_to_string(
        "campaign/email/spike_alert.txt",
        {
            "area": area,
            "count": count,
            "minutes": minutes,
            "admin_url": absolute_url(reverse("wagtailadmin_home")),
        },
    )
    return send_mail(
        subject=f"Pledges surging in {area.name}: {count} in {minutes} minutes",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
