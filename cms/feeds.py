"""The Atom feed of statements, served at the statement index page's ``feed/``."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from cms import selectors

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
