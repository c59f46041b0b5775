"""Rebuild the stored documents the partner API serves (api/documents.py).

    manage.py rebuild_person_documents            # every person
    manage.py rebuild_person_documents --missing  # only people without any
    manage.py rebuild_person_documents --stale    # those whose role has ended

Documents are rebuilt with every change anyway; this fills them after loading
data without signals (fixtures, a restored dump), repairs them after a change to
what a document holds, and `--stale` can run daily from a scheduler (the API also
does it once a day).
"""

from django.core.management.base import BaseCommand

from api.documents import (
    documents_missing,
    documents_rebuild,
    documents_rebuild_all,
    documents_refresh_stale,
)
from network.progress import Progress


class Command(BaseCommand):
    help = "Rebuild the partner API's stored person documents."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--missing", action="store_true", help="Only people with no document."
        )
        which.add_argument(
            "--stale",
            action="store_true",
            help="Only documents whose current role has ended.",
        )
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args, missing=False, stale=False, batch=1000, **options):
        out = self.stdout if options["verbosity"] else None
        if stale:
            written = documents_refresh_stale()
        elif missing:
            ids = documents_missing()
            progress = Progress(out, "people", len(ids))
            written = 0
            for start in range(0, len(ids), batch):
                chunk = ids[start : start + batch]
                written += documents_rebuild(chunk)
                progress.advance(len(chunk))
            progress.finish()
        else:
            progress = None

            def advance(done, total):
                nonlocal progress
                if progress is None:
                    progress = Progress(out, "people", total)
                progress.advance(done - progress.done)

            written = documents_rebuild_all(batch=batch, progress=advance)
        if out:
            out.write(f"{written:,} documents written.\n")
