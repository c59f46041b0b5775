import pytest
from django.core.cache import cache


@pytest.fixture
def home_page(db):
    """The campaign's home page as the site's root, as `seed_demo` makes it."""
    from cms.demo import seed_home

    return seed_home()


@pytest.fixture
def page_cache(settings):
    """The public page cache switched on (the test settings keep it off), empty."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()
