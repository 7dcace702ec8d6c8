"""What we store is re-encoded, upright and free of metadata: checked on the stored bytes."""

import io

import pytest
from PIL import Image as PILImage

from articles.images.renditions import WIDTHS
from tests.articles.image_files import (
    SECRET_CAMERA,
    SECRET_COMMENT,
    SECRET_XMP,
    encode,
    exif_with_gps,
    jpeg,
    phone_photo,
    picture,
    with_iptc,
)
from tests.factories import make_image

pytestmark = pytest.mark.django_db

METADATA_TRACES = [
    b"Exif\x00\x00",
    b"SecretCam",
    SECRET_CAMERA.encode(),
    SECRET_XMP,
    b"http://ns.adobe.com/xap",
    b"Photoshop 3.0",
    SECRET_COMMENT,
]


def stored_files(settings):
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def has_metadata_container(data: bytes) -> bool:
    """Any place a JPEG, PNG or WebP file can carry EXIF, XMP, IPTC or comments."""
    if data.startswith(b"\xff\xd8"):
        return any(marker in data for marker in (b"\xff\xe1", b"\xff\xed", b"\xff\xfe"))
    if data.startswith(b"\x89PNG"):
        return any(kind in data for kind in (b"eXIf", b"tEXt", b"iTXt", b"zTXt"))
    if data.startswith(b"RIFF"):
        return any(kind in data for kind in (b"EXIF", b"XMP "))
    raise AssertionError("unexpected file type")


@pytest.fixture(scope="module")
def phone_jpeg():
    return phone_photo()


@pytest.fixture
def phone_image(phone_jpeg):
    return make_image("Phone photo", data=phone_jpeg, name="minister-resigns.jpg")


def test_the_phone_photo_really_carries_gps_xmp_and_a_comment(phone_jpeg):
    # The test is only worth something if the upload had what must be stripped.
    original = PILImage.open(io.BytesIO(phone_jpeg))
    assert original.getexif().get_ifd(0x8825)[1] == "N"
    assert original.getexif()[0x0112] == 6
    for trace in METADATA_TRACES:
        assert trace in phone_jpeg


def test_a_sideways_phone_photo_is_stored_upright(phone_image):
    assert (phone_image.width, phone_image.height) == (4000, 6000)


def test_every_rendition_is_rotated_with_the_red_edge_on_top(phone_image):
    for rendition in phone_image.renditions.exclude(spec__startswith="fill"):
        with rendition.file.open("rb") as stored:
            pixels = PILImage.open(io.BytesIO(stored.read())).convert("RGB")
        width, height = pixels.size
        assert height > width, rendition.spec
        top, bottom = pixels.getpixel((width // 2, 2)), pixels.getpixel((width // 2, height - 3))
        assert top[0] > 200 and top[2] < 60, rendition.spec
        assert bottom[2] > 200 and bottom[0] < 60, rendition.spec


def test_no_stored_file_keeps_exif_gps_xmp_iptc_or_comments(phone_image, settings):
    files = stored_files(settings)
    assert len(files) == phone_image.renditions.count() + 1  # renditions and original
    for path in files:
        data = path.read_bytes()
        for trace in METADATA_TRACES:
            assert trace not in data, (path.name, trace)
        assert not has_metadata_container(data), path.name
        reopened = PILImage.open(io.BytesIO(data))
        assert not reopened.getexif(), path.name
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(reopened.info), path.name


def test_renditions_come_in_the_standard_widths_in_webp_and_jpeg(phone_image):
    made = {}
    for rendition in phone_image.renditions.exclude(spec__startswith="fill"):
        with rendition.file.open("rb") as stored:
            decoded = PILImage.open(io.BytesIO(stored.read()))
            made.setdefault(decoded.format, set()).add(decoded.width)
        assert decoded.width == rendition.width
    assert made == {"WEBP": set(WIDTHS), "JPEG": set(WIDTHS)}


def test_files_are_stored_under_random_names_that_reveal_nothing(phone_image):
    names = [phone_image.file.name, *phone_image.renditions.values_list("file", flat=True)]
    for name in names:
        assert "minister" not in name and "resign" not in name
    assert len({name.rsplit("/", 1)[-1].split(".")[0] for name in names}) == len(names)


def test_the_stored_original_is_re_encoded_not_the_uploaded_bytes(phone_jpeg, phone_image):
    with phone_image.file.open("rb") as stored:
        assert stored.read() != phone_jpeg


def test_caption_and_credit_are_read_from_exif_before_it_is_stripped():
    data = encode(
        picture(400, 300),
        "JPEG",
        exif=exif_with_gps(
            description="Protesters outside parliament", artist="Jane Doe"
        ).tobytes(),
    )
    from articles.images.uploads import check_upload
    from tests.articles.image_files import upload

    checked = check_upload(upload(data))
    assert (checked.caption, checked.credit) == ("Protesters outside parliament", "Jane Doe")


def test_caption_credit_and_source_are_read_from_an_agencys_iptc():
    from articles.images.uploads import check_upload
    from tests.articles.image_files import upload

    data = with_iptc(
        jpeg(400, 300), caption="The summit opens", byline="Ann Lee", credit="Agency", source="Pool"
    )
    checked = check_upload(upload(data))
    assert checked.caption == "The summit opens"
    assert checked.credit == "Ann Lee / Agency"
    assert checked.source == "Pool"


def test_the_admin_prefills_caption_and_credit_only_where_left_blank(admin_client):
    from django.urls import reverse

    from articles.images.models import Image
    from tests.articles.image_files import upload

    data = with_iptc(jpeg(400, 300), caption="Agency caption", byline="Ann Lee")
    admin_client.post(
        reverse("admin:images_image_add"),
        {
            "upload": upload(data),
            "title": "Summit",
            "caption": "Our own caption",
            "credit": "",
            "alt_text": "",
            "source": "",
            "tags": "",
            "focal_x": "0.5",
            "focal_y": "0.5",
        },
    )
    image = Image.objects.get()
    assert (image.caption, image.credit) == ("Our own caption", "Ann Lee")


def test_a_transparent_png_keeps_its_transparency_in_png_and_webp(settings):
    image = make_image(data=encode(picture(700, 400, (0, 0, 0, 0), "RGBA"), "PNG"), name="logo.png")
    assert image.has_transparency
    formats = set()
    for rendition in image.renditions.exclude(spec__startswith="fill-1200"):
        with rendition.file.open("rb") as stored:
            decoded = PILImage.open(io.BytesIO(stored.read()))
        formats.add(decoded.format)
        assert decoded.mode == "RGBA"
    assert formats == {"PNG", "WEBP"}
