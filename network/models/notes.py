"""Coordination notes: what coordinators need to remember about a person, an area or
a group, with an optional follow-up date.

Notes never reach the public site or partner keys. Who may read one is decided in
``network.visibility`` from its ``visibility``: coordinators only (the default) or
the network as well, in which case members see notes about their own area. Every
save keeps a revision, so the edit history shows who changed what.
"""

import nh3
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.fields import RichTextField
from wagtail.models import RevisionMixin

from .areas import Area
from .people import Group, Person, TimestampedModel

# What a note's text may contain after sanitising: the editor's own features and
# nothing else. Wagtail stores internal links as <a linktype="page" id="3">.
NOTE_FEATURES = ["bold", "italic", "link", "ol", "ul"]
NOTE_TAGS = {"p", "br", "b", "strong", "i", "em", "a", "ol", "ul", "li"}
NOTE_ATTRIBUTES = {"a": {"href", "linktype", "id"}}


def sanitise_note_text(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=NOTE_TAGS,
        attributes=NOTE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    ).strip()


class NoteVisibility(models.TextChoices):
    COORDINATORS = "coordinators", "Coordinators only"
    NETWORK = "network", "Network members (notes about their own area)"


class CoordinationNote(RevisionMixin, TimestampedModel):
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coordination_notes",
    )
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coordination_notes",
    )
    group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="coordination_notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordination_notes",
    )
    text = RichTextField(features=NOTE_FEATURES, max_length=10_000)
    visibility = models.CharField(
        max_length=12,
        choices=NoteVisibility.choices,
        default=NoteVisibility.COORDINATORS,
        db_index=True,
    )
    follow_up_on = models.DateField(
        "follow up on",
        null=True,
        blank=True,
        db_index=True,
        help_text="Leave empty when nothing needs doing.",
    )
    done = models.BooleanField(default=False, db_index=True)
    _revisions = GenericRelation(
        "wagtailcore.Revision", related_query_name="coordination_note"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "coordination note"
        constraints = [
            models.CheckConstraint(
                name="note_about_exactly_one_subject",
                condition=(
                    models.Q(
                        person__isnull=False, area__isnull=True, group__isnull=True
                    )
                    | models.Q(
                        person__isnull=True, area__isnull=False, group__isnull=True
                    )
                    | models.Q(
                        person__isnull=True, area__isnull=True, group__isnull=False
                    )
                ),
            )
        ]

    def __str__(self):
        # Generic on purpose: this string reaches Wagtail's log lines, and what a
        # note says, or whom it is about, must not.
        return f"Coordination note {self.pk}" if self.pk else "New coordination note"

    @property
    def excerpt(self) -> str:
        return Truncator(strip_tags(self.text)).chars(80)

    @property
    def revisions(self):
        return self._revisions

    @property
    def subject(self):
        return self.person or self.area or self.group

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.follow_up_on
            and not self.done
            and self.follow_up_on < timezone.localdate()
        )

    def clean(self):
        self.text = sanitise_note_text(self.text)
        subjects = [self.person_id, self.area_id, self.group_id]
        if sum(1 for s in subjects if s) != 1:
            raise ValidationError(
                "A note is about exactly one person, area or group: choose one."
            )
        if not strip_tags(self.text).strip():
            raise ValidationError({"text": "Write the note."})
