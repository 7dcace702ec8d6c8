"""Renditions: the right-sized, metadata-free files readers actually download.

Each library image gets widths 320–1920 (never larger than the original) in WebP
and a fallback (JPEG, or PNG when the picture has transparency), plus crops
around the focal point: the 1200×630 social card, square thumbnails and the
16:9, 4:3 and 1:1 pictures search engines read from structured data.

A rendition is made once and recorded in a `Rendition` row, unique per image and
spec. Crop specs include the focal point, so moving the focal point asks for new
crops; `refresh_renditions()` makes them and retires the old ones.

Concurrency: two requests may both find a rendition missing. Each renders to its
own random file name (nobody reads a file until a row points at it, so a
half-written file is never served), then inserts the row; the unique constraint
lets one win, and the loser deletes its own file and uses the winner's row.
"""

import io
import logging
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from PIL import Image as PILImage

from .models import Image, Rendition
from .uploads import clean_pixels, encode

logger = logging.getLogger(__name__)

WIDTHS = (320, 640, 960, 1280, 1920)
SOCIAL_CARD = (1200, 630)
SQUARES = (160, 480)
# Google asks for 16:9, 4:3 and 1:1 versions of an article's image, wide ones
# at least 1200 px; these crops are that wide unless the original is narrower.
STRUCTURED_DATA_ASPECTS = ((16, 9), (4, 3), (1, 1))
STRUCTURED_DATA_WIDTH = 1200
WEBP, JPEG, PNG = "WEBP", "JPEG", "PNG"
EXTENSIONS = {WEBP: "webp", JPEG: "jpg", PNG: "png"}
CONTENT_TYPES = {WEBP: "image/webp", JPEG: "image/jpeg", PNG: "image/png"}


@dataclass(frozen=True)
class Spec:
    """What to make: a width (height follows), or a crop of `width`×`height`."""

    width: int
    format: str
    height: int | None = None
    focal: tuple[int, int] | None = None  # per mille, for crops

    @property
    def is_crop(self):
        return self.height is not None

    @property
    def name(self):
        extension = EXTENSIONS[self.format]
        if self.is_crop:
            return f"fill-{self.width}x{self.height}-c{self.focal[0]}x{self.focal[1]}.{extension}"
        return f"w{self.width}.{extension}"


def fallback_format(image: Image) -> str:
    return PNG if image.has_transparency else JPEG


def width_specs(image: Image, file_format: str) -> list[Spec]:
    """The standard widths that fit in the original: a narrow original gets its own."""
    widths = [width for width in WIDTHS if width <= image.width] or [image.width]
    return [Spec(width, file_format) for width in widths]


def crop_spec(image: Image, width: int, height: int, file_format: str) -> Spec:
    focal = (round(image.focal_x * 1000), round(image.focal_y * 1000))
    return Spec(width, file_format, height=height, focal=focal)


def social_card_spec(image: Image) -> Spec:
    # Link previews (Facebook, LinkedIn, messaging apps) read JPEG everywhere.
    return crop_spec(image, *SOCIAL_CARD, JPEG)


def square_spec(image: Image, size: int, file_format: str | None = None) -> Spec:
    return crop_spec(image, size, size, file_format or fallback_format(image))


