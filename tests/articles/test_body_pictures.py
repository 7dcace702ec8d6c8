"""Pictures in a story's body come from the image library only: a pasted or typed
`<img>` from elsewhere is refused on save with a message, the body kept as typed."""

import html as html_module

import lxml.html
import pytest
from django.urls import reverse

from articles import workflow
from articles.demo import stories
from articles.models import Article
from tests.articles.workflow_stories import row
from tests.factories import make_article, make_image, signed_in
from tests.forms import opened_form

pytestmark = pytest.mark.django_db

PASTED = '<p>As the agency reported.</p><p><img src="https://cdn.example.net/wire/photo.jpg"></p>'


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def save_body(client, story, body):
    data = opened_form(client, change_url(story))
    data["body"] = [body]
    return client.post(change_url(story), data)


def body_field(response):
    [field] = lxml.html.fromstring(response.content).xpath('//textarea[@name="body"]')
    return field.text_content()


def test_an_external_picture_pasted_into_a_published_story_is_refused_and_kept_as_typed(demo):
    story = Article.objects.get(slug=stories.MAIN_STORY)
    before = row(story)
    typed = story.body + PASTED
    response = save_body(signed_in("editor"), story, typed)
    assert response.status_code == 200  # the form again, not a redirect
    page = html_module.unescape(response.content.decode())
    assert (
        "“https://cdn.example.net/wire/photo.jpg” in the body is not from the image library" in page
    )
    assert "https://cdn.example.net/wire/photo.jpg" in body_field(response)
    assert "As the agency reported." in body_field(response)
    assert row(story) == before


def test_a_journalist_typing_an_external_picture_into_a_draft_is_refused(demo):
    journalist = signed_in("journalist")
    story = Article.objects.get(slug=stories.DRAFT_STORY["slug"])
    before = row(story)
    response = save_body(
        journalist, story, '<p>Draft.</p><img src="http://example.org/a.png" alt="A">'
    )
    assert response.status_code == 200
    assert "is not from the image library" in html_module.unescape(response.content.decode())
    assert row(story) == before


def test_a_library_figure_saves(demo):
    picture = make_image("Rabat", alt_text="The signing table in Rabat")
    story = Article.objects.get(slug=stories.MAIN_STORY)
    figure = f'<figure><img src="/media/x.jpg" alt="" data-file="{picture.pk}"></figure>'
    response = save_body(signed_in("editor"), story, story.body + figure)
    assert response.status_code == 302
    story.refresh_from_db()
    assert f'data-file="{picture.pk}"' in story.body


def test_a_story_with_an_outside_picture_cannot_be_published(editor):
    # Stored by a path with no form (an import, the shell): the workflow still refuses.
    story = make_article(status="draft", body=PASTED)
    before = row(story)
    with pytest.raises(workflow.TransitionNotAllowed, match="not from the image library"):
        story.publish(by=editor)
    assert row(story) == before
