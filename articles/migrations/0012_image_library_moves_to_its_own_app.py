# The image library is now the "images" app (articles/images/): its models leave
# the articles app's state, and the lead image points at the new model. Nothing
# changes in the database: images/0001 took over the same tables.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0011_deleted_story_record"),
        ("images", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="lead_image",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="From the image library. Its alt text, caption and credit are edited there.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lead_for",
                        to="images.image",
                    ),
                ),
                migrations.DeleteModel(name="Rendition"),
                migrations.DeleteModel(name="Image"),
            ]
        )
    ]
