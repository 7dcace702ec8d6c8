from django.db import migrations
from django.db.models import Exists, Max, OuterRef, Subquery
from django.db.models.functions import Greatest


def keep_the_updated_time_of_corrected_stories(apps, schema_editor):
    """A story with a correction or update note keeps the "Updated" time readers saw
    (its last save, which the note moved); every other story shows none until its
    next note or "Mark as updated"."""
    Article = apps.get_model("articles", "Article")
    Correction = apps.get_model("articles", "Correction")
    notes = Correction.objects.filter(article=OuterRef("pk"))
    latest_note = (
        notes.order_by().values("article").annotate(latest=Max("created_at")).values("latest")
    )
    Article.objects.filter(Exists(notes)).update(
        display_updated_at=Greatest("updated_at", Subquery(latest_note))
    )


def forget(apps, schema_editor):
    apps.get_model("articles", "Article").objects.update(display_updated_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_story_updated_for_readers"),
    ]

    operations = [
        migrations.RunPython(keep_the_updated_time_of_corrected_stories, forget),
    ]
