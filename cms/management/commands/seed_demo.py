"""manage.py seed_demo: a fictional network and the campaign site for development.

It lives in ``cms``, the app above all the others, because it seeds each of them;
every app keeps what it seeds in its own ``demo.py``."""

from django.core.management.base import BaseCommand, CommandError

from campaign.demo import seed_pledges, seed_stances
from cms.demo import seed_site
from cms.demo_translations import seed_translations
from network.demo import seed_network
from network.members.demo import seed_join_requests
from network.models import Area, AreaType
from ops.batching import batch
from updates.demo import seed_updates


class Command(BaseCommand):
    help = (
        "Create a deterministic demo network (fictional people in real areas) and "
        "the site's pages. Safe to run again: it creates nothing twice. "
        "Run load_areas first."
    )

    def handle(self, *args, **options):
        if not Area.objects.filter(area_type=AreaType.WARD).exists():
            raise CommandError("No areas yet: run `manage.py load_areas` first.")
        out = self.stdout if options["verbosity"] > 0 else None
        # One transaction, with each person's API documents built once at its end
        # rather than at every save of their roles, contacts and stances.
        with batch():
            self.seed(out)

    def seed(self, out):
        report = seed_network(out=out)
        for line in report.lines():
            self.stdout.write(line)
        for line in seed_stances():
            self.stdout.write(line)
        for line in seed_pledges():
            self.stdout.write(line)
        for line in seed_join_requests():
            self.stdout.write(line)
        home = seed_site()
        self.stdout.write(f"Site: home page '{home.title}' at /")
        for line in seed_translations(home=home):
            self.stdout.write(line)
        for line in seed_updates(home=home):
            self.stdout.write(line)
