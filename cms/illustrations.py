"""Pictures the demo site uses, drawn here with Pillow when ``seed_demo`` runs.

They are the project's own work, made for it and released with it (see
``docs/cms.md``, "Demo pictures"): simple scenes in the site's colours, with no
text (the alt text says what they show) and no photograph of anyone.
"""

import io
import random

from PIL import Image, ImageDraw

GREEN = (11, 110, 61)
GREEN_DARK = (6, 77, 42)
GREEN_TINT = (231, 243, 236)
RED = (200, 16, 46)
SAND = (246, 242, 234)
INK = (17, 17, 17)
PAPER = (255, 255, 255)

SIZE = (1600, 900)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def gathering() -> bytes:
    """A crowd seen from behind, holding up placards, under a green sky."""
    rng = random.Random(1)  # noqa: S311 - a drawing, not a secret
    width, height = SIZE
    image = Image.new("RGB", SIZE, GREEN)
    draw = ImageDraw.Draw(image)
    for band in range(12):  # a sky lighter towards the horizon
        top = band * height // 24
        shade = tuple(
            c + (t - c) * band // 30 for c, t in zip(GREEN, PAPER, strict=True)
        )
        draw.rectangle([0, top, width, top + height // 24], fill=shade)
    for row in range(4):
        y = height // 2 + row * 90
        for n in range(18):
            x = n * 95 + (row % 2) * 45 + rng.randint(-12, 12)
            if rng.random() < 0.45:  # a placard on a stick
                colour = RED if rng.random() < 0.4 else PAPER
                draw.line([x + 30, y - 40, x + 30, y + 20], fill=INK, width=6)
                draw.rectangle([x - 15, y - 150, x + 75, y - 40], fill=colour)
                draw.rectangle([x - 15, y - 150, x + 75, y - 40], outline=INK, width=4)
            draw.ellipse([x, y - 10, x + 60, y + 50], fill=INK)  # a head
            draw.rounded_rectangle([x - 20, y + 40, x + 80, y + 200], 30, fill=INK)
    return _png(image)


def hall() -> bytes:
    """Rows of chairs in a hall, facing a stage with a lectern and a banner."""
    width, height = SIZE
    image = Image.new("RGB", SIZE, SAND)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, 330], fill=GREEN_TINT)  # the back wall
    draw.rectangle([300, 60, 1300, 160], fill=GREEN)  # the banner
    draw.rectangle([340, 95, 1260, 125], fill=PAPER)
    draw.rectangle([0, 300, width, 360], fill=GREEN_DARK)  # the stage's edge
    draw.polygon([(760, 180), (840, 180), (820, 300), (780, 300)], fill=INK)
    draw.rectangle([740, 160, 860, 185], fill=RED)  # the lectern's top
    for row in range(5):
        y = 420 + row * 95
        scale = 1 + row * 0.18
        seat_w = int(70 * scale)
        count = 11 - row
        gap = (width - 100) // count
        for n in range(count):
            x = 50 + n * gap + (gap - seat_w) // 2
            colour = RED if (n + row) % 7 == 0 else GREEN
            draw.rounded_rectangle(
                [x, y - int(55 * scale), x + seat_w, y], 8, fill=colour
            )  # the back
            draw.rectangle([x, y, x + seat_w, y + int(14 * scale)], fill=INK)  # seat
    return _png(image)


def meeting() -> bytes:
    """People round a table with papers and cups, seen from above."""
    width, height = SIZE
    image = Image.new("RGB", SIZE, GREEN_TINT)
    draw = ImageDraw.Draw(image)
    table = [350, 250, 1250, 650]
    draw.rounded_rectangle(table, 60, fill=SAND, outline=GREEN_DARK, width=8)
    seats = [(x, 170) for x in range(450, 1200, 200)]
    seats += [(x, 730) for x in range(450, 1200, 200)]
    seats += [(260, 450), (1340, 450)]
    for n, (x, y) in enumerate(seats):
        colour = RED if n % 4 == 1 else GREEN
        draw.ellipse([x - 55, y - 55, x + 55, y + 55], fill=colour)  # shoulders
        draw.ellipse([x - 30, y - 30, x + 30, y + 30], fill=INK)  # a head
    for n in range(6):  # papers and cups on the table
        x = 450 + n * 140
        draw.rectangle([x, 330 + (n % 2) * 180, x + 80, 440 + (n % 2) * 180],
                       fill=PAPER, outline=INK, width=3)  # fmt: skip
        draw.ellipse([x + 95, 350 + (n % 2) * 180, x + 125, 380 + (n % 2) * 180],
                     fill=RED)  # fmt: skip
    return _png(image)


# Name, title, alt text, drawing: what seed_demo adds to the image library.
DEMO_PICTURES = {
    "gathering": (
        "A crowd holding placards (demo drawing)",
        "A drawing of a crowd seen from behind, holding up red and white placards.",
        gathering,
    ),
    "hall": (
        "Chairs facing a stage (demo drawing)",
        "A drawing of rows of chairs in a hall, facing a stage with a lectern "
        "under a green banner.",
        hall,
    ),
    "meeting": (
        "A meeting round a table (demo drawing)",
        "A drawing of ten people round a table with papers and cups, seen from above.",
        meeting,
    ),
}
