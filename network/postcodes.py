"""Postcode lookup: which constituency, council and ward a UK postcode lies in.

One interface, two backends chosen by ``settings.POSTCODE_LOOKUP_BACKEND``:

- ``"postcodes.io"``: asks postcodes.io over HTTP (production). A short timeout
  keeps a slow service from holding a page; answers are cached.
- ``"offline"``: reads the shipped sample ``network/data/uk_postcode_sample.csv``
  (development and tests). It is a sample, not a directory: a postcode it does not
  list is reported as unknown.

Most callers want one of two functions:

- ``constituency_for_postcode(postcode) -> Area | None``: never raises; ``None``
  when the postcode is invalid, unknown or the service is down. For storing a
  subscriber's constituency, say.
- ``lookup_postcode(postcode) -> PostcodeResult``: raises ``InvalidPostcode``,
  ``UnknownPostcode`` or ``LookupUnavailable`` so a page can tell the visitor which.

Nothing here logs a postcode: with a name or email beside it, it is personal data.
"""

import csv
import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from network.models import Area

logger = logging.getLogger(__name__)

# The postcode the pages give as an example: one the offline sample holds (in
# Blackburn, the demo's own ward elections), so trying it works on a
# development machine as well as in production.
EXAMPLE_POSTCODE = "BB1 2AB"

# The shape of every UK postcode (BS 7666), allowing a missing or extra space.
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


class PostcodeError(Exception):
    """Base class: ``str(error)`` is a message fit to show the visitor."""


class InvalidPostcode(PostcodeError):
    def __init__(self, postcode: str = ""):
        super().__init__(
            _(
                "That doesn't look like a UK postcode. Check it and try again, "
                "e.g. %(postcode)s."
            )
            % {"postcode": EXAMPLE_POSTCODE}
        )


class UnknownPostcode(PostcodeError):
    def __init__(self, postcode: str):
        self.postcode = postcode
        super().__init__(
            _(
                "We couldn't find the postcode %(postcode)s. Check it, or search "
                "by constituency name instead."
            )
            % {"postcode": postcode}
        )


class LookupUnavailable(PostcodeError):
    def __init__(self):
        super().__init__(
            _(
                "The postcode lookup isn't answering just now. Search by "
                "constituency name instead, or try again in a few minutes."
            )
        )


@dataclass(frozen=True)
class PostcodeResult:
    postcode: str
    constituency: Area | None
    council: Area | None = None
    ward: Area | None = None


def normalise_postcode(value: str) -> str:
    """'bb17dt' -> 'BB1 7DT'; raises InvalidPostcode when it cannot be one."""
    compact = re.sub(r"\s+", "", (value or "").upper())
    match = POSTCODE_RE.match(compact)
    if not match:
        raise InvalidPostcode(value)
    return f"{match[1]} {match[2]}"


def _areas(postcode: str, pcon: str, lad: str, ward: str) -> PostcodeResult:
    codes = [code for code in (pcon, lad, ward) if code]
    found = {a.gss_code: a for a in Area.objects.filter(gss_code__in=codes)}
    return PostcodeResult(
        postcode=postcode,
        constituency=found.get(pcon),
        council=found.get(lad),
        ward=found.get(ward),
    )


class OfflineBackend:
    """Looks postcodes up in the shipped sample table."""

    def __init__(self, path=None):
        self.path = path or settings.NETWORK_DATA_DIR / "uk_postcode_sample.csv"

    def lookup(self, postcode: str) -> PostcodeResult:
        postcode = normalise_postcode(postcode)
        row = _offline_table(str(self.path)).get(postcode)
        if row is None:
            raise UnknownPostcode(postcode)
        return _areas(postcode, *row)


@cache
def _offline_table(path: str) -> dict[str, tuple[str, str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return {
            normalise_postcode(row["postcode"]): (
                row["pcon_gss"],
                row["lad_gss"],
                row["ward_gss"],
            )
            for row in csv.DictReader(handle)
        }


class PostcodesIOBackend:
    """Asks postcodes.io (or a server speaking its API) and caches the answers.

    Found and unknown postcodes are cached for ``POSTCODE_CACHE_SECONDS``; a
    failure is not, so the next visitor tries again.
    """

    def __init__(self, base_url=None, timeout=None, cache_seconds=None):
        self.base_url = (base_url or settings.POSTCODES_IO_URL).rstrip("/")
        # urlopen also opens file:// and other schemes: only ever HTTP(S) here.
        if not self.base_url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("POSTCODES_IO_URL must be an http(s) URL")
        self.timeout = timeout or settings.POSTCODES_IO_TIMEOUT
        self.cache_seconds = (
            settings.POSTCODE_CACHE_SECONDS if cache_seconds is None else cache_seconds
        )

    def lookup(self, postcode: str) -> PostcodeResult:
        postcode = normalise_postcode(postcode)
        key = f"postcode:{self.base_url}:{postcode.replace(' ', '')}"
        codes = django_cache.get(key)
        if codes is None:
            codes = self._fetch(postcode)
            django_cache.set(key, codes, self.cache_seconds)
        if not codes:
            raise UnknownPostcode(postcode)
        return _areas(postcode, *codes)

    def _fetch(self, postcode: str) -> tuple[str, str, str] | tuple[()]:
        url = f"{self.base_url}/postcodes/{urllib.parse.quote(postcode)}"
        request = urllib.request.Request(  # noqa: S310 - the URL comes from settings
            url, headers={"Accept": "application/json"}
        )
        try:
            # The scheme is checked in __init__.
            with urllib.request.urlopen(  # noqa: S310  # nosec B310
                request, timeout=self.timeout
            ) as response:
                payload = json.load(response)
        except urllib.error.HTTPError as exc:
            if exc.code in (400, 404):
                return ()
            logger.warning("postcode lookup answered HTTP %s", exc.code)
            raise LookupUnavailable() from exc
        except (OSError, ValueError) as exc:  # timeouts, refused, bad JSON
            logger.warning("postcode lookup failed: %s", type(exc).__name__)
            raise LookupUnavailable() from exc
        try:
            result_codes = payload["result"]["codes"]
            pcon = (
                result_codes.get("parliamentary_constituency_2024")
                or result_codes.get("parliamentary_constituency")
                or ""
            )
            return (
                pcon,
                result_codes.get("admin_district") or "",
                result_codes.get("admin_ward") or "",
            )
        except (KeyError, TypeError, AttributeError) as exc:
            logger.warning("postcode lookup gave an unexpected answer")
            raise LookupUnavailable() from exc


BACKENDS = {"offline": OfflineBackend, "postcodes.io": PostcodesIOBackend}


def runs_on_offline_sample() -> bool:
    """True when lookups read the shipped sample, not a full directory: pages
    say so, since most postcodes are missing from it."""
    return settings.POSTCODE_LOOKUP_BACKEND == "offline"


def get_backend():
    name = settings.POSTCODE_LOOKUP_BACKEND
    try:
        return BACKENDS[name]()
    except KeyError:
        raise ValueError(
            f"POSTCODE_LOOKUP_BACKEND is {name!r}; use one of {', '.join(BACKENDS)}."
        ) from None


def lookup_postcode(postcode: str) -> PostcodeResult:
    """The areas of a postcode. Raises a PostcodeError whose text suits a page."""
    return get_backend().lookup(postcode)


def constituency_for_postcode(postcode: str) -> Area | None:
    """The Westminster constituency of a postcode, or None if it cannot be found
    (invalid, unknown, or the lookup service is down). Never raises."""
    try:
        return lookup_postcode(postcode).constituency
    except PostcodeError:
        return None
