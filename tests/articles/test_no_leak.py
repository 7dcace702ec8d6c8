"""Nothing unpublished reaches a public page, whoever is browsing.

Nor does draft-only metadata: each story has a tag, person, organisation and
country of its own (named "PUBLIC-…" or "HIDDEN-…"), the person and
organisation filed under the shared country and organisation. Those of the
hidden stories have no page and appear on no page.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.text import slugify

from articles import previews
from articles.models import PreviewLink
from tests.articles.workflow_stories import story_in
from tests.factories import (
    country,
    make_article,
    make_author,
    make_editor,
    make_journalist,
    make_organisation,
    make_person,
    make_role,
    make_section,
)

pytestmark = pytest.mark.django_db
HIDDEN_STATES = [
    "draft",
    "in-review",
    "scheduled",
    "withdrawn",
    "embargoed",
    "embargoed-until",
    "withdrawn-on-schedule",
]
OWN_COUNTRIES = {
    "PUBLIC": "PT",
    "draft": "IS",
    "in-review": "NO",
    "scheduled": "FI",
    "withdrawn": "SE",
    "embargoed": "DK",
    "embargoed-until": "EE",
    "withdrawn-on-schedule": "LT",
}


def own_topics(name, shared_organisation):
    """A story's own tag, person, organisation and country, each named with `name`."""
    own_country = country(OWN_COUNTRIES[name.removeprefix("HIDDEN-")])
    own_country.name = f"{name} land"
    own_country.save()
    person = make_person(f"{name} person", country=country("MA"))
    make_role(person, shared_organisation, title="Envoy")
    organisation = make_organisation(
        f"{name} org", country=country("MA"), parent=shared_organisation
    )
    return {
        "tags": [f"{name} topic"],
        "people": [person],
        "organisations": [organisation],
        "countries": [own_country],
    }


def topic_pages(topics):
    return [
        reverse("articles:tag", args=[slugify(topics["tags"][0])]),
        reverse("people:person", args=[topics["people"][0].slug]),
        reverse("people:organisation", args=[topics["organisations"][0].slug]),
        reverse("people:country", args=[topics["countries"][0].slug]),
    ]


@pytest.fixture
def newsroom():
    journalist = make_journalist()
    author = make_author(journalist)
    person, organisation = make_person("Mark Esper"), make_organisation("NATO")
    section = make_section("Defence")
    links = dict(
        section=section,
        authors=[author],
        people=[person],
        organisations=[organisation],
        countries=[country("MA")],
        tags=["roadmap"],
    )
    own = {"PUBLIC": own_topics("PUBLIC", organisation)}
    own |= {state: own_topics(f"HIDDEN-{state}", organisation) for state in HIDDEN_STATES}
    public = story_in("published", headline="PUBLIC-story", **with_own(links, own["PUBLIC"]))
    hidden = {
        state: story_in(state, headline=f"HIDDEN-{state}", **with_own(links, own[state]))
        for state in HIDDEN_STATES
    }
    pages = [
        reverse("articles:home"),
        public.get_absolute_url(),
        *topic_pages(own["PUBLIC"]),
        section.get_absolute_url(),
        reverse("articles:tag", args=["roadmap"]),
        reverse("people:person", args=[person.slug]),
        reverse("people:author", args=[author.slug]),
        reverse("people:organisation", args=[organisation.slug]),
        reverse("people:country", args=["ma"]),
        # Every hidden story carries the tag and the names searched for here.
        f"{reverse('articles:search')}?q=roadmap",
        f"{reverse('articles:search')}?q=Esper+NATO+Morocco",
    ]
    return {
        "journalist": journalist,
        "public": public,
        "hidden": hidden,
        "pages": pages,
        "draft_only_pages": [page for state in HIDDEN_STATES for page in topic_pages(own[state])],
    }


def with_own(links, own):
    return {**links, **{name: [*links[name], *topics] for name, topics in own.items()}}


def readers(newsroom):
    journalist = Client()
    journalist.force_login(newsroom["journalist"])  # the hidden stories' own author
    editor = Client()
    editor.force_login(make_editor())
    return {"anonymous": Client(), "journalist": journalist, "editor": editor}


def test_every_public_page_lists_the_public_story_and_no_hidden_one(newsroom):
    for who, client in readers(newsroom).items():
        for url in newsroom["pages"]:
            response = client.get(url)
            html = response.content.decode()
            assert response.status_code == 200, (who, url)
            assert "PUBLIC-story" in html, (who, url)
            assert "HIDDEN-" not in html, (who, url)


@pytest.mark.parametrize(
    "state", ["draft", "in-review", "scheduled", "embargoed", "embargoed-until"]
)
def test_a_non_public_story_answers_like_one_that_never_existed(newsroom, state):
    story = newsroom["hidden"][state]
    never = story.get_absolute_url().replace(story.slug, "never-existed")
    for who, client in readers(newsroom).items():
        response = client.get(story.get_absolute_url())
        missing = client.get(never)
        assert response.status_code == 404, who
        assert response.content == missing.content, who


def test_draft_only_topics_answer_like_a_name_that_never_existed(newsroom):
    for who, client in readers(newsroom).items():
        never = client.get(reverse("people:person", args=["never-existed"]))
        for url in newsroom["draft_only_pages"]:
            response = client.get(url)
            assert response.status_code == 404, (who, url)
            assert response.content == never.content, (who, url)


@pytest.mark.parametrize("state", ["withdrawn", "withdrawn-on-schedule"])
def test_a_withdrawn_story_answers_410_gone_without_its_content(newsroom, state):
    story = newsroom["hidden"][state]
    for who, client in readers(newsroom).items():
        response = client.get(story.get_absolute_url())
        assert response.status_code == 410, who
        html = response.content.decode()
        assert "withdrawn" in html
        assert f"HIDDEN-{state}" not in html


def test_the_share_link_is_the_only_door_and_only_to_its_own_story(newsroom):
    draft = newsroom["hidden"]["draft"]
    link = PreviewLink.objects.create(article=draft)
    path = reverse("articles:shared-preview", args=[previews.token_for(link)])
    html = Client().get(path).content.decode()
    assert "HIDDEN-draft" in html
    assert "HIDDEN-in-review" not in html and "HIDDEN-scheduled" not in html
    for url in newsroom["pages"]:
        assert "HIDDEN-" not in Client().get(url).content.decode()


def test_a_withdrawn_storys_address_shows_the_editors_note_and_is_asked_for_again():
    editor = make_editor()
    story = make_article("Withdrawn after a legal request")
    story.withdraw(by=editor, reason="Withdrawn at the request of a court in Rabat.")
    response = Client().get(story.get_absolute_url())
    assert response.status_code == 410
    assert "Withdrawn at the request of a court in Rabat." in response.content.decode()
    # A story can come back (return to draft, publish): no cache may keep the 410.
    assert "no-cache" in response["Cache-Control"]
