"""Writes: signing up, confirming, leaving, queueing and test-sending mailings.

Every change of a subscriber's consent adds a ``ConsentEvent`` in the same
transaction, so the log and the status cannot disagree.
"""

import enum
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from network.postcodes import constituency_for_postcode

from . import consent
from .models import (
    ConsentAction,
    ConsentEvent,
    Mailing,
    MailingStatus,
    PendingSignup,
    Subscriber,
    SubscriberStatus,
)
from .tokens import ConfirmClaim


def _enqueue_confirmation(subscriber_id: int, request_id: int) -> None:
    from .tasks import send_confirmation

    transaction.on_commit(
        lambda: send_confirmation.enqueue(subscriber_id, request_id), robust=True
    )


# ------------------------------------------------------------------ signing up


def signup_request(
    *,
    email: str,
    name: str = "",
    postcode: str = "",
    wording_version: str = consent.CURRENT_VERSION,
    source: str = "",
    language: str = "",
) -> None:
    """Take a sign-up from the form and queue it for ``signup_process``.

    Returns nothing on purpose: the caller answers the same whatever the address's
    state, so the form cannot tell anyone who is on the list. For the same reason
    the request does the same work for every address: it stores the form as
    posted and queues one task with the row's id. Looking the address up, and so
    deciding whether it gets a confirmation link, is left to the task; done here,
    it made a confirmed address answer about twice as fast as any other."""
    from .tasks import process_signup

    pending = PendingSignup(
        email=email.strip().lower(),
        name=name,
        postcode=postcode,
        wording_version=wording_version,
        source=source[:255],
        language=language,
        received_at=timezone.now(),
    )
    pending.full_clean()
    with transaction.atomic():
        # Queued in the same transaction: the row and its task exist together.
        pending.save()
        process_signup.enqueue(pending.pk)


def signup_process(*, pending_id: int) -> bool:
    """Act on one queued sign-up, then forget it. A confirmed address gets nothing;
    any other gets a confirmation link (at most one per
    ``UPDATES_CONFIRM_RESEND_AFTER`` seconds, so the form cannot flood an inbox).
    Returns whether a link was queued; False too when the sign-up is gone (done
    by an earlier run of the task, or erased meanwhile)."""
    pending = PendingSignup.objects.filter(pk=pending_id).first()
    if pending is None:
        return False
    # Looked up before any lock is taken: the lookup may wait on a web service.
    constituency = (
        constituency_for_postcode(pending.postcode) if pending.postcode else None
    )
    with transaction.atomic():
        # Deleting claims it: a second run of the same task finds nothing to do.
        claimed, _ = PendingSignup.objects.filter(pk=pending.pk).delete()
        if not claimed:
            return False
        return _signup_apply(pending, constituency)


def _record_request(
    *,
    email,
    name,
    postcode,
    constituency,
    at,
    source,
    wording_version,
    method,
    language="",
):
    """The subscriber (created if new, details updated while unconfirmed) and a
    new "requested" consent event, with the previous one; (None, None, None) when
    the address is confirmed already."""
    subscriber = (
        Subscriber.objects.select_for_update().filter(email__iexact=email).first()
    )
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(email=email, created_at=at)
        except IntegrityError:  # the same address signed up at the same moment
            subscriber = Subscriber.objects.select_for_update().get(email__iexact=email)
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return None, None, None
    # Not yet confirmed, so nothing is sent to this address but the confirmation:
    # the details given last are the ones kept.
    if name:
        subscriber.name = name
    if postcode:
        subscriber.postcode = postcode
        subscriber.constituency = constituency
    if language:  # their mail goes out in the language they used last
        subscriber.language = language
    subscriber.save(update_fields=["name", "postcode", "constituency", "language"])
    previous = (
        subscriber.consent_events.filter(action=ConsentAction.REQUESTED)
        .order_by("-at", "-pk")
        .first()
    )
    request = ConsentEvent.objects.create(
        subscriber=subscriber,
        action=ConsentAction.REQUESTED,
        at=at,
        source=source[:255],
        wording_version=wording_version,
        method=method,
    )
    return subscriber, request, previous


def signup_record(
    *,
    email: str,
    name: str = "",
    postcode: str = "",
    constituency=None,
    source: str = "",
    method: str,
    wording_version: str = consent.CURRENT_VERSION,
    language: str = "",
) -> ConsentEvent | None:
    """Record a sign-up whose confirmation link another email carries (the
    pledge's: one email for both). Sends nothing. Returns the "requested" consent
    event to confirm with ``subscriber_confirm``, or None when the address is on
    the list already."""
    with transaction.atomic():
        _subscriber, request, _previous = _record_request(
            email=email.strip().lower(),
            name=name,
            postcode=postcode,
            constituency=constituency,
            at=timezone.now(),
            source=source,
            wording_version=wording_version,
            method=method,
            language=language,
        )
        return request


