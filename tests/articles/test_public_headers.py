"""Anonymous pages can be cached by anyone: no cookie, no `Vary: Cookie`, honest headers."""

import pytest

from tests.factories import country, make_article, make_organisation, make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls():
    author = make_person("Samir Tazi", user=make_user())
    person = make_person("Mark Esper")
    organisation = make_organisation("United States Department of Defense")
    story = make_article(
        "Roadmap signed",
        authors=[author],
        people=[person],
        organisations=[organisation],
        countries=[country("MA")],
        tags=["roadmap"],
    )
    return {
        "home": "/",
        "article": story.get_absolute_url(),
        "section": story.section.get_absolute_url(),
        "tag": "/tag/roadmap/",
        "author": author.get_absolute_url(),
        "person": person.get_absolute_url(),
        "organisation": organisation.get_absolute_url(),
        "country": "/countries/ma/",
        "not found": "/no/such/page/",
    }


PAGES = [
    "home",
    "article",
    "section",
    "tag",
    "author",
    "person",
    "organisation",
    "country",
    "not found",
]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_page_sets_no_cookie_and_does_not_vary_on_cookie(client, urls, page):
    response = client.get(urls[page])
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("page", PAGES)
def test_page_is_utf8_html_in_the_newsrooms_language(client, urls, page, settings):
    response = client.get(urls[page])
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Language"] == settings.LANGUAGE_CODE
