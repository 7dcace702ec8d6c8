"""A tag, person, organisation or country only drafts are about stays out of public sight.

The rule is `in_public_stories()` (for tags, `tags_in_public_stories()`): at
least one story readers may see (`Article.objects.published()`) is about it,
evaluated when asked, so a scheduled story counts once it is due.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from taggit.models import Tag

from articles.models import tags_in_public_stories
from people.models import Country, Organisation, Person
from tests.articles.workflow_stories import story_in
from tests.factories import (
    country,
    make_article,
    make_organisation,
    make_person,
    make_story_about,
    make_user,
)

pytestmark = pytest.mark.django_db

HIDDEN_STATES = ["draft", "in-review", "scheduled", "withdrawn"]


def topics_of(state):
    """A person, organisation, country and tag that only a story in `state` is about."""
    person, organisation = make_person(f"{state} person"), make_organisation(f"{state} org")
    morocco = country("MA")
    story_in(
        state,
        people=[person],
        organisations=[organisation],
        countries=[morocco],
        tags=[f"{state} tag"],
    )
    return person, organisation, morocco, Tag.objects.get(name=f"{state} tag")


def public(person, organisation, morocco, tag, at=None):
    return (
        Person.objects.in_public_stories(at=at).filter(pk=person.pk).exists(),
        Organisation.objects.in_public_stories(at=at).filter(pk=organisation.pk).exists(),
        Country.objects.in_public_stories(at=at).filter(pk=morocco.pk).exists(),
        tags_in_public_stories(at=at).filter(pk=tag.pk).exists(),
    )


def test_what_a_public_story_is_about_is_in_public_stories():
    assert public(*topics_of("published")) == (True, True, True, True)


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_what_only_a_story_readers_cannot_see_is_about_is_not(state):
    assert public(*topics_of(state)) == (False, False, False, False)


def test_a_scheduled_storys_topics_become_public_when_it_is_due():
    topics = topics_of("scheduled")
    assert public(*topics, at=timezone.now() + timedelta(days=2)) == (True, True, True, True)


def test_each_topic_is_listed_once_however_many_stories_are_about_it():
    person = make_person("Mark Esper")
    make_story_about(person)
    make_story_about(person)
    assert list(Person.objects.in_public_stories()) == [person]


def test_someone_who_wrote_a_public_story_is_in_public_stories():
    guest = make_person("Guest Contributor")
    make_article(authors=[guest])
    assert list(Person.objects.in_public_stories()) == [guest]


@pytest.mark.parametrize("state", ["published", *HIDDEN_STATES])
def test_the_flag_and_the_property_agree_with_the_rule(state):
    person, organisation, morocco, _tag = topics_of(state)
    for topic in (person, organisation, morocco):
        model = type(topic)
        expected = model.objects.in_public_stories().filter(pk=topic.pk).exists()
        assert model.objects.get(pk=topic.pk).is_in_public_stories == expected
        assert model.objects.with_public_flag().get(pk=topic.pk).is_in_public_stories == expected
        assert (model.objects.with_public_page().filter(pk=topic.pk).exists()) == expected
        assert topic.has_public_page == expected


def test_a_staff_journalist_always_has_a_public_page_their_author_page():
    author = make_person("Samir Tazi", user=make_user())
    assert author.has_public_page
    assert list(Person.objects.with_public_page()) == [author]
    assert not Person.objects.in_public_stories().exists()


# --- Pages, feeds and sitemaps ask the rule at request time -------------------------


def test_topic_pages_feeds_and_sitemaps_open_when_the_scheduled_story_falls_due(client):
    person, organisation, _morocco, tag = topics_of("scheduled")
    urls = [
        person.get_absolute_url(),
        f"/people/{person.slug}/rss/",
        organisation.get_absolute_url(),
        f"/organisations/{organisation.slug}/atom/",
        "/countries/ma/",
        f"/tag/{tag.slug}/",
        f"/tag/{tag.slug}/rss/",
    ]
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    assert person.slug not in client.get("/sitemap-people.xml").content.decode()
    # Nothing runs at the go-live time: the clock passing it is all that happens.
    due = person.articles.get().published_at
    with mock.patch("django.utils.timezone.now", return_value=due + timedelta(minutes=1)):
        assert [client.get(url).status_code for url in urls] == [200] * len(urls)
        assert person.slug in client.get("/sitemap-people.xml").content.decode()


def test_a_guest_contributors_byline_links_to_a_page_that_answers(client):
    guest = make_person("Guest Contributor")
    story = make_article(authors=[guest])
    assert (
        f'href="{guest.get_absolute_url()}"'
        in client.get(story.get_absolute_url()).content.decode()
    )
    assert client.get(guest.get_absolute_url()).status_code == 200
