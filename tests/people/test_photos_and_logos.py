"""A person's photo and an organisation's logo are library pictures.

An editor uploads them on the person's or organisation's own admin page: the
upload goes through the library's checks and ingest, so a phone photo's GPS
position never reaches readers, and a hostile file is refused with a reason,
leaving nothing on disk.
"""

import io

import pytest
from django.urls import reverse
from PIL import Image as PILImage

from articles.images.models import Image
from tests.articles.image_files import (
    encode,
    exif_with_gps,
    jpeg,
    picture,
    png_claiming,
    upload,
)
from tests.factories import (
    make_editor,
    make_image,
    make_organisation,
    make_person,
    make_story_about,
)
from tests.forms import opened_form
from tests.json_ld import json_ld, one

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


@pytest.fixture
def esper(db):
    return make_person("Mark Esper")


@pytest.fixture
def pentagon(db):
    return make_organisation("Department of Defense")


def change_url(entity):
    return reverse(f"admin:people_{entity._meta.model_name}_change", args=[entity.pk])


def post_with_upload(client, entity, field, data, name="photo.jpg"):
    """The change form as the page offers it, with a file chosen for `new_<field>`."""
    form = opened_form(client, change_url(entity))
    form[f"new_{field}"] = upload(data, name)
    return client.post(change_url(entity), form)


def phone_photo_with_gps():
    return encode(picture(1200, 900), "JPEG", exif=exif_with_gps().tobytes())


WHOLE = jpeg(1200, 900, quality=95)
TRUNCATED = WHOLE[: len(WHOLE) * 2 // 3]

HOSTILE = [
    pytest.param(
        jpeg(300, 200) + b"<html><script>alert(1)</script></html>",
        "other data after the image",
        id="polyglot",
    ),
    pytest.param(png_claiming(30_000, 30_000), "more pixels than we accept", id="bomb"),
    pytest.param(TRUNCATED, "damaged or incomplete", id="truncated"),
    pytest.param(
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        "It looks like an SVG drawing",
        id="svg",
    ),
    pytest.param(
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        "It looks like a web page",
        id="html-renamed-jpg",
    ),
]


def test_a_photo_uploaded_with_gps_is_stored_without_it(editor_client, esper):
    response = post_with_upload(editor_client, esper, "photo", phone_photo_with_gps())

    assert response.status_code == 302, response.content.decode()[:2000]
    esper.refresh_from_db()
    photo = esper.photo
    assert photo.alt_text == "Mark Esper"
    assert "photo" not in photo.file.name and photo.file.name.startswith("images/")
    with photo.file.open("rb") as stored:
        stored_bytes = stored.read()
    assert not PILImage.open(io.BytesIO(stored_bytes)).getexif().get_ifd(GPS_IFD)
    for rendition in photo.renditions.all():
        with rendition.file.open("rb") as stored:
            assert not PILImage.open(stored).getexif().get_ifd(GPS_IFD)


@pytest.mark.parametrize("data, reason", HOSTILE)
def test_a_hostile_photo_is_refused_and_nothing_is_written(
    editor_client, esper, settings, data, reason
):
    before = stored_files(settings)

    response = post_with_upload(editor_client, esper, "photo", data)

    assert response.status_code == 200
    assert reason in response.content.decode()
    esper.refresh_from_db()
    assert esper.photo is None
    assert Image.objects.count() == 0
    assert stored_files(settings) == before


@pytest.mark.parametrize("data, reason", HOSTILE)
def test_a_hostile_logo_is_refused_and_nothing_is_written(
    editor_client, pentagon, settings, data, reason
):
    before = stored_files(settings)

    response = post_with_upload(editor_client, pentagon, "logo", data, name="logo.jpg")

    assert response.status_code == 200
    assert reason in response.content.decode()
    pentagon.refresh_from_db()
    assert pentagon.logo is None
    assert Image.objects.count() == 0
    assert stored_files(settings) == before


def test_a_logo_uploaded_on_the_organisation_page_joins_the_library(editor_client, pentagon):
    response = post_with_upload(editor_client, pentagon, "logo", phone_photo_with_gps(), "logo.jpg")

    assert response.status_code == 302
    pentagon.refresh_from_db()
    assert pentagon.logo.alt_text == "Department of Defense logo"
    with pentagon.logo.file.open("rb") as stored:
        assert not PILImage.open(stored).getexif().get_ifd(GPS_IFD)


def test_a_photo_is_chosen_from_the_library_with_the_lead_image_picker(editor_client, esper):
    portrait = make_image("Esper portrait", alt_text="Mark Esper")
    page = editor_client.get(change_url(esper)).content.decode()
    # The autocomplete the story's lead image uses, with "+" to upload a new one.
    assert 'data-model-name="image"' in page or "admin-autocomplete" in page
    assert reverse("admin:images_image_add") in page

    form = opened_form(editor_client, change_url(esper))
    form["photo"] = str(portrait.pk)
    assert editor_client.post(change_url(esper), form).status_code == 302
    esper.refresh_from_db()
    assert esper.photo == portrait


def test_the_library_says_whose_photo_a_picture_is(editor_client, esper):
    esper.photo = make_image("Esper portrait", alt_text="Mark Esper")
    esper.save()
    page = editor_client.get(reverse("admin:images_image_change", args=[esper.photo.pk]))
    assert "Mark Esper</a> (photo)" in page.content.decode()


def test_deleting_the_picture_takes_it_off_the_person(esper):
    esper.photo = make_image("Esper portrait")
    esper.save()
    esper.photo.delete()
    esper.refresh_from_db()
    assert esper.photo is None


def test_a_person_page_shows_the_photo_with_srcset_and_alt_text(client, esper):
    esper.photo = make_image("Esper portrait", alt_text="Mark Esper at the Pentagon")
    esper.save()
    make_story_about(esper)

    response = client.get(esper.get_absolute_url())
    page = response.content.decode()

    assert "<picture>" in page and "srcset=" in page
    assert 'alt="Mark Esper"' in page
    data = one(json_ld(response), "Person")
    assert data["image"].startswith("http") and "/media/renditions/" in data["image"]


def test_an_organisation_page_shows_the_logo_with_srcset(client, pentagon):
    pentagon.logo = make_image("DoD logo")
    pentagon.save()
    make_story_about(pentagon)

    response = client.get(pentagon.get_absolute_url())

    assert "<picture>" in response.content.decode() and "srcset=" in response.content.decode()
    assert "/media/renditions/" in one(json_ld(response), "Organization")["logo"]


def test_partner_logos_in_the_footer_are_renditions_read_in_one_query(
    client, django_assert_max_num_queries
):
    from newsroom.furniture import SiteFurniture

    for n in range(3):
        make_organisation(
            f"Partner {n}",
            is_partner=True,
            website="https://example.org/",
            logo=make_image(f"Logo {n}"),
        )

    furniture = SiteFurniture()
    with django_assert_max_num_queries(1):
        partners = furniture.partners
    assert [p.logo_url.startswith("/media/renditions/") for p in partners] == [True] * 3
