"""manage.py send_mailing ID: send (or finish sending) a queued mailing here and now."""

from django.core.management.base import BaseCommand, CommandError

from updates.models import Mailing, MailingStatus
from updates.sending import mailing_deliver


class Command(BaseCommand):
    help = (
        "Send a queued mailing in the foreground, with progress. Safe to run again "
        "and alongside a worker: it sends only to recipients not yet handled, and "
        "leaves at once if another process is sending the same mailing."
    )

    def add_arguments(self, parser):
        parser.add_argument("mailing_id", type=int)

    def handle(self, *args, mailing_id, **options):
        mailing = Mailing.objects.filter(pk=mailing_id).first()
        if mailing is None:
            raise CommandError(f"No mailing {mailing_id}.")
        if mailing.status == MailingStatus.DRAFT:
            raise CommandError("That mailing is a draft: send it from the admin first.")
        out = self.stdout if options["verbosity"] > 0 else None
        report = mailing_deliver(mailing_id=mailing_id, out=out)
        if not report.started:
            self.stdout.write("Nothing to do: " + ("; ".join(report.notes) or "sent."))
            return
        for note in report.notes:
            self.stdout.write(note)
        self.stdout.write(
            f"Sent {report.sent}, failed {report.failed}, skipped {report.skipped}, "
            f"still to retry {report.retry_pending}."
        )
