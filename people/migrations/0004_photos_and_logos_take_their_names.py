"""The library pictures take the old fields' names (after 0003 copied the files)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("images", "0001_initial"),
        ("people", "0003_photos_and_logos_from_the_library"),
    ]

    operations = [
        migrations.RemoveField(model_name="person", name="photo"),
        migrations.RemoveField(model_name="organisation", name="logo"),
        migrations.RenameField(model_name="person", old_name="library_photo", new_name="photo"),
        migrations.RenameField(model_name="organisation", old_name="library_logo", new_name="logo"),
        migrations.AlterField(
            model_name="person",
            name="photo",
            field=models.ForeignKey(
                blank=True,
                help_text="From the image library: choose one, or upload a new photo below.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="photo_of",
                to="images.image",
            ),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="logo",
            field=models.ForeignKey(
                blank=True,
                help_text="From the image library: choose one, or upload a new logo below.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="logo_of",
                to="images.image",
            ),
        ),
    ]
