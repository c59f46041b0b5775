"""Writes for the campaign site: registering for an event, marking attendance, and
the confirmation email that goes with a registration."""

import logging
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_noop
from wagtail.models import Page, Site

from cms import selectors
from cms.calendar import calendar_for_event
from cms.models import EventPage, Registration, RegistrationState, RegistrationStatus
from ops.i18n import language_of
from ops.siteurl import site_host_and_port

logger = logging.getLogger(__name__)

CONSENT_SOURCE = "event registration form"
# Change the version whenever the wording changes, so each record says what the
# person actually agreed to.
CONSENT_WORDING_VERSION = "event-contact-1"
# English in the records; the form shows it in the reader's language.
CONSENT_WORDING = gettext_noop(
    "The organisers may email me about this event: changes, practical details "
    "and a short follow-up afterwards."
)


class RegistrationOutcome(StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    ALREADY_REGISTERED = "already_registered"
    PROMOTED = "promoted"  # given a place from the waiting list


class RegistrationClosedError(Exception):
    def __init__(self, state: RegistrationState):
        super().__init__(state.label)
        self.state = state


@dataclass(frozen=True)
class RegistrationResult:
    registration: Registration
    outcome: RegistrationOutcome
    # What a new registration made at this moment would have got: the only thing
    # the public page may show, so that it reveals nothing about earlier ones.
    event_was_full: bool


def registration_create(
    *,
    event: EventPage,
    name: str,
    email: str,
    organisation: str = "",
    area=None,
    access_needs: str = "",
    consent_to_contact: bool = False,
    source: str = CONSENT_SOURCE,
    language: str = "",
) -> RegistrationResult:
    """Register someone for an event, or find their earlier registration.

    A new registration gets a place while there are places, else joins the waiting
    list. The same email address twice keeps the first registration unchanged.
    Either way the address gets an email saying where it stands."""
    state = event.registration_state()
    if state != RegistrationState.OPEN:
        raise RegistrationClosedError(state)
    email = email.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        # Lock the event's row so two registrations cannot both take the last place.
        list(Page.objects.select_for_update().filter(pk=event.pk).values_list("pk"))
        full = selectors.event_is_full(event=event)
        existing = Registration.objects.filter(event=event, email__iexact=email).first()
        if existing is None:
            registration = Registration(
                event=event,
                name=name,
                email=email,
                organisation=organisation,
                area=area,
                access_needs=access_needs,
                status=RegistrationStatus.WAITING
                if full
                else RegistrationStatus.CONFIRMED,
                consent_to_contact=consent_to_contact,
                consent_recorded_at=now,
                consent_source=source,
                consent_wording_version=CONSENT_WORDING_VERSION,
                language=language,
                created_at=now,
            )
            registration.full_clean(validate_constraints=False)
            try:
                with transaction.atomic():
                    registration.save()
            except IntegrityError:  # the same address, registered a moment ago
                existing = Registration.objects.get(event=event, email__iexact=email)
        if existing is not None:
            registration = existing
            outcome = RegistrationOutcome.ALREADY_REGISTERED
        elif registration.status == RegistrationStatus.WAITING:
            outcome = RegistrationOutcome.WAITING
        else:
            outcome = RegistrationOutcome.CONFIRMED
    if outcome != RegistrationOutcome.ALREADY_REGISTERED or _may_tell_again(
        registration
    ):
        registration_email_send(registration=registration, outcome=outcome)
    return RegistrationResult(registration, outcome, event_was_full=full)


def _event_in_active_language(event: EventPage) -> EventPage:
    translated = event.localized
    return translated.specific if translated.pk != event.pk else event


def _may_tell_again(registration: Registration) -> bool:
    """True at most once per ``CMS_ALREADY_REGISTERED_EMAIL_AFTER`` seconds for a
    registration (and never while the cache is down: the first email went out)."""
    made = registration.created_at.timestamp()
    key = f"cms:already-registered:{registration.pk}:{made}"
    return cache.add(key, 1, timeout=settings.CMS_ALREADY_REGISTERED_EMAIL_AFTER)


def registration_email_send(
    *, registration: Registration, outcome: RegistrationOutcome
) -> bool:
    """Email the registration's address what happened, with the event as .ics.

    A mail server failure does not undo the registration: it is logged (by
    registration id, never the address) and the editors still see the person."""
    event = registration.event
    with language_of(registration.language):
        # The event as it reads in their language, when it has a translation.
        shown = _event_in_active_language(event)
        context = {
            "registration": registration,
            "event": shown,
            "outcome": outcome,
            "event_url": shown.get_full_url(),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = " ".join(
            render_to_string("cms/emails/registration_subject.txt", context).split()
        )
        body = render_to_string("cms/emails/registration_body.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[registration.email])
    message.attach(
        "event.ics",
        calendar_for_event(event),
        "text/calendar; charset=utf-8; method=PUBLISH",
    )
    try:
        message.send()
    except Exception:
        logger.exception(
            "Registration email failed for registration %s", registration.pk
        )
        return False
    return True


def registration_promote(*, registration: Registration, actor) -> Registration:
    """Give someone on the waiting list a place, and tell them by email.

    Editors decide: a place may be given beyond the capacity (a speaker, a helper)."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RegistrationStatus.WAITING:
            raise ValueError("Only someone on the waiting list can be given a place.")
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status"])
    logger.info("Registration %s given a place by user %s", registration.pk, actor.pk)
    registration_email_send(
        registration=registration, outcome=RegistrationOutcome.PROMOTED
    )
    return registration


def attendance_mark(*, event: EventPage, attended_ids: set[int], actor) -> int:
    """Set who attended an event: the given registrations did, the others did not.
    Returns how many registrations changed."""
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        registrations = Registration.objects.select_for_update().filter(event=event)
        for registration in registrations:
            attended = registration.pk in attended_ids
            if registration.attended != attended:
                registration.attended = attended
                registration.attended_at = now if attended else None
                registration.save(update_fields=["attended", "attended_at"])
                changed += 1
    if changed:
        logger.info(
            "Attendance for event %s: %s changed by user %s",
            event.pk,
            changed,
            actor.pk,
        )
    return changed


# ------------------------------------------------------------------ the site record


def site_sync_with_public_address() -> Site | None:
    """Give the default Wagtail Site the host name and port of SITE_URL, so the
    admin's "view live" links and Wagtail's own lookups agree with every other link.
    Run on each release and by the demo seed; does nothing when they already agree."""
    hostname, port = site_host_and_port()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return site
    if Site.objects.filter(hostname=hostname, port=port).exists():
        # Another site of the tree answers there: an editor's choice to keep.
        logger.warning("A Wagtail site already answers on %s:%s", hostname, port)
        return site
    site.hostname, site.port = hostname, port
    site.save()
    return site


# ---------------------------------------------------------------- translations


def page_translation_publish(*, page: Page, language: str, fields: dict) -> Page:
    """Publish ``page`` in ``language`` with ``fields`` (title, summary, body, ...)
    in that language: the translation is created (with its parents, when they
    have none yet) or updated. Editors do the same in the admin with "Translate";
    the demo and imports call this."""
    from wagtail.models import Locale

    locale, _created = Locale.objects.get_or_create(language_code=language)
    with transaction.atomic():
        translated = page.get_translation_or_none(locale)
        if translated is None:
            translated = page.specific.copy_for_translation(locale, copy_parents=True)
        translated = translated.specific
        for name, value in fields.items():
            setattr(translated, name, value)
        translated.full_clean()
        translated.save_revision().publish()
    return translated
