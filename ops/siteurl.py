"""The site's one public address (``settings.SITE_URL``) and what derives from it.

Every absolute URL the site writes where no visitor's request can vouch for the
host (emails, feeds, the sitemap, calendars, sharing tags) starts with SITE_URL, so
the links work whichever address or port a process happens to be reached on. Its
host name is the site's mail domain: Message-IDs, List-Id and the default sender.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import message as mail_message
from django.core.mail.utils import CachedDnsName


def site_url() -> str:
    """The public address without a trailing slash, e.g. ``https://example.org``."""
    return settings.SITE_URL.rstrip("/")


def absolute_url(path_or_url: str) -> str:
    """``/a/path`` on the public address; an address with a host is left alone
    (images in object storage, say)."""
    if urlsplit(path_or_url).netloc:
        return path_or_url
    return site_url() + "/" + path_or_url.lstrip("/")


def site_scheme() -> str:
    return urlsplit(site_url()).scheme or "http"


def site_netloc() -> str:
    """Host and port as the address writes them, e.g. ``example.test:8765``."""
    return urlsplit(site_url()).netloc


def site_domain() -> str:
    """The host name alone: the domain of the site's mail."""
    return urlsplit(site_url()).hostname or "localhost"


def site_host_and_port() -> tuple[str, int]:
    """What the Wagtail Site record holds: host name and port (80 or 443 when the
    address names none)."""
    parts = urlsplit(site_url())
    default = 443 if parts.scheme == "https" else 80
    return parts.hostname or "localhost", parts.port or default


class SiteDnsName(CachedDnsName):
    """Django writes the machine's host name into every Message-ID; receivers and
    spam filters expect the sender's domain, which is the site's."""

    def __str__(self):
        return self.get_fqdn()

    def get_fqdn(self):
        return site_domain()


def use_site_domain_in_message_ids() -> None:
    mail_message.DNS_NAME = SiteDnsName()


class CanonicalPageURLMixin:
    """For Wagtail page models: full URLs (``get_full_url``, the sitemap, feeds)
    on SITE_URL rather than on the host name and port stored in the Site record.
    The site has one Site, so only the root changes; the page's path stays."""

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request=request)
        if parts is None or parts[1] is None:
            return parts
        site_id, _root_url, page_path = parts
        return site_id, site_url(), page_path
