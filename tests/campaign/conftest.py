import pytest
from django.core.cache import cache

from campaign.models import PledgeWording


@pytest.fixture(autouse=True)
def fresh_cache():
    """Postcode lookup limits and the spike tally count in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def wording(db):
    return PledgeWording.objects.create(
        version="2026-12",
        title="No ceasefire, no vote",
        statement=(
            "I will not vote for any candidate who refuses to call for a ceasefire."
        ),
        consent=(
            "I agree that No Ceasefire No Vote keeps my pledge, which shows my "
            "political opinion, to count it in my constituency."
        ),
    )