def structured_data_specs(image: Image) -> list[Spec]:
    """The 16:9, 4:3 and 1:1 crops for JSON-LD, never upscaled."""
    specs = []
    for aspect_width, aspect_height in STRUCTURED_DATA_ASPECTS:
        # The widest box of this shape that fits in the original.
        fits = min(image.width, image.height * aspect_width // aspect_height)
        width = min(STRUCTURED_DATA_WIDTH, fits)
        height = max(1, round(width * aspect_height / aspect_width))
        specs.append(crop_spec(image, width, height, fallback_format(image)))
    return specs


# A story page's lead picture: an original narrower than LANDSCAPE_AT_LEAST
# (portrait, square) is shown cropped to LEAD_FRAME around its focal point, so a
# phone photo is not a screen and a half tall. The library, galleries and body
# figures keep the whole picture.
LEAD_FRAME = (3, 2)
LANDSCAPE_AT_LEAST = 4 / 3


def lead_frame(image: Image) -> tuple[int, int] | None:
    """The frame a story page crops `image` to as its lead picture, or None (as it is)."""
    return LEAD_FRAME if image.width < image.height * LANDSCAPE_AT_LEAST else None


def frame_specs(image: Image, aspect: tuple[int, int], file_format: str) -> list[Spec]:
    """Crops of shape `aspect` around the focal point at the standard widths that fit."""
    aspect_width, aspect_height = aspect
    fits = min(image.width, image.height * aspect_width // aspect_height)
    widths = [width for width in WIDTHS if width <= fits] or [fits]
    return [
        crop_spec(image, width, max(1, round(width * aspect_height / aspect_width)), file_format)
        for width in widths
    ]


def standard_specs(image: Image) -> list[Spec]:
    """Every rendition an image gets on ingest."""
    specs = []
    for file_format in (WEBP, fallback_format(image)):
        specs += width_specs(image, file_format)
        specs += [square_spec(image, size, file_format) for size in SQUARES]
    specs.append(social_card_spec(image))
    specs += structured_data_specs(image)
    # A small original's 1:1 crop can be one of the squares: make it once.
    return list({spec.name: spec for spec in specs}.values())


# --- Making pixels --------------------------------------------------------------


def _crop_box(size, target, focal):
    """The largest box of the target's shape, centred on the focal point, kept inside."""
    width, height = size
    aspect = target[0] / target[1]
    box_width = min(width, height * aspect)
    box_height = box_width / aspect
    left = min(max(focal[0] / 1000 * width - box_width / 2, 0), width - box_width)
    top = min(max(focal[1] / 1000 * height - box_height / 2, 0), height - box_height)
    return (left, top, left + box_width, top + box_height)


def _target_size(spec: Spec, size) -> tuple[int, int]:
    if spec.is_crop:
        return (spec.width, spec.height)
    width = min(spec.width, size[0])  # never upscaled
    return (width, max(1, round(size[1] * width / size[0])))


def resize(spec: Spec, pixels: PILImage.Image) -> PILImage.Image:
    """The pixels of `spec` (any format) from clean, upright pixels."""
    target = _target_size(spec, pixels.size)
    # reducing_gap: shrink by whole factors first (cheap), then resample the rest.
    if spec.is_crop:
        box = _crop_box(pixels.size, target, spec.focal)
        return pixels.resize(target, PILImage.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    return pixels.resize(target, PILImage.Resampling.LANCZOS, reducing_gap=3.0)


def render(spec: Spec, resized: PILImage.Image) -> tuple[bytes, int, int]:
    """Encode resized pixels in `spec`'s format. Returns (bytes, width, height)."""
    out = resized
    if spec.format == JPEG and out.mode == "RGBA":
        flat = PILImage.new("RGB", out.size, "white")
        flat.paste(out, mask=out.getchannel("A"))
        out = flat
    return encode(out, spec.format), out.width, out.height


def open_original(image: Image, *, at_least: tuple[int, int] | None = None) -> PILImage.Image:
    """The stored original's clean pixels, decoded at reduced scale where JPEG allows."""
    with image.file.open("rb") as stored:
        data = stored.read()
    picture = PILImage.open(io.BytesIO(data), formats=["JPEG", "PNG"])
    if at_least and picture.format == "JPEG":
        # DCT scaling: decode at 1/2, 1/4 or 1/8 while still covering `at_least`.
        picture.draft("RGB", at_least)
    picture.load()
    return clean_pixels(picture)


def _source_size_needed(image: Image, specs) -> tuple[int, int]:
    """The smallest decode size from which all `specs` keep full quality."""
    scale = 0.0
    for spec in specs:
        target = _target_size(spec, (image.width, image.height))
        if spec.is_crop:
            box = _crop_box((image.width, image.height), target, spec.focal)
            scale = max(scale, target[0] / (box[2] - box[0]))
        else:
            scale = max(scale, target[0] / image.width)
    scale = min(scale, 1.0)
    return (max(1, round(image.width * scale)), max(1, round(image.height * scale)))


# --- Storing -------------------------------------------------------------------


def _rendition_name(image: Image, spec: Spec) -> str:
    token = uuid.uuid4().hex
    return f"renditions/{token[:2]}/{token}.{EXTENSIONS[spec.format]}"


def _known(image: Image) -> dict[str, Rendition]:
    """This image's renditions by spec, from a prefetch when there was one."""
    memo = getattr(image, "_renditions_by_spec", None)
    if memo is None:
        prefetched = getattr(image, "_prefetched_objects_cache", {}).get("renditions")
        rows = prefetched if prefetched is not None else image.renditions.all()
        memo = image._renditions_by_spec = {row.spec: row for row in rows}
    return memo


def _store(image: Image, spec: Spec, resized: PILImage.Image) -> Rendition:
    content, width, height = render(spec, resized)
    storage = Rendition._meta.get_field("file").storage
    name = storage.save(_rendition_name(image, spec), ContentFile(content))
    try:
        with transaction.atomic():
            rendition = Rendition.objects.create(
                image=image, spec=spec.name, file=name, width=width, height=height
            )
    except IntegrityError:
        # Another request made the same rendition first: keep theirs, drop ours.
        storage.delete(name)
        rendition = Rendition.objects.get(image=image, spec=spec.name)
    except BaseException:
        storage.delete(name)
        raise
    _known(image)[spec.name] = rendition
    return rendition


def get_rendition(image: Image, spec: Spec) -> Rendition:
    """The stored rendition for `spec`, made now if nobody has made it yet."""
    known = _known(image)
    if spec.name in known:
        return known[spec.name]
    found = Rendition.objects.filter(image=image, spec=spec.name).first()
    if found:
        known[spec.name] = found
        return found
    pixels = open_original(image, at_least=_source_size_needed(image, [spec]))
    return _store(image, spec, resize(spec, pixels))


def ensure_renditions(image: Image, pixels: PILImage.Image | None = None) -> list[Rendition]:
    """Make every standard rendition `image` lacks; return them all.

    Pass the clean pixels from ingest to skip decoding the original again.
    """
    specs = standard_specs(image)
    known = _known(image)
    missing = [spec for spec in specs if spec.name not in known]
    if missing and pixels is None:
        pixels = open_original(image, at_least=_source_size_needed(image, missing))
    resized = {}  # WebP and fallback share one resize
    for spec in missing:
        geometry = (spec.width, spec.height, spec.focal)
        if geometry not in resized:
            resized[geometry] = resize(spec, pixels)
        _store(image, spec, resized[geometry])
    return [known[spec.name] for spec in specs]


def refresh_renditions(image: Image) -> None:
    """After the focal point moved: make the new crops, retire the old ones."""
    current = {spec.name for spec in standard_specs(image)}
    image._renditions_by_spec = None
    image.renditions.exclude(spec__in=current).delete()
    image._renditions_by_spec = None
    if hasattr(image, "_prefetched_objects_cache"):
        image._prefetched_objects_cache.pop("renditions", None)
    ensure_renditions(image)


@receiver(post_delete, sender=Rendition)
@receiver(post_delete, sender=Image)
def _delete_file_after_commit(sender, instance, **kwargs):
    # Only once the row is really gone: a rolled-back delete keeps its file.
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- What templates need ------------------------------------------------------------


@dataclass
class Picture:
    """Everything a `<picture>` element needs for one image."""

    image: Image
    sources: list[tuple[str, str]]  # (content type, srcset)
    src: str
    srcset: str
    width: int
    height: int


def picture_for(image: Image, *, crop: tuple[int, int] | None = None) -> Picture:
    """srcsets for `image` at every standard width, or cropped to the shape `crop`
    around its focal point (1:1: the square sizes; another: the widths that fit)."""
    fallback = fallback_format(image)
    if crop == (1, 1):
        by_format = {
            file_format: [
                get_rendition(image, square_spec(image, size, file_format)) for size in SQUARES
            ]
            for file_format in (WEBP, fallback)
        }
    elif crop:
        by_format = {
            file_format: [
                get_rendition(image, spec) for spec in frame_specs(image, crop, file_format)
            ]
            for file_format in (WEBP, fallback)
        }
    else:
        by_format = {
            file_format: [get_rendition(image, spec) for spec in width_specs(image, file_format)]
            for file_format in (WEBP, fallback)
        }

    def srcset(renditions):
        return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in renditions)

    fallbacks = by_format[fallback]
    # The src for browsers without srcset: a middle size, not the largest.
    middle = next((r for r in fallbacks if r.width >= 960), fallbacks[-1])
    largest = fallbacks[-1]
    return Picture(
        image=image,
        sources=[(CONTENT_TYPES[WEBP], srcset(by_format[WEBP]))],
        src=middle.url,
        srcset=srcset(fallbacks),
        width=largest.width,
        height=largest.height,
    )
