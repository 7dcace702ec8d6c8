"""A story page's parts made of the story alone are rendered once per version of it,
and rendered afresh the moment anything they show changes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import workflow
from articles.models import Correction
from tests.factories import (
    make_article,
    make_editor,
    make_organisation,
    make_person,
    make_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendered_pages(settings):
    # The parts, not whole pages from the page cache.
    settings.NEWSROOM_PAGE_CACHE = False


def page(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_view_reads_less_and_shows_the_same_page(client):
    minister = make_person("Nasser Bourita")
    story = make_article(
        "Roadmap signed",
        people=[minister],
        organisations=[make_organisation("Ministry of Foreign Affairs")],
        tags=["diplomacy"],
    )
    with CaptureQueriesContext(connection) as first:
        before = page(client, story)
    with CaptureQueriesContext(connection) as second:
        after = page(client, story)
    assert after == before
    assert len(second) < len(first)


def test_a_person_renamed_is_renamed_on_the_story_page_at_once(client):
    minister = make_person("Nasser Bourita")
    story = make_article("Roadmap signed", people=[minister])
    assert "Nasser Bourita" in page(client, story)
    minister.name = "Nasser Bourita Jr"
    minister.save()
    shown = page(client, story)
    assert "Nasser Bourita Jr" in shown
    # The structured data too, which is a part of its own.
    assert shown.count("Nasser Bourita Jr") >= 2


def test_a_new_role_shows_in_the_story_at_once(client):
    minister = make_person("Nasser Bourita")
    story = make_article(
        "Roadmap signed",
        people=[minister],
        published_at=timezone.now() - timedelta(hours=1),
    )
    page(client, story)
    make_role(
        minister,
        make_organisation("Ministry of Foreign Affairs"),
        title="Foreign Minister",
        start=timezone.localdate() - timedelta(days=30),
    )
    assert "Foreign Minister" in page(client, story)


def test_a_retitled_tag_is_retitled_on_the_story_page(client):
    story = make_article("Roadmap signed", tags=["diplomacy"])
    page(client, story)
    tag = story.tags.get()
    tag.name = "Diplomatic relations"
    tag.save()
    assert "Diplomatic relations" in page(client, story)


def test_an_edited_story_shows_its_edit(client):
    story = make_article("Roadmap signed", body="<p>Signed on Monday.</p><p>More.</p>")
    page(client, story)
    story.body = "<p>Signed on Tuesday.</p><p>More.</p>"
    story.save()
    shown = page(client, story)
    assert "Signed on Tuesday." in shown
    assert "Signed on Monday." not in shown


def test_a_correction_appears_at_once(client):
    story = make_article("Roadmap signed")
    page(client, story)
    Correction.objects.create(article=story, text="An earlier version gave the wrong day.")
    assert "An earlier version gave the wrong day." in page(client, story)


def test_a_withdrawn_related_story_leaves_the_page_at_once(client):
    story = make_article("Roadmap signed", tags=["diplomacy"])
    related = make_article("Talks resume", tags=["diplomacy"])
    assert "Talks resume" in page(client, story)
    workflow.withdraw(related, by=make_editor(), reason="Legal reasons.")
    assert "Talks resume" not in page(client, story)


def purge_checks(queries):
    return [query for query in queries if '"pagecache_purgedkey"' in query["sql"]]


def test_a_second_view_checks_its_parts_and_related_cards_in_one_query(client):
    story = make_article(
        "Roadmap signed", people=[make_person("Nasser Bourita")], tags=["diplomacy"]
    )
    make_article("Talks resume", tags=["diplomacy"])
    page(client, story)
    with CaptureQueriesContext(connection) as second:
        assert "Talks resume" in page(client, story)
    assert len(purge_checks(second)) == 1
    # The story, its related stories' rows, that one check.
    assert len(second) == 3


def test_a_story_given_a_topic_without_a_save_ranks_its_related_stories_again(client):
    story = make_article("Roadmap signed", tags=["diplomacy"])
    make_article("Drone strike near the border", tags=["drones"])
    assert "Drone strike near the border" not in page(client, story)
    story.tags.add("drones")  # as a merge of tags does: the links change, the story is not saved
    assert "Drone strike near the border" in page(client, story)
