"""The site's identity: its colour system meets WCAG AA contrast, and its logo,
favicon set and web manifest are served by the site itself and linked from every
page."""

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

from tests.factories import build_site_pages

SITE_CSS = Path(settings.BASE_DIR) / "static" / "css" / "site.css"
TEXT = 4.5  # WCAG 2.2 AA, 1.4.3: normal-size text
NON_TEXT = 3.0  # WCAG 2.2 AA, 1.4.11: field borders, focus indicators

# Every pair of colours the stylesheets put together, as (foreground, background,
# the ratio it needs, where). A rule that sets text of one colour on another
# belongs here.
PAIRS = [
    ("ink", "paper", TEXT, "body text"),
    ("ink", "sand", TEXT, "the national picture, consent boxes, quotes"),
    ("ink", "green-tint", TEXT, "sign-up block, member area messages"),
    ("ink", "warning-tint", TEXT, "notices"),
    ("ink", "focus", TEXT, "a focused link or button"),
    ("ink", "green-on-dark", TEXT, "the header's Get updates link"),
    ("paper", "ink", TEXT, "header, footer, menu links"),
    ("paper", "green", TEXT, "hero text, primary buttons"),
    ("paper", "green-dark", TEXT, "a hovered primary button"),
    ("paper", "error", TEXT, "the delete-account button"),
    ("green-dark", "paper", TEXT, "links"),
    ("green-dark", "sand", TEXT, "links on sand"),
    ("green-dark", "green-tint", TEXT, "links in the sign-up block"),
    ("green", "paper", TEXT, "the counter of supporters"),
    ("green", "sand", TEXT, "the counter of supporters on sand"),
    ("red", "paper", TEXT, "the counter of constituencies with no supporter"),
    ("muted", "paper", TEXT, "dates, hints"),
    ("muted", "sand", TEXT, "hints in consent boxes"),
    ("error", "paper", TEXT, "error messages and the error summary"),
    ("error", "sand", TEXT, "an error in a consent box"),
    ("green-on-dark", "ink", TEXT, "the current page in the header menu"),
    ("red-on-dark", "ink", TEXT, "the logo's NO VOTE on the header"),
    ("ink", "paper", NON_TEXT, "field borders"),
    ("border", "paper", NON_TEXT, "table rules and fieldset edges"),
    ("focus", "ink", NON_TEXT, "the focus ring on the dark header"),
    ("ink", "focus", NON_TEXT, "the ink edge of a focus highlight"),
]


def colour_system() -> dict[str, str]:
    """The --colour-* custom properties declared in site.css's :root."""
    root = re.search(r":root\s*{(.*?)}", SITE_CSS.read_text(), re.S).group(1)
    return dict(re.findall(r"--colour-([a-z-]+):\s*(#[0-9a-fA-F]{6})\b", root))


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one: str, two: str) -> float:
    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_arithmetic_matches_wcag():
    # WCAG's own extremes and a well-known pair: the checker itself is right.
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_every_colour_pair_the_site_uses_meets_wcag_aa():
    colours = colour_system()
    assert len(colours) >= 10, "the colour system was not found in site.css"
    failures = []
    for foreground, background, needed, where in PAIRS:
        assert foreground in colours and background in colours, (foreground, where)
        ratio = contrast(colours[foreground], colours[background])
        if ratio < needed:
            failures.append(f"{foreground} on {background} ({where}): {ratio:.2f}")
    assert not failures, "below WCAG AA: " + "; ".join(failures)


def test_the_stylesheets_use_the_colour_system_for_text():
    # A colour typed into a rule instead of a variable escapes the check above.
    # The few allowed: stances.css's hex map fill and position badges, whose
    # pairs axe checks on the pages themselves, and a divider on the dark header.
    allowed = {"#c2410c", "#8f1d0c", "#fdecea", "#3d3d3d", "#f3f2f1", "#3a3a3a"}
    allowed |= {"#6e0912", "#8a0b18"}  # the delete button's edge and hover
    for name in ("site.css", "members.css", "stances.css"):
        css = (SITE_CSS.parent / name).read_text()
        body = re.sub(r":root\s*{.*?}", "", css, flags=re.S)
        stray = set(re.findall(r"#[0-9a-fA-F]{6}\b", body)) - allowed
        assert not stray, f"{name} sets colours outside the system: {stray}"


# ------------------------------------------------------------------ icons


def static_file(name: str) -> Path:
    found = finders.find(name)
    assert found, f"static/{name} is missing"
    return Path(found)


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("icons/apple-touch-icon.png", 180),
        ("icons/icon-192.png", 192),
        ("icons/icon-512.png", 512),
        ("icons/icon-maskable-512.png", 512),
    ],
)
def test_png_icons_have_their_sizes(name, size):
    with Image.open(static_file(name)) as image:
        assert image.format == "PNG"
        assert image.size == (size, size)


def test_favicon_ico_holds_the_small_sizes():
    with Image.open(static_file("icons/favicon.ico")) as image:
        assert image.format == "ICO"
        assert {(16, 16), (32, 32), (48, 48)} <= set(image.ico.sizes())


@pytest.mark.parametrize(
    "name", ["icons/favicon.svg", "img/logo.svg", "img/logo-reverse.svg"]
)
def test_svgs_are_well_formed_and_load_nothing_else(name):
    text = static_file(name).read_text()
    root = ET.fromstring(text)  # noqa: S314 - our own file
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox")
    # Self-contained: no links, images, fonts or scripts from anywhere.
    assert not re.search(r"(?:href|src)=|<script|<image|@import|url\(", text)


def test_the_manifest_names_the_site_and_its_icons():
    manifest = json.loads(static_file("icons/site.webmanifest").read_text())
    assert manifest["name"] == settings.WAGTAIL_SITE_NAME
    assert manifest["start_url"] == "/"
    sizes = set()
    for icon in manifest["icons"]:
        # Relative to the manifest, so they resolve among the static files.
        assert not icon["src"].startswith(("/", "http"))
        static_file(f"icons/{icon['src']}")
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])


@pytest.mark.django_db
def test_favicon_ico_answers_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content == static_file("icons/favicon.ico").read_bytes()
    assert "max-age" in response["Cache-Control"]
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.format == "ICO"
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.django_db
def test_every_page_links_the_icons_manifest_theme_colour_and_logo(client):
    site = build_site_pages()
    for url in [site.home.url, site.event.url, "/updates/signup/", "/no-such-page/"]:
        html = client.get(url).content.decode()
        assert '<link rel="icon" href="/static/icons/favicon.svg"' in html, url
        assert '<link rel="icon" href="/static/icons/favicon.ico"' in html, url
        assert 'rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png"' in (
            html
        )
        assert '<link rel="manifest" href="/static/icons/site.webmanifest">' in html
        assert re.search(r'<meta name="theme-color" content="#[0-9a-f]{6}">', html)
        assert 'src="/static/img/logo-reverse.svg" alt="No Ceasefire No Vote' in html
    # The sign-in pages and the member area share the site's page.
    html = client.get("/accounts/login/").content.decode()
    assert '<link rel="manifest" href="/static/icons/site.webmanifest">' in html


def test_the_manifest_is_served_with_its_media_type():
    from whitenoise.media_types import MediaTypes

    types = MediaTypes(extra_types=settings.WHITENOISE_MIMETYPES)
    assert types.get_type("site.webmanifest") == "application/manifest+json"
