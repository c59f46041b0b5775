"""Where candidates and representatives stand on a ceasefire: a history of events
per candidacy or seat.

A stance is never a flag someone flips. Each candidacy (a ``Role`` of kind
candidate), and each seat held (an MP's or a councillor's role, asked between
elections too) collects ``StanceEvent``s: it was asked (when, how, by whom), chased,
the candidate replied with a position backed by a quote and a link to the evidence,
later changed it, or corrected the record (their right of reply). The current
position and "asked N times, last on ..., no reply" are derived from the events by
``campaign.selectors``; nothing stores them twice.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models.people import Role, RoleKind, TimestampedModel


class StanceKind(models.TextChoices):
    ASKED = "asked", _("Asked")
    CHASED = "chased", _("Chased")
    REPLIED = "replied", _("Replied")
    CHANGED = "changed", _("Changed position")
    CORRECTION = "correction", _("Candidate's correction")


class Position(models.TextChoices):
    CEASEFIRE = "ceasefire", _("Calls for a ceasefire")
    REFUSES = "refuses", _("Refuses to call for a ceasefire")
    UNCLEAR = "unclear", _("Unclear")


class AskMethod(models.TextChoices):
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")
    HUSTINGS = "hustings", _("At a hustings")
    SOCIAL = "social", _("Social media")
    OTHER = "other", _("Other")


# The roles whose holders are asked where they stand: candidates at an election,
# and sitting representatives between elections.
STANCE_ROLE_KINDS = (RoleKind.CANDIDATE, RoleKind.MP, RoleKind.COUNCILLOR)

# Events that ask the candidate, and events that can carry a position.
ASKING_KINDS = (StanceKind.ASKED, StanceKind.CHASED)
POSITION_KINDS = (StanceKind.REPLIED, StanceKind.CHANGED, StanceKind.CORRECTION)


class StanceEvent(TimestampedModel):
    candidacy = models.ForeignKey(
        Role,
        on_delete=models.CASCADE,
        related_name="stance_events",
        limit_choices_to={"kind__in": STANCE_ROLE_KINDS},
        verbose_name="candidacy or seat",
        help_text=(
            "The candidate at one election in one constituency or ward, or a "
            "sitting MP or councillor."
        ),
    )
    kind = models.CharField(max_length=12, choices=StanceKind.choices, db_index=True)
    occurred_on = models.DateField(
        "date", help_text="When they were asked, or when they replied."
    )
    method = models.CharField(
        "how",
        max_length=12,
        choices=AskMethod.choices,
        blank=True,
        help_text="How they were asked or how they answered.",
    )
    asked_by = models.CharField(
        "by whom",
        max_length=200,
        blank=True,
        help_text=(
            "Who asked or chased, e.g. a local group. Seen by the network only, "
            "never on the public site."
        ),
    )
    position = models.CharField(
        max_length=12,
        choices=Position.choices,
        blank=True,
        db_index=True,
        help_text="Required for a reply or a change of position.",
    )
    quote = models.TextField(
        max_length=2000,
        blank=True,
        help_text="Their own words, exactly as published or sent.",
    )
    evidence_url = models.URLField(
        "evidence link",
        max_length=500,
        blank=True,
        help_text="Where anyone can check the quote: a post, an article, a letter.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["candidacy", "occurred_on", "pk"]
        indexes = [models.Index(fields=["candidacy", "occurred_on"])]
        verbose_name = "stance event"

    def __str__(self):
        return f"{self.get_kind_display()} on {self.occurred_on:%-d %b %Y}"

    def clean(self):
        errors = {}
        if self.candidacy_id and self.candidacy.kind not in STANCE_ROLE_KINDS:
            errors["candidacy"] = (
                "Stances are recorded on candidacies and on MPs' and councillors' "
                "seats only."
            )
        if self.occurred_on and self.occurred_on > timezone.localdate():
            errors["occurred_on"] = "The date cannot be in the future."
        if self.kind in ASKING_KINDS:
            if not self.method:
                errors["method"] = "Say how they were asked."
            for name in ("position", "quote", "evidence_url"):
                if getattr(self, name):
                    errors[name] = (
                        "Asking records no answer: add a reply as its own event."
                    )
        if self.kind in (StanceKind.REPLIED, StanceKind.CHANGED):
            if not self.position:
                errors["position"] = "A reply needs the position it takes."
            if not self.quote.strip():
                errors["quote"] = "A reply needs a quote: their own words."
            if not self.evidence_url:
                errors["evidence_url"] = "A reply needs a link to the evidence."
        if self.kind == StanceKind.CORRECTION and not self.quote.strip():
            errors["quote"] = "A correction needs the candidate's own words."
        if not errors and self.candidacy_id:
            errors.update(self._check_order())
        if errors:
            raise ValidationError(errors)

    def _check_order(self) -> dict:
        """A chase follows an ask; a change follows an earlier position."""
        earlier = self.candidacy.stance_events.exclude(pk=self.pk).filter(
            occurred_on__lte=self.occurred_on
        )
        if (
            self.kind == StanceKind.CHASED
            and not earlier.filter(kind=StanceKind.ASKED).exists()
        ):
            return {"kind": "Record the first time they were asked before a chase."}
        if (
            self.kind == StanceKind.CHANGED
            and not earlier.exclude(position="").exists()
        ):
            return {"kind": "Nothing to change yet: record this as a reply."}
        return {}


# The pledge and constituents' asks live in their own module, collected here so
# Django (and ``from campaign.models import ...``) finds them.
from campaign.pressure_models import (  # noqa: E402
    ASK_COUNTED,
    PLEDGE_COUNT_SHARDS,
    AskStatus,
    CampaignSettings,
    ConstituentAsk,
    Pledge,
    PledgeCount,
    PledgeInvalidation,
    PledgeRule,
    PledgeStatus,
    PledgeWording,
    RuleAction,
    RuleKind,
)

__all__ = [
    "ASK_COUNTED",
    "PLEDGE_COUNT_SHARDS",
    "ASKING_KINDS",
    "POSITION_KINDS",
    "AskMethod",
    "AskStatus",
    "CampaignSettings",
    "ConstituentAsk",
    "Pledge",
    "PledgeCount",
    "PledgeInvalidation",
    "PledgeRule",
    "PledgeStatus",
    "PledgeWording",
    "Position",
    "RuleAction",
    "RuleKind",
    "StanceEvent",
    "StanceKind",
]
