"""Move people's photos to random, private file names (network/members/photos.py).

Photos stored before this existed sit at original_images/<slug>.jpg, where anyone
could fetch them by guessing a slug. The release step runs this on every deploy;
once everything is private it does nothing.
"""

from django.core.management.base import BaseCommand

from network.members.photos import secure_existing_photos


class Command(BaseCommand):
    help = "Move profile photos to random, private file names (safe to run again)."

    def handle(self, *args, **options):
        counts = secure_existing_photos()
        self.stdout.write(
            f"Moved {counts['moved']} profile photo(s) to private storage; "
            f"made private copies of {counts['copied']} library image(s) used as "
            "a person's photo."
        )
        if counts["failed"]:
            self.stderr.write(
                f"{counts['failed']} person photo(s) could not be copied (see the "
                "log for their person ids): replace them in the admin."
            )
