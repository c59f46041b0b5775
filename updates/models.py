"""Subscribers, their consent log, mailings and per-recipient deliveries; the sign-up
page and the sign-up block editors place on other pages."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from network.models import AreaType
from ops.siteurl import CanonicalPageURLMixin, absolute_url

from . import consent

# ------------------------------------------------------------------ subscribers


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", "Pending (not confirmed)"
    CONFIRMED = "confirmed", "Confirmed"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    BOUNCED = "bounced", "Bounced"


class Subscriber(models.Model):
    """An email address on the updates list. Only confirmed ones receive updates."""

    email = models.EmailField(
        max_length=254, help_text="Unique regardless of upper or lower case."
    )
    name = models.CharField(max_length=150, blank=True)
    postcode = models.CharField(
        max_length=8, blank=True, help_text="As given, normalised (e.g. SW1A 1AA)."
    )
    constituency = models.ForeignKey(
        "network.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"area_type": AreaType.CONSTITUENCY},
        help_text="From the postcode, when it could be looked up; used for targeting.",
    )
    language = models.CharField(
        max_length=10,
        blank=True,
        default="",
        help_text=(
            "The language of the page they signed up on: their emails use it. "
            "Empty: English."
        ),
    )
    status = models.CharField(
        max_length=12,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    left_at = models.DateTimeField(
        "unsubscribed or bounced at", null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="updates_subscriber_email_ci_unique",
                violation_error_message="This address is already on the list.",
            )
        ]

    def __str__(self):
        return self.email

    @property
    def consent_wording(self) -> str:
        """The statement they agreed to (needs the evidence annotations of
        ``selectors.subscribers_with_consent_evidence``)."""
        return consent.wording(getattr(self, "consent_wording_version", None) or "")


class ConsentAction(models.TextChoices):
    REQUESTED = "requested", "Requested (signed up)"
    CONFIRMED = "confirmed", "Confirmed"
    WITHDRAWN = "withdrawn", "Withdrawn (unsubscribed)"


class ConsentEvent(models.Model):
    """One step in a subscriber's consent, kept as evidence. Append-only: rows are
    added, never changed; the admin shows them read-only."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="consent_events"
    )
    action = models.CharField(max_length=10, choices=ConsentAction.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(
        max_length=255,
        blank=True,
        help_text="Where it happened: the page's path, or the email link.",
    )
    wording_version = models.CharField(
        max_length=20, blank=True, help_text="The consent statement's version."
    )
    method = models.CharField(
        "how",
        max_length=120,
        help_text="How it was given or withdrawn, e.g. 'sign-up form'.",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff member who recorded it, if not the subscriber.",
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "consent event"
        indexes = [models.Index(fields=["subscriber", "action", "at"])]

    def __str__(self):
        return f"{self.subscriber} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        # Evidence must not change after the fact.
        if not self._state.adding:
            raise ValueError("Consent events are append-only: add a new one instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Consent events are append-only and cannot be deleted.")


class PendingSignup(models.Model):
    """A sign-up form as posted, waiting for the background task that acts on it
    (``services.signup_process``) and then deletes it.

    The request stores one of these for every address, known or not, so it does
    the same work and takes as long whoever is signing up; only the task looks the
    address up. The queued task carries this row's id, never the address."""

    email = models.EmailField(max_length=254)
    name = models.CharField(max_length=150, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    wording_version = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=255, blank=True)
    language = models.CharField(max_length=10, blank=True, default="")
    received_at = models.DateTimeField(default=timezone.now, editable=False)

    # A queue, not content: nothing refers to these rows.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = "sign-up waiting to be processed"

    def __str__(self):
        return f"{self.email} {self.received_at:%Y-%m-%d %H:%M}"


# ------------------------------------------------------------------ mailings


# What a mailing can be aimed at: subscribers are placed by their constituency,
# which lies in a region and nation and overlaps one or more councils.
MAILING_TARGET_TYPES = [
    AreaType.NATION,
    AreaType.REGION,
    AreaType.COUNTY,
    AreaType.LOCAL_AUTHORITY,
    AreaType.CONSTITUENCY,
]


class MailingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"


class Mailing(ClusterableModel):
    """An update written in the admin and sent to confirmed subscribers, in English
    and in any translations it has (``MailingTranslation``)."""

    subject = models.CharField(max_length=200)
    body = RichTextField(
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        help_text="Sent as HTML with a plain-text copy; an unsubscribe link is added.",
    )
    target_areas = models.ManyToManyField(
        "network.Area",
        blank=True,
        related_name="+",
        limit_choices_to={"area_type__in": MAILING_TARGET_TYPES},
        verbose_name="who gets it",
        help_text=(
            "Only subscribers in these regions, nations, councils or constituencies. "
            "Leave empty for everyone."
        ),
    )
    status = models.CharField(
        max_length=10,
        choices=MailingStatus.choices,
        default=MailingStatus.DRAFT,
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    recipients_listed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the recipients were fixed; later sign-ups are not added.",
    )
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The sender at work on it holds a lease, renewed as it goes; a worker finding
    # the lease lapsed knows its sender died and resumes the mailing.
    lease_token = models.CharField(
        max_length=32,
        blank=True,
        editable=False,
        help_text="The sender at work on it: a random token for each run.",
    )
    lease_expires_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the sender's claim lapses unless it renews it.",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("send_mailing", "Can send mailings to subscribers")]

    def __str__(self):
        return self.subject

    @property
    def is_draft(self) -> bool:
        return self.status == MailingStatus.DRAFT


MAILING_BODY_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


def _translation_languages():
    return [
        (code, name)
        for code, name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
    ]


class MailingTranslation(models.Model):
    """A mailing in another language. Subscribers who signed up in that language
    get it; everyone else (and anyone whose language has none) gets the English."""

    mailing = ParentalKey(
        Mailing, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(max_length=10, choices=_translation_languages)
    subject = models.CharField(max_length=200)
    body = RichTextField(features=MAILING_BODY_FEATURES)

    panels = [FieldPanel("language"), FieldPanel("subject"), FieldPanel("body")]

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "language"],
                name="updates_mailing_translation_one_per_language",
                violation_error_message="This mailing already has that language.",
            )
        ]

    def __str__(self):
        return f"{self.mailing} ({self.language})"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    # Handed to the mail server, its answer not yet recorded.
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    RETRY = "retry", "Failed, will retry"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped (left the list before sending)"


