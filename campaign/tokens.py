"""Signed links in the pledge's and asks' confirmation emails. Nothing is stored:
the signature (keyed by SECRET_KEY, salted per purpose) is the proof."""

from django.conf import settings
from django.core import signing

PLEDGE_SALT = "campaign.pledge.confirm"
ASK_SALT = "campaign.ask.confirm"


class InvalidToken(Exception):
    """Forged, damaged, expired, or for another purpose."""


def make(salt: str, pk: int) -> str:
    return signing.TimestampSigner(salt=salt).sign(str(pk))


def read(salt: str, token: str) -> int:
    try:
        value = signing.TimestampSigner(salt=salt).unsign(
            token, max_age=settings.PLEDGE_CONFIRM_MAX_AGE
        )
        return int(value)
    except (signing.BadSignature, ValueError) as exc:
        raise InvalidToken("bad or expired link") from exc
