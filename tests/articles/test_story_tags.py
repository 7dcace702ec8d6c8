"""Stories' tags, held by TaggedStory: a tag's page, its merge and its removal.

Pictures share taggit's tags but keep its generic rows, so each test here also
checks that the picture library's tags are left as they should be.
"""

import pytest
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from articles import search, workflow
from articles.models import Article, TaggedStory
from tests.factories import make_article, make_editor, make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap_stories():
    return {
        "signed": make_article("Roadmap signed in Rabat", tags=["roadmap", "Morocco"]),
        "debated": make_article("Senate debates the roadmap", tags=["road map"]),
        "both": make_article("Roadmap, or road map?", tags=["roadmap", "road map"]),
        "merged already": make_article(
            "Defence policy explained", tags=["defence policy", "roadmap"]
        ),
        "draft": make_article("Roadmap: the secret annex", status="draft", tags=["roadmap"]),
        "other": make_article("Lions in the desert", tags=["Exercise African Lion"]),
    }


def headlines_on(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return {story.headline for story in response.context["articles"]}


def test_a_tag_page_lists_the_public_stories_carrying_the_tag_and_no_others(
    client, roadmap_stories
):
    picture = make_image("Signing ceremony")
    picture.tags.set(["roadmap"])

    assert headlines_on(client, "/tag/roadmap/") == {
        "Roadmap signed in Rabat",
        "Roadmap, or road map?",
        "Defence policy explained",
    }


def test_a_tag_only_on_a_picture_has_no_page(client):
    make_image("Parade").tags.set(["parade"])

    assert client.get("/tag/parade/").status_code == 404


def test_a_tag_whose_only_public_story_is_withdrawn_loses_its_page_at_once(client, editor):
    story = make_article("Lions in the desert", tags=["Exercise African Lion"])
    assert client.get("/tag/exercise-african-lion/").status_code == 200

    workflow.withdraw(story, by=editor, reason="Legal reasons.")

    assert client.get("/tag/exercise-african-lion/").status_code == 404


def test_a_tag_gets_its_page_once_its_first_story_is_published(client, editor):
    story = make_article("Lions in the desert", status="draft", tags=["Exercise African Lion"])
    assert client.get("/tag/exercise-african-lion/").status_code == 404

    workflow.publish(story, by=editor)

    assert headlines_on(client, "/tag/exercise-african-lion/") == {"Lions in the desert"}


def test_removing_a_tag_from_a_story_takes_it_off_the_tag_page(client, roadmap_stories):
    roadmap_stories["signed"].tags.remove("roadmap")

    assert "Roadmap signed in Rabat" not in headlines_on(client, "/tag/roadmap/")


def test_deleting_a_story_deletes_its_tag_links_and_keeps_the_tags(roadmap_stories):
    story = roadmap_stories["signed"]

    story.delete()

    assert not TaggedStory.objects.filter(content_object_id=story.pk).exists()
    assert Tag.objects.filter(name="Morocco").exists()


@pytest.fixture
def editor_merging(roadmap_stories):
    """An editor who has chosen "roadmap" and "road map" in the tag list, to merge."""
    client = Client()
    client.force_login(make_editor())
    chosen = Tag.objects.filter(name__in=["roadmap", "road map"])
    client.post(
        reverse("admin:taggit_tag_changelist"),
        {"action": "render_tag_form", "_selected_action": [tag.pk for tag in chosen]},
    )
    return client


def merge_into(client, name):
    return client.post(reverse("admin:taggit_tag_merge_tags"), {"new_tag_name": name})


def tag_names(story):
    return sorted(Article.objects.get(pk=story.pk).tags.names())


def test_merging_tags_gives_every_story_the_new_tag_once(editor_merging, roadmap_stories):
    response = merge_into(editor_merging, "defence policy")

    assert response.status_code == 302
    assert tag_names(roadmap_stories["signed"]) == ["Morocco", "defence policy"]
    assert tag_names(roadmap_stories["debated"]) == ["defence policy"]
    assert tag_names(roadmap_stories["both"]) == ["defence policy"]
    assert tag_names(roadmap_stories["merged already"]) == ["defence policy"]
    assert tag_names(roadmap_stories["draft"]) == ["defence policy"]
    assert tag_names(roadmap_stories["other"]) == ["Exercise African Lion"]


def test_merging_into_one_of_the_chosen_tags_keeps_it(editor_merging, roadmap_stories):
    merge_into(editor_merging, "roadmap")

    assert tag_names(roadmap_stories["debated"]) == ["roadmap"]
    assert tag_names(roadmap_stories["both"]) == ["roadmap"]
    assert tag_names(roadmap_stories["signed"]) == ["Morocco", "roadmap"]


def test_merging_tags_moves_the_pictures_tags_too(editor_merging):
    picture = make_image("Signing ceremony")
    picture.tags.set(["road map", "roadmap"])

    merge_into(editor_merging, "defence policy")

    assert list(picture.tags.names()) == ["defence policy"]


def test_merged_stories_are_on_the_new_tags_page_and_found_by_its_name(
    client, editor_merging, roadmap_stories
):
    merge_into(editor_merging, "defence policy")

    assert headlines_on(client, "/tag/defence-policy/") == {
        "Roadmap signed in Rabat",
        "Senate debates the roadmap",
        "Roadmap, or road map?",
        "Defence policy explained",
    }
    found = search.search("policy", Article.objects.published())[:100]
    assert roadmap_stories["debated"].pk in found
