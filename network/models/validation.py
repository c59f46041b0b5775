"""Checking and normalising contact values, one rule per kind of contact."""

import re
from urllib.parse import urlparse

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

# Hosts a profile link of each social kind may point at.
SOCIAL_HOSTS = {
    "x": {"x.com", "twitter.com"},
    "facebook": {"facebook.com", "fb.com"},
    "instagram": {"instagram.com"},
    "bluesky": {"bsky.app"},
    "tiktok": {"tiktok.com"},
}
HANDLE_RE = re.compile(r"^@?(?P<handle>[A-Za-z0-9_.]{1,30})$")
HANDLE_URLS = {
    "x": "https://x.com/{}",
    "instagram": "https://www.instagram.com/{}",
    "tiktok": "https://www.tiktok.com/@{}",
}
MASTODON_RE = re.compile(
    r"^@?(?P<user>[A-Za-z0-9_]+)@(?P<host>[A-Za-z0-9.-]+\.[a-z]+)$"
)

_url = URLValidator(schemes=["http", "https"])
_email = EmailValidator()


def _check_url(value: str) -> str:
    try:
        _url(value)
    except ValidationError:
        raise ValidationError(
            {"value": "Enter a full web address starting with https://"}
        ) from None
    return value


def _host(url: str) -> str:
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.").removeprefix("m.")


def normalise_email(value: str) -> str:
    try:
        _email(value)
    except ValidationError:
        raise ValidationError({"value": "Enter a valid email address."}) from None
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def normalise_phone(value: str) -> str:
    """UK numbers may be written nationally (01254 ...); others need +country."""
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        raise ValidationError(
            {"value": "Enter a phone number, e.g. 01254 585585 or +44 1254 585585."}
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError({"value": "That is not a valid phone number."})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_social(kind: str, value: str) -> str:
    handle = HANDLE_RE.match(value)
    if handle and kind in HANDLE_URLS:
        return HANDLE_URLS[kind].format(handle["handle"])
    if kind == "mastodon":
        account = MASTODON_RE.match(value)
        if account:
            return f"https://{account['host']}/@{account['user']}"
        _check_url(value)
        if "/@" not in value:
            raise ValidationError(
                {"value": "Give a Mastodon profile, e.g. https://mastodon.social/@name"}
            )
        return value
    if kind == "bluesky" and re.match(r"^@?[a-z0-9-]+(\.[a-z0-9-]+)+$", value):
        return f"https://bsky.app/profile/{value.lstrip('@')}"
    _check_url(value)
    allowed = SOCIAL_HOSTS[kind]
    if _host(value) not in allowed:
        raise ValidationError(
            {"value": f"A {kind} profile link is on {' or '.join(sorted(allowed))}."}
        )
    return value


def normalise_address(value: str) -> str:
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    if len(lines) < 2:
        raise ValidationError(
            {"value": "Give the address on two or more lines, ending with a postcode."}
        )
    return "\n".join(lines)


def normalise_contact_value(kind: str, value: str) -> str:
    """Return the value in its stored form, or raise ValidationError on 'value'."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({"value": "This field is required."})
    if kind == "email":
        return normalise_email(value)
    if kind == "phone":
        return normalise_phone(value)
    if kind == "website":
        return _check_url(value)
    if kind == "address":
        return normalise_address(value)
    if kind in SOCIAL_HOSTS or kind == "mastodon":
        return normalise_social(kind, value)
    raise ValidationError({"kind": f"Unknown contact kind {kind!r}."})
