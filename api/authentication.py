"""Who is calling: a partner key in the Authorization header, or a signed-in user.

``Authorization: Api-Key <key>`` identifies a partner organisation's key. A key in
the query string is refused: addresses end up in logs, browser histories and
proxies, so a key sent that way must be treated as leaked.
"""

import re
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import PartnerKey

KEYWORD = "Api-Key"
# How often last_used_at is written: at most once a minute per key, so a busy
# partner does not turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# Parameters partners might try to put a key in; any value shaped like a key
# (eight characters, a dot, thirty-two) is refused whatever its name.
KEY_PARAMETERS = ("api_key", "apikey", "api-key", "key", "token", "access_token")
KEY_SHAPE = re.compile(r"^[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}$")
# How long a key's record, found by its prefix, is kept in the cache: every
# request still checks the key against the stored hash, and any change to the
# key or its organisation (a revocation above all) drops the record at once.
KEY_CACHE_SECONDS = 30


class KeyInQueryString(exceptions.ParseError):
    pass


def refuse_key_in_query(request) -> None:
    for name, value in request.query_params.items():
        if name.lower() in KEY_PARAMETERS or KEY_SHAPE.match(value or ""):
            raise KeyInQueryString(
                {
                    name: [
                        "Keys are not accepted in the address. Send the key in "
                        "the header 'Authorization: Api-Key <key>', and replace "
                        "this key: it may now be in logs."
                    ]
                }
            )


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Api-Key <key>``. A wrong, revoked or expired key is a 401,
    never a silent fall back to anonymous access."""

    def authenticate(self, request):
        refuse_key_in_query(request)
        header = authentication.get_authorization_header(request).decode(
            "latin-1", errors="replace"
        )
        keyword, _, key = header.partition(" ")
        if keyword.lower() != KEYWORD.lower():
            return None
        key = key.strip()
        if not key:
            raise exceptions.AuthenticationFailed("The Api-Key header has no key.")
        try:
            partner_key = verified_key(key)
        except PartnerKey.DoesNotExist:
            raise exceptions.AuthenticationFailed(
                "This key is not valid or has been revoked."
            ) from None
        if partner_key.has_expired:
            raise exceptions.AuthenticationFailed("This key has expired.")
        now = timezone.now()
        if (
            partner_key.last_used_at is None
            or now - partner_key.last_used_at > LAST_USED_RESOLUTION
        ):
            PartnerKey.objects.filter(pk=partner_key.pk).update(last_used_at=now)
            partner_key.last_used_at = now
            cache.set(
                key_cache_name(partner_key.prefix), partner_key, KEY_CACHE_SECONDS
            )
        return AnonymousUser(), partner_key

    def authenticate_header(self, request):
        return KEYWORD


def key_cache_name(prefix: str) -> str:
    return f"api-key:{prefix}"


def verified_key(key: str) -> PartnerKey:
    """The usable key ``key`` is, with its organisation: its record from the
    cache (shared by every web process) or the database, and the key checked
    against its stored hash either way. DoesNotExist for any other key."""
    prefix = key.partition(".")[0]
    partner_key = cache.get(key_cache_name(prefix))
    if partner_key is None:
        partner_key = PartnerKey.objects.get_from_key(key)
        cache.set(key_cache_name(prefix), partner_key, KEY_CACHE_SECONDS)
    elif not PartnerKey.objects.key_generator.verify(key, partner_key.hashed_key):
        raise PartnerKey.DoesNotExist("Key is not valid.")
    return partner_key


def forget_keys(prefixes) -> None:
    """Drop these keys' cached records, now and again when the transaction that
    changed them commits (a request reading the old row meanwhile may have put it
    back)."""
    names = [key_cache_name(prefix) for prefix in prefixes]
    if not names:
        return
    cache.delete_many(names)
    transaction.on_commit(lambda: cache.delete_many(names))


# Members and coordinators use their site session; DRF checks CSRF on writes.
SessionAuthentication = authentication.SessionAuthentication


def is_partner(request) -> bool:
    return isinstance(getattr(request, "auth", None), PartnerKey)
