"""Icons: in every page's head, at the root where browsers look, and for phones' home screens."""

import lxml.html
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import make_article


def static_file(url):
    """The file a static URL serves (WhiteNoise in production), or None."""
    return finders.find(url.removeprefix(settings.STATIC_URL))


@pytest.mark.django_db
def test_every_page_links_icons_that_exist(client):
    story = make_article()

    head = lxml.html.fromstring(client.get(story.get_absolute_url()).content).find("head")
    icons = head.xpath("//link[@rel='icon' or @rel='apple-touch-icon']/@href")

    assert len(icons) == 3
    for href in icons:
        assert static_file(href), href


@pytest.mark.django_db
def test_the_root_favicon_leads_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    with open(static_file(response["Location"]), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.django_db
def test_the_manifest_names_the_publication_and_its_icons(client, settings):
    settings.NEWSROOM_PUBLICATION_NAME = "New Defence Order"

    manifest = client.get(reverse("web-manifest")).json()

    assert manifest["name"] == "New Defence Order"
    for icon in manifest["icons"]:
        assert static_file(icon["src"]), icon
