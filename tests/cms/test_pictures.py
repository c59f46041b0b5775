"""Pictures on statements and events: alt text required, renditions in srcset,
and the demo's own drawings."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from cms import illustrations
from cms.demo import demo_picture
from tests.factories import build_site_pages

pytestmark = pytest.mark.django_db


def picture(title="A test picture"):
    image = Image(
        title=title, file=ImageFile(io.BytesIO(illustrations.hall()), name="t.png")
    )
    image.save()
    return image


def test_a_picture_needs_alt_text(site_pages):
    statement = site_pages.statement
    statement.image = picture()
    statement.image_alt = "  "
    with pytest.raises(ValidationError) as error:
        statement.full_clean()
    assert "image_alt" in error.value.message_dict
    statement.image_alt = "Rows of chairs facing a stage"
    statement.full_clean()


@pytest.mark.parametrize("kind", ["statement", "event"])
def test_the_page_shows_its_picture_in_sizes_for_the_screen(client, kind):
    site = build_site_pages()
    page = getattr(site, kind)
    page.image = picture()
    page.image_alt = "Rows of chairs facing a stage"
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    img = re.search(r'<figure class="lead-image"><img ([^>]*)>', html)
    assert img, "no picture at the top of the page"
    attrs = img.group(1)
    assert 'alt="Rows of chairs facing a stage"' in attrs
    srcset = re.search(r'srcset="([^"]*)"', attrs).group(1)
    widths = sorted(int(w) for w in re.findall(r" (\d+)w", srcset))
    assert widths == [400, 800, 1200]
    assert ".webp" in srcset and "sizes=" in attrs
    assert "original_images" not in attrs  # never the upload itself


def test_demo_pictures_are_drawn_for_the_project():
    for key, (title, alt, draw) in illustrations.DEMO_PICTURES.items():
        data = draw()
        with PILImage.open(io.BytesIO(data)) as drawn:
            assert drawn.format == "PNG" and drawn.size == (1600, 900)
        image, alt_text = demo_picture(key)
        assert image.title == title and alt_text == alt and len(alt) > 20
        assert demo_picture(key)[0].pk == image.pk  # added once
