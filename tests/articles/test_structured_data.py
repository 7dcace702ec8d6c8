"""JSON-LD on the article page, the home page and topic pages (issue 7, part 4)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from articles import previews, structured_data
from articles.checks import check_publisher_logo
from articles.images.renditions import structured_data_specs
from articles.models import Correction, PreviewLink, TypeOfWork
from tests.articles.workflow_stories import story_in
from tests.factories import (
    country,
    make_article,
    make_editor,
    make_image,
    make_organisation,
    make_person,
    make_section,
    make_user,
)
from tests.json_ld import json_ld, one, urls_in

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
ARTICLE_TYPES = tuple(structured_data.ARTICLE_TYPES.values())


@pytest.fixture(autouse=True)
def site(settings):
    settings.NEWSROOM_SITE_URL = SITE
    settings.NEWSROOM_PUBLICATION_NAME = "New Defence Order. Strategy"


@pytest.fixture
def story():
    """A full story: byline, lead image, tags, people, organisations, a country."""
    esper = make_person(
        "Mark Esper",
        description="US Secretary of Defense",
        same_as="https://www.wikidata.org/wiki/Q20707946\nhttps://en.wikipedia.org/wiki/Mark_Esper",
    )
    dod = make_organisation(
        "United States Department of Defense",
        short_name="DoD",
        website="https://www.defense.gov/",
        same_as="https://www.wikidata.org/wiki/Q11209",
    )
    return make_article(
        "US and Morocco sign defence roadmap",
        standfirst="A ten-year plan for military cooperation.",
        section=make_section("Diplomacy"),
        type_of_work=TypeOfWork.ANALYSIS,
        authors=[make_person("Samir Tazi", user=make_user())],
        people=[esper],
        organisations=[dod],
        countries=[country("MA")],
        tags=["defence cooperation", "Morocco"],
        lead_image=make_image(
            pixels=(1600, 1200), caption="The signing.", credit="Jane Doe / Reuters"
        ),
        published_at=timezone.make_aware(timezone.datetime(2020, 10, 2, 15, 30)),
    )


def article_of(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return one(json_ld(response), *ARTICLE_TYPES)


# --- The story --------------------------------------------------------------------


def test_the_article_page_carries_json_ld_that_parses(client, story):
    blocks = json_ld(client.get(story.get_absolute_url()))
    assert [block["@type"] for block in blocks] == ["AnalysisNewsArticle", "BreadcrumbList"]
    assert all(block["@context"] == "https://schema.org" for block in blocks)


def test_the_article_has_every_field_search_engines_read(client, story):
    data = article_of(client, story)
    url = SITE + story.get_absolute_url()
    assert data["headline"] == "US and Morocco sign defence roadmap"
    assert data["description"] == "A ten-year plan for military cooperation."
    assert data["url"] == url
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["datePublished"] == "2020-10-02T15:30:00+01:00"  # Europe/London, summer
    assert data["articleSection"] == "Diplomacy"
    assert sorted(data["keywords"]) == ["Morocco", "defence cooperation"]
    assert data["isAccessibleForFree"] is True
    assert data["inLanguage"] == "en"
    assert data["author"] == [
        {
            "@type": "Person",
            "@id": f"{SITE}/authors/samir-tazi/#person",
            "name": "Samir Tazi",
            "url": f"{SITE}/authors/samir-tazi/",
        }
    ]
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    assert data["publisher"]["name"] == "New Defence Order. Strategy"
    assert data["publisher"]["logo"] == {
        "@type": "ImageObject",
        "url": f"{SITE}/static/img/publisher-logo.png",
        "width": 600,
        "height": 60,
    }
    assert {"image", "dateModified", "about", "mentions"} <= data.keys()


@pytest.mark.parametrize(
    "type_of_work, schema_type",
    [
        (TypeOfWork.NEWS, "ReportageNewsArticle"),
        (TypeOfWork.ANALYSIS, "AnalysisNewsArticle"),
        (TypeOfWork.OPINION, "OpinionNewsArticle"),
        (TypeOfWork.INTERVIEW, "NewsArticle"),
        (TypeOfWork.EXPLAINER, "BackgroundNewsArticle"),
        (TypeOfWork.SPONSORED, "AdvertiserContentArticle"),
    ],
)
def test_the_schema_type_follows_the_type_of_work(client, type_of_work, schema_type):
    story = make_article(type_of_work=type_of_work)
    assert article_of(client, story)["@type"] == schema_type


def test_every_type_of_work_has_a_schema_type():
    assert set(structured_data.ARTICLE_TYPES) == set(TypeOfWork)


def test_mentions_and_about_list_exactly_the_attached_people_organisations_and_countries(
    client, story
):
    make_person("Someone Not In The Story")
    make_organisation("An Organisation Not In The Story")
    data = article_of(client, story)
    for key in ("about", "mentions"):
        assert [(entity["@type"], entity["name"]) for entity in data[key]] == [
            ("Person", "Mark Esper"),
            ("Organization", "United States Department of Defense"),
            ("Country", "Morocco"),
        ]


def test_attached_people_and_organisations_carry_their_same_as_links(client, story):
    person, organisation, place = article_of(client, story)["mentions"]
    assert person == {
        "@type": "Person",
        "@id": f"{SITE}/people/mark-esper/#person",
        "name": "Mark Esper",
        "url": f"{SITE}/people/mark-esper/",
        "description": "US Secretary of Defense",
        "sameAs": [
            "https://www.wikidata.org/wiki/Q20707946",
            "https://en.wikipedia.org/wiki/Mark_Esper",
        ],
    }
    assert organisation["sameAs"] == [
        "https://www.defense.gov/",
        "https://www.wikidata.org/wiki/Q11209",
    ]
    assert organisation["alternateName"] == "DoD"
    assert place == {
        "@type": "Country",
        "@id": f"{SITE}/countries/ma/#country",
        "name": "Morocco",
        "url": f"{SITE}/countries/ma/",
    }


def test_a_story_without_entities_has_no_mentions(client):
    data = article_of(client, make_article())
    assert "mentions" not in data and "about" not in data


def test_a_long_headline_is_cut_to_110_characters(client):
    headline = "Defence " * 30
    data = article_of(client, make_article(headline.strip()))
    assert len(data["headline"]) <= 110
    assert data["headline"].endswith("…")


def test_a_headline_cannot_break_out_of_the_script(client):
    headline = '</script><script>alert("x")</script><!-- & done'
    story = make_article(headline)
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    assert '<script>alert("x")' not in html
    assert "\\u003C/script\\u003E" in html
    assert article_of(client, story)["headline"] == headline


def test_every_url_is_absolute(client, story):
    response = client.get(story.get_absolute_url())
    urls = list(urls_in(json_ld(response)))
    assert len(urls) > 10
    assert all(url.startswith(("http://", "https://")) for url in urls), urls
    internal = [url for url in urls if "127.0.0.1" in url]
    assert all(url.startswith(SITE + "/") for url in internal)


def test_the_lead_image_comes_in_three_aspect_ratios_1200_wide(client, story):
    images = article_of(client, story)["image"]
    assert [(image["width"], image["height"]) for image in images] == [
        (1200, 675),
        (1200, 900),
        (1200, 1200),
    ]
    for image in images:
        assert image["url"].startswith(f"{SITE}/media/renditions/")
        assert image["creditText"] == "Jane Doe / Reuters"
        assert image["caption"] == "The signing."


def test_the_structured_data_crops_of_a_small_picture_are_not_upscaled():
    image = make_image(pixels=(800, 600))
    sizes = [(spec.width, spec.height) for spec in structured_data_specs(image)]
    assert sizes == [(800, 450), (800, 600), (600, 600)]
    stored = {r.spec: (r.width, r.height) for r in image.renditions.all()}
    assert all(
        stored[spec.name] == (spec.width, spec.height) for spec in structured_data_specs(image)
    )


def test_a_story_without_a_lead_image_has_no_image(client):
    assert "image" not in article_of(client, make_article())


def test_date_modified_is_the_time_of_the_last_correction_or_update(client, editor):
    story = make_article(published_at=timezone.now() - timedelta(days=2))
    story.add_correction(by=editor, text="An earlier version misdated the signing.")
    story.add_correction(by=editor, text="The minister has since commented.", kind="update")
    data = article_of(client, story)
    latest = story.corrections.last().created_at
    assert data["dateModified"] == structured_data.iso(latest)
    assert story.display_updated_at == latest


def test_date_modified_is_the_publication_when_only_ordinary_saves_came_since():
    published = timezone.now() - timedelta(days=2)
    story = make_article(published_at=published)
    story.headline = "A typo fixed"
    story.save()
    assert story.updated_at > published
    assert structured_data.date_modified(story) == published


def test_date_modified_follows_an_editors_mark_as_updated(editor):
    published = timezone.now() - timedelta(days=2)
    story = make_article(published_at=published)
    story.mark_updated(by=editor)
    assert structured_data.date_modified(story) == story.display_updated_at > published


def test_corrections_are_correction_comments_and_updates_are_not(client, story):
    story.corrections.create(
        text="An earlier version misdated the signing.",
        created_at=timezone.make_aware(timezone.datetime(2020, 10, 3, 9, 0)),
    )
    story.corrections.create(kind=Correction.Kind.UPDATE, text="The minister has since commented.")
    assert article_of(client, story)["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "An earlier version misdated the signing.",
            "datePublished": "2020-10-03T09:00:00+01:00",
        }
    ]


def test_a_story_with_only_a_credit_is_authored_by_the_publisher(client):
    data = article_of(client, make_article(credit="Staff"))
    assert data["author"] == [
        {
            "@type": "NewsMediaOrganization",
            "@id": f"{SITE}/#publisher",
            "name": "New Defence Order. Strategy",
            "url": f"{SITE}/",
        }
    ]


def test_the_article_page_has_breadcrumbs_home_section_story(client, story):
    crumbs = one(json_ld(client.get(story.get_absolute_url())), "BreadcrumbList")
    assert crumbs["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{SITE}/"},
        {
            "@type": "ListItem",
            "position": 2,
            "name": "Diplomacy",
            "item": f"{SITE}/section/diplomacy/",
        },
        {
            "@type": "ListItem",
            "position": 3,
            "name": "US and Morocco sign defence roadmap",
            "item": SITE + story.get_absolute_url(),
        },
    ]


def test_the_article_page_query_count_does_not_grow_with_mentions(
    client, django_assert_max_num_queries
):
    few = make_article(
        people=[make_person()], organisations=[make_organisation()], countries=[country("MA")]
    )
    with CaptureQueriesContext(connection) as baseline:
        client.get(few.get_absolute_url())
    many = make_article(
        people=[make_person(same_as="https://www.wikidata.org/wiki/Q1") for _ in range(15)],
        organisations=[make_organisation(website="https://example.org/") for _ in range(15)],
        countries=[country("MA"), country("US"), country("FR"), country("ES")],
        authors=[make_person(user=make_user()) for _ in range(3)],
        tags=[f"tag {n}" for n in range(10)],
    )
    for n in range(5):
        many.corrections.create(text=f"Correction {n}")
    with django_assert_max_num_queries(len(baseline)):
        response = client.get(many.get_absolute_url())
    assert len(one(json_ld(response), *ARTICLE_TYPES)["mentions"]) == 34


# --- Stories that are not public ---------------------------------------------------


def test_a_share_link_preview_of_a_draft_has_no_json_ld():
    story = story_in("draft", headline="Embargoed scoop")
    link = PreviewLink.objects.create(article=story)
    response = Client().get(reverse("articles:shared-preview", args=[previews.token_for(link)]))
    assert response.status_code == 200
    assert "Embargoed scoop" in response.content.decode()
    assert json_ld(response) == []


@pytest.mark.parametrize("state", ["draft", "in-review", "scheduled", "published", "withdrawn"])
def test_the_newsroom_preview_never_has_json_ld(state):
    story = story_in(state, headline="Previewed story")
    client = Client()
    client.force_login(make_editor())
    response = client.get(reverse("admin:articles_article_preview", args=[story.pk]))
    assert response.status_code == 200
    assert json_ld(response) == []


def test_a_withdrawn_story_has_no_json_ld(client):
    story = story_in("withdrawn", headline="Withdrawn story")
    response = client.get(story.get_absolute_url())
    assert response.status_code == 410
    assert json_ld(response) == []


@pytest.mark.parametrize("state", ["draft", "in-review", "scheduled", "withdrawn"])
def test_the_builder_describes_no_story_readers_cannot_see(state):
    story = story_in(state)
    assert structured_data.article(story) is None
    assert structured_data.article_page(story) == []


# --- Home and topic pages ---------------------------------------------------------


def test_the_home_page_describes_the_site_and_its_publisher(client):
    blocks = json_ld(client.get("/"))
    site = one(blocks, "WebSite")
    assert site["url"] == f"{SITE}/"
    assert site["name"] == "New Defence Order. Strategy"
    assert site["potentialAction"]["target"]["urlTemplate"] == (
        f"{SITE}/search/?q={{search_term_string}}"
    )
    assert site["potentialAction"]["query-input"] == "required name=search_term_string"
    publisher = one(blocks, "NewsMediaOrganization")
    assert publisher["logo"]["url"] == f"{SITE}/static/img/publisher-logo.png"
    assert site["publisher"] == {"@id": publisher["@id"]}


def test_a_section_page_has_breadcrumbs(client):
    section = make_section("Diplomacy")
    crumbs = one(json_ld(client.get(section.get_absolute_url())), "BreadcrumbList")
    assert [item["name"] for item in crumbs["itemListElement"]] == ["Home", "Diplomacy"]
    assert crumbs["itemListElement"][-1]["item"] == f"{SITE}/section/diplomacy/"


def test_a_tag_page_has_breadcrumbs(client, story):
    crumbs = one(json_ld(client.get("/tag/morocco/")), "BreadcrumbList")
    assert [item["item"] for item in crumbs["itemListElement"]] == [
        f"{SITE}/",
        f"{SITE}/tag/morocco/",
    ]


# --- The publisher logo -------------------------------------------------------------


def test_the_publisher_logo_is_a_real_png_of_600_by_60():
    from django.contrib.staticfiles import finders

    with PILImage.open(finders.find("img/publisher-logo.png")) as logo:
        assert (logo.format, logo.size) == ("PNG", (600, 60))


def test_a_missing_publisher_logo_is_a_system_check_warning(settings):
    settings.NEWSROOM_PUBLISHER_LOGO = "img/no-such-logo.png"
    [warning] = check_publisher_logo(None)
    assert warning.id == "articles.W001"
    assert "img/no-such-logo.png" in warning.msg


def test_the_shipped_publisher_logo_passes_the_system_check():
    assert check_publisher_logo(None) == []


def test_without_a_logo_file_the_publisher_has_no_logo(client, settings):
    settings.NEWSROOM_PUBLISHER_LOGO = "img/no-such-logo.png"
    assert "logo" not in article_of(client, make_article())["publisher"]


# --- Backfilling renditions ---------------------------------------------------------


def test_ensure_renditions_backfills_the_structured_data_crops(capsys):
    image = make_image(pixels=(1600, 1200))
    names = [spec.name for spec in structured_data_specs(image)]
    image.renditions.filter(spec__in=names).delete()
    call_command("ensure_renditions")
    assert set(names) <= set(image.renditions.values_list("spec", flat=True))
    assert "3 renditions made" in capsys.readouterr().out


def test_ensure_renditions_twice_makes_nothing_the_second_time(capsys):
    make_image()
    call_command("ensure_renditions")
    capsys.readouterr()
    call_command("ensure_renditions", "--lead-only")
    call_command("ensure_renditions")
    assert "0 renditions made" in capsys.readouterr().out
