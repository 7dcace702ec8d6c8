"""The search page's filters: native date pickers that keep the chosen dates,
styled from the stylesheet (the CSP allows no style attribute)."""

import re
from pathlib import Path

import lxml.html
import pytest
from django.conf import settings as django_settings
from django.utils import translation

from articles.forms import SearchForm
from tests.factories import make_article

pytestmark = pytest.mark.django_db

STYLESHEET = Path(django_settings.BASE_DIR) / "static" / "css" / "site.css"


def search_page(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_date_filters_are_native_date_pickers_that_keep_the_chosen_dates(client):
    make_article("Roadmap signed")
    page = lxml.html.fromstring(
        search_page(client, q="roadmap", from_date="2020-10-01", to_date="2020-10-31")
    )
    [start] = page.xpath('//input[@name="from_date"]')
    [end] = page.xpath('//input[@name="to_date"]')
    assert (start.get("type"), start.get("value")) == ("date", "2020-10-01")
    assert (end.get("type"), end.get("value")) == ("date", "2020-10-31")


def test_the_search_page_has_no_inline_styles(client):
    html = search_page(client, q="roadmap", from_date="2020-10-01")
    assert not re.search(r"<[^>]+\sstyle=", html)


def test_the_filters_are_styled_in_the_stylesheet():
    css = STYLESHEET.read_text()
    for selector in (
        ".search-form__filters {",
        ".search-form__filter select, .search-form__filter input {",
    ):
        assert selector in css


def test_list_items_in_a_story_are_not_spaced_like_paragraphs(client):
    story = make_article(body="<p>Three points:</p><ul><li><p>One</p></li><li><p>Two</p></li></ul>")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<li><p>One</p></li>" in html  # as the body editor writes it
    css = STYLESHEET.read_text()
    assert re.search(r"\.story__body li > p \{ margin: 0; \}", css)


@pytest.mark.parametrize("language", ["en", "en-gb", "fr"])
def test_the_date_pickers_get_iso_dates_whatever_the_sites_language(language):
    with translation.override(language):
        form = SearchForm({"from_date": "2020-10-01"})
        assert 'value="2020-10-01"' in str(form["from_date"])
