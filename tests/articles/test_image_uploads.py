"""Uploads are untrusted: refused with a clear message, nothing written, nothing crashed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image as PILImage

from articles.images.models import Image
from articles.images.uploads import allowed_formats, check_upload
from tests.articles.image_files import encode, jpeg, picture, png, png_claiming, upload

pytestmark = pytest.mark.django_db


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def refusal(data, name="photo.jpg"):
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(data, name))
    return caught.value


def post_upload(client, data, name="photo.jpg", **fields):
    form = {"title": "", "alt_text": "", "caption": "", "credit": "", "source": "", "tags": ""}
    form.update(focal_x="0.5", focal_y="0.5", **fields)
    return client.post(reverse("admin:images_image_add"), {**form, "upload": upload(data, name)})


def test_a_png_claiming_30000_by_30000_pixels_is_refused_before_decoding(admin_client, settings):
    response = post_upload(admin_client, png_claiming(30_000, 30_000), "huge.png")
    assert response.status_code == 200
    assert "more pixels than we accept (50 megapixels)" in response.content.decode()
    assert Image.objects.count() == 0
    assert stored_files(settings) == []


def test_a_picture_over_our_own_pixel_limit_is_refused_with_its_size(settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 1_000_000
    error = refusal(png_claiming(2000, 1000))
    assert error.code == "too_many_pixels"
    assert "2000×1000 pixels" in error.messages[0]


def test_pillows_bomb_warning_refuses_too_when_our_limit_is_raised(settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 500_000_000
    # 100 MP: above Pillow's warning threshold, under its error threshold.
    assert refusal(png_claiming(10_000, 10_000)).code == "too_many_pixels"


def test_a_file_over_the_byte_limit_is_refused(settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 10_000
    error = refusal(jpeg(1000, 1000, quality=100) + b"")
    assert error.code == "too_large"


def test_html_renamed_jpg_is_refused_as_a_web_page():
    error = refusal(b"<!DOCTYPE html><html><script>alert(1)</script></html>", "photo.jpg")
    assert error.code == "unsupported_format"
    assert "not a JPEG, PNG, WebP, GIF" in error.messages[0]
    assert "web page" in error.messages[0]


def test_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
    error = refusal(svg, "logo.svg")
    assert error.code == "unsupported_format"
    assert "SVG" in error.messages[0]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF", id="pdf"),
        pytest.param(b"#!/bin/sh\nrm -rf /\n", id="shell-script"),
        pytest.param(b"<?php system($_GET['c']); ?>", id="php"),
        pytest.param(encode(picture(40, 40), "BMP"), id="bmp"),
        pytest.param(encode(picture(40, 40), "TIFF"), id="tiff"),
    ],
)
def test_other_formats_renamed_jpg_are_refused(data):
    assert refusal(data, "photo.jpg").code == "unsupported_format"


def test_a_truncated_jpeg_is_refused():
    data = jpeg(1200, 900, quality=95)
    error = refusal(data[: len(data) * 2 // 3])
    assert error.code == "corrupt"
    assert "damaged or incomplete" in error.messages[0]


def test_a_jpeg_cut_just_before_its_end_marker_is_refused():
    assert refusal(jpeg(300, 200)[:-2]).code == "corrupt"


def test_a_jpeg_with_bytes_appended_is_refused():
    error = refusal(jpeg(300, 200) + b"<html><script>alert(1)</script></html>")
    assert error.code == "trailing_data"
    assert "38 bytes of other data after the image" in error.messages[0]


@pytest.mark.parametrize("file_format", ["PNG", "GIF", "WEBP"])
def test_other_formats_with_bytes_appended_are_refused(file_format):
    data = encode(picture(300, 200), file_format) + b"PK\x03\x04 a zip archive"
    assert refusal(data).code == "trailing_data"


def test_an_empty_file_is_refused():
    assert refusal(b"").code == "empty"


def test_corrupt_bytes_inside_a_jpeg_are_refused_not_crashed():
    data = bytearray(jpeg(300, 200))
    data[200:260] = b"\xff" * 60
    assert refusal(bytes(data)).code == "corrupt"


@pytest.mark.parametrize("file_format", allowed_formats())
def test_every_allowed_format_is_accepted(file_format):
    checked = check_upload(upload(encode(picture(320, 200), file_format)))
    assert checked.format == file_format
    assert checked.picture.size == (320, 200)


def test_a_progressive_jpeg_with_several_scans_is_accepted():
    checked = check_upload(upload(jpeg(640, 480, progressive=True)))
    assert checked.format == "JPEG"


def test_avif_is_only_allowed_when_this_pillow_reads_it():
    PILImage.init()
    assert ("AVIF" in allowed_formats()) == ("AVIF" in PILImage.OPEN)


def test_a_refused_upload_keeps_the_rest_of_the_form_as_typed(admin_client, settings):
    response = post_upload(
        admin_client,
        jpeg(300, 200) + b"trailing",
        title="Minister leaves Downing Street",
        alt_text="The minister walks past photographers",
        caption="The minister on Tuesday",
        credit="Jane Doe / Agency",
    )
    html = response.content.decode()
    assert response.status_code == 200
    for typed in [
        'value="Minister leaves Downing Street"',
        'value="The minister walks past photographers"',
        "The minister on Tuesday",
        'value="Jane Doe / Agency"',
    ]:
        assert typed in html
    assert "after the image" in html
    assert Image.objects.count() == 0
    assert stored_files(settings) == []


def test_an_upload_through_the_admin_is_stored_with_renditions(admin_client, settings):
    response = post_upload(admin_client, png(900, 600), "minister-resigns.png", alt_text="A desk")
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (900, 600)
    assert image.title == "minister resigns"
    assert image.renditions.count() > 5
    assert "minister" not in image.file.name
