"""Story cards are rendered once per version of their story, and afresh the
moment anything they show changes (articles/cards.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from articles.models import Article, Byline
from people.models import Person
from tests.factories import make_article, make_image, make_person, make_section, signed_in
from tests.forms import opened_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendered_pages(settings):
    # The cards, not whole pages from the page cache.
    settings.NEWSROOM_PAGE_CACHE = False


def page(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def tables_read(client, url) -> str:
    with CaptureQueriesContext(connection) as queries:
        page(client, url)
    return " ".join(query["sql"] for query in queries.captured_queries)


@pytest.fixture
def news():
    return make_section("News")


@pytest.fixture
def lemaire(news):
    """A reporter with a story on the front page and on the tag page."""
    reporter = make_person("Claire Lemaire")
    make_article("Drills off Agadir", section=news, authors=[reporter], tags=["drills"])
    return reporter


# --- On the demo newsroom, through the admin --------------------------------------


def a_demo_author():
    return Person.objects.filter(bylines__article__in=Article.objects.published()).first()


def test_an_author_renamed_in_the_admin_is_renamed_on_every_card_at_once(client, demo):
    author = a_demo_author()
    section = Byline.objects.filter(person=author).first().article.section.get_absolute_url()
    assert author.name in page(client, "/") and author.name in page(client, section)
    admin = signed_in("admin")
    url = reverse("admin:people_person_change", args=[author.pk])
    data = opened_form(admin, url)
    data["name"] = ["Samira El Idrissi-Tazi"]
    assert admin.post(url, data).status_code == 302
    for url in ("/", section):
        shown = page(client, url)
        assert "Samira El Idrissi-Tazi" in shown
        assert f">{author.name}<" not in shown


def test_a_headline_fixed_in_the_admin_shows_on_the_front_page_at_once(client, demo):
    story = Article.objects.published().order_by("-published_at").first()
    assert escape(story.headline) in page(client, "/")
    editor = signed_in("editor")
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = opened_form(editor, url)
    data["headline"] = ["A headline fixed after publication"]
    assert editor.post(url, data).status_code == 302
    assert "A headline fixed after publication" in page(client, "/")


# --- What a kept card saves, and what makes it stale -------------------------------


def test_a_second_view_reads_no_bylines_or_renditions_and_shows_the_same_page(client, lemaire):
    first = page(client, "/tag/drills/")
    assert "Claire Lemaire" in first
    for url in ("/", "/tag/drills/", "/section/news/"):
        page(client, url)
        read = tables_read(client, url)
        assert '"articles_byline"' not in read and '"articles_rendition"' not in read, url
    assert page(client, "/tag/drills/") == first


def test_a_kept_card_still_names_its_author_among_the_pages_surrogate_keys(client, lemaire):
    page(client, "/tag/drills/")
    assert f"person-{lemaire.pk}" in client.get("/tag/drills/")["xkey"].split()


def test_a_renamed_section_is_renamed_on_the_cards_at_once(client, lemaire, news):
    page(client, "/tag/drills/")
    news.name = "World news"
    news.save()
    assert '<span class="card__section">World news</span>' in page(client, "/tag/drills/")


def test_a_byline_added_shows_on_the_cards_at_once(client, lemaire):
    story = Article.objects.get(headline="Drills off Agadir")
    page(client, "/tag/drills/")
    Byline.objects.create(article=story, person=make_person("Omar Haddad"), order=1)
    assert "Claire Lemaire</a> and <a" in page(client, "/tag/drills/")
    assert "Omar Haddad" in page(client, "/tag/drills/")


def test_a_new_lead_picture_shows_on_the_front_page_card_at_once(client, news):
    story = make_article("Frigate launched", section=news, lead_image=make_image("Old frigate"))
    page(client, "/")
    story.lead_image = make_image("The new frigate", alt_text="The frigate at sea")
    story.save()
    assert 'alt="The frigate at sea"' in page(client, "/")


def test_a_story_kept_as_the_front_page_lead_gets_its_own_card_on_a_list(client, news):
    make_article("Frigate launched", section=news, tags=["navy"], lead_image=make_image())
    assert "<picture" in page(client, "/")
    # The same story's plain card, a variant of its own: no picture in a list.
    assert "<picture" not in page(client, "/tag/navy/")
    assert "<picture" in page(client, "/")
