"""manage.py load_areas: upsert the UK's areas from network/data/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from network.imports.areas import AreaFileError, load_areas


class Command(BaseCommand):
    help = (
        "Load or update nations, regions, councils, wards, constituencies and "
        "constituency/council overlaps from the shipped open data. Idempotent; "
        "a bad file is refused and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=settings.NETWORK_DATA_DIR,
            help="Folder holding the CSV files (default: network/data).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the files and report what would change, writing nothing.",
        )

    def handle(self, *args, data_dir, dry_run, **options):
        self.stdout.write(f"Reading areas from {data_dir}")
        try:
            report = load_areas(
                data_dir=data_dir,
                dry_run=dry_run,
                out=self.stdout if options["verbosity"] > 0 else None,
            )
        except AreaFileError as exc:
            raise CommandError(f"Refused, nothing was written. {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
