"""RSS and Atom feeds carry public stories only, with stable ids."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import Article, Status
from tests.factories import country, make_article, make_editor, make_organisation, make_person

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
        make_article(
            "Zanzibarword withdrawn",
            status=Status.WITHDRAWN,
            published_at=timezone.now() - timedelta(days=1),
            people=[esper],
        ),
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


# --- Issue 7, part 2: what feed readers get -------------------------------------------

import feedparser  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.factories import make_image  # noqa: E402

SITE = "https://news.example"
KINDS = ["rss", "atom"]


@pytest.fixture
def site_url(settings):
    settings.NEWSROOM_SITE_URL = SITE
    return SITE


@pytest.fixture
def illustrated(stories, site_url):
    """The public story with two authors and a lead image."""
    story = stories[0]
    story.lead_image = make_image(alt_text="Ministers at the table")
    story.save()
    make_byline(story, make_person("Lina Haddad"))
    return story


def make_byline(story, person):
    from articles.models import Byline

    return Byline.objects.create(article=story, person=person, order=9)


def parsed(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return feedparser.parse(response.content)


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.parametrize("kind", KINDS)
def test_a_feed_client_parses_every_feed_cleanly_with_title_link_id_and_date(
    client, illustrated, url, kind
):
    feed = parsed(client, url.format(kind=kind))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.entries
    for entry in feed.entries:
        assert entry.title and entry.link and entry.id
        assert entry.get("published_parsed") or entry.get("updated_parsed")


@pytest.mark.parametrize("kind", KINDS)
def test_every_url_in_a_feed_is_absolute_on_the_public_site(client, illustrated, kind):
    feed = parsed(client, f"/feeds/{kind}/")
    entry = feed.entries[0]
    assert feed.feed.link == f"{SITE}/"
    assert entry.link == SITE + illustrated.get_absolute_url()
    assert entry.enclosures[0].href.startswith(f"{SITE}/media/")


@pytest.mark.parametrize("kind", KINDS)
def test_a_feed_names_every_author(client, illustrated, kind):
    entry = parsed(client, f"/feeds/{kind}/").entries[0]
    assert [author.name for author in entry.authors] == ["Samir Tazi", "Lina Haddad"]


def test_rss_names_each_author_in_its_own_dc_creator(client, illustrated):
    root = ET.fromstring(client.get("/feeds/rss/").content)
    creators = root.findall("./channel/item/{http://purl.org/dc/elements/1.1/}creator")
    assert [creator.text for creator in creators] == ["Samir Tazi", "Lina Haddad"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_feed_files_each_story_under_its_section_and_tags(client, illustrated, kind):
    entry = parsed(client, f"/feeds/{kind}/").entries[0]
    assert [tag.term for tag in entry.tags] == ["News", "defence cooperation"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_feed_lists_a_storys_tags_in_alphabetical_order_whatever_order_they_were_added(
    client, illustrated, kind
):
    illustrated.tags.add("Rabat", "army", "Maghreb")
    entry = parsed(client, f"/feeds/{kind}/").entries[0]
    assert [tag.term for tag in entry.tags] == [
        "News",
        "army",
        "defence cooperation",
        "Maghreb",
        "Rabat",
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_the_lead_image_is_an_enclosure_and_media_content_with_length_and_type(
    client, illustrated, kind
):
    entry = parsed(client, f"/feeds/{kind}/").entries[0]
    enclosure = entry.enclosures[0]
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) > 0
    media = entry.media_content[0]
    assert media["url"] == enclosure.href
    assert media["type"] == "image/jpeg"
    assert media["filesize"] == enclosure.length
    assert (media["width"], media["height"]) == ("1200", "630")


def test_a_story_without_a_lead_image_has_no_enclosure(client, stories):
    entry = parsed(client, "/feeds/rss/").entries[0]
    assert not entry.enclosures and "media_content" not in entry


@pytest.mark.parametrize("kind", KINDS)
def test_a_headline_with_markup_characters_reaches_readers_as_written(client, db, kind):
    headline = 'Q&A: "Tom" <b>not bold</b> & co'
    make_article(headline)
    content = client.get(f"/feeds/{kind}/").content
    assert b"<b>not bold" not in content
    root = ET.fromstring(content)
    titles = root.findall("./channel/item/title") or root.findall(f"{ATOM}entry/{ATOM}title")
    assert [title.text for title in titles] == [headline]


@pytest.mark.parametrize("kind", KINDS)
def test_feeds_carry_the_summary_by_default(client, stories, kind):
    content = client.get(f"/feeds/{kind}/").content.decode()
    assert "What happened, in one sentence." in content
    assert "The second paragraph." not in content


@pytest.mark.parametrize("kind", KINDS)
def test_feeds_carry_the_rendered_body_when_full_text_is_on(client, db, settings, site_url, kind):
    settings.NEWSROOM_FEED_FULL_TEXT = True
    esper = make_person("Mark Esper")
    make_article(
        "Roadmap",
        body='<p>Mark Esper signed. <a href="/tag/roadmap/">More</a></p>',
        people=[esper],
    )
    entry = parsed(client, f"/feeds/{kind}/").entries[0]
    body = entry.content[0].value
    assert f'href="{SITE}/tag/roadmap/"' in body
    assert f'href="{SITE}{esper.get_absolute_url()}"' in body  # first mention linked
    assert entry.summary == "What happened, in one sentence."


@pytest.mark.parametrize("kind", KINDS)
def test_the_story_id_is_the_same_in_rss_and_atom_and_survives_edits(client, stories, kind):
    story = stories[0]
    before = parsed(client, f"/feeds/{kind}/").entries[0].id
    story.headline, story.slug = "Roadmap signed", "roadmap-signed"
    story.save()
    assert parsed(client, f"/feeds/{kind}/").entries[0].id == before
    assert before == parsed(client, "/feeds/rss/").entries[0].id


# --- Conditional GET ---------------------------------------------------------------------


@pytest.mark.parametrize("url", FEEDS)
def test_a_reader_with_the_current_etag_gets_304_in_two_queries_or_fewer(client, stories, url):
    url = url.format(kind="rss")
    etag = client.get(url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert len(queries) <= 2


def test_a_reader_with_the_last_modified_date_gets_304(client, stories):
    last_modified = client.get("/feeds/atom/")["Last-Modified"]
    response = client.get("/feeds/atom/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304


def test_last_modified_is_the_latest_change_of_any_story(client, stories):
    from django.utils.http import http_date

    latest = max(story.updated_at for story in Article.objects.all())
    assert client.get("/feeds/rss/")["Last-Modified"] == http_date(latest.timestamp())


def test_the_etag_changes_when_a_story_is_edited(client, stories):
    before = client.get("/feeds/rss/")["ETag"]
    stories[0].standfirst = "Changed."
    stories[0].save()
    assert client.get("/feeds/rss/")["ETag"] != before


def test_the_etag_changes_when_an_older_story_is_withdrawn(client, stories):
    older = make_article("Older story", published_at=timezone.now() - timedelta(days=3))
    before = client.get("/feeds/rss/")["ETag"]
    workflow.withdraw(older, by=make_editor(), reason="Legal advice.")
    # Withdrawing an older story leaves the newest change where it was.
    response = client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200
    assert b"Older story" not in response.content


def test_rss_and_atom_have_different_etags(client, stories):
    assert client.get("/feeds/rss/")["ETag"] != client.get("/feeds/atom/")["ETag"]


def test_feeds_may_be_cached_publicly_for_a_few_minutes(client, stories):
    directives = [d.strip() for d in client.get("/feeds/rss/")["Cache-Control"].split(",")]
    assert directives[:2] == ["public", "max-age=300"]


def test_a_conditional_get_for_an_unknown_topic_is_still_404(client, db):
    response = client.get("/people/nobody/atom/", HTTP_IF_NONE_MATCH='"x"')
    assert response.status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_a_feed_costs_the_same_queries_for_two_stories_as_for_twelve(client, db, kind):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/people/mark-esper/{kind}/").status_code == 200
        return len(queries)

    esper = make_person("Mark Esper")
    for n in range(2):
        make_article(f"Story {n}", people=[esper], tags=[f"tag {n}"], authors=[make_person()])
    few = count()
    for n in range(10):
        make_article(f"More {n}", people=[esper], tags=[f"more {n}"], authors=[make_person()])
    assert count() == few


def test_full_text_feeds_cost_no_query_per_story(client, db, settings):
    settings.NEWSROOM_FEED_FULL_TEXT = True

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get("/feeds/rss/")
        return len(queries)

    esper = make_person("Mark Esper")
    make_article("One", people=[esper], countries=[country("MA")])
    count()  # warms the mention linker's caches
    few = count()
    for n in range(5):
        make_article(f"More {n}", people=[esper], countries=[country("MA")])
    count()  # a story's save makes the next scheduled go-live be looked up again
    assert count() == few


# --- Autodiscovery -------------------------------------------------------------------------


TOPIC_PAGES = {
    "/section/news/": "/section/news/",
    "/tag/defence-cooperation/": "/tag/defence-cooperation/",
    "/people/mark-esper/": "/people/mark-esper/",
    "/organisations/royal-moroccan-armed-forces/": "/organisations/royal-moroccan-armed-forces/",
    "/countries/ma/": "/countries/ma/",
}


@pytest.mark.parametrize("page", TOPIC_PAGES)
def test_a_topic_page_announces_its_own_feeds_before_the_sites(client, stories, page):
    html = client.get(page).content.decode()
    rss = html.index('type="application/rss+xml" title="')
    assert f'href="{page}rss/"' in html[rss : rss + 300]
    assert f'href="{page}atom/"' in html
    assert html.index(f'href="{page}rss/"') < html.index('href="/feeds/rss/"')


def test_an_author_page_announces_the_authors_feeds(client, stories, journalist):
    author = stories[0].bylines.get().person
    author.user = journalist
    author.save()
    html = client.get(f"/authors/{author.slug}/").content.decode()
    assert f'href="/authors/{author.slug}/rss/"' in html
    assert f'href="/authors/{author.slug}/atom/"' in html


def test_the_home_page_announces_only_the_site_feeds(client, stories):
    html = client.get("/").content.decode()
    assert html.count('rel="alternate" type="application/rss+xml"') == 1
    assert html.count('rel="alternate" type="application/atom+xml"') == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_full_text_feed_parses_cleanly_too(client, illustrated, settings, kind):
    settings.NEWSROOM_FEED_FULL_TEXT = True
    feed = parsed(client, f"/feeds/{kind}/")
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert "The second paragraph." in feed.entries[0].content[0].value


# --- Plain text stays plain text in a feed reader ------------------------------------

from html.parser import HTMLParser  # noqa: E402

MARKUP_CHARACTERS = 'Profits < costs & more: "<b>bold</b>" claims, &amp; 5 > 3'


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def as_rendered(html):
    """The text a browser or feed reader shows for `html`."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def shown(detail):
    """What a feed reader shows for one of feedparser's text constructs."""
    if detail.type in ("text/html", "application/xhtml+xml"):
        return as_rendered(detail.value)
    return detail.value


