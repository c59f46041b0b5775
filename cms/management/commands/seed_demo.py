"""manage.py seed_demo: a fictional network and the campaign site for development."""

from django.core.management.base import BaseCommand, CommandError

from network.demo import seed_network
from network.models import Area, AreaType


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
        report = seed_network(out=out)
        for line in report.lines():
            self.stdout.write(line)
        from campaign.demo import seed_stances

        for line in seed_stances():
            self.stdout.write(line)
        from network.members.demo import seed_join_requests

        for line in seed_join_requests():
            self.stdout.write(line)
        from cms.demo import seed_site

        home = seed_site()
        self.stdout.write(f"Site: home page '{home.title}' at /")
        from updates.demo import seed_updates

        for line in seed_updates(home=home):
            self.stdout.write(line)
