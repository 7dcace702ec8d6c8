"""People's photos and organisations' logos become library images.

Each stored file goes through the library's upload checks and ingest, as an
upload does: re-encoded without its metadata (a phone photo's GPS position)
under a random name, with renditions. A file the checks refuse, or that is
missing, is named in the output and left unlinked; the old files stay where
they were, for the newsroom to delete once it has checked the library copies.
"""

import sys

import django.db.models.deletion
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, migrations, models, transaction

from articles.images import renditions
from articles.images.uploads import check_upload, ingest

# (model, old file field, new picture field, title, alt text)
PICTURES = [
    ("Person", "photo", "library_photo", "{name}", "{name}"),
    ("Organisation", "logo", "library_logo", "{name} logo", "{name} logo"),
]


def report(line):
    sys.stdout.write(line + "\n")


def ingest_file(Image, name, **description):
    """A library Image (historical model) made from the stored file `name`."""
    with default_storage.open(name, "rb") as stored:
        checked = check_upload(stored)
    image = Image(
        caption=checked.caption, credit=checked.credit, source=checked.source, **description
    )
    ingest(checked, image)
    image.save()
    return image


def make_renditions(pk):
    """Renditions now, through today's library; else they are made when first shown."""
    from articles.images.models import Image

    try:
        with transaction.atomic():
            renditions.ensure_renditions(Image.objects.get(pk=pk))
    except (DatabaseError, OSError):
        report(f"  Image {pk}: renditions will be made when it is first shown.")


def to_library(apps, schema_editor):
    Image = apps.get_model("images", "Image")
    refused, moved = [], []
    for model_name, old, new, title, alt in PICTURES:
        model = apps.get_model("people", model_name)
        for entity in model.objects.exclude(**{old: ""}).exclude(**{f"{old}__isnull": True}):
            name = getattr(entity, old).name
            try:
                image = ingest_file(
                    Image,
                    name,
                    title=title.format(name=entity.name)[:200],
                    alt_text=alt.format(name=entity.name)[:300],
                )
            except (ValidationError, OSError) as error:
                reason = " ".join(getattr(error, "messages", [str(error)]))
                refused.append(f"  {entity.name}: {name} was not imported. {reason}")
                continue
            setattr(entity, new, image)
            entity.save(update_fields=[new])
            make_renditions(image.pk)
            # A file the library itself holds (after a migration back) is still in use.
            if not Image.objects.filter(file=name).exists():
                moved.append(name)
    if moved:
        report(
            f"\n  {len(moved)} photo and logo files copied into the image library, cleaned. "
            "The original files are no longer used and may hold metadata: delete them "
            "once you have checked the library: " + ", ".join(moved)
        )
    if refused:
        report("\n  Photos and logos refused by the image library's checks (left unlinked):")
        for line in refused:
            report(line)


def from_library(apps, schema_editor):
    """Back to plain files: each points at its library picture's cleaned file."""
    for model_name, old, new, _title, _alt in PICTURES:
        model = apps.get_model("people", model_name)
        for entity in model.objects.filter(**{f"{new}__isnull": False}).select_related(new):
            setattr(entity, old, getattr(entity, new).file.name)
            entity.save(update_fields=[old])


class Migration(migrations.Migration):
    # The old fields give way in 0004: on PostgreSQL, altering a table in the
    # transaction that wrote rows referencing it fails ("pending trigger events").
    dependencies = [
        ("images", "0001_initial"),
        ("people", "0002_load_iso_countries"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="library_photo",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="images.image",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="library_logo",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="images.image",
            ),
        ),
        migrations.RunPython(to_library, from_library),
    ]
