"""The Atom feed of statements, served at the statement index page's ``feed/``."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from cms import selectors
from ops.siteurl import absolute_url, site_url

FEED_LENGTH = 20


class StatementFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return self.index_page.seo_title or self.index_page.title

    def link(self):
        return self.index_page.get_full_url(self.request)

    def feed_url(self):
        # The feed's own address (rel="self"), on the public address like the rest.
        return absolute_url(self.index_page.feed_url())

    # RFC 4287 4.1.1: a feed, or else each of its entries, names an author. The
    # statements are the organisation's, so both say so.
    def author_name(self):
        return settings.WAGTAIL_SITE_NAME

    def author_link(self):
        return site_url() + "/"

    def item_author_name(self, item):
        return settings.WAGTAIL_SITE_NAME

    def item_author_link(self, item):
        return site_url() + "/"

    def subtitle(self):
        return self.index_page.search_description or "Statements of the campaign."

    def items(self):
        statements = selectors.statement_list(root=self.index_page)
        return statements.prefetch_related("tags")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.search_description

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]
