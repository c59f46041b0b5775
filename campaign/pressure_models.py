"""Mass pressure: the "No ceasefire, no vote" pledge and constituents asking their
candidates. Imported by ``campaign.models``; read that module's neighbours
(``campaign.services``, ``campaign.selectors``) for what changes these rows.

A pledge counts once it is confirmed by email, unless it is held (over a rate
limit, from a blocked domain or network) or a coordinator invalidated it. Counts
live in ``PledgeCount`` (one row per constituency, region and nation), changed
only by ``campaign.services.pledge_counts_change`` in the transaction that
changed the pledges: pages read the counters, never ``COUNT(*)``.

What is kept about a person is the least the pledge needs: name and email (to
confirm and, on request, to export or erase), the constituency and ward (to
count), never the full postcode (it goes to the updates list only when the
person also joins it). The client address is kept only as a keyed hash and its
network prefix, for a few days, to apply rate limits and undo a flood.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from network.models import AreaType

# ------------------------------------------------------------------ wording


class PledgeWording(models.Model):
    """One version of what people pledge and consent to, in one language. Never
    edited once a pledge was made under it: a new wording gets a new version, so
    every pledge keeps the exact words its person saw.

    The newest English wording is the current version. A translation has the
    version of the English wording it translates; a reader of /ur/pledge/ sees the
    current version's Urdu wording when there is one, else the English."""

    version = models.SlugField(
        max_length=20,
        help_text=(
            "For example 2026-12. Never reused for new English words; a "
            "translation takes the version of the English wording it translates."
        ),
    )
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text="The language of these words.",
    )
    title = models.CharField(
        max_length=120, default="No ceasefire, no vote", help_text="The page heading."
    )
    statement = models.TextField(
        max_length=2000, help_text="What people pledge, in the first person."
    )
    consent = models.TextField(
        max_length=1000,
        help_text=(
            "The consent box's label. A pledge reveals a political opinion "
            "(special-category data): say so, and say what it is used for."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "pledge wording"
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"],
                name="campaign_pledgewording_version_language",
            )
        ]

    def __str__(self):
        if self.language == settings.LANGUAGE_CODE:
            return f"{self.title} ({self.version})"
        return f"{self.title} ({self.version}, {self.get_language_display()})"

    def clean(self):
        if self.pk and self.pledges.exists():
            saved = PledgeWording.objects.get(pk=self.pk)
            if any(
                getattr(saved, name) != getattr(self, name)
                for name in ("version", "language", "statement", "consent")
            ):
                raise ValidationError(
                    "People have pledged under this wording: add a new version "
                    "instead of changing it."
                )
        if (
            self.language != settings.LANGUAGE_CODE
            and self.version
            and not PledgeWording.objects.filter(
                version=self.version, language=settings.LANGUAGE_CODE
            ).exists()
        ):
            raise ValidationError(
                {
                    "version": (
                        "A translation takes the version of the English wording "
                        "it translates: there is no English wording "
                        f"{self.version}."
                    )
                }
            )


@register_setting(icon="mail")
class CampaignSettings(BaseSiteSetting):
    """The message constituents send their candidates, which they may change."""

    ask_subject = models.CharField(
        max_length=150, default="Will you call for a ceasefire in Gaza?"
    )
    ask_message = models.TextField(
        max_length=4000,
        default=(
            "Dear {candidate},\n\nI live in {constituency} and I will not vote for "
            "anyone who refuses to call for an immediate and lasting ceasefire in "
            "Gaza. Will you call for one, publicly?\n\nPlease reply to me at this "
            "address.\n\nYours sincerely,\n{name}"
        ),
        help_text=(
            "Constituents may change it before sending. {candidate}, "
            "{constituency} and {name} are filled in."
        ),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("ask_subject"), FieldPanel("ask_message")],
            heading="Asking candidates",
        )
    ]

    class Meta:
        verbose_name = "campaign messages"


# ------------------------------------------------------------------ pledges


class PledgeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for email confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    INVALIDATED = "invalidated", "Invalidated"


