"""Pictures for the demo, drawn at load time: no photo is downloaded or shipped.

Stories get a title card (headline words over a bar chart of the story's own
figures, or over a rough map of the countries it is about); people a portrait
card (initials on a colour, a geometric head and shoulders); organisations a
logo (short name in a shape). Each is seeded by its slug, so a load draws the
same pixels every time, and modest in size so the demo stays quick to load:
the library makes the renditions, as it does for any upload.
"""

import io
import random
import re
import zlib

from PIL import Image, ImageDraw, ImageFont

STORY_SIZE = (1280, 720)
PORTRAIT_SIZE = (640, 640)
LOGO_SIZE = (640, 640)

PALETTE = ["#1d3557", "#264653", "#6d597a", "#7f5539", "#2a6f97", "#3a5a40", "#9d0208"]
ACCENTS = ["#e9c46a", "#f4a261", "#a8dadc", "#f1faee", "#ffb703", "#cdb4db", "#b7e4c7"]

# Very rough outlines (longitude, latitude) of the demo's countries: a map's
# shape, not a map.
OUTLINES = {
    "MA": [
        (-13, 27.7),
        (-8.7, 27.7),
        (-8.7, 28.7),
        (-3.6, 30.0),
        (-1.2, 32.1),
        (-2.2, 35.1),
        (-5.9, 35.8),
        (-6.9, 34.0),
        (-9.6, 30.4),
        (-11.5, 28.3),
    ],
    "DZ": [
        (-8.7, 27.7),
        (-8.7, 28.7),
        (-3.6, 30.0),
        (-1.2, 32.1),
        (-2.2, 35.1),
        (2.0, 36.6),
        (8.6, 36.9),
        (8.3, 34.6),
        (9.5, 30.2),
        (11.9, 23.5),
        (5.8, 19.4),
        (1.2, 20.7),
        (-4.8, 25.0),
    ],
    "TN": [
        (8.6, 36.9),
        (10.3, 37.3),
        (11.1, 36.8),
        (10.2, 34.0),
        (11.5, 33.1),
        (10.0, 30.2),
        (9.5, 30.2),
        (8.3, 34.6),
    ],
}
MAP_BOX = (-14.0, 18.0, 13.0, 38.5)  # west, south, east, north


def _rng(key: str) -> random.Random:
    return random.Random(zlib.crc32(key.encode()))


def _font(size: int):
    return ImageFont.load_default(size=size)


def _jpeg(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


# Pillow's built-in font has no curly quotes or dashes.
PLAIN = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"'})


def _wrap(draw, text, font, width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def figures_in(text: str) -> list[int]:
    """Figures a story mentions, for its bar chart: its years, or else its counts."""
    numbers = [int(n) for n in re.findall(r"\b\d{1,4}\b", text) if int(n) > 0]
    years = [n for n in numbers if 1900 < n < 2100]
    return (years if len(years) >= 3 else [n for n in numbers if n not in years])[:8]


def _bar_chart(draw, rng, numbers, box, colour):
    left, top, right, bottom = box
    gap = 18
    width = (right - left - gap * (len(numbers) - 1)) / len(numbers)
    # Years are drawn from a floor, so 2004 and 2020 differ at a glance.
    floor = min(numbers) - 5 if min(numbers) > 1900 else 0
    scale = [n - floor for n in numbers]
    tallest = max(scale) or 1
    for index, value in enumerate(scale):
        x = left + index * (width + gap)
        height = max(12, (bottom - top) * value / tallest * rng.uniform(0.85, 1.0))
        draw.rectangle((x, bottom - height, x + width, bottom), fill=colour)


def _map(draw, countries, box, colour, outline):
    west, south, east, north = MAP_BOX
    left, top, right, bottom = box

    def point(longitude, latitude):
        return (
            left + (longitude - west) / (east - west) * (right - left),
            top + (north - latitude) / (north - south) * (bottom - top),
        )

    for code, shape in OUTLINES.items():
        fill = colour if code in countries else None
        draw.polygon([point(*corner) for corner in shape], fill=fill, outline=outline, width=4)


def story_card(slug, headline, *, body="", countries=()) -> bytes:
    """A 16:9 title card: the headline over a map or a chart from the story."""
    rng = _rng(slug)
    background, accent = rng.choice(PALETTE), rng.choice(ACCENTS)
    card = Image.new("RGB", STORY_SIZE, background)
    draw = ImageDraw.Draw(card)
    width, height = STORY_SIZE
    mapped = [code for code in countries if code in OUTLINES]
    numbers = figures_in(body)
    if mapped and (len(numbers) < 3 or rng.random() < 0.5):
        _map(
            draw,
            mapped,
            (width * 0.52, height * 0.08, width * 0.97, height * 0.92),
            accent,
            "#ffffff",
        )
    elif numbers:
        _bar_chart(
            draw, rng, numbers, (width * 0.55, height * 0.25, width * 0.95, height * 0.88), accent
        )
    for _ in range(6):  # a few shapes along the top, so cards differ at a glance
        x, y, r = rng.uniform(0, width * 0.5), rng.uniform(0, height * 0.12), rng.uniform(15, 45)
        draw.ellipse((x - r, y - r, x + r, y + r), outline=accent, width=3)
    font = _font(64)
    lines = _wrap(draw, headline.translate(PLAIN), font, width * 0.46)[:6]
    y = height / 2 - len(lines) * 40
    for line in lines:
        draw.text((56, y), line, font=font, fill="#ffffff")
        y += 80
    draw.rectangle((56, height - 64, 56 + 160, height - 56), fill=accent)
    return _jpeg(card)


def initials(name: str) -> str:
    words = [word for word in re.split(r"[\s-]+", name) if word[:1].isalpha()]
    return "".join(word[0].upper() for word in (words[:1] + words[-1:]))


def portrait_card(slug, name) -> bytes:
    """A square portrait card: initials, and a head and shoulders in simple shapes."""
    rng = _rng(slug)
    background, accent = rng.choice(PALETTE), rng.choice(ACCENTS)
    card = Image.new("RGB", PORTRAIT_SIZE, background)
    draw = ImageDraw.Draw(card)
    width, height = PORTRAIT_SIZE
    centre = width / 2
    draw.ellipse((centre - 250, height * 0.72, centre + 250, height * 1.5), fill=accent)
    draw.ellipse((centre - 120, height * 0.22, centre + 120, height * 0.62), fill=accent)
    font = _font(120)
    text = initials(name)
    draw.text((centre, height * 0.42), text, font=font, fill=background, anchor="mm")
    return _jpeg(card)


def logo_card(slug, name, short_name="") -> bytes:
    """A square logo: the short name (or initials) in a ring, on white."""
    rng = _rng(slug)
    colour = rng.choice(PALETTE)
    card = Image.new("RGB", LOGO_SIZE, "#ffffff")
    draw = ImageDraw.Draw(card)
    width, height = LOGO_SIZE
    draw.ellipse((40, 40, width - 40, height - 40), outline=colour, width=28)
    sides = rng.choice([3, 4, 5, 6, 8])
    draw.regular_polygon((width / 2, height / 2, 200), sides, fill=colour)
    label = (short_name or "".join(word[0] for word in name.split() if word[0].isupper()))[:5]
    font = _font(100 if len(label) <= 3 else 72)
    draw.text((width / 2, height * 0.56), label, font=font, fill="#ffffff", anchor="mm")
    return _jpeg(card)
