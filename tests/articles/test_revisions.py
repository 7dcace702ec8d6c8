"""Every save stores a revision; old ones can be read, compared, previewed and restored."""

import pytest
from django.test import Client
from django.urls import reverse

from articles import editing, revisions, workflow
from articles.models import Article
from tests.articles.test_permissions import change_form_data
from tests.articles.workflow_stories import story_in
from tests.factories import (
    make_author,
    make_editor,
    make_journalist,
    make_organisation,
    make_person,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return make_journalist()


@pytest.fixture
def story(author):
    return story_in(
        "draft", headline="First headline", authors=[make_author(author)], created_by=author
    )


def save(client, story, **changes):
    story.refresh_from_db()
    url = reverse("admin:articles_article_change", args=[story.pk])
    return client.post(url, change_form_data(story, **changes))


@pytest.fixture
def author_client(author):
    client = Client()
    client.force_login(author)
    return client


def test_every_save_stores_one_revision_with_a_new_version(author_client, story):
    save(author_client, story, headline="Second headline")
    save(author_client, story, headline="Third headline")
    story.refresh_from_db()
    assert story.version == 3
    assert list(story.revisions.values_list("version", flat=True)) == [3, 2]
    assert story.revisions.get(version=3).snapshot["headline"] == "Third headline"


def test_creating_a_story_in_the_admin_stores_revision_one(author):
    client = Client()
    client.force_login(author)
    story = story_in("draft")
    data = change_form_data(story, headline="A new story", slug="a-new-story")
    data.pop("base_version")
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    new = Article.objects.get(slug="a-new-story")
    assert new.created_by == author
    assert list(new.revisions.values_list("version", flat=True)) == [1]


def test_a_snapshot_holds_bylines_tags_and_entity_links(story):
    person, organisation = make_person("Mark Esper"), make_organisation("NATO")
    story.people.set([person])
    story.organisations.set([organisation])
    story.tags.set(["defence"])
    data = revisions.snapshot(story)
    assert [b["name"] for b in data["bylines"]] == [story.bylines.get().person.name]
    assert data["tags"] == ["defence"]
    assert data["people"] == [{"id": person.pk, "name": "Mark Esper"}]
    assert data["organisations"] == [{"id": organisation.pk, "name": "NATO"}]
    assert "status" not in data and "published_at" not in data


def test_restoring_makes_the_old_text_current_as_a_new_revision(author, author_client, story):
    person = make_person("Nasser Bourita")
    save(author_client, story, headline="Second headline", people=[person.pk])
    save(author_client, story, headline="Third headline")
    assert not story.people.exists()
    old = story.revisions.get(version=2)
    new = editing.restore(old, by=author).revision
    story.refresh_from_db()
    assert story.headline == "Second headline"
    assert list(story.people.all()) == [person]
    assert (new.version, story.version) == (4, 4)
    assert story.revisions.count() == 3  # 2, 3 and 4: nothing deleted
    assert story.events.latest("at", "pk").action == "restore"


def test_restore_through_the_admin(author_client, story):
    save(author_client, story, headline="Second headline")
    save(author_client, story, headline="Third headline")
    url = reverse("admin:articles_article_restore", args=[story.pk, 2])
    assert author_client.post(url).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Second headline"


def test_restoring_never_changes_the_status(story):
    editor = make_editor()
    revision = revisions.record_revision(story, by=editor)
    story.submit(by=editor)
    story.publish(by=editor)
    editing.restore(revision, by=editor)
    story.refresh_from_db()
    assert story.is_published()


def test_an_author_cannot_restore_once_the_story_left_draft(author, story):
    revision = revisions.record_revision(story, by=author)
    story.submit(by=author)
    version = story.version
    with pytest.raises(workflow.PermissionRefused):
        editing.restore(revision, by=author)
    story.refresh_from_db()
    assert story.version == version


def test_the_diff_shows_changed_words_and_relations(story):
    before = revisions.snapshot(story)
    story.headline = "Second headline"
    story.save()
    story.tags.set(["defence"])
    changes = {c.label: c for c in revisions.diff(before, revisions.snapshot(story))}
    assert ("delete", "First") in changes["Headline"].segments
    assert ("insert", "Second") in changes["Headline"].segments
    assert changes["Tags"].added == ["defence"]
    assert "Body text" not in changes


def test_the_revision_page_shows_the_diff_against_the_current_version(author_client, story):
    save(author_client, story, headline="Second headline")
    save(author_client, story, headline="Third headline")
    html = author_client.get(
        reverse("admin:articles_article_revision", args=[story.pk, 2])
    ).content.decode()
    assert "<del>Second</del>" in html and "<ins>Third</ins>" in html
    assert "Restore version 2" in html


def test_the_history_page_lists_events_and_revisions(author, author_client, story):
    save(author_client, story, headline="Second headline")
    story.submit(by=author)
    html = author_client.get(
        reverse("admin:articles_article_revisions", args=[story.pk])
    ).content.decode()
    assert "Submitted for review" in html
    assert "Version 2" in html


@pytest.mark.parametrize(
    "name, args",
    [
        ("admin:articles_article_revisions", []),
        ("admin:articles_article_revision", [1]),
        ("admin:articles_article_revision_preview", [1]),
        ("admin:articles_article_preview", []),
    ],
)
def test_secondary_views_answer_404_to_a_journalist_who_may_not_open_the_story(story, name, args):
    revisions.record_revision(story, by=None)
    client = Client()
    client.force_login(make_journalist())
    assert client.get(reverse(name, args=[story.pk, *args])).status_code == 404


def test_restore_answers_404_to_a_journalist_who_may_not_open_the_story(story):
    revision = revisions.record_revision(story, by=None)
    story.headline = "Changed since"
    story.save()
    client = Client()
    client.force_login(make_journalist())
    url = reverse("admin:articles_article_restore", args=[story.pk, revision.version])
    assert client.post(url).status_code == 404
    story.refresh_from_db()
    assert story.headline == "Changed since"


def test_a_revision_preview_renders_the_old_text_with_the_public_template(author_client, story):
    save(author_client, story, headline="Second headline")
    save(author_client, story, headline="Third headline")
    response = author_client.get(
        reverse("admin:articles_article_revision_preview", args=[story.pk, 2])
    )
    html = response.content.decode()
    assert "Second headline" in html and "Third headline" not in html
    assert "Preview of version 2" in html
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert response["X-Robots-Tag"].startswith("noindex")
