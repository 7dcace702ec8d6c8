"""Only public stories appear anywhere on the reading site.

Every page type is rendered with a draft, a scheduled and a withdrawn story that
share its topic; none of them may appear. All pages start from
`Article.objects.published()`, the one visibility rule.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Status
from tests.factories import (
    country,
    make_article,
    make_organisation,
    make_person,
    make_section,
    make_user,
)

pytestmark = pytest.mark.django_db

HIDDEN = ["Draft story", "Scheduled story", "Withdrawn story"]


@pytest.fixture
def topics():
    return {
        "section": make_section("News"),
        "author": make_person("Samir Tazi", user=make_user()),
        "person": make_person("Mark Esper"),
        "organisation": make_organisation("United States Department of Defense"),
        "country": country("MA"),
    }


def about_everything(topics, headline, **fields):
    return make_article(
        headline,
        section=topics["section"],
        authors=[topics["author"]],
        people=[topics["person"]],
        organisations=[topics["organisation"]],
        countries=[topics["country"]],
        tags=["roadmap"],
        **fields,
    )


@pytest.fixture
def stories(topics):
    public = about_everything(topics, "Public story")
    hidden = [
        about_everything(topics, "Draft story", status=Status.DRAFT, home_position=1),
        about_everything(
            topics,
            "Scheduled story",
            published_at=timezone.now() + timedelta(days=1),
            home_position=1,
        ),
        about_everything(
            topics,
            "Withdrawn story",
            status=Status.WITHDRAWN,
            published_at=timezone.now() - timedelta(hours=2),
            home_position=1,
        ),
    ]
    for story in hidden:
        public.related.add(story)
    return public, hidden


PAGES = {
    "home": lambda topics, public: "/",
    "article": lambda topics, public: public.get_absolute_url(),
    "section": lambda topics, public: "/section/news/",
    "tag": lambda topics, public: "/tag/roadmap/",
    "author": lambda topics, public: topics["author"].get_absolute_url(),
    "staff person": lambda topics, public: f"/people/{topics['author'].slug}/",
    "person": lambda topics, public: topics["person"].get_absolute_url(),
    "organisation": lambda topics, public: topics["organisation"].get_absolute_url(),
    "country": lambda topics, public: "/countries/ma/",
}


@pytest.mark.parametrize("page", PAGES)
def test_page_shows_public_stories_and_no_draft_scheduled_or_withdrawn_one(
    client, topics, stories, page
):
    public, _ = stories
    html = client.get(PAGES[page](topics, public)).content.decode()
    if page != "article":
        assert "Public story" in html
    for headline in HIDDEN:
        assert headline not in html


@pytest.mark.parametrize("headline", HIDDEN)
def test_hidden_stories_have_no_public_page(client, topics, stories, headline):
    _, hidden = stories
    story = next(story for story in hidden if story.headline == headline)
    assert client.get(story.get_absolute_url()).status_code in (404, 410)
