"""Upgrading a newsroom whose stories' tags were taggit's generic rows keeps every tag.

Stories' tags moved from `taggit.TaggedItem` (content type + object id) to
`TaggedStory`, with a foreign key to the story. This builds a database as it
was before, with stories carrying generic rows beside a tagged picture, then
migrates it forward (and back) and reads every story's tags.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from taggit.models import TaggedItem

from articles.images.models import Image
from articles.models import Article

BEFORE = [("articles", "0013_image_content_types_follow_the_library")]
AFTER = [("articles", "0015_story_tags_move_to_tagged_story")]

TAGS = {
    "US and Morocco sign a roadmap": {"defence cooperation", "North Africa"},
    "African Lion begins": {"defence cooperation", "Exercise African Lion", "interoperability"},
    "An untagged brief": set(),
}


def migrate(targets):
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def generic_tags(apps, app_label, model):
    """{object id: tag names} of taggit's generic rows for one model."""
    rows = apps.get_model("taggit", "TaggedItem").objects.filter(
        content_type__app_label=app_label, content_type__model=model
    )
    found = {}
    for object_id, name in rows.values_list("object_id", "tag__name"):
        found.setdefault(object_id, set()).add(name)
    return found


@pytest.fixture
def old_newsroom(transactional_db):
    old = migrate(BEFORE)
    Article = old.get_model("articles", "Article")
    Section = old.get_model("articles", "Section")
    Image = old.get_model("images", "Image")
    ContentType = old.get_model("contenttypes", "ContentType")
    Tag = old.get_model("taggit", "Tag")
    TaggedItem = old.get_model("taggit", "TaggedItem")

    story_type, _ = ContentType.objects.get_or_create(app_label="articles", model="article")
    image_type, _ = ContentType.objects.get_or_create(app_label="images", model="image")
    news = Section.objects.create(name="News", slug="news")
    tags = {}

    def tag(obj, content_type, name):
        if name not in tags:
            tags[name] = Tag.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        TaggedItem.objects.create(tag=tags[name], content_type=content_type, object_id=obj.pk)

    stories = {}
    for number, (headline, names) in enumerate(TAGS.items()):
        story = Article.objects.create(headline=headline, slug=f"story-{number}", section=news)
        stories[headline] = story.pk
        for name in names:
            tag(story, story_type, name)
    picture = Image.objects.create(
        file="images/ab/parade.jpg", title="Parade", width=800, height=600
    )
    tag(picture, image_type, "defence cooperation")
    # Left behind by a story deleted without its tags: nothing to point at.
    TaggedItem.objects.create(tag=tags["North Africa"], content_type=story_type, object_id=10_000)

    yield {"stories": stories, "picture": picture.pk}
    call_command("migrate", verbosity=0)


def story_tags(apps, pk):
    """A story's tag names, read through the models of the migrated state: today's
    models have columns added by later migrations."""
    links = apps.get_model("articles", "TaggedStory").objects.filter(content_object_id=pk)
    return set(links.values_list("tag__name", flat=True))


def test_upgrading_keeps_exactly_each_storys_tags(old_newsroom):
    new = migrate(AFTER)

    for headline, pk in old_newsroom["stories"].items():
        assert story_tags(new, pk) == TAGS[headline], headline
    assert new.get_model("articles", "TaggedStory").objects.count() == 5


def test_upgrading_leaves_no_generic_row_for_stories_and_keeps_the_pictures(old_newsroom):
    migrate(AFTER)

    assert not TaggedItem.objects.filter(content_type__app_label="articles").exists()
    picture = Image.objects.get(pk=old_newsroom["picture"])
    assert list(picture.tags.names()) == ["defence cooperation"]


def test_tagged_stories_are_found_through_their_tag_after_upgrading(old_newsroom):
    migrate(AFTER)

    tagged = Article.objects.filter(tags__name="defence cooperation")
    assert set(tagged.values_list("headline", flat=True)) == {
        "US and Morocco sign a roadmap",
        "African Lion begins",
    }


def test_downgrading_gives_each_story_its_generic_rows_back(old_newsroom):
    migrate(AFTER)

    old = migrate(BEFORE)

    by_pk = {
        pk: TAGS[headline] for headline, pk in old_newsroom["stories"].items() if TAGS[headline]
    }
    assert generic_tags(old, "articles", "article") == by_pk
    assert generic_tags(old, "images", "image") == {
        old_newsroom["picture"]: {"defence cooperation"}
    }
