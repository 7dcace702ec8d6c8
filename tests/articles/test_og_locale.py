"""og:locale is a locale (language_TERRITORY), as Facebook and LinkedIn read it."""

import lxml.html
import pytest
from django.urls import reverse

from articles.templatetags.social import og_locale
from tests.factories import make_article


def og_locale_on(client, url):
    page = lxml.html.fromstring(client.get(url).content)
    return page.xpath("//meta[@property='og:locale']/@content")


@pytest.mark.django_db
def test_a_story_in_french_announces_french_of_france(client):
    story = make_article("Rabat signe une feuille de route", language="fr")

    assert og_locale_on(client, story.get_absolute_url()) == ["fr_FR"]


@pytest.mark.django_db
def test_topic_and_home_pages_announce_the_newsrooms_locale(client, settings):
    settings.NEWSROOM_LOCALE = "en_US"
    make_article()

    assert og_locale_on(client, reverse("articles:home")) == ["en_US"]


@pytest.mark.parametrize(
    "language, locale",
    [("pt-br", "pt_BR"), ("en_gb", "en_GB"), ("ar", "ar_AR"), ("xx", "xx")],
)
def test_language_codes_become_locales(language, locale):
    assert og_locale(language) == locale
