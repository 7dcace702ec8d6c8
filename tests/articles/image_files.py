"""Image files made in the test, byte by byte where a real file would be a fixture."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

SECRET_CAMERA = "SecretCam Pro 9"
SECRET_XMP = b"<x:xmpmeta>xmp-secret-source-location</x:xmpmeta>"
SECRET_COMMENT = b"comment-secret-do-not-publish"


def picture(width=800, height=600, colour="navy", mode="RGB"):
    return Image.new(mode, (width, height), colour)


def encode(image, file_format="JPEG", **params):
    buffer = io.BytesIO()
    image.save(buffer, file_format, **params)
    return buffer.getvalue()


def jpeg(width=800, height=600, **params):
    return encode(picture(width, height), "JPEG", **params)


def png(width=800, height=600, **params):
    return encode(picture(width, height), "PNG", **params)


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def exif_with_gps(orientation=None, description="", artist=""):
    """EXIF as a phone writes it: camera, position, and maybe an orientation."""
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0110] = SECRET_CAMERA  # Model
    if orientation:
        exif[0x0112] = orientation
    if description:
        exif[0x010E] = description
    if artist:
        exif[0x013B] = artist
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 30.0, 26.0)
    gps[3], gps[4] = "W", (0.0, 7.0, 39.0)
    return exif


def phone_photo(width=6000, height=4000, orientation=6):
    """A phone's JPEG: stored sideways, red along its left edge, GPS, XMP, comment.

    Orientation 6 asks viewers to turn it 90° clockwise, so upright the red
    strip runs along the top.
    """
    image = picture(width, height, "blue")
    image.paste((255, 0, 0), (0, 0, width // 6, height))
    data = encode(
        image,
        "JPEG",
        quality=80,
        exif=exif_with_gps(orientation=orientation).tobytes(),
        xmp=SECRET_XMP,
        comment=SECRET_COMMENT,
    )
    return with_iptc(data, caption="Minister at the safe house", source="Secret source")


IPTC_DATASETS = {"caption": 120, "byline": 80, "credit": 110, "source": 115, "copyright": 116}


def with_iptc(jpeg_bytes, **records):
    """Insert an IPTC block (Photoshop APP13) as agencies send it, e.g. caption="…"."""
    iptc = b"".join(
        b"\x1c\x02"
        + bytes([IPTC_DATASETS[name]])
        + struct.pack(">H", len(text.encode()))
        + text.encode()
        for name, text in records.items()
    )
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    if len(iptc) % 2:
        resource += b"\x00"
    payload = b"Photoshop 3.0\x00" + resource
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg_bytes[:2] + segment + jpeg_bytes[2:]


def png_claiming(width, height):
    """A tiny PNG whose header claims `width`×`height`: a decompression bomb's calling card."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )
