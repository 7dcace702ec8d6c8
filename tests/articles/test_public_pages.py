import pytest
from django.urls import reverse

from tests.factories import country, make_article, make_organisation, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap_story():
    return make_article(
        "Morocco and US sign defence roadmap",
        standfirst="A ten-year plan for military cooperation.",
        body="<p>The two countries signed the plan in Rabat.</p>",
        authors=[make_person("Amina Rahal")],
        people=[make_person("Mark Esper")],
        organisations=[make_organisation("Royal Moroccan Armed Forces")],
        countries=[country("MA")],
    )


def test_home_page_lists_published_stories(client, roadmap_story):
    response = client.get(reverse("articles:home"))
    assert roadmap_story.headline in response.content.decode()


def test_home_page_leaves_out_drafts(client, roadmap_story, draft_story):
    assert draft_story.headline not in client.get("/").content.decode()


def test_article_page_shows_the_story_and_links_what_it_is_about(client, roadmap_story):
    html = client.get(roadmap_story.get_absolute_url()).content.decode()
    for text in [
        roadmap_story.headline,
        roadmap_story.standfirst,
        "Amina Rahal",
        "The two countries signed the plan in Rabat.",
        '<time datetime="',
        'href="/people/mark-esper/"',
        'href="/organisations/royal-moroccan-armed-forces/"',
        'href="/countries/ma/"',
    ]:
        assert text in html


def test_a_draft_answers_404_like_a_story_that_never_existed(client, draft_story):
    assert client.get(draft_story.get_absolute_url()).status_code == 404


def test_a_story_under_the_wrong_date_is_sent_to_its_address(client, roadmap_story):
    response = client.get(f"/1999/01/01/{roadmap_story.slug}/")
    assert response.status_code == 301
    assert response["Location"] == roadmap_story.get_absolute_url()


@pytest.mark.parametrize("path", ["/", "story"])
def test_anonymous_pages_set_no_cookie_and_do_not_vary_on_cookie(client, roadmap_story, path):
    url = roadmap_story.get_absolute_url() if path == "story" else path
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_headlines_are_escaped(client):
    story = make_article("<script>alert(1)</script> Headline")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
