"""Upgrading moves people's photos and organisations' logos into the image library.

Builds a database as it was before (photos as plain files, one with a phone's
GPS position, a logo that is really an SVG), migrates it, and reads the result
through today's models.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image as PILImage

from people.models import Organisation, Person
from tests.articles.image_files import encode, exif_with_gps, picture

BEFORE_THE_LIBRARY = [("people", "0002_load_iso_countries")]
GPS_IFD = 0x8825


def migrate(targets):
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def put(settings, name, data):
    path = settings.MEDIA_ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@pytest.fixture
def newsroom_before_the_library(transactional_db, settings):
    old = migrate(BEFORE_THE_LIBRARY)
    OldPerson = old.get_model("people", "Person")
    OldOrganisation = old.get_model("people", "Organisation")
    put(
        settings,
        "people/esper.jpg",
        encode(picture(900, 1200), "JPEG", exif=exif_with_gps().tobytes()),
    )
    put(settings, "organisations/dod.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>')
    esper = OldPerson.objects.create(name="Mark Esper", slug="mark-esper", photo="people/esper.jpg")
    dod = OldOrganisation.objects.create(
        name="Department of Defense", slug="dod", logo="organisations/dod.jpg"
    )
    nobody = OldPerson.objects.create(name="No Photo", slug="no-photo")
    yield {"esper": esper.pk, "dod": dod.pk, "nobody": nobody.pk}
    call_command("migrate", verbosity=0)


def upgrade():
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_a_photo_becomes_a_library_picture_without_its_metadata(newsroom_before_the_library):
    upgrade()

    photo = Person.objects.get(pk=newsroom_before_the_library["esper"]).photo
    assert photo is not None
    assert (photo.alt_text, photo.width, photo.height) == ("Mark Esper", 900, 1200)
    assert photo.file.name.startswith("images/") and "esper" not in photo.file.name
    with photo.file.open("rb") as stored:
        assert not PILImage.open(io.BytesIO(stored.read())).getexif().get_ifd(GPS_IFD)
    assert photo.renditions.exists()


def test_a_file_the_library_refuses_is_reported_and_left_unlinked(
    newsroom_before_the_library, capsys
):
    upgrade()

    assert Organisation.objects.get(pk=newsroom_before_the_library["dod"]).logo is None
    assert Person.objects.get(pk=newsroom_before_the_library["nobody"]).photo is None
    output = capsys.readouterr().out
    assert "Department of Defense: organisations/dod.jpg was not imported" in output
    assert "SVG" in output
    # The original, GPS and all, is named for the newsroom to delete.
    assert "delete them once you have checked the library: people/esper.jpg" in output
