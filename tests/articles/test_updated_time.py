"""A story says "Updated" only after a meaningful update: a correction, an update
note or an editor's "Mark as updated", never after an ordinary save.

Read through the public pages of the demo newsroom: the story page, its JSON-LD
`dateModified`, its `article:modified_time` and the story sitemap's `lastmod`.
"""

import json
from datetime import UTC, datetime
from importlib import import_module

import lxml.etree
import lxml.html
import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from articles.demo import stories
from articles.models import Article
from tests.factories import signed_in
from tests.forms import opened_form

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def dates_of(client, story):
    """(the "Updated" line or None, dateModified, datePublished, article:modified_time)."""
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    updated = page.find_class("story__updated")
    [data] = [
        block
        for script in page.xpath('//script[@type="application/ld+json"]')
        for block in _blocks(json.loads(script.text))
        if block.get("@type", "").endswith("Article")
    ]
    [modified] = page.xpath('//meta[@property="article:modified_time"]/@content')
    return (
        updated[0].text_content().strip() if updated else None,
        datetime.fromisoformat(data["dateModified"]),
        datetime.fromisoformat(data["datePublished"]),
        datetime.fromisoformat(modified),
    )


def _blocks(data):
    return data if isinstance(data, list) else data.get("@graph", [data])


def sitemap_lastmod(client, story):
    document = lxml.etree.fromstring(client.get("/sitemap-stories.xml").content)
    location = "http://127.0.0.1:8000" + story.get_absolute_url()
    [url] = [
        url for url in document.iter(f"{SITEMAP}url") if url.findtext(f"{SITEMAP}loc") == location
    ]
    return datetime.fromisoformat(url.findtext(f"{SITEMAP}lastmod"))


def demo_story(slug):
    return Article.objects.get(slug=slug)


UNCORRECTED = [data["slug"] for data in stories.STORIES if "correction" not in data]


@pytest.mark.parametrize("slug", UNCORRECTED)
def test_a_2020_demo_story_without_a_correction_shows_no_updated_time(client, demo, slug):
    story = demo_story(slug)
    updated, modified, published, og_modified = dates_of(client, story)
    assert updated is None
    assert modified == published == og_modified == story.published_at
    assert sitemap_lastmod(client, story) == story.published_at


def test_the_corrected_demo_story_is_updated_at_its_correction_not_at_load_time(client, demo):
    story = demo_story(stories.MAIN_STORY)
    correction_at = datetime(2020, 10, 2, 18, 10, tzinfo=UTC)
    updated, modified, published, og_modified = dates_of(client, story)
    assert updated == "Updated 2 October 2020, 19:10 BST"
    assert modified == og_modified == correction_at
    assert published == story.published_at
    assert sitemap_lastmod(client, story) == correction_at


def test_a_typo_fix_saved_in_the_admin_changes_no_public_date(client, demo):
    story = demo_story(UNCORRECTED[0])
    before = dates_of(client, story)
    editor = signed_in("editor")
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = opened_form(editor, url)
    data["standfirst"] = [data["standfirst"][0] + " "]
    data["headline"] = [data["headline"][0].replace("Esper", "Esper ") + "!"]
    assert editor.post(url, data).status_code == 302
    story.refresh_from_db()
    assert story.headline.endswith("!")  # the save went through
    assert dates_of(client, story) == before
    assert sitemap_lastmod(client, story) == story.published_at


def test_a_correction_added_in_the_admin_shows_updated_everywhere(client, demo):
    story = demo_story(UNCORRECTED[0])
    editor = signed_in("editor")
    url = reverse("admin:articles_article_transition", args=[story.pk, "add_correction"])
    response = editor.post(url, {"kind": "correction", "text": "The tour began a day earlier."})
    assert response.status_code == 302
    story.refresh_from_db()
    updated, modified, published, og_modified = dates_of(client, story)
    assert updated.startswith("Updated ")
    # Public dates are to the second.
    updated_at = story.display_updated_at.replace(microsecond=0)
    assert modified == og_modified == sitemap_lastmod(client, story) == updated_at > published


def test_an_editor_marks_a_story_as_updated_without_a_public_note(client, demo):
    story = demo_story(UNCORRECTED[0])
    editor = signed_in("editor")
    url = reverse("admin:articles_article_transition", args=[story.pk, "mark_updated"])
    page = editor.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert url in page  # the button is on the story form
    assert editor.post(url, {"note": "Added the ministry's figures."}).status_code == 302
    story.refresh_from_db()
    updated, modified, _, _ = dates_of(client, story)
    assert updated.startswith("Updated ")
    assert modified == story.display_updated_at.replace(microsecond=0)
    assert story.corrections.count() == 0
    assert story.events.latest("at").note == "Added the ministry's figures."


def test_a_journalist_cannot_mark_a_story_as_updated(client, demo):
    story = demo_story(UNCORRECTED[0])
    url = reverse("admin:articles_article_transition", args=[story.pk, "mark_updated"])
    assert signed_in("journalist").post(url).status_code in (403, 404)
    story.refresh_from_db()
    assert story.display_updated_at is None


def test_the_migration_keeps_the_updated_time_of_corrected_stories_only(demo):
    corrected, plain = demo_story(stories.MAIN_STORY), demo_story(UNCORRECTED[0])
    Article.objects.update(display_updated_at=None)
    migration = import_module("articles.migrations.0022_backfill_updated_for_readers")
    migration.keep_the_updated_time_of_corrected_stories(django_apps, None)
    corrected.refresh_from_db()
    plain.refresh_from_db()
    # Its last save (the load), which readers saw as "Updated" before.
    assert corrected.display_updated_at == corrected.updated_at
    assert plain.display_updated_at is None
