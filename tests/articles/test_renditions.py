"""Renditions: right sizes, never upscaled, crops around the focal point, made once."""

import io

import pytest
from django.db import transaction
from PIL import Image as PILImage

from articles.images import renditions
from articles.images.renditions import (
    JPEG,
    WEBP,
    Rendition,
    get_rendition,
    refresh_renditions,
    social_card_spec,
    square_spec,
    width_specs,
)
from tests.articles.image_files import encode, picture
from tests.factories import make_image

pytestmark = pytest.mark.django_db


def decoded(rendition):
    with rendition.file.open("rb") as stored:
        return PILImage.open(io.BytesIO(stored.read())).convert("RGB")


def stored_files(settings):
    return {path.name for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()}


def red_on_the_right(width=3000, height=1000):
    """Blue, with a red band along the right edge."""
    image = picture(width, height, "blue")
    image.paste((255, 0, 0), (width - 300, 0, width, height))
    return encode(image, "PNG")


def test_a_narrow_picture_is_never_upscaled():
    image = make_image(pixels=(700, 500))
    widths = sorted(r.width for r in image.renditions.filter(spec__startswith="w"))
    assert widths == [320, 320, 640, 640]


def test_a_picture_narrower_than_the_smallest_width_gets_its_own_width():
    image = make_image(pixels=(200, 150))
    assert [spec.width for spec in width_specs(image, JPEG)] == [200]
    assert decoded(get_rendition(image, width_specs(image, JPEG)[0])).size == (200, 150)


def test_the_social_card_is_1200_by_630():
    image = make_image(pixels=(4000, 3000))
    assert decoded(get_rendition(image, social_card_spec(image))).size == (1200, 630)


def test_the_social_card_of_a_small_picture_is_still_1200_by_630():
    image = make_image(pixels=(400, 400))
    assert decoded(get_rendition(image, social_card_spec(image))).size == (1200, 630)


def test_square_thumbnails_are_square_in_webp_and_jpeg():
    image = make_image(pixels=(1600, 900))
    for file_format in (WEBP, JPEG):
        rendition = get_rendition(image, square_spec(image, 480, file_format))
        assert (rendition.width, rendition.height) == (480, 480)
        with rendition.file.open("rb") as stored:
            assert PILImage.open(stored).format == file_format


def test_crops_keep_the_focal_point_in_view():
    image = make_image(data=red_on_the_right(), name="band.png", focal_x=0.95)
    card = decoded(get_rendition(image, social_card_spec(image)))
    assert card.getpixel((1190, 315))[0] > 200  # the red band is in the card


def test_crops_around_a_focal_point_on_the_left_leave_the_right_edge_out():
    image = make_image(data=red_on_the_right(), name="band.png", focal_x=0.05)
    card = decoded(get_rendition(image, social_card_spec(image)))
    assert card.getpixel((1190, 315))[2] > 200  # only blue


def test_moving_the_focal_point_makes_new_crops_and_removes_the_old(
    settings, django_capture_on_commit_callbacks
):
    image = make_image(data=red_on_the_right(), name="band.png", focal_x=0.05)
    old_card = get_rendition(image, social_card_spec(image))
    widths_before = set(image.renditions.filter(spec__startswith="w").values_list("pk", flat=True))
    image.focal_x = 0.95
    image.save()
    with django_capture_on_commit_callbacks(execute=True):
        refresh_renditions(image)
    new_card = get_rendition(image, social_card_spec(image))
    assert new_card.pk != old_card.pk
    assert decoded(new_card).getpixel((1190, 315))[0] > 200
    assert not Rendition.objects.filter(pk=old_card.pk).exists()
    assert old_card.file.name.rsplit("/", 1)[-1] not in stored_files(settings)
    widths_after = set(image.renditions.filter(spec__startswith="w").values_list("pk", flat=True))
    assert widths_after == widths_before  # the widths do not depend on the focal point


def test_a_rendition_is_made_once_and_then_reused(settings, django_assert_num_queries):
    image = make_image(pixels=(1000, 800))
    files_before = stored_files(settings)
    image = type(image).objects.prefetch_related("renditions").get(pk=image.pk)
    with django_assert_num_queries(0):
        first = get_rendition(image, square_spec(image, 160))
        again = get_rendition(image, square_spec(image, 160))
    assert first.pk == again.pk
    assert stored_files(settings) == files_before


def test_a_missing_rendition_is_made_on_request_from_the_stored_original():
    image = make_image(pixels=(2000, 1000))
    image.renditions.filter(spec="w960.webp").delete()
    rendition = get_rendition(type(image).objects.get(pk=image.pk), width_specs(image, WEBP)[2])
    assert rendition.spec == "w960.webp"
    assert decoded(rendition).size == (960, 480)


def test_when_two_requests_race_one_file_wins_and_the_other_is_removed(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    image = make_image(pixels=(2000, 1000))
    with django_capture_on_commit_callbacks(execute=True):
        image.renditions.filter(spec="w640.jpg").delete()
    spec = width_specs(image, JPEG)[1]
    rival = {}
    real_render = renditions.render

    def render_while_a_rival_finishes_first(spec_, resized):
        # Between our check and our insert, another worker stores the same rendition.
        if not rival:
            rival["started"] = True
            rival["row"] = renditions._store(type(image).objects.get(pk=image.pk), spec_, resized)
        return real_render(spec_, resized)

    monkeypatch.setattr(renditions, "render", render_while_a_rival_finishes_first)
    with transaction.atomic():
        ours = get_rendition(type(image).objects.get(pk=image.pk), spec)
    assert ours.pk == rival["row"].pk
    assert image.renditions.filter(spec="w640.jpg").count() == 1
    on_disk = list(settings.MEDIA_ROOT.rglob("*.jpg"))
    names = {path.relative_to(settings.MEDIA_ROOT).as_posix() for path in on_disk}
    assert ours.file.name in names
    # Exactly one file per rendition row, plus the original: the loser's file is gone.
    assert len(on_disk) == image.renditions.filter(spec__endswith=".jpg").count() + 1
    assert decoded(ours).size == (640, 320)


def test_deleting_an_image_removes_its_files_once_committed(
    settings, django_capture_on_commit_callbacks
):
    image = make_image(pixels=(800, 600))
    assert stored_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert stored_files(settings) == set()


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_a_missing_rendition_store_one_file(settings, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs a database that serves several connections at once")
    image = make_image(pixels=(2000, 1000))
    Rendition.objects.filter(image=image, spec="w640.webp").delete()
    files_before = len(list(settings.MEDIA_ROOT.rglob("*.webp")))
    both_rendered = Barrier(4)
    real_render = renditions.render

    def render_in_step(spec, resized):
        result = real_render(spec, resized)
        both_rendered.wait(timeout=20)  # every request has looked and found nothing
        return result

    monkeypatch.setattr(renditions, "render", render_in_step)

    def request():
        try:
            fresh = type(image).objects.get(pk=image.pk)
            return get_rendition(fresh, width_specs(fresh, WEBP)[1]).pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(4) as pool:
        winners = set(pool.map(lambda _: request(), range(4)))
    assert len(winners) == 1
    assert Rendition.objects.filter(image=image, spec="w640.webp").count() == 1
    # One new file: the three losers deleted theirs.
    assert len(list(settings.MEDIA_ROOT.rglob("*.webp"))) == files_before + 1
    assert decoded(Rendition.objects.get(pk=winners.pop())).size == (640, 320)
