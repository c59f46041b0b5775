"""The hex map of the 650 constituencies, laid out from the shipped HexJSON.

``network/data/uk_constituencies_2024.hexjson`` (Open Innovations, MIT licence)
places each constituency on a grid of pointy-topped hexagons in the "odd-r"
layout: odd rows are pushed half a hexagon to the right, and ``r`` grows
northwards. This module turns that into SVG coordinates once; the page template
draws one linked hexagon per constituency, so the map works without JavaScript.
A region's view draws only its hexagons, in a box around them (``view_box``), so
they are large enough to read and tap on a phone.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

HEX_RADIUS = 6  # centre to corner, in SVG units
HEX_WIDTH = math.sqrt(3) * HEX_RADIUS
ROW_HEIGHT = 1.5 * HEX_RADIUS
MARGIN = HEX_RADIUS


@dataclass(frozen=True)
class HexCell:
    gss_code: str
    name: str
    x: float
    y: float
    region: str = ""  # the GSS code of its region, or its nation outside England


@dataclass(frozen=True)
class HexLayout:
    width: float
    height: float
    cells: tuple[HexCell, ...]
    # The corners of one hexagon centred on (0, 0), for <polygon points>.
    points: str


@cache
def load_layout(path: str | None = None) -> HexLayout:
    path = Path(path or settings.NETWORK_DATA_DIR / "uk_constituencies_2024.hexjson")
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("layout") != "odd-r":
        raise ValueError(f"{path.name}: expected an odd-r layout")
    hexes = data["hexes"]
    qs = [h["q"] for h in hexes.values()]
    rs = [h["r"] for h in hexes.values()]
    min_q, max_r = min(qs), max(rs)
    cells = []
    for gss_code, h in hexes.items():
        shift = HEX_WIDTH / 2 if h["r"] % 2 else 0
        x = MARGIN + (h["q"] - min_q) * HEX_WIDTH + shift + HEX_WIDTH / 2
        y = MARGIN + (max_r - h["r"]) * ROW_HEIGHT + HEX_RADIUS
        cells.append(
            HexCell(gss_code, h["n"], round(x, 2), round(y, 2), h.get("region", ""))
        )
    width = MARGIN * 2 + (max(qs) - min_q + 1.5) * HEX_WIDTH
    height = MARGIN * 2 + (max_r - min(rs)) * ROW_HEIGHT + 2 * HEX_RADIUS
    corners = [
        (
            round(HEX_RADIUS * math.cos(math.radians(60 * i - 90)), 2),
            round(HEX_RADIUS * math.sin(math.radians(60 * i - 90)), 2),
        )
        for i in range(6)
    ]
    return HexLayout(
        width=round(width, 2),
        height=round(height, 2),
        cells=tuple(sorted(cells, key=lambda c: (c.y, c.x))),
        points=" ".join(f"{x},{y}" for x, y in corners),
    )


@dataclass(frozen=True)
class ViewBox:
    """The part of the map to draw: an SVG viewBox and the hexagons across it."""

    x: float
    y: float
    width: float
    height: float

    @property
    def columns(self) -> int:
        return math.ceil(self.width / HEX_WIDTH)

    def __str__(self) -> str:
        return f"{self.x} {self.y} {self.width} {self.height}"


def view_box(cells, layout: HexLayout) -> ViewBox:
    """The box around the given hexagons with a margin, or the whole map."""
    cells = list(cells)
    if not cells:
        return ViewBox(0, 0, layout.width, layout.height)
    left = min(c.x for c in cells) - HEX_WIDTH / 2 - MARGIN / 2
    top = min(c.y for c in cells) - HEX_RADIUS - MARGIN / 2
    right = max(c.x for c in cells) + HEX_WIDTH / 2 + MARGIN / 2
    bottom = max(c.y for c in cells) + HEX_RADIUS + MARGIN / 2
    return ViewBox(
        round(left, 2), round(top, 2), round(right - left, 2), round(bottom - top, 2)
    )