class Delivery(models.Model):
    """One mailing to one subscriber. The unique pair is what makes sending
    idempotent: a restarted send only picks rows not yet handed to the mail server,
    and a row is handed over only by moving it from queued to sending, which one
    sender alone can do."""

    mailing = models.ForeignKey(
        Mailing, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "subscriber"], name="updates_delivery_once"
            )
        ]
        indexes = [models.Index(fields=["mailing", "status", "id"])]

    def __str__(self):
        return f"{self.mailing} to {self.subscriber}"


# ------------------------------------------------------------------ pages and blocks


class SignupBlock(blocks.StructBlock):
    """The sign-up form, for a page's body (the home page uses one)."""

    heading = blocks.CharBlock(default="Get updates", max_length=80)
    text = blocks.TextBlock(
        required=False, max_length=400, help_text="A sentence on what people get."
    )
    button_label = blocks.CharBlock(default="Sign up", max_length=40)

    class Meta:
        icon = "mail"
        label = "Sign-up form"
        template = "updates/blocks/signup_block.html"


class SignupPage(CanonicalPageURLMixin, Page):
    """The title and intro of the sign-up page. The site has one sign-up page,
    /updates/signup/ (``views.signup``), which shows them above the form; this
    page's own address leads there, so links to either reach the same form."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="Shown above the form.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    template = "updates/signup_page.html"
    max_count = 1
    subpage_types = []

    def get_context(self, request, *args, **kwargs):
        from .forms import SignupForm

        context = super().get_context(request, *args, **kwargs)
        context["form"] = SignupForm(initial={"source_page": self.pk})
        return context

    def serve(self, request, *args, **kwargs):
        # The editor's preview shows the page as it will read at /updates/signup/.
        if getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        return redirect("updates:signup", permanent=True)

    def get_sitemap_urls(self, request=None):
        with translation.override(self.locale.language_code):
            location = absolute_url(reverse("updates:signup"))
        lastmod = self.last_published_at or self.latest_revision_created_at
        return [{"location": location, "lastmod": lastmod}]
