"""The hex map of the 650 constituencies, laid out from the shipped HexJSON.

``network/data/uk_constituencies_2024.hexjson`` (Open Innovations, MIT licence)
places each constituency on a grid of pointy-topped hexagons in the "odd-r"
layout: odd rows are pushed half a hexagon to the right, and ``r`` grows
northwards. This module turns that into SVG coordinates once; the page template
draws one linked hexagon per constituency, so the map works without JavaScript.
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
        cells.append(HexCell(gss_code, h["n"], round(x, 2), round(y, 2)))
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
