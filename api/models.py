"""Partner organisations, their hashed API keys, and the record of removed people.

A partner key is shown once, when it is made; the database keeps only a SHA-512
hash of it (djangorestframework-api-key). The organisation, not the key, carries the
scope and the request rate, so rotating a key changes neither.

``PersonTombstone`` lets partners that sync with ``?modified_since=`` learn that a
person left their view of the directory (deleted, or no longer public). It names
the person by their ``public_id`` alone: it outlives an erasure, and a slug is
made from the name.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager

RATE_RE = re.compile(r"^(?P<count>[1-9]\d*)/(?P<period>second|minute|hour|day)$")


def validate_rate(value: str) -> None:
    if not RATE_RE.match(value or ""):
        raise ValidationError(
            "Write a number of requests per second, minute, hour or day, "
            "e.g. 1000/hour."
        )


class PartnerScope(models.TextChoices):
    """What a partner's keys may read. network/visibility.py maps each to an
    audience."""

    PUBLIC = "public", "Public: public profiles and public contacts"
    NETWORK = "network", "Network: everyone, with network contacts"


class PartnerOrganisation(models.Model):
    name = models.CharField(max_length=255, unique=True)
    contact_name = models.CharField(max_length=255, blank=True)
    contact_email = models.EmailField(
        help_text="Who we write to about their keys and any change to the API."
    )
    scope = models.CharField(
        max_length=10,
        choices=PartnerScope.choices,
        default=PartnerScope.PUBLIC,
        help_text="What every key of this organisation may read.",
    )
    rate_limit = models.CharField(
        max_length=20,
        default="1000/hour",
        validators=[validate_rate],
        help_text="Requests each of its keys may make, e.g. 1000/hour or 60/minute.",
    )
    may_record_stances = models.BooleanField(
        "write scope: stances",
        default=False,
        help_text=(
            "Its keys may record stance events (POST /api/v1/stances/): for "
            "partners who ask candidates where they stand on our behalf."
        ),
    )
    notes = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "partner organisation"

    def __str__(self):
        return self.name


class PartnerKeyManager(APIKeyManager):
    def get_usable_keys(self):
        return super().get_usable_keys().select_related("organisation")


class PartnerKey(AbstractAPIKey):
    """One API key of a partner organisation. Only its hash is stored."""

    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="keys"
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PartnerKeyManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "partner key"
        verbose_name_plural = "partner keys"

    def __str__(self):
        return f"{self.organisation}: {self.name} ({self.prefix}...)"

    @property
    def scope(self) -> str:
        return self.organisation.scope

    @property
    def is_usable(self) -> bool:
        return not self.revoked and not self.has_expired

    @property
    def status(self) -> str:
        if self.revoked:
            return "revoked"
        if self.has_expired:
            return "expired"
        return "active"


class PersonTombstone(models.Model):
    """A person who left some callers' view of the directory.

    ``deleted``: the person is gone for everyone. ``withdrawn``: they withdrew
    their public profile, so only callers limited to public profiles lose them
    (network callers still see them, now with a newer modification time).
    """

    class Reason(models.TextChoices):
        DELETED = "deleted", "Deleted"
        WITHDRAWN = "withdrawn", "Public profile withdrawn"

    public_id = models.UUIDField(
        help_text="The removed person's public id, as the API gave it to partners."
    )
    reason = models.CharField(max_length=10, choices=Reason.choices)
    was_public = models.BooleanField(
        help_text="Whether the person had a public profile when they were removed."
    )
    removed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["removed_at", "id"]
        indexes = [models.Index(fields=["removed_at", "id"])]

    def __str__(self):
        return f"{self.public_id} {self.reason} at {self.removed_at:%Y-%m-%d %H:%M}"


class PersonDocument(models.Model):
    """What one audience may see of one person, as the API answers it.

    api/documents.py builds these (asking network/visibility.py, as everything
    does) whenever a person or anything their answer shows changes, in the same
    transaction as the change; the API serves them as stored. A person the
    audience may not see has no document for it. ``url`` in the document is
    relative to the API's root; the reader makes it absolute.
    """

    person = models.ForeignKey(
        "network.Person", on_delete=models.CASCADE, related_name="api_documents"
    )
    audience = models.PositiveSmallIntegerField(
        choices=[(0, "public"), (1, "network"), (2, "coordinators")]
    )
    document = models.JSONField()
    # The document's CSV line (api/csvrows.py), its address relative to the API.
    # Empty in the database by default, so a row written by code that predates
    # the column (during a deploy) is saved, and the export builds its line.
    csv_line = models.TextField(default="", db_default="", blank=True)
    # Copies of what the lists sort and page by, so a page is read from one index.
    sort_name = models.CharField(max_length=255)
    modified = models.DateTimeField(help_text="The person's last change.")
    # The day a current role ends: from then the document is rebuilt without it.
    stale_from = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "audience"], name="api_one_document_per_audience"
            )
        ]
        indexes = [
            models.Index(
                fields=["audience", "sort_name", "person"], name="api_doc_by_name"
            ),
            models.Index(
                fields=["audience", "modified", "person"], name="api_doc_by_modified"
            ),
            models.Index(fields=["stale_from"], name="api_doc_stale_from"),
        ]

    def __str__(self):
        return f"{self.person_id} for audience {self.audience}"


# Webhook models live in their own module; importing them here registers them
# with the app.
from .webhooks.models import (  # noqa: E402, F401
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
