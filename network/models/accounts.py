"""Sign-in accounts for editors, coordinators and network members.

A project-owned user model from day one, so accounts can gain fields (the link to a
directory Person, MFA state) without swapping the user model later.
"""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    class Meta:
        db_table = "network_user"
