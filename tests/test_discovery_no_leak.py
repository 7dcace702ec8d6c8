"""No public surface (pages, search, feeds, sitemaps, robots.txt, JSON-LD, the read
API) shows a story that is not public.

Stories share one section, tag, person, organisation, country and author:
one public, and a draft, an in-review, a scheduled-not-yet-due and a withdrawn
one; a live story pulled back under embargo (until an editor lifts it), one
embargoed until tomorrow, one withdrawn at the end of its window; and two that
are public (an embargo lifted by itself, a window still open). Two more sit on
a boundary a little ahead: one embargoed until then, one withdrawn then; the
surfaces are read a microsecond before it and at it. Each has a unique word in its headline and body, and its own extra tag,
person, organisation, country and author named with that word; the extra
person and organisation are also filed under the shared country and
organisation, as a journalist researching a story would file them. Every
surface must show the public word (or its own marker) and none of the hidden
ones. A hidden story's own tag, person, organisation and country are draft-only
metadata: their pages and feeds answer 404, like a name that never existed.

To cover a new surface, add a line to SURFACES: a URL (formatted with the
fixture's slugs and `{public}`, the public story's word) and what it must show.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.text import slugify

from articles.sitemaps import SITEMAPS
from tests.articles.workflow_stories import story_in
from tests.factories import (
    country,
    make_author,
    make_editor,
    make_journalist,
    make_organisation,
    make_person,
    make_role,
    make_section,
)
from tests.json_ld import LD_JSON

pytestmark = pytest.mark.django_db

PUBLIC_WORD = "quokkapublic"
HIDDEN_WORDS = {
    "draft": "narwhaldraft",
    "in-review": "pangolinreview",
    "scheduled": "axolotlscheduled",
    "withdrawn": "okapiwithdrawn",
    "embargoed": "dugongembargoed",
    "embargoed-until": "tapirembargoed",
    "withdrawn-on-schedule": "kakapowindowshut",
}
# Public as well: each may show up anywhere (it is not asserted, only allowed).
ALSO_PUBLIC_WORDS = {
    "embargo-lifted": "wombatlifted",
    "withdrawal-scheduled": "quollwindowopen",
}
# On the boundary (`BOUNDARY` ahead of the fixture's making): the first is
# embargoed until then, the second withdrawn then.
LIFTS_AT_BOUNDARY, ENDS_AT_BOUNDARY = "lifts-at-boundary", "ends-at-boundary"
BOUNDARY_WORDS = {LIFTS_AT_BOUNDARY: "jerboalifts", ENDS_AT_BOUNDARY: "numbatwindowends"}
BOUNDARY = timedelta(hours=1)
# The country each story has to itself, renamed with the story's word.
OWN_COUNTRIES = {
    "published": "PT",
    "draft": "IS",
    "in-review": "NO",
    "scheduled": "FI",
    "withdrawn": "SE",
    "embargoed": "DK",
    "embargoed-until": "EE",
    "withdrawn-on-schedule": "LT",
    "embargo-lifted": "LV",
    "withdrawal-scheduled": "IE",
    LIFTS_AT_BOUNDARY: "BE",
    ENDS_AT_BOUNDARY: "NL",
}


def hidden_words(clock="now"):
    """The words no surface may show at `clock`: "now", "before" (a microsecond
    before the boundary) or "at" the boundary."""
    on_boundary = LIFTS_AT_BOUNDARY if clock in ("now", "before") else ENDS_AT_BOUNDARY
    return {**HIDDEN_WORDS, on_boundary: BOUNDARY_WORDS[on_boundary]}


# What a surface must show, so that the test can fail: the public story's word…
PUBLIC = object()

FEED_PAGES = [
    "/feeds",
    "/section/{section}",
    "/tag/{tag}",
    "/people/{person}",
    "/organisations/{organisation}",
    "/countries/{country}",
    "/authors/{author}",
]

# The public story's own tag, person, organisation and country.
OWN_TOPIC_PAGES = [
    "/tag/{own_tag}",
    "/people/{own_person}",
    "/organisations/{own_organisation}",
    "/countries/{own_country}",
]

SURFACES = [
    ("/", PUBLIC),
    ("{story}", PUBLIC),
    *[(f"{page}/", PUBLIC) for page in FEED_PAGES[1:] + OWN_TOPIC_PAGES],
    *[(f"{page}/{kind}/", PUBLIC) for page in FEED_PAGES for kind in ("rss", "atom")],
    *[(f"{page}/{kind}/", PUBLIC) for page in OWN_TOPIC_PAGES for kind in ("rss", "atom")],
    ("/sitemap.xml", "/sitemap-stories.xml"),
    ("/sitemap-home.xml", "<loc>"),
    ("/sitemap-stories.xml", PUBLIC),
    ("/sitemap-sections.xml", "/section/{section}/"),
    ("/sitemap-tags.xml", PUBLIC),
    ("/sitemap-people.xml", PUBLIC),
    ("/sitemap-organisations.xml", PUBLIC),
    ("/sitemap-countries.xml", "/countries/{country}/"),
    ("/sitemap-authors.xml", PUBLIC),
    ("/sitemap-news.xml", PUBLIC),
    ("/robots.txt", "/sitemap.xml"),
    ("/search/?q={public}", PUBLIC),
    ("/search/?q=talks", PUBLIC),
    ("/search/?q=negotiators+paragraph", PUBLIC),
    # The filter lists: the country list shows the public story's own country.
    ("/search/", f"{PUBLIC_WORD}land"),
    # The read API: every endpoint, and the story list through every filter.
    ("/api/v1/", "/api/v1/stories/"),
    ("/api/v1/stories/", PUBLIC),
    ("/api/v1/stories/{story_id}/", PUBLIC),
    ("/api/v1/stories/lookup/?url={story}", PUBLIC),
    *[
        (f"/api/v1/stories/?{name}={{{name}}}", PUBLIC)
        for name in ("section", "tag", "person", "organisation", "country", "author")
    ],
    ("/api/v1/stories/?language=en&type_of_work=news", PUBLIC),
    ("/api/v1/stories/?published_after=2000-01-01T00:00:00Z", PUBLIC),
    ("/api/v1/search/?q={public}", PUBLIC),
    ("/api/v1/search/?q=talks", PUBLIC),
    ("/api/v1/search/?q=negotiators+paragraph&tag=talks", PUBLIC),
    ("/api/v1/sections/", "{section}"),
    ("/api/v1/sections/{section}/", "{section}"),
    ("/api/v1/tags/", PUBLIC),
    ("/api/v1/tags/{own_tag}/", PUBLIC),
    ("/api/v1/people/?page_size=100", PUBLIC),
    ("/api/v1/people/{own_person}/", PUBLIC),
    ("/api/v1/authors/", PUBLIC),
    ("/api/v1/authors/{author}/", "{author}"),
    ("/api/v1/organisations/", PUBLIC),
    ("/api/v1/organisations/{own_organisation}/", PUBLIC),
    ("/api/v1/countries/?page_size=100", f"{PUBLIC_WORD}land"),
    ("/api/v1/countries/{own_country}/", f"{PUBLIC_WORD}land"),
    ("/api/v1/corrections/", PUBLIC),
]

# Pages whose JSON-LD is checked on its own: a hidden word in a page's visible
# listing is test_no_leak's business; here only the structured data counts.
JSON_LD_PAGES = [
    ("/", "NewsMediaOrganization"),
    ("{story}", PUBLIC),
    ("/section/{section}/", "BreadcrumbList"),
    ("/tag/{tag}/", "BreadcrumbList"),
    ("/people/{person}/", "Mark Esper"),
    ("/organisations/{organisation}/", "NATO"),
    ("/countries/{country}/", "Morocco"),
    ("/authors/{author}/", "Person"),
    *[(f"{page}/", PUBLIC) for page in OWN_TOPIC_PAGES],
]


def test_surfaces_cover_every_child_sitemap():
    listed = {url for url, _ in SURFACES}
    assert {f"/sitemap-{name}.xml" for name in SITEMAPS} <= listed


def story(state, word, shared, *, name=None, **fields):
    """A story in `state` with `word` in its headline and body and on its own topics
    (the country of `name`, default `state`)."""
    own_country = country(OWN_COUNTRIES[name or state])
    own_country.name = f"{word}land"
    own_country.save()
    own_person = make_person(f"{word} person", country=shared["country"])
    make_role(own_person, shared["organisation"], title=f"{word} envoy")
    own_organisation = make_organisation(
        f"{word} org", country=shared["country"], parent=shared["organisation"]
    )
    story = story_in(
        state,
        headline=f"Talks resume {word}",
        body=f"<p>Negotiators met. The {word} paragraph.</p>",
        section=shared["section"],
        authors=[shared["author"], make_author(make_journalist(username=f"{word}author"))],
        people=[shared["person"], own_person],
        organisations=[shared["organisation"], own_organisation],
        countries=[shared["country"], own_country],
        tags=["talks", word],
        **fields,
    )
    story.corrections.create(text=f"An earlier version misspelt {word}.")
    return story


def own_topics(word, state):
    """The URL arguments of the tag, person, organisation and country a story has to itself."""
    return {
        "own_tag": word,
        "own_person": slugify(f"{word} person"),
        "own_organisation": slugify(f"{word} org"),
        "own_country": OWN_COUNTRIES[state].lower(),
    }


@pytest.fixture
def newsroom(settings):
    # Full text puts the bodies in the feeds too, so the body words are tested.
    settings.NEWSROOM_FEED_FULL_TEXT = True
    shared = {
        "section": make_section("Diplomacy"),
        "author": make_author(make_journalist(username="samir")),
        "person": make_person("Mark Esper"),
        "organisation": make_organisation("NATO"),
        "country": country("MA"),
    }
    public = story("published", PUBLIC_WORD, shared)
    hidden = {state: story(state, word, shared) for state, word in HIDDEN_WORDS.items()}
    for state, word in ALSO_PUBLIC_WORDS.items():
        story(state, word, shared)
    boundary = timezone.now() + BOUNDARY
    hidden[LIFTS_AT_BOUNDARY] = story(
        "embargoed-until",
        BOUNDARY_WORDS[LIFTS_AT_BOUNDARY],
        shared,
        name=LIFTS_AT_BOUNDARY,
        published_at=boundary,
        embargo_lifts_at=boundary,
    )
    hidden[ENDS_AT_BOUNDARY] = story(
        "withdrawal-scheduled",
        BOUNDARY_WORDS[ENDS_AT_BOUNDARY],
        shared,
        name=ENDS_AT_BOUNDARY,
        withdraws_at=boundary,
    )
    return {
        "boundary": boundary,
        "withdrawn_on_schedule": hidden["withdrawn-on-schedule"].get_absolute_url(),
        "ends_at_boundary": hidden[ENDS_AT_BOUNDARY].get_absolute_url(),
        "story": public.get_absolute_url(),
        "story_id": public.pk,
        "hidden_stories": {
            state: (story.pk, story.get_absolute_url()) for state, story in hidden.items()
        },
        "withdrawn": hidden["withdrawn"].get_absolute_url(),
        "section": shared["section"].slug,
        "tag": "talks",
        "person": shared["person"].slug,
        "organisation": shared["organisation"].slug,
        "country": shared["country"].slug,
        "author": shared["author"].slug,
        "public": PUBLIC_WORD,
        **own_topics(PUBLIC_WORD, "published"),
        "hidden_topics": {
            state: own_topics(word, state) for state, word in hidden_words("now").items()
        },
    }


@pytest.fixture(params=["anonymous", "editor"])
def reader(request):
    client = Client()
    if request.param == "editor":
        client.force_login(make_editor())  # staff who may see every draft elsewhere
    return client


@pytest.mark.parametrize("url, shows", SURFACES, ids=[url for url, _ in SURFACES])
def test_no_discovery_surface_shows_a_story_that_is_not_public(newsroom, reader, url, shows):
    url = url.format(**newsroom)
    response = reader.get(url)
    assert response.status_code == 200, url
    content = response.content.decode().lower()
    expected = PUBLIC_WORD if shows is PUBLIC else shows.format(**newsroom)
    assert expected.lower() in content, url
    for state, word in hidden_words("now").items():
        assert word not in content, (url, state)


def at_clock(newsroom, clock):
    return newsroom["boundary"] - (timedelta(microseconds=1) if clock == "before" else timedelta())


@pytest.mark.parametrize("clock", ["before", "at"])
def test_on_either_side_of_a_lift_or_withdrawal_time_no_surface_shows_a_hidden_story(
    newsroom, clock
):
    # Nothing runs at the boundary: each page is simply read then, by a reader
    # (what staff see is the same rule, checked above). One test per clock, so
    # the newsroom is built twice rather than once per surface.
    reader = Client()
    with mock.patch("django.utils.timezone.now", return_value=at_clock(newsroom, clock)):
        for url, shows in SURFACES:
            url = url.format(**newsroom)
            response = reader.get(url)
            assert response.status_code == 200, url
            content = response.content.decode().lower()
            expected = PUBLIC_WORD if shows is PUBLIC else shows.format(**newsroom)
            assert expected.lower() in content, url
            for state, word in hidden_words(clock).items():
                assert word not in content, (url, state, clock)


# Every list of the shared section, topics and author, and search for the word.
LISTS_OF_THE_SHARED_TOPICS = [
    "/",
    *[f"{page}/" for page in FEED_PAGES[1:]],
    *[f"{page}/{kind}/" for page in FEED_PAGES for kind in ("rss", "atom")],
    "/sitemap-stories.xml",
    "/sitemap-news.xml",
    "/search/?q={word}",
]


def test_an_embargo_lifts_on_every_list_at_its_exact_time(newsroom):
    word = BOUNDARY_WORDS[LIFTS_AT_BOUNDARY]
    reader = Client()
    with mock.patch("django.utils.timezone.now", return_value=at_clock(newsroom, "at")):
        for url in LISTS_OF_THE_SHARED_TOPICS:
            url = url.format(**newsroom, word=word)
            response = reader.get(url)
            assert response.status_code == 200, url
            content = response.content.decode().lower()
            assert word in content, url
            assert ALSO_PUBLIC_WORDS["embargo-lifted"] in content, url


@pytest.mark.parametrize("clock", ["now", "at"])
def test_a_story_past_its_window_answers_410_with_its_note_and_no_content(newsroom, clock):
    url = newsroom["withdrawn_on_schedule" if clock == "now" else "ends_at_boundary"]
    at = timezone.now() if clock == "now" else at_clock(newsroom, "at")
    with mock.patch("django.utils.timezone.now", return_value=at):
        response = Client().get(url)
    assert response.status_code == 410
    content = response.content.decode().lower()
    assert "withdrawn" in content
    # Its address holds its word; its headline and body are gone.
    word = (
        HIDDEN_WORDS["withdrawn-on-schedule"]
        if clock == "now"
        else BOUNDARY_WORDS[ENDS_AT_BOUNDARY]
    )
    assert f"talks resume {word}" not in content and f"the {word} paragraph" not in content
    assert "application/ld+json" not in content


@pytest.mark.parametrize("url, shows", JSON_LD_PAGES, ids=[url for url, _ in JSON_LD_PAGES])
def test_no_json_ld_names_a_story_that_is_not_public(newsroom, reader, url, shows):
    url = url.format(**newsroom)
    response = reader.get(url)
    assert response.status_code == 200, url
    structured = " ".join(LD_JSON.findall(response.content.decode())).lower()
    expected = PUBLIC_WORD if shows is PUBLIC else shows
    assert expected.lower() in structured, url
    for state, word in hidden_words("now").items():
        assert word not in structured, (url, state)


NEVER_EXISTED = {
    "own_tag": "never-existed",
    "own_person": "never-existed",
    "own_organisation": "never-existed",
    "own_country": "zz",
}


@pytest.mark.parametrize(
    "page",
    [page + kind for page in OWN_TOPIC_PAGES for kind in ("/", "/rss/", "/atom/")],
)
def test_draft_only_topics_have_no_page_or_feed_and_answer_like_a_name_that_never_existed(
    newsroom, reader, page
):
    assert reader.get(page.format(**newsroom)).status_code == 200
    never = reader.get(page.format(**NEVER_EXISTED))
    assert never.status_code == 404
    for state, topics in newsroom["hidden_topics"].items():
        response = reader.get(page.format(**topics))
        assert response.status_code == 404, state
        assert response.content == never.content, state


# The API's own doors to one story or topic: a hidden one answers as one that never existed.
API_TOPIC_PAGES = [
    "/api/v1/tags/{own_tag}/",
    "/api/v1/people/{own_person}/",
    "/api/v1/organisations/{own_organisation}/",
    "/api/v1/countries/{own_country}/",
]
API_TOPIC_FILTERS = [
    "/api/v1/stories/?tag={own_tag}",
    "/api/v1/stories/?person={own_person}",
    "/api/v1/stories/?organisation={own_organisation}",
    "/api/v1/stories/?country={own_country}",
    "/api/v1/search/?q=talks&tag={own_tag}",
]


@pytest.mark.parametrize("page", API_TOPIC_PAGES + API_TOPIC_FILTERS)
def test_the_api_answers_for_a_draft_only_topic_as_for_a_name_that_never_existed(
    newsroom, reader, page
):
    assert reader.get(page.format(**newsroom)).status_code == 200
    never = reader.get(page.format(**NEVER_EXISTED))
    assert never.status_code in (400, 404)
    words = hidden_words("now")
    for state, topics in newsroom["hidden_topics"].items():
        response = reader.get(page.format(**topics))
        assert response.status_code == never.status_code, state
        assert response.json()["detail"] == never.json()["detail"], state
        assert words[state] not in response.content.decode(), state


@pytest.mark.parametrize("door", ["/api/v1/stories/{pk}/", "/api/v1/stories/lookup/?url={url}"])
def test_the_api_never_shows_a_hidden_story_by_id_or_address(newsroom, reader, door):
    never = reader.get(door.format(pk=10**9, url="/2020/01/01/never-existed/"))
    assert never.status_code == 404
    for state, word in hidden_words("now").items():
        pk, url = newsroom["hidden_stories"][state]
        response = reader.get(door.format(pk=pk, url=url))
        assert word not in response.content.decode(), state
        if state in ("withdrawn", "withdrawn-on-schedule"):
            assert response.status_code == 410  # as its page: gone, and says so
        else:
            assert response.content == never.content, state


def test_a_withdrawn_story_carries_no_json_ld(newsroom, reader):
    response = reader.get(newsroom["withdrawn"])
    assert "application/ld+json" not in response.content.decode()
