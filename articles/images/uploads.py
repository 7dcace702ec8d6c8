"""Upload validation and ingest: untrusted bytes in, clean pixels stored.

Uploads are untrusted bytes handed to a decoder, so `check_upload()` is strict:
an explicit format allowlist, our own byte and pixel limits checked before any
pixel is decoded, a full decode, and a walk of the container structure so a
file with anything after the image (an HTML page, a second image, a zip) is
refused. `ingest()` then never stores the uploaded bytes: it applies the EXIF
orientation, converts to sRGB, and re-encodes the pixels alone under a random
name, so no metadata (GPS, camera serial, XMP, IPTC, comments) reaches readers.

Rendition generation lives in `renditions.py`; everything touches files only
through Django's storage API, so S3-compatible storage is a settings change.
"""

import io
import logging
import struct
import warnings
import zlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps, IptcImagePlugin, features

from .models import Image

logger = logging.getLogger(__name__)

DEFAULT_MAX_PIXELS = 50_000_000
DEFAULT_MAX_BYTES = 25 * 1024 * 1024


def max_pixels() -> int:
    return getattr(settings, "NEWSROOM_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def max_bytes() -> int:
    return getattr(settings, "NEWSROOM_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES)


def allowed_formats() -> tuple[str, ...]:
    """Pillow format names we decode. AVIF only where this Pillow reads it."""
    formats = ["JPEG", "PNG", "WEBP", "GIF"]
    PILImage.init()
    if "AVIF" in PILImage.OPEN and features.check("avif"):
        formats.append("AVIF")
    return tuple(formats)


# --- Upload validation ---------------------------------------------------------


@dataclass
class CheckedUpload:
    """An upload that passed `check_upload()`: decoded pixels and what we read."""

    picture: PILImage.Image
    format: str
    caption: str = ""
    credit: str = ""
    source: str = ""
    extra: dict = field(default_factory=dict)


_NOT_AN_IMAGE_HINTS = [
    (b"<svg", "an SVG drawing"),
    (b"<?xml", "an XML or SVG document"),
    (b"%PDF", "a PDF document"),
    (b"<!doctype html", "a web page"),
    (b"<html", "a web page"),
    (b"<script", "a script"),
    (b"#!", "a script"),
    (b"PK\x03\x04", "a zip archive"),
]


_DAMAGED = (
    "This image is damaged or incomplete (was the upload cut short?). Export it again and retry."
)


def _looks_like_an_allowed_image(data: bytes) -> bool:
    return (
        data.startswith((b"\xff\xd8\xff", b"\x89PNG", b"GIF87a", b"GIF89a"))
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
        or data[4:12] in (b"ftypavif", b"ftypavis")
    )


def _what_it_looks_like(head: bytes) -> str:
    lowered = head.lstrip().lower()
    for signature, what in _NOT_AN_IMAGE_HINTS:
        if lowered.startswith(signature.lower()) or signature.lower() in lowered[:256]:
            return f" It looks like {what}."
    return ""


def _format_names() -> str:
    names = [{"WEBP": "WebP"}.get(name, name) for name in allowed_formats()]
    return ", ".join(names[:-1]) + " or " + names[-1]


def check_upload(upload) -> CheckedUpload:
    """Decode an uploaded file, or raise `ValidationError` saying why it was refused.

    Writes nothing anywhere. Checks, in this order: size in bytes; the format,
    from the bytes (never the name); the pixel count, from the header, before
    any decoding; then a full decode (truncated or corrupt files fail here) and
    a walk of the file's structure, which must end where the image ends.
    """
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            "This file is %(size)s MB; the limit is %(limit)s MB. Export a smaller JPEG.",
            code="too_large",
            params={"size": round(size / 1_048_576, 1), "limit": round(limit / 1_048_576)},
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError("This file is larger than the limit.", code="too_large")
    if not data:
        raise ValidationError("The file is empty.", code="empty")

    try:
        # Our own limit is below Pillow's bomb threshold, but a deployment may raise it:
        # Pillow's warning must then refuse too, not just log. (catch_warnings is
        # process-wide before Python 3.14; at worst another thread's warning is
        # raised as an error during this block, which cannot let an upload through.)
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            picture = PILImage.open(io.BytesIO(data), formats=allowed_formats())
            _check_pixels(picture.width, picture.height)
            picture.load()
    except ValidationError:
        raise
    except PILImage.UnidentifiedImageError:
        if _looks_like_an_allowed_image(data):
            raise ValidationError(_DAMAGED, code="corrupt") from None
        raise ValidationError(
            "This file is not a %(formats)s image.%(hint)s",
            code="unsupported_format",
            params={"formats": _format_names(), "hint": _what_it_looks_like(data[:1024])},
        ) from None
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ValidationError(
            "This image claims more pixels than we accept (%(limit)s megapixels).",
            code="too_many_pixels",
            params={"limit": max_pixels() // 1_000_000},
        ) from None
    except Exception as error:  # noqa: BLE001
        # Untrusted bytes reach a C decoder: Pillow raises OSError, ValueError,
        # SyntaxError, EOFError, struct.error, IndexError… depending on the damage.
        # Each is the uploader's problem, never a crashed worker.
        logger.info("Refused an image upload: %r", error)
        raise ValidationError(_DAMAGED, code="corrupt") from None

    image_format = picture.format
    if image_format not in allowed_formats():  # e.g. MPO, reported by the JPEG opener
        raise ValidationError(
            "This kind of file (%(kind)s) is not accepted; use %(formats)s.",
            code="unsupported_format",
            params={"kind": image_format, "formats": _format_names()},
        )
    end = _image_end(image_format, data)
    if end is None:
        raise ValidationError(_DAMAGED, code="corrupt")
    if end != len(data):
        raise ValidationError(
            "This file has %(extra)s bytes of other data after the image. "
            "Export the picture again as a plain image.",
            code="trailing_data",
            params={"extra": len(data) - end},
        )
    caption, credit, source = _descriptive_metadata(picture)
    return CheckedUpload(
        picture=picture, format=image_format, caption=caption, credit=credit, source=source
    )


def _check_pixels(width, height):
    if width * height > max_pixels() or width <= 0 or height <= 0:
        raise ValidationError(
            "This image is %(width)s×%(height)s pixels; the limit is %(limit)s megapixels.",
            code="too_many_pixels",
            params={"width": width, "height": height, "limit": max_pixels() // 1_000_000},
        )


# --- Where the image ends: each container's own structure ---------------------------


def _image_end(image_format: str, data: bytes) -> int | None:
    """Offset just past the image in `data`, or None if the structure is broken."""
    try:
        return {
            "JPEG": _jpeg_end,
            "PNG": _png_end,
            "GIF": _gif_end,
            "WEBP": _riff_end,
            "AVIF": _isobmff_end,
        }[image_format](data)
    except (IndexError, struct.error, KeyError, ValueError):
        return None


def _jpeg_end(data: bytes) -> int | None:
    """Walk the JPEG markers to the EOI that closes the image.

    Scanning for the first FF D9 would stop inside an embedded EXIF thumbnail;
    walking the segment lengths skips those, and entropy-coded data is scanned
    for the next real marker (FF 00 is stuffing, FF D0–D7 are restarts).
    """
    if data[:2] != b"\xff\xd8":
        return None
    position = 2
    length = len(data)
    while position < length:
        if data[position] != 0xFF:
            return None
        while position < length and data[position] == 0xFF:  # fill bytes
            position += 1
        marker = data[position]
        position += 1
        if marker == 0xD9:
            return position
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue
        (segment_length,) = struct.unpack(">H", data[position : position + 2])
        position += segment_length
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            while True:
                position = data.index(b"\xff", position)
                following = data[position + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    position += 1 if following == 0xFF else 2
                    continue
                break
    return None


def _png_end(data: bytes) -> int | None:
    """Walk the PNG chunks, checking each CRC, to the end of IEND."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    position = 8
    while True:
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body_end = position + 8 + length
        if body_end + 4 > len(data):
            return None
        (crc,) = struct.unpack(">I", data[body_end : body_end + 4])
        if zlib.crc32(data[position + 4 : body_end]) != crc:
            return None
        position = body_end + 4
        if kind == b"IEND":
            return position


def _gif_end(data: bytes) -> int | None:
    """Walk the GIF blocks to the trailer byte (0x3B)."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        return None
    flags = data[10]
    position = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)

    def skip_sub_blocks(position):
        while True:
            size = data[position]
            position += 1 + size
            if size == 0:
                return position

    while True:
        introducer = data[position]
        if introducer == 0x3B:
            return position + 1
        if introducer == 0x21:  # extension: label, then sub-blocks
            position = skip_sub_blocks(position + 2)
        elif introducer == 0x2C:  # image descriptor, local table, LZW size, data
            flags = data[position + 9]
            position += 10 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
            position = skip_sub_blocks(position + 1)
        else:
            return None
        if position > len(data):
            return None


def _riff_end(data: bytes) -> int | None:
    """WebP is a RIFF file: its header says how long it is (padded to even)."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    (size,) = struct.unpack("<I", data[4:8])
    return 8 + size + (size & 1)


def _isobmff_end(data: bytes) -> int | None:
    """AVIF is a sequence of ISO boxes: they must add up to the file."""
    position = 0
    while position < len(data):
        (size,) = struct.unpack(">I", data[position : position + 4])
        if size == 1:
            (size,) = struct.unpack(">Q", data[position + 8 : position + 16])
        elif size == 0:  # "to the end of the file"
            return len(data)
        if size < 8:
            return None
        position += size
    return position if position == len(data) else None


# --- Metadata we keep, in our own fields ------------------------------------------

_EXIF_DESCRIPTION, _EXIF_ARTIST, _EXIF_COPYRIGHT = 0x010E, 0x013B, 0x8298
_IPTC_CAPTION, _IPTC_BYLINE, _IPTC_CREDIT, _IPTC_SOURCE, _IPTC_COPYRIGHT = (
    (2, 120),
    (2, 80),
    (2, 110),
    (2, 115),
    (2, 116),
)


def _text(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else b""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")
    return " ".join(str(value or "").replace("\x00", " ").split())


def _descriptive_metadata(picture) -> tuple[str, str, str]:
    """Caption, credit and source from IPTC, else EXIF: read before they are stripped."""
    iptc = {}
    try:
        iptc = IptcImagePlugin.getiptcinfo(picture) or {}
    except Exception:  # noqa: BLE001  # a broken IPTC block is no reason to refuse a photo
        iptc = {}
    exif = picture.getexif()
    caption = _text(iptc.get(_IPTC_CAPTION)) or _text(exif.get(_EXIF_DESCRIPTION))
    people = _text(iptc.get(_IPTC_BYLINE)) or _text(exif.get(_EXIF_ARTIST))
    agency = _text(iptc.get(_IPTC_CREDIT))
    copyright_ = _text(iptc.get(_IPTC_COPYRIGHT)) or _text(exif.get(_EXIF_COPYRIGHT))
    credit = " / ".join(part for part in (people, agency) if part) or copyright_
    source = _text(iptc.get(_IPTC_SOURCE))
    return caption[:500], credit[:200], source[:200]


# --- Ingest -----------------------------------------------------------------------

_SRGB = None


def clean_pixels(picture: PILImage.Image) -> PILImage.Image:
    """Upright, sRGB, RGB or RGBA pixels with no metadata attached.

    Browsers ignore most colour profiles only when there is none, so a
    profile is applied (converted to sRGB) rather than dropped.
    """
    global _SRGB
    icc = picture.info.get("icc_profile")
    # In place: a 24 MP photo is 72 MB decoded, and a second copy is what
    # decides peak memory.
    ImageOps.exif_transpose(picture, in_place=True)
    upright = picture
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    if upright.mode != ("RGBA" if has_alpha else "RGB"):
        upright = upright.convert("RGBA" if has_alpha else "RGB")
    if icc:
        try:
            _SRGB = _SRGB or ImageCms.createProfile("sRGB")
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            upright = ImageCms.profileToProfile(upright, source, _SRGB, outputMode=upright.mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: keep the pixels as they are
    if has_alpha and upright.getextrema()[3][0] == 255:
        upright = upright.convert("RGB")  # an alpha channel that hides nothing
    upright.info = {}  # encoders copy some of `info` (comments, profiles) into the file
    return upright


def encode(picture: PILImage.Image, file_format: str, quality: int = 82) -> bytes:
    """Encode pixels alone: no EXIF, XMP, IPTC, ICC profile or comment is written."""
    picture.info = {}
    buffer = io.BytesIO()
    if file_format == "JPEG":
        picture.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    elif file_format == "WEBP":
        picture.save(buffer, "WEBP", quality=quality, method=4)
    elif file_format == "PNG":
        picture.save(buffer, "PNG", optimize=True)
    else:
        raise ValueError(file_format)
    return buffer.getvalue()


def ingest(checked: CheckedUpload, image: Image) -> PILImage.Image:
    """Store the cleaned original for `image` (unsaved fields set, file written).

    Returns the clean pixels so renditions can be made without decoding again.
    The caller saves `image`; if that fails it must call `discard_file(image)`.
    """
    pixels = clean_pixels(checked.picture)
    file_format, extension = ("PNG", "png") if pixels.mode == "RGBA" else ("JPEG", "jpg")
    content = encode(pixels, file_format, quality=90)
    image.width, image.height = pixels.size
    image.has_transparency = pixels.mode == "RGBA"
    image.file.save(f"upload.{extension}", ContentFile(content), save=False)
    return pixels


def discard_file(image: Image) -> None:
    if image.file and image.file.name:
        image.file.storage.delete(image.file.name)
