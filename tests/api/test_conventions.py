"""The read API's conventions, driven over HTTP as a partner's client would."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.api.models import PartnerKey, hash_key
from tests.factories import make_article, make_section, make_superuser

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def test_an_unknown_parameter_answers_400_problem_details_naming_it(client, public_story):
    response = client.get("/api/v1/stories/?sectoin=news")

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert {"type", "title", "status", "detail"} <= set(problem)
    assert problem["status"] == 400
    assert problem["invalid_params"] == [
        {"name": "sectoin", "reason": "Not a parameter of this endpoint."}
    ]


@pytest.mark.parametrize(
    "query, name",
    [
        ("published_after=yesterday", "published_after"),
        ("type_of_work=gossip", "type_of_work"),
        ("section=no-such-section", "section"),
        ("page_size=1000", "page_size"),
        ("page_size=0", "page_size"),
        ("cursor=not-a-cursor", "cursor"),
        ("fields=headline,password", "fields"),
    ],
)
def test_a_bad_value_answers_400_and_is_never_ignored(client, public_story, query, name):
    response = client.get(f"/api/v1/stories/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert [param["name"] for param in response.json()["invalid_params"]] == [name]


def test_fields_selects_the_fields_of_each_story(client, public_story):
    results = client.get("/api/v1/stories/?fields=id,headline").json()["results"]

    assert results == [{"id": public_story.pk, "headline": public_story.headline}]


def test_the_story_carries_what_a_partner_needs(client, public_story):
    story = client.get(f"/api/v1/stories/{public_story.pk}/").json()

    assert story["canonical_url"].endswith(public_story.get_absolute_url())
    assert story["body_html"].startswith("<p>The first paragraph.</p>")
    assert story["body_text"] == "The first paragraph. The second paragraph."
    assert story["bylines"][0]["url"].endswith("/authors/samir/")
    assert story["people"][0]["same_as"] == ["https://www.wikidata.org/wiki/Q7769984"]
    assert story["countries"][0]["code"] == "MA"
    assert story["tags"][0]["slug"] == "defence"
    assert story["language"] == "en"


def test_the_body_is_the_html_the_story_page_prints(client, public_story):
    story = client.get(f"/api/v1/stories/{public_story.pk}/").json()
    page = client.get(public_story.get_absolute_url()).content.decode()

    for paragraph in story["body_html"].split("</p>")[:-1]:
        assert paragraph + "</p>" in page


def test_cursor_pages_walk_every_story_once_newest_first(client, section):
    now = timezone.now()
    for hours in range(5):
        make_article(f"Story {hours}", section=section, published_at=now - timedelta(hours=hours))

    seen, url = [], "/api/v1/stories/?page_size=2&fields=headline"
    while url:
        page = client.get(url).json()
        seen += [story["headline"] for story in page["results"]]
        url = page["next"]

    assert seen == [f"Story {hours}" for hours in range(5)]


def test_a_repeated_request_with_the_etag_answers_304(client, public_story):
    first = client.get("/api/v1/stories/")
    assert first.has_header("Last-Modified")

    again = client.get("/api/v1/stories/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_the_api_carries_the_same_surrogate_keys_as_the_story_page(client, public_story):
    api = client.get(f"/api/v1/stories/{public_story.pk}/")
    page = client.get(public_story.get_absolute_url())

    assert f"story-{public_story.pk}" in api["xkey"].split()
    assert set(api["xkey"].split()) <= set(page["xkey"].split())
    assert api["Cache-Control"] == page["Cache-Control"]


def test_publishing_a_story_purges_the_api_story_list(client, draft_story, editor):
    from articles import surrogates

    listed = set(client.get("/api/v1/stories/")["xkey"].split())
    draft_story.publish(by=editor)

    assert surrogates.FEEDS in listed & surrogates.story_changed(draft_story)


def test_the_list_takes_the_same_number_of_queries_for_three_stories_or_thirty(client, section):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/stories/?page_size=100").status_code == 200
        return len(queries)

    for _ in range(3):
        make_article(section=section, tags=["a", "b"])
    few = count()
    for _ in range(27):
        make_article(section=section, tags=["a", "b"])

    assert count() == few


def test_anonymous_readers_are_throttled_with_problem_details(client, public_story, settings):
    settings.NEWSROOM_API_ANON_RATE = "2/min"
    assert client.get("/api/v1/sections/").status_code == 200
    assert client.get("/api/v1/sections/").status_code == 200

    response = client.get("/api/v1/sections/")

    assert response.status_code == 429
    assert response["Content-Type"] == PROBLEM
    assert response.has_header("Retry-After")


def test_a_partner_key_raises_the_limit_and_shows_nothing_more(client, draft_story, settings):
    settings.NEWSROOM_API_ANON_RATE = "1/min"
    key = PartnerKey(name="Aggregator")
    secret = key.new_secret()
    key.save()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    for _ in range(3):
        assert client.get("/api/v1/stories/", **auth).status_code == 200
    assert client.get(f"/api/v1/stories/{draft_story.pk}/", **auth).status_code == 404
    assert client.get("/api/v1/stories/", **auth).json()["results"] == []


def test_a_wrong_or_revoked_key_answers_401(client):
    key = PartnerKey(name="Old partner", is_active=False)
    secret = key.new_secret()
    key.save()

    for value in (secret, "nrk_guessed"):
        response = client.get("/api/v1/stories/", HTTP_AUTHORIZATION=f"Bearer {value}")
        assert response.status_code == 401
        assert response["Content-Type"] == PROBLEM


def test_the_admin_shows_a_new_key_once_and_stores_only_its_hash(client):
    client.force_login(make_superuser())

    response = client.post(
        "/admin/api/partnerkey/add/", {"name": "Newsletter", "is_active": "on"}, follow=True
    )

    message = next(str(m) for m in response.context["messages"])
    secret = message.split(" is ")[1].split(" ")[0]
    key = PartnerKey.objects.get(name="Newsletter")
    assert key.key_hash == hash_key(secret)
    assert secret not in client.get(f"/admin/api/partnerkey/{key.pk}/change/").content.decode()


def test_cors_lets_configured_origins_read_the_api(client, settings, public_story):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.org"]

    allowed = client.get("/api/v1/stories/", HTTP_ORIGIN="https://app.example.org")
    other = client.get("/api/v1/stories/", HTTP_ORIGIN="https://evil.example")
    page = client.get("/", HTTP_ORIGIN="https://app.example.org")

    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.org"
    assert not other.has_header("Access-Control-Allow-Origin")
    assert not page.has_header("Access-Control-Allow-Origin")


def test_a_story_is_found_by_its_address(client, public_story):
    url = "http://127.0.0.1:8000" + public_story.get_absolute_url()

    story = client.get("/api/v1/stories/lookup/", {"url": url}).json()

    assert story["id"] == public_story.pk


def test_the_story_list_filters_by_section(client):
    make_article("In diplomacy", section=make_section("Diplomacy"))
    make_article("In defence", section=make_section("Defence"))

    results = client.get("/api/v1/stories/?section=diplomacy&fields=headline").json()["results"]

    assert results == [{"headline": "In diplomacy"}]


def test_search_finds_public_stories_by_their_words(client, public_story):
    results = client.get("/api/v1/search/?q=roadmap&fields=id").json()["results"]

    assert results == [{"id": public_story.pk}]


def test_a_nul_character_in_a_value_answers_400(client, public_story):
    response = client.get("/api/v1/search/", {"q": "roadmap\x00"})

    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "q"


def test_behind_the_page_cache_a_wrong_key_still_answers_401(client, public_story, settings):
    settings.NEWSROOM_PAGE_CACHE = True
    assert client.get("/api/v1/stories/")["X-Page-Cache"] == "miss"
    assert client.get("/api/v1/stories/")["X-Page-Cache"] == "hit"

    response = client.get("/api/v1/stories/", HTTP_AUTHORIZATION="Bearer nrk_guessed")

    assert response.status_code == 401
    assert "X-Page-Cache" not in response


def test_a_partner_s_answer_is_never_kept_for_readers(client, public_story, settings):
    settings.NEWSROOM_PAGE_CACHE = True
    key = PartnerKey(name="Aggregator")
    secret = key.new_secret()
    key.save()

    response = client.get("/api/v1/stories/", HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert client.get("/api/v1/stories/")["X-Page-Cache"] == "miss"
