"""``manage.py release``: what each deploy runs before the site serves, in one
process (each Django start costs seconds; five commands in five processes cost
five of them).

Migrations, the UK areas (unchanged rows are skipped), profile photos moved to
private storage, the Wagtail site record put on SITE_URL, and the partner API's
stored documents of people who have none. With ``--demo``
(``make run``), then the fictional demo network and an admin user."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

RELEASE_STEPS = (
    "migrate",
    "load_areas",
    "secure_profile_photos",
    "sync_site",
    "rebuild_person_documents",
)
# The partner API serves stored documents: people loaded without them (a first
# deploy, a restored dump) get theirs; people who have them are left alone.
STEP_OPTIONS = {
    "migrate": {"interactive": False},
    "rebuild_person_documents": {"missing": True},
}
DEMO_STEPS = ("seed_demo", "ensure_admin")


class Command(BaseCommand):
    help = (
        "Apply migrations, load the UK areas, secure profile photos and put the "
        "Wagtail site on SITE_URL; with --demo, seed the demo and ensure an admin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Then seed the fictional demo network and make sure an admin exists.",
        )

    def handle(self, *args, demo, **options):
        steps = RELEASE_STEPS + (DEMO_STEPS if demo else ())
        for name in steps:
            extra = STEP_OPTIONS.get(name, {})
            call_command(
                name,
                verbosity=options["verbosity"],
                stdout=self.stdout,
                stderr=self.stderr,
                **extra,
            )
