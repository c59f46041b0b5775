"""The where-they-stand pages in /sitemap.xml (beside the Wagtail pages), on the
site's public address like every other sitemap entry."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from campaign.selectors import constituency_pages, stances_election
from ops.siteurl import site_netloc, site_scheme


class StancesSitemap(Sitemap):
    """/where-they-stand/ and each constituency page that has candidates."""

    def items(self):
        pages = constituency_pages(stances_election())
        latest = max((when for _slug, when in pages), default=None)
        return [(None, latest), *pages]

    def location(self, item):
        slug, _when = item
        if slug is None:
            return reverse("stances:index")
        return reverse("stances:constituency", args=[slug])

    def lastmod(self, item):
        return item[1]

    # Django would take the host from the request (or django.contrib.sites).
    def get_domain(self, site=None):
        return site_netloc()

    def get_protocol(self, protocol=None):
        return site_scheme()
