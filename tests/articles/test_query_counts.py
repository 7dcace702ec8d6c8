"""Every page type runs the same number of queries for 1 item or 30 (no N+1).

"Items" are everything a page lists: stories, bylines, tags, people (with
roles), organisations, countries, sections, partners. Budgets: the article page
at most 10 queries, list and topic pages at most 8.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Section
from people import mentions
from people.models import Country, Organisation, Person
from tests.factories import (
    make_article,
    make_organisation,
    make_person,
    make_role,
    make_section,
    make_story_about,
    make_user,
)

pytestmark = pytest.mark.django_db

BUDGETS = {
    "home": 8,
    "article": 10,
    "section": 8,
    "tag": 8,
    "author": 8,
    "staff person": 8,
    "person": 8,
    "organisation": 8,
    "country": 8,
}


def build_newsroom(n):
    """A newsroom where every list on every page has `n` entries."""
    countries = list(Country.objects.order_by("code")[:n])
    home = countries[0]
    author = make_person("Samir Tazi", user=make_user())
    person = make_person("Mark Esper", country=home)
    organisation = make_organisation("Department of Defense", country=home)
    # Listed only when they have a public page, so each is in a public story.
    listed = []
    for i in range(n):
        make_section(f"Section {i}")
        make_organisation(f"Partner {i}", is_partner=True, partner_order=i)
        listed.append(make_organisation(f"Branch {i}", parent=organisation, country=home))
        listed.append(make_person(f"Citizen {i}", country=home))
        listed.append(make_organisation(f"Employer {i}"))
        make_role(person, listed[-1], title=f"Role {i}")
        listed.append(make_person(f"Official {i}"))
        make_role(listed[-1], organisation, title=f"Official {i}")
    writers = [author] + [make_person(f"Writer {i}", user=make_user()) for i in range(n - 1)]
    people = [person] + [make_person(f"Subject {i}") for i in range(n - 1)]
    organisations = [organisation] + [make_organisation(f"Subject org {i}") for i in range(n - 1)]
    tags = ["roadmap"] + [f"tag {i}" for i in range(n - 1)]
    section = make_section("Section 0")
    stories = [
        make_article(
            f"Story {i}",
            section=section,
            authors=writers,
            people=people,
            organisations=organisations,
            countries=countries,
            tags=tags,
            home_position=i + 1 if i < 5 else None,
            published_at=timezone.now() - timedelta(hours=i + 1),
        )
        for i in range(n)
    ]
    make_story_about(*listed, section=section, published_at=timezone.now() - timedelta(days=30))
    # Older than the front page, so the home page's by-section list is never empty.
    for i in range(5):
        make_article(
            f"Archive {i}", section=section, published_at=timezone.now() - timedelta(days=10 + i)
        )
    lead = stories[0]
    lead.related.set(stories[1:])
    for story in stories:
        story.corrections.create(text="Corrected.")
    return {
        "home": "/",
        "article": lead.get_absolute_url(),
        "section": section.get_absolute_url(),
        "tag": "/tag/roadmap/",
        "author": author.get_absolute_url(),
        "staff person": f"/people/{author.slug}/",
        "person": person.get_absolute_url(),
        "organisation": organisation.get_absolute_url(),
        "country": home.get_absolute_url(),
    }


def warm_caches():
    # The mention matcher is built once per change to people, organisations or
    # countries, not per page view: measure pages in that steady state.
    mentions.get_matcher()


def queries_for(client, url):
    warm_caches()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", BUDGETS)
def test_page_stays_within_its_query_budget(client, page, django_assert_max_num_queries):
    urls = build_newsroom(30)
    warm_caches()
    with django_assert_max_num_queries(BUDGETS[page]):
        assert client.get(urls[page]).status_code == 200


@pytest.mark.parametrize("page", BUDGETS)
def test_page_runs_as_many_queries_for_thirty_items_as_for_one(client, page):
    one = queries_for(client, build_newsroom(1)[page])
    clear_newsroom()
    thirty = queries_for(client, build_newsroom(30)[page])
    assert one == thirty


def clear_newsroom():
    # A fresh newsroom: nothing remembered of the old one (counts, story parts).
    cache.clear()
    Article.objects.all().delete()
    Organisation.objects.all().delete()
    Person.objects.all().delete()
    Section.objects.all().delete()


LIST_PAGES = [
    "home",
    "section",
    "tag",
    "author",
    "staff person",
    "person",
    "organisation",
    "country",
]


def selected_columns(captured):
    return "\n".join(query["sql"] for query in captured.captured_queries)


@pytest.mark.parametrize("page", LIST_PAGES)
def test_a_list_page_never_reads_a_story_body(client, page):
    urls = build_newsroom(3)
    warm_caches()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(urls[page]).status_code == 200
    sql = selected_columns(captured)
    assert '"articles_article"."headline"' in sql
    assert '"articles_article"."body"' not in sql


@pytest.mark.parametrize("path", ["/feeds/rss/", "/search/?q=story"])
def test_feeds_and_search_results_never_read_a_story_body(client, path, settings):
    build_newsroom(3)
    settings.NEWSROOM_FEED_FULL_TEXT = False
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    assert '"articles_article"."body"' not in selected_columns(captured)
