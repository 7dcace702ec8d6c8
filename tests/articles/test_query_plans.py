"""The queries whose cost could grow with the archive use a bounded plan.

Read from the database's own EXPLAIN, so a change that makes the planner walk
every public story fails here, not in production. SQLite plans are checked on
every run; PostgreSQL's when the suite runs on it (DATABASE_URL), with
sequential scans priced out so a test-sized table still shows the index plan.
"""

import pytest
from django.db import connection

from articles.models import Article, tags_in_public_stories
from articles.related import remembered_cards
from people.models import Country, Organisation, Person
from tests.factories import make_article

pytestmark = pytest.mark.django_db

on_sqlite = pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="SQLite's EXPLAIN QUERY PLAN wording"
)
on_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="PostgreSQL's plans: run the suite with DATABASE_URL set",
)

TOPICS_WITH_A_PUBLIC_STORY = {
    "countries": lambda: Country.objects.in_public_stories(),
    "organisations": lambda: Organisation.objects.in_public_stories(),
    "people": lambda: Person.objects.in_public_stories(),
    "people flagged": lambda: Person.objects.with_public_flag(),
    "tags": lambda: tags_in_public_stories(),
}


@on_sqlite
@pytest.mark.parametrize("topics", TOPICS_WITH_A_PUBLIC_STORY)
def test_has_a_public_story_is_looked_up_from_the_links_not_the_stories(topics):
    plan = TOPICS_WITH_A_PUBLIC_STORY[topics]().explain()
    # Each story reached from a link is checked by its primary key…
    assert "USING INTEGER PRIMARY KEY" in plan
    # …never by walking the visibility index over every public story.
    assert "status=?" not in plan, plan


@on_sqlite
def test_the_front_page_reads_its_candidates_from_their_indexes():
    plan = Article.objects.for_listing().front_page_candidates(5).explain()
    # Placed stories from `story_placed_on_home`, the newest from the visibility
    # index: never a walk through every story.
    assert "story_placed_on_home" in plan
    assert not [line for line in plan.splitlines() if " SCAN " in f" {line} "], plan


@on_sqlite
def test_a_remembered_ranking_looks_its_stories_up_by_primary_key():
    stories = [make_article() for _ in range(30)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # with statistics, SQLite preferred the visibility index
    plan = remembered_cards([story.pk for story in stories[:8]]).explain()
    [story_line] = [line for line in plan.splitlines() if "articles_article " in line]
    assert "INTEGER PRIMARY KEY" in story_line or "rowid=?" in story_line, plan
    assert "status=?" not in story_line, plan


@pytest.fixture
def index_plans_only():
    """Sequential scans priced out for this test's transaction (a few rows would
    otherwise always be read in full), and fresh statistics."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
        cursor.execute("SET LOCAL enable_seqscan = off")


def postgresql_plan(queryset) -> str:
    return queryset.explain()


def public_lists(story):
    section = story.section
    return {
        "front page": Article.objects.for_listing().front_page_candidates(5),
        "latest in each section": Article.objects.for_listing().latest_in_each_section(
            4, [section.pk]
        ),
        "section list": Article.objects.in_section(section).published().newest_first()[:20],
        "tag list": Article.objects.filter(tags__slug="morocco").published().newest_first()[:20],
        "countries with a public story": Country.objects.in_public_stories(),
        "tags with a public story": tags_in_public_stories(),
    }


@on_postgresql
@pytest.mark.parametrize(
    "name",
    [
        "front page",
        "latest in each section",
        "section list",
        "tag list",
        "countries with a public story",
        "tags with a public story",
    ],
)
def test_postgresql_reads_the_public_lists_from_an_index(name, index_plans_only):
    # Priced out, a sequential scan still shows where no index can serve: a
    # filter such as `id IN (subquery) OR …` that PostgreSQL checks row by row.
    story = make_article("Talks resume", tags=["Morocco"])
    plan = postgresql_plan(public_lists(story)[name])
    assert "Seq Scan on articles_article" not in plan, plan
    assert "Index" in plan, plan
    # Nor every row checked against a hashed `IN (subquery)` (a whole index read).
    assert not rows_checked_against_a_hashed_subquery(plan), plan


def rows_checked_against_a_hashed_subquery(plan: str) -> bool:
    return any(
        line.strip().startswith("Filter:") and "hashed SubPlan" in line
        for line in plan.splitlines()
    )
