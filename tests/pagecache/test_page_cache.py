"""Anonymous readers are served from Django's own page cache, and every change
through the newsroom's doors shows on the next request."""

from datetime import timedelta
from io import StringIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import workflow
from articles.models import Status
from tests.factories import make_article, make_person, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE = True


@pytest.fixture
def news():
    return make_section("News")


@pytest.fixture
def story(news):
    esper = make_person("Mark Esper")
    return make_article("Roadmap signed in Rabat", section=news, people=[esper], tags=["Morocco"])


def test_a_readers_second_visit_is_served_from_the_cache(client, story):
    first = client.get(story.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        second = client.get(story.get_absolute_url())
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert len(queries) == 1  # are any of its keys purged since?


def test_a_public_page_names_what_it_was_built_from(client, story):
    response = client.get(story.get_absolute_url())
    keys = response["xkey"].split()
    assert {f"story-{story.pk}", f"section-{story.section_id}", "furniture"} <= set(keys)
    assert f"person-{story.people.get().pk}" in keys
    assert f"tag-{story.tags.get().pk}" in keys


def test_a_public_page_is_revalidated_by_browsers_and_kept_by_shared_caches(client, story):
    directives = client.get(story.get_absolute_url())["Cache-Control"].split(", ")
    assert set(directives) == {
        "public",
        "max-age=0",
        "s-maxage=600",
        "stale-while-revalidate=60",
        "stale-if-error=86400",
    }


def test_a_reader_with_the_current_copy_gets_304_in_one_query(client, story):
    etag = client.get(story.get_absolute_url())["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert len(queries) == 1


def test_publishing_a_new_story_shows_it_on_the_cached_home_section_and_tag_pages(
    client, story, news, editor
):
    pages = ["/", f"/section/{news.slug}/", "/tag/morocco/"]
    for page in pages:
        client.get(page)
    draft = make_article(
        "Second round of talks", status=Status.DRAFT, section=news, tags=["Morocco"]
    )
    workflow.publish(draft, by=editor)
    for page in pages:
        response = client.get(page)
        assert response["X-Page-Cache"] == "miss", page
        assert "Second round of talks" in response.content.decode(), page


def test_an_edit_to_a_live_story_shows_on_its_cached_page_and_on_the_lists(client, story):
    client.get(story.get_absolute_url())
    client.get("/")
    story.headline = "Roadmap signed in Rabat, with a timetable"
    story.save()
    assert "with a timetable" in client.get(story.get_absolute_url()).content.decode()
    assert "with a timetable" in client.get("/").content.decode()


def test_a_withdrawn_story_answers_410_at_once_and_leaves_the_home_page(client, story, editor):
    client.get(story.get_absolute_url())
    client.get("/")
    workflow.withdraw(story, by=editor, reason="Legal request.")
    assert client.get(story.get_absolute_url()).status_code == 410
    assert story.headline not in client.get("/").content.decode()


def test_renaming_a_person_shows_on_the_cached_story_that_names_them(client, story):
    client.get(story.get_absolute_url())
    esper = story.people.get()
    esper.name = "Mark T. Esper"
    esper.save()
    assert "Mark T. Esper" in client.get(story.get_absolute_url()).content.decode()


def test_a_signed_in_editor_is_never_served_from_the_cache(client, story, editor):
    client.get(story.get_absolute_url())  # cached for readers
    client.force_login(editor)
    response = client.get(story.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_admin_is_never_cached(client, editor):
    client.force_login(editor)
    response = client.get("/admin/")
    assert "private" in response["Cache-Control"]
    assert "xkey" not in response


def test_a_list_is_cached_no_longer_than_until_the_next_story_goes_live(client, story, news):
    make_article(
        "Under embargo until noon",
        section=news,
        published_at=timezone.now() + timedelta(seconds=90),
    )
    directives = dict(
        d.split("=") if "=" in d else (d, "") for d in client.get("/")["Cache-Control"].split(", ")
    )
    assert int(directives["s-maxage"]) <= 90
    assert int(directives["max-age"]) == 0


def test_a_scheduled_story_appears_on_the_cached_home_page_once_it_is_due(client, story, news):
    due = timezone.now() + timedelta(seconds=30)
    make_article("Talks resume", section=news, published_at=due)
    assert "Talks resume" not in client.get("/").content.decode()
    # No worker runs: the cached copy simply may not outlive the go-live time.
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=due + timedelta(seconds=1)):
        response = client.get("/")
    assert "Talks resume" in response.content.decode()


def test_without_the_setting_pages_are_rendered_each_time(client, story, settings):
    settings.NEWSROOM_PAGE_CACHE = False
    client.get(story.get_absolute_url())
    response = client.get(story.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert "public" in response["Cache-Control"]


def test_a_page_that_hands_out_a_csrf_token_is_never_stored(rf, settings):
    """A cached token would be another reader's: their form would be refused."""
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from newsroom.pagecache.keys import tag
    from newsroom.pagecache.middleware import PageCacheMiddleware

    def view_with_a_form(request):
        return tag(HttpResponse(f"<input value='{get_token(request)}'>"), {"home"})

    middleware = PageCacheMiddleware(view_with_a_form)
    first = middleware(rf.get("/form/"))
    second = middleware(rf.get("/form/"))
    assert "X-Page-Cache" not in second
    assert "no-store" in first["Cache-Control"]


def test_purging_every_page_after_a_deploy_makes_the_next_reader_get_a_fresh_render(client, story):
    from django.core.management import call_command

    client.get(story.get_absolute_url())
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    call_command("purge_pages", "--all", stdout=StringIO())
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "miss"


def test_purge_pages_without_keys_says_what_it_needs():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="Name the keys"):
        call_command("purge_pages")
