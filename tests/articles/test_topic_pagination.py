"""Topic lists count their public stories from the topic's links, and only those."""

import pytest

from tests.articles.workflow_stories import story_in
from tests.factories import make_article, make_person

pytestmark = pytest.mark.django_db


def test_a_tag_page_counts_its_public_stories_only(client):
    for i in range(21):
        make_article(f"Okapi {i}", tags=["okapi"])
    story_in("draft", headline="Draft okapi", tags=["okapi"])
    first = client.get("/tag/okapi/").content.decode()
    assert "Page 1 of 2" in first
    assert client.get("/tag/okapi/?page=2").context["paginator"].count == 21


def test_a_person_page_counts_their_public_stories_only(client):
    person = make_person("Nasser Bourita")
    for i in range(21):
        make_article(f"Talks {i}", people=[person])
    story_in("scheduled", headline="Scheduled talks", people=[person])
    response = client.get(person.get_absolute_url())
    assert response.context["paginator"].count == 21
