"""manage.py ensure_admin: make sure a superuser exists and say how to sign in.

Signing in to the admin takes the email address, the password and, from the first
sign-in on, a code from an authenticator app: the admin asks a superuser without
one to set it up straight away and shows recovery codes to keep. ``--reset-mfa``
removes the superuser's authenticators when the phone is lost and no recovery code
is left, so the next sign-in enrols a new one.
"""

import os
import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from ops.siteurl import absolute_url

MFA_HINT = (
    "On the first sign-in the admin asks you to set up an authenticator app: "
    "confirm your password, scan the QR code, type the app's 6-digit code, and "
    "keep the recovery codes it shows."
)


def ensure_verified_email(user) -> None:
    """allauth signs people in by a verified address; a superuser made here or by
    createsuperuser has proved theirs by having shell access."""
    if not user.email:
        return
    EmailAddress.objects.update_or_create(
        user=user,
        email=user.email.lower(),
        defaults={"verified": True, "primary": True},
    )


class Command(BaseCommand):
    help = (
        "Create the 'admin' superuser when no superuser exists. The password comes "
        "from ADMIN_PASSWORD, or is generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@example.org")
        parser.add_argument(
            "--reset-mfa",
            action="store_true",
            help="Remove the superuser's authenticators so the next sign-in "
            "enrols a new one (for a lost phone).",
        )

    def handle(self, *args, username, email, reset_mfa, **options):
        User = get_user_model()
        where = absolute_url("/admin/")
        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing:
            ensure_verified_email(existing)
            if reset_mfa:
                Authenticator.objects.filter(user=existing).delete()
                self.stdout.write("Removed the admin's authenticators.")
            self.stdout.write(
                f"Admin login: {existing.email or existing.get_username()} at {where} "
                "(password unchanged; set one with `manage.py changepassword "
                f"{existing.get_username()}`)."
            )
            if not Authenticator.objects.filter(user=existing).exists():
                self.stdout.write(MFA_HINT)
            return
        password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        user = User.objects.create_superuser(
            username=username, email=email, password=password
        )
        ensure_verified_email(user)
        shown = (
            "from ADMIN_PASSWORD"
            if os.environ.get("ADMIN_PASSWORD")
            else f"{password}  (shown once: note it now)"
        )
        self.stdout.write(self.style.SUCCESS("Created the admin user."))
        self.stdout.write(f"Admin login: {email} / {shown}")
        self.stdout.write(f"Sign in at {where}")
        self.stdout.write(MFA_HINT)
