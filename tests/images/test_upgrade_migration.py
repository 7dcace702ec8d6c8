"""Upgrading a newsroom whose image library lived inside `articles` keeps every picture.

The library became its own app (articles/images/, label "images") by moving
its models, not its tables: this builds a database as it was before the move,
with pictures, renditions, a focal point, tags, a lead image and a body figure,
then migrates it and reads everything back through today's models.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.body import body_reference
from articles.images.models import Image, Rendition
from articles.models import Article

# The last migrations before the move.
BEFORE_THE_MOVE = [("articles", "0011_deleted_story_record"), ("images", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return (
        MigrationExecutor(connection)
        .loader.project_state([target for target in targets if target[1] is not None])
        .apps
    )


@pytest.fixture
def old_newsroom(transactional_db):
    old = migrate(BEFORE_THE_MOVE)
    OldImage = old.get_model("articles", "Image")
    OldRendition = old.get_model("articles", "Rendition")
    OldArticle = old.get_model("articles", "Article")
    Section = old.get_model("articles", "Section")
    ContentType = old.get_model("contenttypes", "ContentType")
    Tag = old.get_model("taggit", "Tag")
    TaggedItem = old.get_model("taggit", "TaggedItem")

    lead = OldImage.objects.create(
        file="images/ab/lead.jpg",
        title="Signing in Rabat",
        alt_text="Two ministers shake hands",
        caption="The roadmap is signed.",
        credit="Staff photographer",
        width=1600,
        height=900,
        focal_x=0.25,
        focal_y=0.75,
    )
    figure = OldImage.objects.create(file="images/cd/map.png", title="Map", width=800, height=800)
    OldRendition.objects.create(
        image=lead, spec="w640.webp", file="r/lead-640.webp", width=640, height=360
    )
    OldRendition.objects.create(
        image=figure, spec="w320.png", file="r/map-320.png", width=320, height=320
    )
    image_type, _ = ContentType.objects.get_or_create(app_label="articles", model="image")
    TaggedItem.objects.create(
        tag=Tag.objects.create(name="portrait", slug="portrait"),
        content_type=image_type,
        object_id=lead.pk,
    )
    story = OldArticle.objects.create(
        headline="US and Morocco sign a roadmap",
        slug="us-and-morocco-sign-a-roadmap",
        section=Section.objects.create(name="News", slug="news"),
        lead_image=lead,
        body=f'<figure><img src="/media/x.png" alt="" {body_reference(figure.pk)}></figure>',
    )
    yield {"lead": lead.pk, "figure": figure.pk, "story": story.pk}
    call_command("migrate", verbosity=0)


def test_upgrading_keeps_every_picture_rendition_focal_point_tag_and_usage(old_newsroom):
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    lead = Image.objects.get(pk=old_newsroom["lead"])
    assert (lead.title, lead.alt_text, lead.caption, lead.credit) == (
        "Signing in Rabat",
        "Two ministers shake hands",
        "The roadmap is signed.",
        "Staff photographer",
    )
    assert (lead.width, lead.height, lead.focal_x, lead.focal_y) == (1600, 900, 0.25, 0.75)
    assert lead.file.name == "images/ab/lead.jpg"
    assert list(lead.tags.names()) == ["portrait"]
    assert [(r.spec, r.file.name) for r in Rendition.objects.filter(image=lead)] == [
        ("w640.webp", "r/lead-640.webp")
    ]
    assert Rendition.objects.filter(image_id=old_newsroom["figure"]).count() == 1
    story = Article.objects.get(pk=old_newsroom["story"])
    assert story.lead_image == lead
    figure = Image.objects.get(pk=old_newsroom["figure"])
    assert set(Article.objects.showing(figure)) == {story}


@pytest.mark.django_db
def test_image_permissions_follow_the_library_and_the_groups_keep_them():
    from django.contrib.auth.models import Group, Permission

    assert Permission.objects.filter(
        content_type__app_label="images", codename="delete_image"
    ).exists()
    assert not Permission.objects.filter(
        content_type__app_label="articles", codename__endswith="_image"
    ).exists()
    editors = Group.objects.get(name="Editors")
    assert editors.permissions.filter(
        content_type__app_label="images", codename="delete_image"
    ).exists()
