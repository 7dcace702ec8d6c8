"""The demo newsroom has pictures, drawn by the project and ingested by the library."""

import io
import re

import pytest
from django.core.management import call_command

from articles.demo import pictures
from articles.images.models import Image
from articles.models import Article
from articles.structured_data import ARTICLE_TYPES
from people.models import Organisation, Person
from tests.json_ld import json_ld, one

pytestmark = pytest.mark.django_db

LEAD_PICTURE = re.compile(r'<picture>\s*<source type="image/webp" srcset="[^"]+ \d+w')


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False


def aspect(image_object):
    ratio = image_object["width"] / image_object["height"]
    return min(((16, 9), (4, 3), (1, 1)), key=lambda shape: abs(shape[0] / shape[1] - ratio))


def test_every_demo_story_has_a_described_lead_image(demo):
    for story in Article.objects.all():
        image = story.lead_image
        assert image is not None, story
        assert image.alt_text and image.caption, story
        assert image.credit == "Illustration: New Defence Order. Strategy demo"


def test_every_demo_story_page_leads_with_a_picture_and_three_shapes_in_json_ld(demo, client):
    for story in Article.objects.published():
        response = client.get(story.get_absolute_url())
        assert response.status_code == 200
        assert LEAD_PICTURE.search(response.content.decode()), story
        article = one(json_ld(response), *ARTICLE_TYPES.values(), "NewsArticle")
        assert sorted(aspect(image) for image in article["image"]) == [(1, 1), (4, 3), (16, 9)]
        assert all(image["url"].startswith("http") for image in article["image"])


def test_every_demo_person_page_shows_a_photo(demo, client):
    people = Person.objects.with_public_page()
    assert people.count() == Person.objects.count()
    for person in people:
        response = client.get(person.get_absolute_url())
        assert response.status_code == 200
        page = response.content.decode()
        assert '<img src="/media/renditions/' in page and f'alt="{person.name}"' in page, person
        assert one(json_ld(response), "Person")["image"].startswith("http")


def test_every_demo_organisation_has_a_logo(demo):
    assert not Organisation.objects.filter(logo__isnull=True).exists()


def test_loading_the_demo_again_draws_no_new_pictures(demo, settings):
    count = Image.objects.count()
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    assert Image.objects.count() == count


def test_the_drawings_are_the_same_every_time():
    first = pictures.story_card(
        "a-story", "Esper visits Rabat", body="In 2020, 3 ministers", countries=["MA"]
    )
    assert first == pictures.story_card(
        "a-story", "Esper visits Rabat", body="In 2020, 3 ministers", countries=["MA"]
    )
    assert first != pictures.story_card("another", "Esper visits Rabat", body="", countries=[])
    assert pictures.portrait_card("x", "Mark Esper") == pictures.portrait_card("x", "Mark Esper")
