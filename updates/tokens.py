"""Signed tokens for the links in emails. Nothing is stored: the signature (keyed by
SECRET_KEY, salted per purpose) is the proof, so a leaked database holds no live links.

- Confirmation tokens name the subscriber and the sign-up request they confirm, and
  expire after ``UPDATES_CONFIRM_MAX_AGE`` seconds.
- Unsubscribe tokens name the subscriber only and never expire: an old email's link
  must still work.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "updates.confirm"
UNSUBSCRIBE_SALT = "updates.unsubscribe"


class InvalidToken(Exception):
    """Forged, damaged, or for another purpose."""


class ExpiredToken(InvalidToken):
    """Genuine but too old; ``claim`` still says what it was for."""

    def __init__(self, claim):
        super().__init__("expired")
        self.claim = claim


@dataclass(frozen=True)
class ConfirmClaim:
    subscriber_id: int
    request_id: int


def confirm_token(*, subscriber_id: int, request_id: int) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(
        {"s": subscriber_id, "r": request_id}
    )


def read_confirm_token(token: str) -> ConfirmClaim:
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    try:
        data = signer.unsign_object(token, max_age=settings.UPDATES_CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        data = signer.unsign_object(token)  # genuine: say what it was for
        raise ExpiredToken(_confirm_claim(data)) from None
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise InvalidToken("bad signature") from exc
    return _confirm_claim(data)


def _confirm_claim(data) -> ConfirmClaim:
    try:
        return ConfirmClaim(subscriber_id=int(data["s"]), request_id=int(data["r"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidToken("malformed") from exc


def unsubscribe_token(*, subscriber_id: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber_id))


def read_unsubscribe_token(token: str) -> int:
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as exc:
        raise InvalidToken("bad signature") from exc
