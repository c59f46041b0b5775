"""Candidate photos on constituency pages: a public profile's photo shows beside the
name, in small WebP renditions; a private person's never reaches the page."""

import io
import re
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from PIL import Image

from network.models import Area
from network.visibility import Audience, shows_photo
from tests.factories import CandidacyFactory, PersonFactory, give_photo

pytestmark = pytest.mark.django_db

URL = "/where-they-stand/blackburn/"
AGREED = datetime(2024, 1, 15, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def media_folder(settings, tmp_path):
    """Photos of this test's own; no rendition another test cached."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def candidate(name, *, public):
    person = PersonFactory(
        name=name, public_profile=public, public_profile_agreed_at=AGREED
    )
    blackburn = Area.objects.get(area_type="constituency", name="Blackburn")
    CandidacyFactory(area=blackburn, person=person)
    return person


def photo_tags(html: str) -> list[str]:
    return re.findall(r"<img[^>]*candidate__photo[^>]*>", html)


def attribute(tag: str, name: str) -> str:
    match = re.search(rf'\s{name}="([^"]*)"', tag)
    assert match, f"no {name} on {tag}"
    return match.group(1)


def fetch_image(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


def test_a_public_candidates_photo_shows_beside_their_name(client, uk_areas):
    person = candidate("Pia Public", public=True)
    give_photo(person)
    page = client.get(URL).content.decode()
    [tag] = photo_tags(page)
    # Lazy, sized, and silent to screen readers: the name is the heading beside it.
    assert attribute(tag, "loading") == "lazy"
    assert (attribute(tag, "width"), attribute(tag, "height")) == ("80", "80")
    assert attribute(tag, "alt") == ""
    assert page.index(tag) < page.index("<h3>Pia Public</h3>")
    # The visitor's browser may fetch what the page points at, and a shared cache
    # may keep it no longer than the site's cache keeps the page.
    src = attribute(tag, "src")
    assert fetch_image(client, src)
    assert client.get(src)["Cache-Control"] == "public, max-age=300"


def test_renditions_are_webp_at_80_and_160_pixels(client, uk_areas):
    give_photo(candidate("Pia Public", public=True))
    [tag] = photo_tags(client.get(URL).content.decode())
    sources = dict(
        reversed(entry.strip().rsplit(" ", 1))
        for entry in attribute(tag, "srcset").split(",")
    )
    assert set(sources) == {"80w", "160w"}
    assert attribute(tag, "sizes") == "80px"
    for width, url in sources.items():
        data = fetch_image(client, url)
        assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
        with Image.open(io.BytesIO(data)) as image:
            side = int(width.removesuffix("w"))
            assert image.format == "WEBP"
            assert image.size == (side, side)


def test_a_private_persons_photo_never_reaches_the_page(client, uk_areas):
    person = candidate("Pat Private", public=False)
    image = give_photo(person)
    page = client.get(URL).content.decode()
    assert "<h3>Pat Private</h3>" in page  # a candidacy is public record
    assert photo_tags(page) == []
    assert "<img" not in page.split("<main", 1)[1]
    # No rendition was even made, and the original's name is nowhere on the page.
    assert not image.renditions.exists()
    assert image.file.name.rsplit("/", 1)[1].split(".")[0] not in page


def test_withdrawing_a_public_profile_takes_the_photo_off_the_page(client, uk_areas):
    person = candidate("Wren Withdrawn", public=True)
    give_photo(person)
    assert photo_tags(client.get(URL).content.decode())
    type(person).objects.filter(pk=person.pk).update(public_profile=False)
    assert photo_tags(client.get(URL).content.decode()) == []


def test_the_policy_shows_only_public_profiles_photos_to_the_public(uk_areas):
    public = candidate("Pia Public", public=True)
    private = candidate("Pat Private", public=False)
    bare = candidate("Nia Nophoto", public=True)
    give_photo(public)
    give_photo(private)
    assert shows_photo(public, Audience.PUBLIC)
    assert not shows_photo(private, Audience.PUBLIC)
    assert not shows_photo(bare, Audience.PUBLIC)
    assert shows_photo(private, Audience.NETWORK)  # members know about them
