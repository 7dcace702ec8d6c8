"""RSS and Atom feeds carry public stories only, with stable ids."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Status
from tests.factories import country, make_article, make_organisation, make_person

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def esper():
    return make_person("Mark Esper")


@pytest.fixture
def stories(esper):
    public = make_article(
        "Roadmap signed in Rabat",
        people=[esper],
        organisations=[make_organisation("Royal Moroccan Armed Forces")],
        countries=[country("MA")],
        tags=["defence cooperation"],
        authors=[make_person("Samir Tazi")],
    )
    hidden = [
        make_article("Zanzibarword draft", status=Status.DRAFT, people=[esper]),
        make_article("Zanzibarword review", status=Status.IN_REVIEW, people=[esper]),
        make_article(
            "Zanzibarword scheduled",
            published_at=timezone.now() + timedelta(days=1),
            people=[esper],
        ),
        make_article("Zanzibarword withdrawn", status=Status.WITHDRAWN, published_at=timezone.now() - timedelta(days=1), people=[esper]),
    ]
    return public, hidden


FEEDS = [
    "/feeds/{kind}/",
    "/section/news/{kind}/",
    "/tag/defence-cooperation/{kind}/",
    "/people/mark-esper/{kind}/",
    "/organisations/royal-moroccan-armed-forces/{kind}/",
    "/countries/ma/{kind}/",
]


@pytest.mark.parametrize("url", FEEDS)
def test_rss_feed_lists_the_public_story_with_title_link_guid_and_date(client, stories, url):
    response = client.get(url.format(kind="rss"))
    assert response.status_code == 200
    items = ET.fromstring(response.content).findall("./channel/item")
    assert [item.findtext("title") for item in items] == ["Roadmap signed in Rabat"]
    item = items[0]
    assert item.findtext("link").endswith(stories[0].get_absolute_url())
    assert item.findtext("guid").startswith("tag:")
    assert item.findtext("pubDate")


@pytest.mark.parametrize("url", FEEDS)
def test_atom_feed_lists_the_public_story_with_id_and_dates(client, stories, url):
    response = client.get(url.format(kind="atom"))
    assert response.status_code == 200
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Roadmap signed in Rabat"]
    assert entries[0].findtext(f"{ATOM}id").startswith("tag:")
    assert entries[0].findtext(f"{ATOM}updated")


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_no_feed_leaks_a_story_that_is_not_public(client, stories, url, kind):
    assert b"Zanzibarword" not in client.get(url.format(kind=kind)).content


def test_the_author_feed_lists_their_stories(client, stories, journalist):
    author = stories[0].bylines.get().person
    author.user = journalist
    author.save()
    response = client.get(f"/authors/{author.slug}/rss/")
    assert b"Roadmap signed in Rabat" in response.content


def test_the_story_id_survives_a_headline_and_slug_change(client, stories):
    story = stories[0]
    before = ET.fromstring(client.get("/feeds/rss/").content).findtext("./channel/item/guid")
    story.headline, story.slug = "Roadmap signed", "roadmap-signed"
    story.save()
    after = ET.fromstring(client.get("/feeds/rss/").content).findtext("./channel/item/guid")
    assert before == after


def test_a_feed_for_an_unknown_topic_is_404(client, db):
    assert client.get("/people/nobody/rss/").status_code == 404


def test_feeds_hold_at_most_fifty_stories(client, db):
    for n in range(55):
        make_article(f"Story number {n}")
    items = ET.fromstring(client.get("/feeds/rss/").content).findall("./channel/item")
    assert len(items) == 50


def test_every_page_announces_the_site_feeds(client, stories):
    html = client.get("/").content.decode()
    assert 'type="application/rss+xml"' in html
    assert 'href="/feeds/atom/"' in html
