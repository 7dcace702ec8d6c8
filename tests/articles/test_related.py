"""Related stories: what is picked, how it is ranked, and what it costs."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Status
from articles.related import related_stories
from tests.factories import country, make_article, make_organisation, make_person

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def esper():
    return make_person("Mark Esper")


@pytest.fixture
def story(esper):
    return make_article(
        "US and Morocco sign defence roadmap",
        people=[esper],
        organisations=[make_organisation("Pentagon")],
        countries=[country("MA")],
        tags=["defence", "morocco"],
    )


def related_to(story):
    return related_stories(Article.objects.for_story_page().get(pk=story.pk))


def test_overlaps_of_every_kind_add_up_by_weight(story, esper):
    # A person and a tag (3 + 2) beat two tags (2 + 2) and a person and a country
    # (3 + 1), which tie, so the newer of those comes first.
    person_and_tag = make_article(people=[esper], tags=["defence"], published_at=days_ago(30))
    two_tags = make_article(tags=["defence", "morocco"], published_at=days_ago(2))
    person_and_country = make_article(
        people=[esper], countries=[country("MA")], published_at=days_ago(3)
    )
    assert related_to(story) == [person_and_tag, two_tags, person_and_country]


def test_equal_scores_go_newest_first(story):
    older = make_article(tags=["defence"], published_at=days_ago(9))
    newer = make_article(tags=["defence"], published_at=days_ago(1))
    assert related_to(story) == [newer, older]


def test_a_story_found_through_one_kind_also_scores_its_other_links(story, esper):
    # Many newer stories share the country, so the old one is found through the
    # person; the country it shares as well still counts.
    for n in range(3):
        make_article(people=[esper], published_at=days_ago(10 + n))
    both = make_article(people=[esper], countries=[country("MA")], published_at=days_ago(400))
    assert related_to(story)[0] == both


def test_scheduled_and_withdrawn_picks_are_left_out_and_take_no_place(story):
    story.related.add(
        make_article("Scheduled pick", published_at=timezone.now() + timedelta(days=1)),
        make_article("Withdrawn pick", status=Status.WITHDRAWN, published_at=days_ago(5)),
    )
    sharing = [make_article(tags=["defence"], published_at=days_ago(n)) for n in range(1, 6)]
    assert related_to(story) == sharing[:4]


def test_a_story_picked_as_related_to_itself_is_left_out(story):
    story.related.add(story)
    assert related_to(story) == []


def test_related_stories_cost_one_query_that_reads_no_body(story):
    make_article(tags=["defence"])
    story = Article.objects.for_story_page().get(pk=story.pk)
    with CaptureQueriesContext(connection) as captured:
        assert len(related_stories(story)) == 1
    assert len(captured) == 1
    assert '"articles_article"."body"' not in captured.captured_queries[0]["sql"]


# --- The ranking is remembered; visibility is checked at every view ---------------


def related_on_the_page(client, story):
    return client.get(story.get_absolute_url()).context["related_articles"]


def test_a_related_story_withdrawn_after_ranking_leaves_the_panel_and_the_next_takes_its_place(
    client, story, editor
):
    from articles import workflow

    sharing = [make_article(tags=["defence"], published_at=days_ago(n)) for n in range(1, 6)]
    assert related_on_the_page(client, story) == sharing[:4]
    workflow.withdraw(sharing[0], by=editor, reason="The source retracted.")
    assert related_on_the_page(client, story) == sharing[1:5]


def test_a_related_story_rescheduled_after_ranking_is_not_shown_before_it_is_due(client, story):
    sharing = make_article(tags=["defence"], published_at=days_ago(1))
    assert related_on_the_page(client, story) == [sharing]
    Article.objects.filter(pk=sharing.pk).update(published_at=timezone.now() + timedelta(days=1))
    assert related_on_the_page(client, story) == []


def test_an_editors_new_pick_shows_on_the_next_view(client, story):
    sharing = make_article(tags=["defence"], published_at=days_ago(1))
    assert related_on_the_page(client, story) == [sharing]
    picked = make_article("Picked", published_at=days_ago(300))
    story.related.add(picked)
    assert related_on_the_page(client, story) == [picked, sharing]


def test_a_story_given_a_new_link_is_ranked_afresh(client, story, esper):
    about_the_pentagon = make_article(organisations=[make_organisation("NATO")])
    assert related_on_the_page(client, story) == []
    story.organisations.add(about_the_pentagon.organisations.get())
    assert related_on_the_page(client, story) == [about_the_pentagon]


def test_a_remembered_ranking_is_read_back_in_one_query_that_reads_no_body(story):
    make_article(tags=["defence"])
    first = related_to(story)
    story = Article.objects.for_story_page().get(pk=story.pk)
    with CaptureQueriesContext(connection) as captured:
        assert related_stories(story) == first
    assert len(captured) == 1
    assert '"articles_article"."body"' not in captured.captured_queries[0]["sql"]
