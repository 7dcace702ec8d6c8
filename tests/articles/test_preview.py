"""Previews for the newsroom, and share links for people without an account."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import previews
from articles.models import ArticleEvent, PreviewLink
from tests.articles.workflow_stories import story_in
from tests.factories import make_author, make_editor, make_journalist

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def share(client, story, action="create"):
    return client.post(reverse("admin:articles_article_share", args=[story.pk]), {"action": action})


def test_an_author_previews_their_draft_with_the_public_template_marked_as_preview():
    author = make_journalist()
    story = story_in("draft", headline="Draft headline", authors=[make_author(author)])
    response = logged_in(author).get(reverse("admin:articles_article_preview", args=[story.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Draft headline" in html
    assert "this story is not public" in html
    assert 'class="story__headline"' in html  # the public story template
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert response["X-Robots-Tag"].startswith("noindex")


def test_a_share_link_shows_the_draft_to_someone_without_an_account():
    editor = make_editor()
    story = story_in("in-review", headline="Embargoed scoop")
    share(logged_in(editor), story)
    link = PreviewLink.objects.get(article=story)
    response = Client().get(previews.share_url(link).removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    assert "Embargoed scoop" in response.content.decode()
    assert "Shared preview" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"].startswith("noindex")
    assert story.events.get().action == ArticleEvent.Action.SHARE


def path_of(link):
    return reverse("articles:shared-preview", args=[previews.token_for(link)])


def test_a_share_link_stops_working_after_48_hours():
    story = story_in("draft")
    link = PreviewLink.objects.create(article=story)
    assert Client().get(path_of(link)).status_code == 200
    link.created_at = timezone.now() - timedelta(hours=48, seconds=1)
    link.save()
    assert Client().get(path_of(link)).status_code == 404


def test_the_share_link_lifetime_is_a_setting(settings):
    settings.NEWSROOM_SHARE_PREVIEW_HOURS = 2
    story = story_in("draft")
    link = PreviewLink.objects.create(article=story, created_at=timezone.now() - timedelta(hours=3))
    assert Client().get(path_of(link)).status_code == 404


def test_regenerating_a_share_link_kills_the_old_one():
    editor = logged_in(make_editor())
    story = story_in("draft")
    share(editor, story)
    old = path_of(PreviewLink.objects.get(article=story))
    share(editor, story)
    new = path_of(PreviewLink.objects.get(article=story))
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_revoking_a_share_link_kills_it():
    editor = logged_in(make_editor())
    story = story_in("draft")
    share(editor, story)
    old = path_of(PreviewLink.objects.get(article=story))
    share(editor, story, action="revoke")
    assert Client().get(old).status_code == 404
    assert not PreviewLink.objects.filter(article=story).exists()


def test_a_tampered_share_token_is_404():
    story = story_in("draft")
    link = PreviewLink.objects.create(article=story)
    token = previews.token_for(link)
    forged = reverse("articles:shared-preview", args=[token[:-2] + "xx"])
    assert Client().get(forged).status_code == 404


def test_after_publication_the_share_link_redirects_to_the_public_story():
    story = story_in("in-review")
    link = PreviewLink.objects.create(article=story)
    story.publish(by=make_editor())
    response = Client().get(path_of(link))
    assert response.status_code == 302
    assert response["Location"] == story.get_absolute_url()


def test_the_share_link_is_shown_on_the_story_form():
    editor = logged_in(make_editor())
    story = story_in("draft")
    share(editor, story)
    html = editor.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert path_of(PreviewLink.objects.get(article=story)) in html


def test_a_journalist_cannot_make_a_share_link_for_someone_elses_story():
    story = story_in("draft")
    assert share(logged_in(make_journalist()), story).status_code == 404
    assert not PreviewLink.objects.filter(article=story).exists()
