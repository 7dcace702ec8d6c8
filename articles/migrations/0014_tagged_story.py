# Stories' tags move from taggit's generic TaggedItem (content type + object id)
# to TaggedStory, with a real foreign key; pictures keep the generic rows.
#
# Changing a TaggableManager's `through` from one model to another is a no-op in
# the database (Django alters nothing when both sides have their own through
# model): the AlterField only changes the state. 0015 moves the rows.

import django.db.models.deletion
import taggit.managers
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0013_image_content_types_follow_the_library"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="TaggedStory",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "content_object",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tag_links",
                        to="articles.article",
                    ),
                ),
                (
                    "tag",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="%(app_label)s_%(class)s_items",
                        to="taggit.tag",
                    ),
                ),
            ],
            options={
                "verbose_name": "tagged story",
                "verbose_name_plural": "tagged stories",
                "constraints": [
                    models.UniqueConstraint(fields=("content_object", "tag"), name="one_link_per_story_and_tag")
                ],
                "indexes": [models.Index(fields=["tag", "content_object"], name="stories_of_a_tag")],
            },
        ),
        migrations.AlterField(
            model_name="article",
            name="tags",
            field=taggit.managers.TaggableManager(
                blank=True,
                help_text="Topics, e.g. “defence cooperation”.",
                through="articles.TaggedStory",
                to="taggit.Tag",
                verbose_name="Tags",
            ),
        ),
    ]
