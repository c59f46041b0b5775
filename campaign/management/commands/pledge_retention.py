"""Clear pledges' and asks' client details past their time and, once the
campaign's end date (CAMPAIGN_ENDS_ON) has passed, anonymise them (counts kept).

Run it daily (cron, or the `personal_data_retention` task); running it again
changes nothing more."""

from django.core.management.base import BaseCommand

from campaign.services import asks_resume_stranded, personal_data_retention


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def handle(self, *args, **options):
        resumed = asks_resume_stranded()
        done = personal_data_retention()
        for key, value in sorted(done.items()):
            self.stdout.write(f"{key.replace('_', ' ')}: {value}")
        if resumed:
            self.stdout.write(f"asks queued again: {resumed}")
