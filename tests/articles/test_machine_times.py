"""Every `<time datetime>` on the public pages is valid HTML, after a real publication.

Publishing through the workflow stamps the story with the moment, microseconds
and all; HTML's datetime allows at most three digits of a second.
"""

import re

import lxml.html
import pytest
from django.urls import reverse

from articles import workflow
from tests.factories import (
    make_article,
    make_author,
    make_editor,
    make_journalist,
    make_person,
)

# A valid global date and time string (HTML § 2.3.5.8), offset required.
VALID = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})")


@pytest.fixture
def story_published_through_the_workflow(db):
    writer = make_author(make_journalist("nadia"), slug="nadia")
    minister = make_person("Nasser Bourita", slug="nasser-bourita")
    story = make_article(
        "Rabat signs a defence roadmap",
        status="draft",
        authors=[writer],
        people=[minister],
        tags=["defence-cooperation"],
    )
    editor = make_editor()
    workflow.publish(story, by=editor)
    workflow.add_correction(story, by=editor, text="An earlier version misdated the signing.")
    story.refresh_from_db()
    assert story.published_at.microsecond  # the moment, as the workflow stamps it
    return story


def datetimes(client, url):
    response = client.get(url, {"q": "roadmap"} if "search" in url else {})
    assert response.status_code == 200, url
    page = lxml.html.fromstring(response.content)
    return [element.get("datetime") for element in page.iter("time")] + [
        meta.get("content")
        for meta in page.iter("meta")
        if (meta.get("property") or "").endswith("_time")
    ]


@pytest.mark.parametrize(
    "page",
    ["home", "story", "section", "tag", "author", "person", "search"],
)
def test_every_datetime_on_the_page_is_valid_html(
    client, story_published_through_the_workflow, page
):
    story = story_published_through_the_workflow
    url = {
        "home": reverse("articles:home"),
        "story": story.get_absolute_url(),
        "section": story.section.get_absolute_url(),
        "tag": reverse("articles:tag", args=["defence-cooperation"]),
        "author": reverse("people:author", args=["nadia"]),
        "person": reverse("people:person", args=["nasser-bourita"]),
        "search": reverse("articles:search"),
    }[page]

    found = datetimes(client, url)

    assert found, f"no time on the {page} page"
    assert [value for value in found if not VALID.fullmatch(value)] == []
