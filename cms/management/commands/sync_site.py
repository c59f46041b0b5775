"""Keep the Wagtail site record on the public address: ``manage.py sync_site``."""

from django.core.management.base import BaseCommand

from cms.services import site_sync_with_public_address


class Command(BaseCommand):
    help = "Give the default Wagtail site the host name and port of SITE_URL."

    def handle(self, *args, **options):
        site = site_sync_with_public_address()
        if site is None:
            self.stdout.write("No default site yet: seed_demo or the admin makes one.")
        else:
            self.stdout.write(f"Site: {site.hostname}:{site.port}")
