"""Social cards: the 1200 x 630 PNG pictures a link to the site shows when it is
shared (OpenGraph ``og:image``), drawn by the server with Pillow.

The national card (home page, where-they-stand) gives the count of candidates by
what they said and the pledge total; a constituency's
card names the seat and each candidate with what they said, and its pledge count.
The words drawn are also written into the PNG's text chunks (Title, Description,
Source), so what a card says can be read back without looking at it.

Cards are cached under a key made from what they show: a new stance or pledge
makes a new key (and a new picture), an unchanged seat costs a cache read.
"""

import hashlib
import io
import textwrap
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from campaign import selectors
from campaign.selectors import StanceState

WIDTH, HEIGHT = 1200, 630
CACHE_SECONDS = 24 * 3600

INK = (17, 17, 17)
PAPER = (255, 255, 255)
GREEN = (11, 110, 61)
RED = (200, 16, 46)
MUTED = (74, 74, 74)
SAND = (246, 242, 234)
STATE_COLOURS = {
    StanceState.CEASEFIRE: GREEN,
    StanceState.REFUSES: RED,
    StanceState.UNCLEAR: (122, 92, 0),
    StanceState.NO_REPLY: MUTED,
    StanceState.NOT_ASKED: (111, 111, 111),
}
# The most candidate lines a constituency card has room for.
MAX_LINES = 6


@dataclass(frozen=True)
class CardLine:
    text: str
    state: str


@dataclass(frozen=True)
class Card:
    title: str
    subtitle: str
    lines: tuple[CardLine, ...] = ()
    pledges: int | None = None
    source: str = ""
    extra: tuple[str, ...] = field(default=())

    @property
    def description(self) -> str:
        parts = [self.subtitle, *(line.text for line in self.lines), *self.extra]
        if self.pledges is not None:
            parts.append(_pledge_words(self.pledges))
        return "\n".join(parts)

    def cache_key(self) -> str:
        digest = hashlib.sha256(repr(self).encode()).hexdigest()[:32]
        return f"social-card:{digest}"


def _pledge_words(n: int) -> str:
    people = "person has" if n == 1 else "people have"
    return f"{n:,} {people} pledged: no ceasefire, no vote"


def _pledges(area=None) -> int:
    """Counted pledges in ``area``, or across the UK."""
    return selectors.pledge_total() if area is None else selectors.pledge_count(area)


# ------------------------------------------------------------------ what is drawn


def national_card(*, source: str) -> Card:
    summary = selectors.overview()
    lines = tuple(
        CardLine(f"{summary.candidates.get(state, 0):,} {state.label.lower()}", state)
        for state in StanceState
    )
    return Card(
        title="Where do your candidates stand on a ceasefire?",
        subtitle="What every candidate said, seat by seat",
        lines=lines,
        pledges=_pledges(),
        source=source,
    )


def constituency_card(*, area, source: str) -> Card:
    candidates = selectors.constituency_candidates(area, selectors.stances_election())
    lines = []
    for candidate in candidates:
        role = candidate.candidacy
        party = f" ({role.party.name})" if role.party_id else ""
        state = candidate.stance.state
        lines.append(CardLine(f"{role.person.name}{party}: {state.label}", state))
    extra = ()
    if len(lines) > MAX_LINES:
        extra = (f"and {len(lines) - MAX_LINES + 1} more candidates",)
        lines = lines[: MAX_LINES - 1]
    if not lines:
        extra = ("No candidates listed yet",)
    return Card(
        title=area.name,
        subtitle="Where the candidates stand on a ceasefire",
        lines=tuple(lines),
        pledges=_pledges(area),
        source=source,
        extra=extra,
    )


# ------------------------------------------------------------------ drawing


def _font(size: int):
    return ImageFont.load_default(size=size)  # Pillow's own font: no system fonts


def _fit(draw, text: str, size: int, width: int, max_lines: int):
    """The text wrapped to ``width`` pixels, shrinking the size until it fits."""
    while size > 20:
        font = _font(size)
        chars = max(8, int(width / (size * 0.55)))
        wrapped = textwrap.wrap(text, chars)
        if len(wrapped) <= max_lines and all(
            draw.textlength(line, font=font) <= width for line in wrapped
        ):
            return font, wrapped
        size -= 4
    return _font(size), textwrap.wrap(text, int(width / (size * 0.55)))[:max_lines]


def render(card: Card) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 24, HEIGHT], fill=GREEN)
    draw.rectangle([0, HEIGHT - 90, WIDTH, HEIGHT], fill=SAND)
    left, right = 72, WIDTH - 64
    draw.text(
        (left, 40), settings.WAGTAIL_SITE_NAME.upper(), font=_font(28), fill=GREEN
    )
    y = 84
    font, title = _fit(draw, card.title, 64, right - left, 2)
    for line in title:
        draw.text((left, y), line, font=font, fill=INK)
        y += int(font.size * 1.15)
    draw.text((left, y + 4), card.subtitle, font=_font(30), fill=MUTED)
    y += 58
    row_font = _font(30)
    for line in card.lines:
        colour = STATE_COLOURS.get(line.state, MUTED)
        draw.ellipse([left, y + 8, left + 22, y + 30], fill=colour)
        text = line.text
        while (
            draw.textlength(text, font=row_font) > right - left - 40 and len(text) > 4
        ):
            text = text[:-2].rstrip() + "…"
        draw.text((left + 38, y), text, font=row_font, fill=INK)
        y += 40
    for line in card.extra:
        draw.text((left + 38, y), line, font=row_font, fill=MUTED)
        y += 40
    footer = _pledge_words(card.pledges) if card.pledges is not None else ""
    if footer:
        draw.text((left, HEIGHT - 66), footer, font=_font(34), fill=RED)
    info = PngInfo()
    info.add_text("Title", card.title)
    info.add_text("Description", card.description)
    info.add_text("Source", card.source)
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, optimize=True)
    return out.getvalue()


def card_png(card: Card) -> bytes:
    """The card's picture, from the cache when the same card was drawn before."""
    key = card.cache_key()
    png = cache.get(key)
    if png is None:
        png = render(card)
        cache.set(key, png, CACHE_SECONDS)
    return png
