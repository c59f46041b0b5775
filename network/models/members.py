"""How people join the network and look after their own records.

- ``Invitation``: a coordinator invites a person in the directory by email; the
  emailed link is signed, expires and works once, and only a hash of its secret is
  stored.
- ``JoinRequest``: someone not yet in the directory asks to join; a coordinator
  approves (creating or linking the person) or declines.
- ``ProfileChange``: every saved change to a person's record: who, when, which
  fields and from where. Field names only, never values, so erasing a person
  leaves no copy of their data in the history.
- ``DeletionRequest``: a member asks for their account and data to be erased; a
  coordinator confirms.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .areas import Area
from .people import Person, RoleKind


class Invitation(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.person} ({self.status})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    @property
    def is_usable(self) -> bool:
        return self.status == "pending"


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a coordinator"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class JoinRequest(models.Model):
    name = models.CharField(max_length=255)
    email = models.EmailField()
    role = models.CharField(
        max_length=12,
        choices=RoleKind.choices,
        help_text="What they are: councillor, candidate, organiser or campaigner.",
    )
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where: their ward, constituency or council.",
    )
    statement = models.TextField(max_length=3000)
    status = models.CharField(
        max_length=10,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.PENDING,
        db_index=True,
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="join_requests",
        help_text="The directory entry created for them or linked on approval.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"


class ChangeSource(models.TextChoices):
    MEMBER = "member", _("The member")
    COORDINATOR = "coordinator", _("A coordinator")
    IMPORT = "import", _("An import")


class ProfileChange(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="profile_changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(max_length=12, choices=ChangeSource.choices)
    channel = models.CharField(
        max_length=20, blank=True, help_text="Where it was saved: web, api, admin."
    )
    fields = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.person}: {self.field_list}"

    @property
    def field_list(self) -> str:
        return ", ".join(self.fields)


class DeletionRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a coordinator"
    ERASED = "erased", "Erased"
    CANCELLED = "cancelled", "Cancelled"


class DeletionRequest(models.Model):
    """Kept after erasure as a bare record that an erasure happened: the person
    and the account links are cleared then, so it holds no personal data."""

    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deletion_requests",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deletion_requests",
    )
    status = models.CharField(
        max_length=10,
        choices=DeletionRequestStatus.choices,
        default=DeletionRequestStatus.PENDING,
        db_index=True,
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        who = self.person or "an erased member"
        return f"Deletion of {who} ({self.get_status_display()})"
