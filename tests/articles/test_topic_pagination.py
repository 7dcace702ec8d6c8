"""Topic lists count their public stories from the topic's links, and only those."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from articles import topic_lists, workflow
from articles.models import TaggedStory
from tests.articles.workflow_stories import story_in
from tests.factories import make_article, make_editor, make_person, make_section

pytestmark = pytest.mark.django_db


def test_a_tag_page_counts_its_public_stories_only(client):
    for i in range(21):
        make_article(f"Okapi {i}", tags=["okapi"])
    story_in("draft", headline="Draft okapi", tags=["okapi"])
    first = client.get("/tag/okapi/").content.decode()
    assert "Page 1 of 2" in first
    assert client.get("/tag/okapi/?page=2").context["paginator"].count == 21


def test_a_person_page_counts_their_public_stories_only(client):
    person = make_person("Nasser Bourita")
    for i in range(21):
        make_article(f"Talks {i}", people=[person])
    story_in("scheduled", headline="Scheduled talks", people=[person])
    response = client.get(person.get_absolute_url())
    assert response.context["paginator"].count == 21


# --- Counted once for each change of the list (articles/counts.py) ------------------


@pytest.fixture(autouse=True)
def rendered_pages(settings):
    # Each view renders: what is remembered is the count, not the page.
    settings.NEWSROOM_PAGE_CACHE = False


def pages_of(client, url):
    return client.get(url).context["paginator"].num_pages


def counts_run(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return sum("COUNT(" in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def twenty_okapi_stories(news):
    return [make_article(f"Okapi {i}", section=news, tags=["okapi"]) for i in range(20)]


@pytest.fixture
def news():
    return make_section("News")


def test_a_lists_second_view_does_not_count_its_stories_again(client, twenty_okapi_stories):
    for url in ("/tag/okapi/", "/section/news/"):
        assert counts_run(client, url) == 1
        assert counts_run(client, url) == 0


def test_a_story_published_through_the_workflow_is_counted_at_once(
    client, twenty_okapi_stories, news
):
    assert pages_of(client, "/tag/okapi/") == 1
    draft = story_in("draft", headline="Okapi 21", section=news, tags=["okapi"])
    workflow.publish(draft, by=make_editor())
    assert pages_of(client, "/tag/okapi/") == 2
    assert pages_of(client, "/section/news/") == 2


def test_a_withdrawn_story_leaves_the_count_at_once(client, twenty_okapi_stories, news):
    extra = make_article("Okapi 21", section=news, tags=["okapi"])
    assert pages_of(client, "/tag/okapi/") == 2
    workflow.withdraw(extra, by=make_editor(), reason="Published in error.")
    assert pages_of(client, "/tag/okapi/") == 1


def test_a_tag_added_to_a_public_story_counts_it_on_the_tags_list(client, twenty_okapi_stories):
    assert pages_of(client, "/tag/okapi/") == 1
    make_article("Giraffes, not okapis").tags.add("okapi")
    assert pages_of(client, "/tag/okapi/") == 2


def test_a_scheduled_story_is_counted_once_it_is_due(client, twenty_okapi_stories, news):
    due = timezone.now() + timedelta(seconds=30)
    make_article("Okapi 21", section=news, tags=["okapi"], published_at=due)
    assert pages_of(client, "/tag/okapi/") == 1
    # Going live on time purges nothing: the count is simply not kept past it.
    with mock.patch("django.utils.timezone.now", return_value=due + timedelta(seconds=1)):
        assert pages_of(client, "/tag/okapi/") == 2


def test_a_story_moved_to_another_section_leaves_the_old_sections_count(
    client, twenty_okapi_stories, news
):
    moved = make_article("Okapi 21", section=news)
    assert pages_of(client, "/section/news/") == 2
    moved.section = make_section("Analysis")
    moved.save()
    assert pages_of(client, "/section/news/") == 1
    assert pages_of(client, "/section/analysis/") == 1


# --- The first pages' stories, kept with the count (articles/counts.Remembered) -------


def first_page(client, url) -> list[str]:
    return [story.headline for story in client.get(url).context["articles"]]


@pytest.mark.parametrize("url", ["/tag/okapi/", "/section/news/"])
def test_a_lists_second_view_reads_its_stories_by_primary_key_alone(
    client, twenty_okapi_stories, url
):
    shown = first_page(client, url)
    with CaptureQueriesContext(connection) as second:
        assert first_page(client, url) == shown
    stories = [
        q["sql"] for q in second.captured_queries if '"articles_article"."headline"' in q["sql"]
    ]
    assert len(stories) == 1
    assert '"articles_taggedstory"' not in stories[0] and "LIMIT" not in stories[0]


@pytest.mark.parametrize("url", ["/tag/okapi/", "/section/news/"])
def test_a_story_published_through_the_workflow_leads_the_first_page_at_once(
    client, twenty_okapi_stories, news, url
):
    assert "Okapi 21" not in first_page(client, url)
    draft = story_in("draft", headline="Okapi 21", section=news, tags=["okapi"])
    workflow.publish(draft, by=make_editor())
    assert first_page(client, url)[0] == "Okapi 21"


def test_a_withdrawn_story_leaves_the_first_page_at_once(client, twenty_okapi_stories):
    newest = twenty_okapi_stories[-1]
    assert first_page(client, "/tag/okapi/")[0] == newest.headline
    workflow.withdraw(newest, by=make_editor(), reason="Published in error.")
    assert newest.headline not in first_page(client, "/tag/okapi/")


def test_a_scheduled_story_leads_the_first_page_once_it_is_due(client, twenty_okapi_stories, news):
    due = timezone.now() + timedelta(seconds=30)
    make_article("Okapi 21", section=news, tags=["okapi"], published_at=due)
    assert "Okapi 21" not in first_page(client, "/tag/okapi/")
    with mock.patch("django.utils.timezone.now", return_value=due + timedelta(seconds=1)):
        assert first_page(client, "/tag/okapi/")[0] == "Okapi 21"


# --- Read by the plan the topic's size calls for (articles/topic_lists.py) -------------


@pytest.fixture(params=["from the links", "walking the public stories"])
def plan(request, monkeypatch):
    # Every topic is read from its links, or none is.
    from_links = request.param == "from the links"
    monkeypatch.setattr(topic_lists, "reads_from_links", lambda count, last: from_links)
    return request.param


def headlines(client, url):
    return [story.headline for story in client.get(url).context["articles"]]


def test_either_plan_pages_through_the_public_stories_newest_first(client, plan, news):
    hour = timedelta(hours=1)
    for i in range(25):
        make_article(f"Okapi {i}", tags=["okapi"], published_at=timezone.now() - (i + 1) * hour)
    story_in("draft", headline="Draft okapi", tags=["okapi"])
    story_in("scheduled", headline="Scheduled okapi", tags=["okapi"])
    story_in("withdrawn-on-schedule", headline="Withdrawn okapi", tags=["okapi"])
    assert headlines(client, "/tag/okapi/") == [f"Okapi {i}" for i in range(20)]
    assert headlines(client, "/tag/okapi/?page=2") == [f"Okapi {i}" for i in range(20, 25)]


@pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's EXPLAIN QUERY PLAN wording")
def test_a_small_topics_page_starts_from_its_links_not_from_every_public_story(news):
    for i in range(40):
        make_article(f"Story {i}", tags=["common"] + (["rare"] if i < 2 else []))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # with statistics, SQLite walked the visibility index
    rare = TaggedStory.objects.filter(tag=Tag.objects.get(slug="rare"))
    plan = topic_lists.newest_from_links(rare, "content_object_id")[:20].explain()
    assert "stories_of_a_tag (tag_id=?)" in plan.splitlines()[0], plan
    assert "status=?" not in plan, plan


@pytest.mark.parametrize(
    "count, archive, from_links",
    [
        (100, 2_000, True),  # an author on one story in twenty, at 2,000 stories
        (1_000, 20_000, False),  # the same author at 20,000: the walk reads 400
        (487, 20_000, True),  # a tag on one story in forty: the walk would read 820
        (2_000, 20_000, False),  # a country in one story in ten
    ],
)
def test_a_page_is_read_by_whichever_plan_reads_fewer_rows(monkeypatch, count, archive, from_links):
    monkeypatch.setattr(topic_lists, "archive_size", lambda: archive)
    assert topic_lists.reads_from_links(count, last=20) is from_links


def test_a_few_stories_are_read_from_the_links_without_counting_the_archive(monkeypatch):
    def counted(*args):
        raise AssertionError("the archive was counted")

    monkeypatch.setattr(topic_lists, "archive_size", counted)
    assert topic_lists.reads_from_links(topic_lists.FEW, last=20)
    assert topic_lists.reads_from_links(500, last=520)  # the last page of a topic
