"""Readers get responsive pictures; published stories never show a picture without alt text."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from articles.images.models import Rendition
from articles.models import Status
from articles.workflow import TransitionNotAllowed
from tests.factories import make_article, make_editor, make_image

pytestmark = pytest.mark.django_db


def figure_for(image, alt="", caption=""):
    caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure><img src="/media/x.jpg" alt="{alt}" data-file="{image.pk}">{caption_html}</figure>'


@pytest.fixture
def photo():
    return make_image(
        "Parliament",
        pixels=(2400, 1600),
        alt_text="MPs in the chamber",
        caption="The vote on Tuesday",
        credit="Jane Doe / Agency",
    )


@pytest.fixture
def story_with_photo(photo):
    return make_article("Vote passes", lead_image=photo)


def test_the_article_page_lead_image_has_srcset_with_three_widths_and_dimensions(
    client, story_with_photo
):
    html = client.get(story_with_photo.get_absolute_url()).content.decode()
    lead = html[html.index('class="story__lead-image"') :]
    img = re.search(r"<img [^>]+>", lead).group(0)
    srcset = re.search(r'srcset="([^"]+)"', img).group(1)
    widths = re.findall(r" (\d+)w", srcset)
    assert len(widths) >= 3
    assert {"320", "640", "960", "1280", "1920"} == set(widths)
    assert 'width="1920"' in img and 'height="1280"' in img
    assert 'alt="MPs in the chamber"' in img
    assert 'loading="lazy"' not in img  # the lead image is above the fold
    assert '<source type="image/webp"' in lead
    assert "The vote on Tuesday" in lead and "Jane Doe / Agency" in lead


def test_the_open_graph_image_is_the_1200_by_630_social_card(client, story_with_photo, photo):
    html = client.get(story_with_photo.get_absolute_url()).content.decode()
    card = Rendition.objects.get(image=photo, spec__startswith="fill-1200x630")
    assert (card.width, card.height) == (1200, 630)
    assert f'<meta property="og:image" content="http://127.0.0.1:8000{card.url}">' in html
    assert '<meta property="og:image:width" content="1200">' in html


def test_story_cards_show_responsive_pictures_lazy_loaded_below_the_lead(client, photo):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    make_article(
        "Older", lead_image=make_image(alt_text="Older"), published_at=now - timedelta(hours=3)
    )
    make_article("Newest", lead_image=photo, published_at=now - timedelta(minutes=5))
    html = client.get(reverse("articles:home")).content.decode()
    lead, *others = re.findall(r'<img [^>]*class="card__image"[^>]*>', html)
    assert "srcset=" in lead and 'width="1920"' in lead and 'loading="lazy"' not in lead
    assert others and all('loading="lazy"' in img and "srcset=" in img for img in others)


def test_the_home_page_query_count_does_not_grow_with_pictures(
    client, django_assert_max_num_queries
):
    make_article(lead_image=make_image(alt_text="One"))
    with django_assert_max_num_queries(20) as counted:
        client.get(reverse("articles:home"))
    baseline = len(counted.captured_queries)
    for _ in range(4):
        make_article(lead_image=make_image(alt_text="More"))
    cache.clear()  # both renders from nothing kept (articles/cards.py)
    with django_assert_max_num_queries(baseline):
        client.get(reverse("articles:home"))


def test_a_body_figure_is_rendered_as_a_responsive_picture_with_caption_and_credit(client, photo):
    story = make_article(
        body="<p>Before.</p>" + figure_for(photo, caption="In the chamber") + "<p>After.</p>"
    )
    html = client.get(story.get_absolute_url()).content.decode()
    figure = html[html.index('<figure class="story__figure">') :]
    figure = figure[: figure.index("</figure>")]
    assert "<picture>" in figure and " 1920w" in figure and 'loading="lazy"' in figure
    assert 'alt="MPs in the chamber"' in figure
    assert "In the chamber" in figure and "Jane Doe / Agency" in figure
    assert "/media/x.jpg" not in html
    assert "<p>Before.</p>" in html and "<p>After.</p>" in html


def test_a_body_figure_keeps_the_alt_text_the_journalist_wrote_there(client, photo):
    story = make_article(body=figure_for(photo, alt="The Speaker calls the vote"))
    html = client.get(story.get_absolute_url()).content.decode()
    assert 'alt="The Speaker calls the vote"' in html


def test_a_body_figure_whose_image_left_the_library_is_left_out(client):
    story = make_article(
        body='<p>Text.</p><figure><img src="/m.jpg" alt="x" data-file="999999"></figure>'
    )
    html = client.get(story.get_absolute_url()).content.decode()
    assert "/m.jpg" not in html and "<p>Text.</p>" in html


def test_a_story_whose_lead_image_lacks_alt_text_has_a_publication_problem():
    image = make_image("Untitled desk", alt_text="")
    story = make_article(status=Status.DRAFT, lead_image=image)
    assert story.publication_problems() == [
        "The lead image “Untitled desk” has no alt text. Describe the picture in the "
        "image library before publishing."
    ]


def test_a_body_figure_without_any_alt_text_is_a_publication_problem():
    image = make_image("Crowd", alt_text="")
    story = make_article(status=Status.DRAFT, body=figure_for(image))
    assert "“Crowd” in the body has no alt text" in story.publication_problems()[0]


def test_a_story_whose_pictures_all_have_alt_text_has_no_publication_problems(photo):
    image = make_image("Crowd", alt_text="")
    story = make_article(lead_image=photo, body=figure_for(image, alt="A crowd outside"))
    assert story.publication_problems() == []


def test_publish_now_refuses_a_story_whose_lead_image_has_no_alt_text(admin_client):
    story = make_article(status=Status.DRAFT, lead_image=make_image("Desk", alt_text=""))
    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [story.pk]},
        follow=True,
    )
    assert "“Desk” has no alt text" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Status.DRAFT and story.published_at is None


def test_an_editor_cannot_publish_a_story_whose_body_picture_lacks_alt_text():
    image = make_image("Crowd", alt_text="")
    story = make_article(status=Status.DRAFT, body=figure_for(image))
    with pytest.raises(TransitionNotAllowed, match="“Crowd” in the body has no alt text"):
        story.publish(by=make_editor())
    story.refresh_from_db()
    assert story.status == Status.DRAFT and story.published_at is None


def test_an_editor_can_publish_once_the_picture_is_described():
    image = make_image("Crowd", alt_text="A crowd outside parliament")
    story = make_article(status=Status.DRAFT, lead_image=image)
    story.publish(by=make_editor())
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED


def test_restoring_a_revision_brings_back_its_lead_image_and_the_diff_names_it(photo):
    from articles import editing, revisions

    editor = make_editor()
    story = make_article(status=Status.DRAFT, lead_image=photo)
    before = revisions.record_revision(story, by=editor)
    story.lead_image = None
    editing.save_story(story, by=editor, fields=["lead_image"], base_version=story.version)
    changes = revisions.diff(before.snapshot, revisions.snapshot(story))
    assert [(c.label, c.removed) for c in changes] == [("Lead image", ["Parliament"])]
    editing.restore(before, by=editor)
    story.refresh_from_db()
    assert story.lead_image == photo


def test_a_portrait_lead_image_is_cropped_to_a_landscape_frame_on_the_story_page(client):
    phone = make_image("Harbour", pixels=(1500, 2000), alt_text="Boats in the harbour")
    story = make_article("Harbour reopens", lead_image=phone)
    html = client.get(story.get_absolute_url()).content.decode()
    lead = html[html.index('class="story__lead-image"') :]
    img = re.search(r"<img [^>]+>", lead).group(0)
    width = int(re.search(r'width="(\d+)"', img).group(1))
    height = int(re.search(r'height="(\d+)"', img).group(1))
    assert width > height
    assert (width, height) == (1280, 853)
    # Every file offered is a crop around the focal point, none the whole portrait.
    offered = set(re.findall(r"(/media/\S+) \d+w", lead[: lead.index("</figure>")]))
    renditions = {rendition.url: rendition for rendition in Rendition.objects.filter(image=phone)}
    assert offered and offered <= renditions.keys()
    assert all(renditions[url].spec.startswith("fill-") for url in offered)
    assert all(renditions[url].width > renditions[url].height for url in offered)


def test_a_portrait_picture_keeps_its_whole_frame_as_a_body_figure(client):
    phone = make_image("Harbour", pixels=(1500, 2000), alt_text="Boats in the harbour")
    story = make_article("Harbour reopens", body=f"<p>Text.</p>{figure_for(phone, alt='Boats')}")
    html = client.get(story.get_absolute_url()).content.decode()
    figure = html[html.index("<figure", html.index("story__body")) :]
    img = re.search(r"<img [^>]+>", figure).group(0)
    assert 'width="1280"' in img and 'height="1707"' in img


def test_a_landscape_lead_image_is_shown_whole(client, story_with_photo):
    html = client.get(story_with_photo.get_absolute_url()).content.decode()
    lead = html[html.index('class="story__lead-image"') :]
    assert "fill-" not in lead[: lead.index("</figure>")]
