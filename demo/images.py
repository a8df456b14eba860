"""Illustrations for the demo, drawn with Pillow so nothing is downloaded."""

import random
from io import BytesIO

from PIL import Image, ImageDraw

PALETTES = [
    ((120, 180, 225), (46, 125, 50), (27, 94, 32)),
    ((255, 204, 128), (85, 139, 47), (51, 105, 30)),
    ((179, 229, 252), (0, 137, 123), (0, 77, 64)),
    ((207, 216, 220), (121, 85, 72), (78, 52, 46)),
    ((129, 212, 250), (2, 119, 189), (1, 87, 155)),
    ((255, 224, 178), (104, 159, 56), (51, 105, 30)),
]


def landscape_png(seed, size=(1200, 750)):
    """A sky, two mountain ridges and a river: a calm placeholder in the site's green palette."""
    rng = random.Random(seed)
    sky, near, far = PALETTES[seed % len(PALETTES)]
    width, height = size
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    for y in range(height // 2):
        shade = tuple(min(255, channel + y // 6) for channel in sky)
        draw.line([(0, y), (width, y)], fill=shade)
    sun_x = rng.randint(width // 5, width * 4 // 5)
    draw.ellipse([sun_x - 50, 80, sun_x + 50, 180], fill=(255, 241, 118))
    for colour, base, jag in ((far, height * 0.55, 140), (near, height * 0.7, 90)):
        points = [(0, height)]
        for x in range(0, width + 100, 100):
            points.append((x, base - rng.randint(0, jag)))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    draw.polygon(
        [(width * 0.45, height), (width * 0.55, height * 0.75), (width * 0.6, height * 0.75), (width * 0.7, height)],
        fill=(144, 202, 249),
    )
    buffer = BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def placeholder_pdf(seed=0):
    """A one-page PDF standing in for an attached full text (附全文)."""
    image = Image.new("RGB", (595, 842), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for row in range(12):
        draw.rectangle([60, 80 + row * 56, 535, 92 + row * 56], fill=(200, 200, 200))
    buffer = BytesIO()
    image.save(buffer, "PDF")
    return buffer.getvalue()
