"""Every public page announces itself to social networks and link previews."""

import io

import pytest
from django.core.management import call_command
from lxml import html

from articles.demo import stories as demo_stories
from articles.models import Article

pytestmark = pytest.mark.django_db

OPENGRAPH = ["og:title", "og:description", "og:url", "og:type"]
SITE = "https://news.example"


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False
    settings.NEWSROOM_SITE_URL = SITE
    return Article.objects.get(slug=demo_stories.MAIN_STORY)


def public_pages(story):
    """One page of each public type, from the demo's main story."""
    byline = story.bylines.select_related("person").first().person
    return {
        "home": "/",
        "article": story.get_absolute_url(),
        "section": story.section.get_absolute_url(),
        "tag": f"/tag/{story.tags.first().slug}/",
        "author": byline.get_absolute_url(),
        "person": story.people.first().get_absolute_url(),
        "organisation": story.organisations.first().get_absolute_url(),
        "country": story.countries.first().get_absolute_url(),
        "search": "/search/?q=roadmap",
    }


def opengraph(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    head = html.fromstring(response.content).find("head")
    return {
        meta.get("property") or meta.get("name"): meta.get("content")
        for meta in head.iter("meta")
        if meta.get("property") or meta.get("name")
    }


def test_every_public_page_type_has_the_four_opengraph_tags(client, demo):
    for kind, path in public_pages(demo).items():
        tags = opengraph(client, path)
        missing = [name for name in OPENGRAPH if not tags.get(name)]
        assert not missing, f"{kind} page {path} lacks {missing}"


def test_every_public_page_type_announces_a_locale_and_describes_itself(client, demo):
    for kind, path in public_pages(demo).items():
        tags = opengraph(client, path)
        assert tags.get("og:locale") == "en_GB", f"{kind} page {path}"
        assert tags.get("description"), f"{kind} page {path} has no meta description"


def test_a_topic_page_card_names_the_topic_and_links_its_own_address(client, demo):
    person = demo.people.first()
    tags = opengraph(client, person.get_absolute_url())
    assert tags["og:title"] == person.name
    assert tags["og:url"] == SITE + person.get_absolute_url()
    assert tags["og:type"] == "website"
    assert tags["og:description"] == tags["description"]


def test_the_article_card_is_an_article_with_its_own_headline(client, demo):
    tags = opengraph(client, demo.get_absolute_url())
    assert tags["og:type"] == "article"
    assert tags["og:title"] == demo.title_for_search_engines
    assert tags["og:url"] == SITE + demo.get_absolute_url()


def test_a_tag_page_describes_itself_in_a_sentence(client, demo):
    tag = demo.tags.first()
    tags = opengraph(client, f"/tag/{tag.slug}/")
    assert tags["description"].startswith(f"Stories about {tag.name} from ")


def test_a_person_page_card_shows_their_photo(client, demo):
    person = demo.people.first()
    tags = opengraph(client, person.get_absolute_url())
    assert tags["og:image"].startswith(SITE + "/media/")
    assert tags["og:image:alt"] == person.name


def test_an_organisation_page_card_shows_its_logo(client, demo):
    organisation = demo.organisations.first()
    tags = opengraph(client, organisation.get_absolute_url())
    assert tags["og:image"].startswith(SITE + "/media/")
