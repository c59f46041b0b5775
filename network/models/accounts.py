"""Sign-in accounts for editors, coordinators and network members.

A project-owned user model from day one, so accounts can gain fields without
swapping the user model later. ``person`` links a member's account to their entry
in the directory (set when they accept an invitation).
"""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    person = models.OneToOneField(
        "network.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="account",
        help_text="Their entry in the directory, which they may edit themselves.",
    )

    class Meta:
        db_table = "network_user"