class PledgeInvalidation(models.Model):
    """A coordinator's batch invalidation: which pledges it matched and why."""

    reason = models.CharField(max_length=300)
    email_domain = models.CharField(
        max_length=253, blank=True, help_text="Pledges from this email domain."
    )
    network = models.CharField(
        max_length=49,
        blank=True,
        help_text="Pledges from this network (e.g. 203.0.113.0/24).",
    )
    made_from = models.DateTimeField(
        null=True, blank=True, help_text="Pledges made at or after this time."
    )
    made_until = models.DateTimeField(
        null=True, blank=True, help_text="Pledges made before this time."
    )
    constituency = models.ForeignKey(
        "network.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"area_type": AreaType.CONSTITUENCY},
        help_text="Only pledges in this constituency.",
    )
    pledges_invalidated = models.PositiveIntegerField(default=0, editable=False)
    counted_removed = models.PositiveIntegerField(
        default=0, editable=False, help_text="Confirmed pledges taken off the counts."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "pledge invalidation"

    def __str__(self):
        return f"{self.reason} ({self.pledges_invalidated})"


class Pledge(models.Model):
    wording = models.ForeignKey(
        PledgeWording, on_delete=models.PROTECT, related_name="pledges"
    )
    name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    email_domain = models.CharField(max_length=253, blank=True, db_index=True)
    constituency = models.ForeignKey(
        "network.Area",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"area_type": AreaType.CONSTITUENCY},
    )
    ward = models.ForeignKey(
        "network.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"area_type": AreaType.WARD},
    )
    status = models.CharField(
        max_length=12,
        choices=PledgeStatus.choices,
        default=PledgeStatus.PENDING,
        db_index=True,
    )
    held = models.BooleanField(
        default=False,
        help_text="Over a rate limit or from a blocked domain or network: not counted.",
    )
    hold_reason = models.CharField(max_length=120, blank=True)
    source = models.CharField(max_length=255, blank=True)
    # The updates sign-up this pledge's email also confirms, when they joined.
    updates_request = models.ForeignKey(
        "updates.ConsentEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    client_hash = models.CharField(max_length=64, blank=True, db_index=True)
    client_network = models.CharField(max_length=49, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    invalidated_at = models.DateTimeField(null=True, blank=True)
    invalidation = models.ForeignKey(
        PledgeInvalidation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(
        max_length=10,
        blank=True,
        default="",
        help_text=(
            "The language of the page they pledged on: their email uses it. "
            "Empty: English."
        ),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="campaign_pledge_email_ci_unique",
            )
        ]
        indexes = [models.Index(fields=["client_hash", "created_at"])]

    def __str__(self):
        return f"Pledge {self.pk} ({self.get_status_display()})"

    @property
    def counted(self) -> bool:
        return self.status == PledgeStatus.CONFIRMED and not self.held


# Each area's count is split over this many rows. Every confirmation also adds
# to its region's and nation's counts: with one row each, those rows would be
# locked by every confirmation in the country until it commits, one at a time.
# A pledge always counts in the same shard (its id modulo this), so no shard's
# count can go below zero.
PLEDGE_COUNT_SHARDS = 16


class PledgeCount(models.Model):
    """Confirmed, counted pledges in one constituency, region or nation: the sum
    of its shards' rows."""

    area = models.ForeignKey(
        "network.Area", on_delete=models.CASCADE, related_name="pledge_counts"
    )
    shard = models.PositiveSmallIntegerField(default=0)
    pledges = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pledge count"
        constraints = [
            models.UniqueConstraint(
                fields=["area", "shard"], name="campaign_pledgecount_area_shard"
            )
        ]

    def __str__(self):
        return f"{self.area_id}/{self.shard}: {self.pledges}"


class RuleKind(models.TextChoices):
    DOMAIN = "domain", "Email domain"
    NETWORK = "network", "Network (IP range)"


class RuleAction(models.TextChoices):
    BLOCK = "block", "Block: hold pledges and asks, never count them"
    ALLOW = "allow", "Allow: no rate limit (a shared office or campus network)"


class PledgeRule(models.Model):
    """A blocked or allowed email domain or network, kept by coordinators."""

    kind = models.CharField(max_length=8, choices=RuleKind.choices)
    action = models.CharField(max_length=8, choices=RuleAction.choices)
    value = models.CharField(
        max_length=253,
        help_text="A domain (example.com, covering its subdomains) or a network "
        "in CIDR form (203.0.113.0/24).",
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["kind", "value"]
        verbose_name = "blocked or allowed address"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value"], name="campaign_pledgerule_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_action_display().split(':')[0]} {self.value}"

    def clean(self):
        import ipaddress

        self.value = (self.value or "").strip().lower()
        if self.kind == RuleKind.NETWORK:
            try:
                self.value = str(ipaddress.ip_network(self.value, strict=False))
            except ValueError:
                raise ValidationError(
                    {"value": "Enter a network like 203.0.113.0/24 or 2001:db8::/48."}
                ) from None
        elif self.kind == RuleKind.DOMAIN:
            self.value = self.value.lstrip("@.")
            if "." not in self.value or " " in self.value or "@" in self.value:
                raise ValidationError({"value": "Enter a domain like example.com."})


# ------------------------------------------------------------------ asks


class AskStatus(models.TextChoices):
    PENDING = "pending", "Waiting for email confirmation"
    QUEUED = "queued", "Confirmed, waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    RECORDED = "recorded", "Recorded (no public address to send to)"
    FAILED = "failed", "Failed"


# Confirmed asks: these count in "asked by N constituents".
ASK_COUNTED = (AskStatus.QUEUED, AskStatus.SENDING, AskStatus.SENT, AskStatus.RECORDED)


class ConstituentAsk(models.Model):
    """A constituent's message to a candidate. Sent only once the constituent
    confirms by email; then at most once (the status moves from queued to sending
    before the message goes, as updates' deliveries do)."""

    candidacy = models.ForeignKey(
        "network.Role", on_delete=models.CASCADE, related_name="constituent_asks"
    )
    name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    subject = models.CharField(max_length=150)
    message = models.TextField(max_length=5000)
    status = models.CharField(
        max_length=10,
        choices=AskStatus.choices,
        default=AskStatus.PENDING,
        db_index=True,
    )
    held = models.BooleanField(default=False)
    hold_reason = models.CharField(max_length=120, blank=True)
    client_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(
        max_length=10,
        blank=True,
        default="",
        help_text=(
            "The language of the page they wrote from: the confirmation email "
            "uses it. Empty: English."
        ),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "constituent's ask"
        indexes = [
            models.Index(fields=["candidacy", "status", "confirmed_at"]),
            models.Index(fields=["email", "candidacy", "created_at"]),
        ]

    def __str__(self):
        return f"Ask {self.pk} ({self.get_status_display()})"