def _signup_apply(pending: PendingSignup, constituency) -> bool:
    now = pending.received_at
    subscriber, request, previous = _record_request(
        email=pending.email,
        name=pending.name,
        postcode=pending.postcode,
        constituency=constituency,
        at=now,
        source=pending.source,
        wording_version=pending.wording_version,
        method="sign-up form, consent box ticked",
        language=pending.language,
    )
    if subscriber is None:
        return False
    cooldown = timedelta(seconds=settings.UPDATES_CONFIRM_RESEND_AFTER)
    if previous is None or now - previous.at >= cooldown:
        _enqueue_confirmation(subscriber.pk, request.pk)
        return True
    return False


# ------------------------------------------------------------------ confirming


class ConfirmOutcome(enum.Enum):
    CONFIRMED = "confirmed"
    ALREADY = "already"  # confirming twice is harmless
    STALE = "stale"  # they unsubscribed after asking: sign up afresh
    UNKNOWN = "unknown"  # no such subscriber or request (erased, say)


def _withdrawn_since(subscriber: Subscriber, request: ConsentEvent) -> bool:
    return subscriber.consent_events.filter(
        action=ConsentAction.WITHDRAWN, pk__gt=request.pk
    ).exists()


def subscriber_confirm(*, claim: ConfirmClaim, source: str = "") -> ConfirmOutcome:
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update()
            .filter(pk=claim.subscriber_id)
            .first()
        )
        if subscriber is None:
            return ConfirmOutcome.UNKNOWN
        request = subscriber.consent_events.filter(
            pk=claim.request_id, action=ConsentAction.REQUESTED
        ).first()
        if request is None:
            return ConfirmOutcome.UNKNOWN
        if subscriber.status == SubscriberStatus.CONFIRMED:
            return ConfirmOutcome.ALREADY
        if _withdrawn_since(subscriber, request):
            return ConfirmOutcome.STALE
        now = timezone.now()
        subscriber.status = SubscriberStatus.CONFIRMED
        subscriber.confirmed_at = now
        subscriber.left_at = None
        subscriber.save(update_fields=["status", "confirmed_at", "left_at"])
        ConsentEvent.objects.create(
            subscriber=subscriber,
            action=ConsentAction.CONFIRMED,
            at=now,
            source=source[:255],
            wording_version=request.wording_version,
            method="confirmation link followed, Confirm pressed",
        )
        return ConfirmOutcome.CONFIRMED


def confirmation_resend(*, claim: ConfirmClaim) -> None:
    """Send a fresh link for a genuine but expired one, unless the request no longer
    stands (confirmed already, or withdrawn since)."""
    subscriber = Subscriber.objects.filter(pk=claim.subscriber_id).first()
    if subscriber is None or subscriber.status == SubscriberStatus.CONFIRMED:
        return
    request = subscriber.consent_events.filter(
        pk=claim.request_id, action=ConsentAction.REQUESTED
    ).first()
    if request is None or _withdrawn_since(subscriber, request):
        return
    _enqueue_confirmation(subscriber.pk, request.pk)


# ------------------------------------------------------------------ leaving


def subscriber_unsubscribe(
    *, subscriber_id: int, method: str, source: str = "", actor=None
) -> bool:
    """Take an address off the list and log the withdrawal. Returns False when no
    such subscriber exists. Unsubscribing twice records one withdrawal."""
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
        )
        if subscriber is None:
            return False
        if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
            return True
        now = timezone.now()
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        subscriber.left_at = now
        subscriber.save(update_fields=["status", "left_at"])
        ConsentEvent.objects.create(
            subscriber=subscriber,
            action=ConsentAction.WITHDRAWN,
            at=now,
            source=source[:255],
            wording_version="",
            method=method,
            actor=actor,
        )
        return True


# ------------------------------------------------------------------ mailings


def mailing_create(*, form, actor) -> Mailing:
    """Save a new draft from the admin form, recording who wrote it."""
    with transaction.atomic():
        mailing = form.save(commit=False)
        mailing.created_by = actor
        mailing.full_clean()
        mailing.save()
        form.save_m2m()
    return mailing


def mailing_queue(*, mailing: Mailing, actor) -> Mailing:
    """Hand a draft to the background sender. The recipients are fixed when the
    sender starts; sending itself is ``sending.mailing_deliver``."""
    from .tasks import send_mailing

    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if mailing.status != MailingStatus.DRAFT:
            raise ValidationError("This update has already been sent or queued.")
        mailing.status = MailingStatus.QUEUED
        mailing.queued_at = timezone.now()
        mailing.queued_by = actor
        mailing.save(update_fields=["status", "queued_at", "queued_by"])
        mailing_id = mailing.pk
        transaction.on_commit(lambda: send_mailing.enqueue(mailing_id))
    return mailing


def mailing_send_test(*, mailing: Mailing, user) -> str:
    """Send the update, marked as a test, to the editor's own address. Returns it."""
    from django.urls import reverse

    from .mail import MailingRenderer, absolute_url

    if not user.email:
        raise ValidationError("Your account has no email address to send a test to.")
    renderer = MailingRenderer(mailing, test=True)
    # Test copies link to the sign-up page: there is no subscription to end.
    link = absolute_url(reverse("updates:signup"))
    renderer.message(to=user.email, unsubscribe=link).send()
    return user.email
