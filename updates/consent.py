"""The consent statements people agree to when they sign up, by wording version.

A statement is never edited in place: a new wording gets a new version, so every
consent event keeps pointing at the exact words its person saw. The sign-up form
always shows ``CURRENT_VERSION``.
"""

from django.utils.translation import gettext_noop

# The records keep the English words (the version names them); the form shows
# them in the reader's language, from the catalogues.
WORDINGS = {
    "2026-11": gettext_noop(
        "Email me updates from No Ceasefire No Vote about the campaign, events and "
        "how to get involved. I can unsubscribe at any time with the link in every "
        "email."
    ),
}

CURRENT_VERSION = "2026-11"


def wording(version: str) -> str:
    """The statement shown under ``version`` (empty for an unknown version)."""
    return WORDINGS.get(version, "")