def shown_on_the_page(client, story, css_class):
    html = client.get(story.get_absolute_url()).content.decode()
    start = html.index(f'class="{css_class}">') + len(f'class="{css_class}">')
    return as_rendered(html[start : html.index("</", start)])


@pytest.mark.parametrize("kind", KINDS)
def test_a_feed_reader_shows_the_standfirst_as_the_page_does(client, db, kind):
    story = make_article("Quarterly results", standfirst=MARKUP_CHARACTERS)
    entry = parsed(client, f"/feeds/{kind}/").entries[0]
    assert shown_on_the_page(client, story, "story__standfirst") == MARKUP_CHARACTERS
    assert shown(entry.summary_detail) == MARKUP_CHARACTERS


# Titles are plain text (RSS Best Practices Profile; Atom's default type). A
# reader that guesses (feedparser reads an RSS title as HTML when it holds a
# closing tag or an entity) still reads a headline as written unless it holds one.
PLAIN_HEADLINE = 'Q&A: Profits < costs & more, "Morocco\'s" <b>bold bet'


@pytest.mark.parametrize("kind", KINDS)
def test_a_feed_reader_shows_the_headline_as_the_page_does(client, db, kind):
    story = make_article(PLAIN_HEADLINE)
    entry = parsed(client, f"/feeds/{kind}/").entries[0]
    assert shown_on_the_page(client, story, "story__headline") == PLAIN_HEADLINE
    assert shown(entry.title_detail) == PLAIN_HEADLINE


@pytest.mark.parametrize("kind", KINDS)
def test_a_feed_reader_shows_the_publication_and_topic_names_as_written(client, db, settings, kind):
    settings.NEWSROOM_PUBLICATION_NAME = "Smith & Sons <Daily>"
    make_article("Quarterly results", tags=["R&D <lab>"])
    assert shown(parsed(client, f"/feeds/{kind}/").feed.title_detail) == "Smith & Sons <Daily>"
    tag_feed = parsed(client, f"/tag/rd-lab/{kind}/").feed
    assert shown(tag_feed.title_detail) == "R&D <lab> | Smith & Sons <Daily>"
