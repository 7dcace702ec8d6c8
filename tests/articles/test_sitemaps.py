"""Sitemaps and robots.txt list public pages only, and validate against their schemas."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from articles import sitemaps, workflow
from articles.models import Article, Status
from tests.factories import (
    country,
    make_article,
    make_author,
    make_editor,
    make_image,
    make_journalist,
    make_organisation,
    make_person,
    make_section,
)

pytestmark = pytest.mark.django_db

SITE = "https://news.example"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
# The sitemap XML Schemas, kept with the tests (specs/SOURCES.md says where from).
SPECS = Path(__file__).resolve().parents[1] / "specs"


def schema(*files):
    """One schema importing the given spec files (lxml validates against one root).

    Every import is a local file: the tests never reach the network.
    """
    namespaces = {
        "sitemap.xsd": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "siteindex.xsd": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "sitemap-image.xsd": "http://www.google.com/schemas/sitemap-image/1.1",
        "sitemap-news.xsd": "http://www.google.com/schemas/sitemap-news/0.9",
    }
    imports = "".join(
        f'<xsd:import namespace="{namespaces[name]}" schemaLocation="{(SPECS / name).as_uri()}"/>'
        for name in files
    )
    wrapper = f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{imports}</xsd:schema>'
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), parser))


@pytest.fixture(scope="module")
def index_schema():
    return schema("siteindex.xsd")


@pytest.fixture(scope="module")
def urlset_schema():
    return schema("sitemap.xsd", "sitemap-image.xsd", "sitemap-news.xsd")


def assert_valid(xsd, content):
    document = etree.fromstring(content)
    assert xsd.validate(document), xsd.error_log.last_error
    return document


@pytest.fixture
def site_url(settings):
    settings.NEWSROOM_SITE_URL = SITE
    settings.NEWSROOM_PUBLICATION_NAME = "The Rabat Ledger"


@pytest.fixture
def newsroom(site_url):
    """A public story with everything attached, and a draft with its own topics."""
    author = make_author(make_journalist(first_name="Samir", last_name="Tazi"))
    lead, figure = make_image(alt_text="Signing"), make_image(alt_text="Map")
    public = make_article(
        'Roadmap "signed" & sealed',
        section=make_section("Defence"),
        authors=[author],
        people=[make_person("Mark Esper")],
        organisations=[make_organisation("NATO")],
        countries=[country("MA")],
        tags=["roadmap"],
        lead_image=lead,
        body=f'<p>Text.</p><figure><img src="/x.jpg" alt="Map" data-file="{figure.pk}">'
        "<figcaption>The map</figcaption></figure>",
    )
    draft = make_article(
        "Draft story",
        status=Status.DRAFT,
        section=make_section("Secret desk"),
        authors=[make_author(make_journalist(username="ghostwriter"))],
        people=[make_person("Draft Person")],
        organisations=[make_organisation("Draft Org")],
        countries=[country("FR")],
        tags=["drafttag"],
    )
    return {"public": public, "draft": draft, "lead": lead, "figure": figure}


def locations(document, element="url"):
    return [node.findtext(f"{SITEMAP}loc") for node in document.iter(f"{SITEMAP}{element}")]


def children(client, index_schema):
    index = assert_valid(index_schema, client.get("/sitemap.xml").content)
    return [loc.removeprefix(SITE) for loc in locations(index, "sitemap")]


def test_the_schemas_reject_what_google_news_would(urlset_schema):
    # Proves the validation bites: "en-GB" is not a Google News language code.
    bad = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        "<loc>https://news.example/a/</loc><news:news><news:publication>"
        "<news:name>X</news:name><news:language>en-GB</news:language></news:publication>"
        "<news:publication_date>2026-01-01</news:publication_date>"
        "<news:title>T</news:title></news:news></url></urlset>"
    )
    assert not urlset_schema.validate(etree.fromstring(bad.encode()))
    assert urlset_schema.validate(etree.fromstring(bad.replace("en-GB", "en").encode()))


# --- The index -------------------------------------------------------------------------


def test_the_index_validates_and_lists_every_child_sitemap_absolutely(
    client, newsroom, index_schema
):
    response = client.get("/sitemap.xml")
    assert response["Content-Type"] == "application/xml"
    index = assert_valid(index_schema, response.content)
    assert locations(index, "sitemap") == [
        f"{SITE}/sitemap-{name}.xml" for name in sitemaps.SITEMAPS
    ] + [f"{SITE}/sitemap-news.xml"]
    assert all(node.findtext(f"{SITEMAP}lastmod") for node in index.iter(f"{SITEMAP}sitemap"))


def test_every_child_sitemap_validates_against_the_sitemap_image_and_news_schemas(
    client, newsroom, index_schema, urlset_schema
):
    for path in children(client, index_schema):
        response = client.get(path)
        assert response.status_code == 200, path
        document = assert_valid(urlset_schema, response.content)
        assert all(loc.startswith(f"{SITE}/") for loc in locations(document)), path


def test_an_empty_site_has_a_valid_index_without_empty_children(client, site_url, index_schema):
    assert children(client, index_schema) == ["/sitemap-home.xml"]


def test_the_index_leaves_out_a_child_with_nothing_public(client, newsroom, index_schema):
    newsroom["public"].tags.clear()
    assert "/sitemap-tags.xml" not in children(client, index_schema)


def test_the_index_lists_every_page_of_a_long_sitemap(
    client, newsroom, monkeypatch, index_schema, urlset_schema
):
    monkeypatch.setattr(sitemaps.StorySitemap, "limit", 2)
    make_article("Second"), make_article("Third")
    listed = children(client, index_schema)
    assert "/sitemap-stories.xml" in listed and "/sitemap-stories.xml?p=2" in listed
    assert "/sitemap-stories.xml?p=3" not in listed
    second = assert_valid(urlset_schema, client.get("/sitemap-stories.xml?p=2").content)
    assert len(locations(second)) == 1
    assert client.get("/sitemap-stories.xml?p=3").status_code == 404


def stories_counted(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return sum(
        'COUNT(*) AS "__count" FROM "articles_article"' in query["sql"]
        for query in queries.captured_queries
    )


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-stories.xml"])
def test_the_stories_are_counted_once_for_each_change_not_on_each_visit(client, newsroom, path):
    assert stories_counted(client, path) == 1
    assert stories_counted(client, path) == 0


def test_the_index_revisited_without_a_change_asks_one_purge_check_for_all_its_children(
    client, newsroom
):
    client.get("/sitemap.xml")
    with CaptureQueriesContext(connection) as queries:
        client.get("/sitemap.xml")
    checks = [query for query in queries.captured_queries if "pagecache_purgedkey" in query["sql"]]
    assert len(checks) == 1
    assert len(queries) <= 3  # the latest change, the check, the news sitemap's two days


def test_a_story_published_through_the_workflow_adds_its_sitemap_page_at_once(
    client, newsroom, monkeypatch, index_schema
):
    monkeypatch.setattr(sitemaps.StorySitemap, "limit", 1)
    assert "/sitemap-stories.xml?p=2" not in children(client, index_schema)
    workflow.publish(make_article("Second", status=Status.DRAFT), by=make_editor())
    assert "/sitemap-stories.xml?p=2" in children(client, index_schema)


def test_a_topics_first_public_story_lists_it_in_the_index_at_once(client, newsroom, index_schema):
    newsroom["public"].tags.clear()
    assert "/sitemap-tags.xml" not in children(client, index_schema)
    newsroom["public"].tags.add("Roadmap")
    assert "/sitemap-tags.xml" in children(client, index_schema)


def test_topic_sitemaps_hold_the_protocols_fifty_thousand_urls_per_file():
    assert sitemaps.SITEMAPS["tags"].limit == 50_000


def test_stories_come_a_thousand_to_a_sitemap_page_so_each_page_stays_cheap():
    assert sitemaps.StorySitemap.limit == 1000


def test_an_unknown_child_sitemap_is_404(client, db):
    assert client.get("/sitemap-drafts.xml").status_code == 404


# --- Children --------------------------------------------------------------------------


def test_the_story_sitemap_lists_public_stories_with_lastmod_and_their_pictures(
    client, newsroom, urlset_schema
):
    document = assert_valid(urlset_schema, client.get("/sitemap-stories.xml").content)
    [url] = document.iter(f"{SITEMAP}url")
    story = newsroom["public"]
    assert url.findtext(f"{SITEMAP}loc") == SITE + story.get_absolute_url()
    lastmod = datetime.fromisoformat(url.findtext(f"{SITEMAP}lastmod"))
    # No correction, update or "Mark as updated": the publication, not the last save.
    assert abs(lastmod - story.published_at) < timedelta(seconds=1)
    pictures = [node.text for node in url.iter(f"{IMAGE}loc")]
    lead = sitemaps.largest_rendition(newsroom["lead"])
    figure = sitemaps.largest_rendition(newsroom["figure"])
    assert pictures == [SITE + lead.url, SITE + figure.url]


@pytest.mark.parametrize(
    "name, public, hidden",
    [
        ("sections", "/section/defence/", "/section/secret-desk/"),
        ("tags", "/tag/roadmap/", "/tag/drafttag/"),
        ("people", "/people/mark-esper/", "/people/draft-person/"),
        ("organisations", "/organisations/nato/", "/organisations/draft-org/"),
        ("countries", "/countries/ma/", "/countries/fr/"),
        ("authors", "/authors/samir-tazi/", "/authors/ghostwriter/"),
    ],
)
def test_a_topic_sitemap_lists_only_topics_with_a_public_story(
    client, newsroom, urlset_schema, name, public, hidden
):
    document = assert_valid(urlset_schema, client.get(f"/sitemap-{name}.xml").content)
    assert locations(document) == [SITE + public]
    assert hidden not in client.get(f"/sitemap-{name}.xml").content.decode()
    assert document.find(f"{SITEMAP}url/{SITEMAP}lastmod") is not None


def test_a_topic_drops_out_when_its_only_public_story_is_withdrawn(client, newsroom):
    story = newsroom["public"]
    story.status = Status.WITHDRAWN
    story.save(update_fields=["status"])
    assert b"/tag/roadmap/" not in client.get("/sitemap-tags.xml").content


# --- Google News ------------------------------------------------------------------------


def test_the_news_sitemap_names_the_publication_language_date_and_title(
    client, newsroom, urlset_schema
):
    document = assert_valid(urlset_schema, client.get("/sitemap-news.xml").content)
    [url] = document.iter(f"{SITEMAP}url")
    story = newsroom["public"]
    assert url.findtext(f"{SITEMAP}loc") == SITE + story.get_absolute_url()
    news = url.find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "The Rabat Ledger"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == 'Roadmap "signed" & sealed'
    published = news.findtext(f"{NEWS}publication_date")
    assert datetime.fromisoformat(published) == story.published_at.replace(microsecond=0)
    assert published.endswith("+00:00")


def test_the_news_sitemap_holds_only_the_last_48_hours(client, site_url):
    make_article("Fresh", published_at=timezone.now() - timedelta(hours=47))
    make_article("Stale", published_at=timezone.now() - timedelta(hours=49))
    content = client.get("/sitemap-news.xml").content
    assert b"fresh" in content and b"stale" not in content


def test_the_news_sitemap_holds_at_most_its_limit(client, site_url, monkeypatch):
    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 3)
    monkeypatch.setattr(sitemaps.NewsSitemap, "limit", 3)
    for n in range(5):
        make_article(f"Story {n}")
    document = etree.fromstring(client.get("/sitemap-news.xml").content)
    assert len(locations(document)) == 3
    assert sitemaps.NEWS_LIMIT == 3 and sitemaps.NewsSitemap.limit == 3


def test_a_quiet_two_days_give_a_valid_news_sitemap_with_no_news_left_out_of_the_index(
    client, site_url, index_schema, urlset_schema
):
    make_article("Old news", published_at=timezone.now() - timedelta(days=3))
    response = client.get("/sitemap-news.xml")
    assert response.status_code == 200
    # The schema wants one <url> at least: the front page, with no news entry.
    document = assert_valid(urlset_schema, response.content)
    assert locations(document) == [f"{SITE}/"]
    assert list(document.iter(f"{NEWS}news")) == []
    assert "/sitemap-news.xml" not in children(client, index_schema)


def test_google_news_allows_a_thousand_stories_per_sitemap():
    assert sitemaps.NEWS_LIMIT == 1000


@pytest.mark.parametrize(
    "code, expected", [("en", "en"), ("en-GB", "en"), ("fr_FR", "fr"), ("zh-TW", "zh-tw")]
)
def test_the_news_language_is_the_code_google_news_reads(code, expected):
    assert sitemaps.news_language(code) == expected


# --- robots.txt, headers and cost ---------------------------------------------------------


def test_robots_txt_points_at_the_index_and_keeps_crawlers_out_of_the_newsroom(client, site_url):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines


@pytest.mark.parametrize(
    "path, max_age",
    [("/sitemap.xml", 3600), ("/sitemap-stories.xml", 3600), ("/sitemap-news.xml", 300)],
)
def test_sitemaps_may_be_cached_and_are_kept_out_of_search_results(client, newsroom, path, max_age):
    response = client.get(path)
    directives = [d.strip() for d in response["Cache-Control"].split(",")]
    assert directives[:2] == ["public", f"max-age={max_age}"]
    assert "noindex" in response["X-Robots-Tag"]


def test_a_crawler_with_the_current_etag_gets_304(client, newsroom):
    etag = client.get("/sitemap-stories.xml")["ETag"]
    assert client.get("/sitemap-stories.xml", HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize("path", ["/sitemap.xml", "/sitemap-stories.xml"])
def test_a_revisit_with_the_etag_is_answered_from_one_query(client, newsroom, path):
    etag = client.get(path)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert len(queries) == 1


def test_a_crawler_asking_if_modified_since_its_last_visit_gets_304(client, newsroom):
    last_modified = client.get("/sitemap-stories.xml")["Last-Modified"]
    response = client.get("/sitemap-stories.xml", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304


def test_a_withdrawn_story_gives_the_story_sitemap_a_new_etag(client, newsroom):
    etag = client.get("/sitemap-stories.xml")["ETag"]
    story = newsroom["public"]
    story.updated_at = timezone.now() + timedelta(seconds=1)
    Article.objects.filter(pk=story.pk).update(status=Status.WITHDRAWN, updated_at=story.updated_at)
    response = client.get("/sitemap-stories.xml", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Roadmap" not in response.content.decode()


def test_a_scheduled_story_going_live_gives_the_story_sitemap_a_new_etag(
    client, newsroom, monkeypatch
):
    due = timezone.now() + timedelta(minutes=5)
    make_article("Scheduled story", published_at=due)
    etag = client.get("/sitemap-stories.xml")["ETag"]
    monkeypatch.setattr(timezone, "now", lambda: due + timedelta(seconds=1))
    response = client.get("/sitemap-stories.xml", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "scheduled-story" in response.content.decode()


def test_child_sitemaps_send_last_modified(client, newsroom):
    assert client.get("/sitemap-stories.xml")["Last-Modified"]


def queries_for(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def add_stories(count):
    esper, nato = make_person(), make_organisation()
    for n in range(count):
        picture = make_image(alt_text="A picture")
        make_article(
            authors=[make_author(make_journalist())],
            people=[esper, make_person()],
            organisations=[nato],
            countries=[country("MA")],
            tags=[f"tag {n}"],
            lead_image=picture,
            body=f'<figure><img src="/x.jpg" alt="" data-file="{picture.pk}"></figure>',
        )


@pytest.mark.parametrize(
    "path",
    ["/sitemap.xml", "/sitemap-news.xml"] + [f"/sitemap-{name}.xml" for name in sitemaps.SITEMAPS],
)
def test_a_sitemap_costs_the_same_queries_for_two_stories_as_for_eight(client, site_url, path):
    # Counts remembered from before, which each batch of stories makes out of date.
    client.get(path)
    add_stories(2)
    few = queries_for(client, path)
    add_stories(6)
    assert queries_for(client, path) == few


def test_a_tag_only_on_a_library_image_is_not_a_topic_page(client, newsroom):
    # Tags are shared with the image library; only story tags have pages. The
    # image's id is the public story's, so only the content type tells them apart.
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import Tag, TaggedItem

    from articles.images.models import Image

    TaggedItem.objects.create(
        tag=Tag.objects.create(name="picture-desk-only", slug="picture-desk-only"),
        content_type=ContentType.objects.get_for_model(Image),
        object_id=newsroom["public"].pk,
    )
    assert b"picture-desk-only" not in client.get("/sitemap-tags.xml").content


def test_last_changed_is_the_newest_edit_or_publication_and_the_count(db):
    from articles.models import Article

    assert Article.objects.published().last_changed() == (None, 0)
    old = make_article("Old", published_at=timezone.now() - timedelta(days=2))
    scheduled_edit = timezone.now() + timedelta(hours=1)
    future = make_article("Future", published_at=scheduled_edit)
    latest, count = Article.objects.filter(pk__in=[old.pk, future.pk]).last_changed()
    assert (latest, count) == (scheduled_edit, 2)
    latest, count = Article.objects.published().last_changed()
    assert count == 1 and latest == Article.objects.get(pk=old.pk).updated_at
