# Every story's tags move from taggit's generic rows to TaggedStory, and back.
#
# One INSERT ... SELECT each way, the SELECT built by the ORM: 100,000 links
# (20,000 stories with five tags) take a moment, where saving them one by one
# would take minutes. Generic rows left behind by a story deleted without its
# tags have no story to point at and are dropped.

from django.db import migrations
from django.db.models import IntegerField, Value


def copy_rows(schema_editor, rows, into, columns):
    """INSERT INTO `into` (`columns`) the rows of the values_list queryset `rows`."""
    connection = schema_editor.connection
    select, params = rows.order_by().query.get_compiler(connection=connection).as_sql()
    table = schema_editor.quote_name(into._meta.db_table)
    names = ", ".join(schema_editor.quote_name(into._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {select}", params)


def story_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.filter(app_label="articles", model="article").first()


def forwards(apps, schema_editor):
    story = story_type(apps)
    if story is None:
        return  # a new database: no story has ever been tagged
    Article = apps.get_model("articles", "Article")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    TaggedStory = apps.get_model("articles", "TaggedStory")
    generic = TaggedItem.objects.filter(content_type=story)
    copy_rows(
        schema_editor,
        generic.filter(object_id__in=Article.objects.values("pk")).values_list("object_id", "tag_id"),
        TaggedStory,
        ["content_object", "tag"],
    )
    generic.delete()


def backwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    TaggedStory = apps.get_model("articles", "TaggedStory")
    if not TaggedStory.objects.exists():
        return
    story, _ = ContentType.objects.get_or_create(app_label="articles", model="article")
    copy_rows(
        schema_editor,
        # The constant last: the SELECT lists fields before annotations.
        TaggedStory.objects.values_list(
            "content_object_id", "tag_id", Value(story.pk, output_field=IntegerField())
        ),
        TaggedItem,
        ["object_id", "tag", "content_type"],
    )
    TaggedStory.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0014_tagged_story"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
