"""manage.py import_candidates FILE: candidates from a Democracy Club CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from network.imports.candidates import CandidateFileError, import_candidates


class Command(BaseCommand):
    help = (
        "Import or update candidates from a Democracy Club candidates CSV (the data "
        "export or the per-ballot file). Matches people on Democracy Club's person "
        "id, so a re-import updates instead of duplicating. A results export (with "
        "the elected column) also records the winners as sitting MPs or "
        "councillors. A malformed row refuses the whole file and nothing is "
        "written; --dry-run reports what would change and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file to read.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would happen, writing nothing.",
        )
        parser.add_argument(
            "--election",
            metavar="ID",
            help="Only import rows of this election, e.g. parl.2024-07-04.",
        )

    def handle(self, *args, file, dry_run, election, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        self.stdout.write(f"Reading candidates from {file}")
        try:
            report = import_candidates(
                file,
                dry_run=dry_run,
                election_id=election,
                out=self.stdout if options["verbosity"] > 0 else None,
            )
        except CandidateFileError as exc:
            raise CommandError(f"Refused, nothing was written. {file}:\n{exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
