"""The front page as readers get it: the editors' order, then the newest; rows
whose columns match their cards."""

import io
import re
from datetime import timedelta
from pathlib import Path

import lxml.html
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from articles.demo import stories
from articles.models import Status
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

STYLESHEET = Path(django_settings.BASE_DIR) / "static" / "css" / "site.css"


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def front_headlines(client):
    """Headlines of the lead and top stories, in the order the page prints them."""
    page = lxml.html.fromstring(client.get("/").content)
    [front] = page.find_class("front")
    return [link.text_content() for link in front.xpath(".//*[@class='card__headline']/a")]


def test_the_lead_and_top_stories_follow_the_editors_order_then_the_newest(client):
    news = make_section("News")
    make_article("Placed third, oldest", section=news, home_position=3, published_at=ago(days=9))
    make_article("Placed first", section=news, home_position=1, published_at=ago(days=5))
    make_article("Placed second", section=news, home_position=2, published_at=ago(days=7))
    make_article("Placed but a draft", section=news, home_position=4, status=Status.DRAFT)
    make_article("Newest unplaced", section=news, published_at=ago(hours=1))
    make_article("Older unplaced", section=news, published_at=ago(hours=5))
    make_article("Oldest unplaced", section=news, published_at=ago(days=20))

    assert front_headlines(client) == [
        "Placed first",
        "Placed second",
        "Placed third, oldest",
        "Newest unplaced",
        "Older unplaced",
    ]


def test_without_placed_stories_the_front_is_newest_first(client):
    for hours in (30, 2, 12, 6, 48, 1):
        make_article(f"{hours} hours old", published_at=ago(hours=hours))
    assert front_headlines(client) == [
        "1 hours old",
        "2 hours old",
        "6 hours old",
        "12 hours old",
        "30 hours old",
    ]


def test_the_demo_front_page_follows_its_editors_then_the_newest(settings, client):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False
    placed = sorted(
        (data for data in stories.STORIES if data.get("home_position")),
        key=lambda data: data["home_position"],
    )
    unplaced = sorted(
        (data for data in stories.STORIES if not data.get("home_position")),
        key=lambda data: data["published_at"],
        reverse=True,
    )
    expected = [data["headline"] for data in [*placed, *unplaced]][:5]
    assert front_headlines(client) == expected


def list_classes(client, css_class):
    page = lxml.html.fromstring(client.get("/").content)
    return [element.get("class") for element in page.find_class(css_class)]


def test_a_section_row_with_one_story_is_laid_out_for_one_card(client):
    for n in range(5):
        make_article(f"Front {n}", published_at=ago(hours=n + 1))
    make_article("Alone in Analysis", section=make_section("Analysis"), published_at=ago(days=3))
    [row] = [
        row
        for row in lxml.html.fromstring(client.get("/").content).find_class("section-block")
        if "Alone in Analysis" in row.text_content()
    ]
    [cards] = row.find_class("section-block__list")
    assert cards.get("class") == "section-block__list section-block__list--1"


def test_the_top_stories_row_is_laid_out_for_its_number_of_cards(client):
    make_article("Lead", published_at=ago(hours=1))
    make_article("Only other", published_at=ago(hours=2))
    assert list_classes(client, "front__top") == ["front__top front__top--1"]


@pytest.mark.parametrize("count", [1, 2, 3])
def test_the_stylesheet_gives_a_short_row_only_as_many_columns_as_cards(count):
    css = STYLESHEET.read_text()
    wide = css[css.index("@media (min-width: 64rem)") :]
    columns = "1fr" if count == 1 else f"repeat({count}, 1fr)"
    for block in ("front__top", "section-block__list"):
        rule = re.search(rf"\.{block}--{count}\b[^{{]*\{{([^}}]*)\}}", wide)
        assert rule and f"grid-template-columns: {columns}" in rule.group(1), block
