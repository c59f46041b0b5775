"""Where a delivery may go: never into a private network (SSRF).

An endpoint's address is checked when it is registered and again before every
delivery, after DNS resolution; the delivery then connects to the address that
was checked, so a name that resolves to a public address at one moment and a
private one the next (DNS rebinding) cannot steer a delivery inside.

Refused: loopback, private (RFC 1918, unique local), link-local (which holds
cloud metadata services such as 169.254.169.254), carrier-grade NAT, multicast,
reserved and unspecified addresses, and names such as ``localhost``. In
production only ``https`` is accepted. ``WEBHOOKS_ALLOW_PRIVATE_TARGETS`` lets
loopback addresses through, for a receiver on the developer's own machine or in
the tests; production settings refuse to start with it.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

BLOCKED_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")
BLOCKED_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")


class TargetRefused(ValueError):
    """The address may not receive webhooks; the message says why."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query string
    addresses: tuple[str, ...]  # resolved, each checked


def resolve(host: str, port: int) -> list[str]:
    """Every address the name resolves to. Tests replace this to pretend."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return bool(settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS)
    return ip.is_global and not ip.is_multicast


def parse(url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and path of an address that may be used at all."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused("This is not a valid address.") from None
    scheme = parts.scheme.lower()
    allowed = ("https",) if settings.WEBHOOKS_REQUIRE_HTTPS else ("https", "http")
    if scheme not in allowed:
        raise TargetRefused("Use an https:// address.")
    if parts.username or parts.password:
        raise TargetRefused("Leave user names and passwords out of the address.")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise TargetRefused("The address has no host name.")
    if not settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS and (
        host in BLOCKED_NAMES or host.endswith(BLOCKED_SUFFIXES)
    ):
        raise TargetRefused("Local names cannot receive webhooks.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host, port or (443 if scheme == "https" else 80), path


def check(url: str) -> Target:
    """The address, resolved, when every address it resolves to is public.
    Raises ``TargetRefused`` otherwise."""
    scheme, host, port, path = parse(url)
    try:
        ipaddress.ip_address(host)
        addresses = [host]
    except ValueError:
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError):
            raise TargetRefused(f"The name {host} does not resolve.") from None
    if not addresses:
        raise TargetRefused(f"The name {host} does not resolve.")
    for address in addresses:
        if not _allowed(address):
            raise TargetRefused(
                "This address is in a private, loopback or link-local network; "
                "webhooks only go to public addresses."
            )
    return Target(scheme, host, port, path, tuple(addresses))
