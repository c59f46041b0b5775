"""manage.py ensure_admin: make sure a superuser exists and say how to sign in."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the 'admin' superuser when no superuser exists. The password comes "
        "from ADMIN_PASSWORD, or is generated and printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@example.org")

    def handle(self, *args, username, email, **options):
        User = get_user_model()
        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing:
            self.stdout.write(
                f"Admin login: {existing.get_username()} at /admin/ "
                "(password unchanged; set one with `manage.py changepassword`)."
            )
            return
        password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=email, password=password)
        shown = (
            "from ADMIN_PASSWORD"
            if os.environ.get("ADMIN_PASSWORD")
            else f"{password}  (shown once: note it now)"
        )
        self.stdout.write(self.style.SUCCESS("Created the admin user."))
        self.stdout.write(f"Admin login: {username} / {shown}")
        port = os.environ.get("PORT", "8000")
        self.stdout.write(f"Sign in at http://127.0.0.1:{port}/admin/")
