"""Every admin page a newsroom uses loads: change lists, add forms and change forms."""

import pytest
from django.urls import reverse

from tests.factories import (
    country,
    make_article,
    make_editor,
    make_organisation,
    make_person,
    make_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["superuser", "editor"])
def staff_client(request, client, admin_user):
    """Each page loads for a superuser and for a member of the Editors group."""
    client.force_login(admin_user if request.param == "superuser" else make_editor())
    return client


@pytest.fixture
def newsroom_rows():
    person = make_person("Mark Esper", country=country("US"))
    organisation = make_organisation("United States Department of Defense", short_name="DoD")
    make_role(person, organisation, title="Secretary of Defense", start="2019-07-23")
    story = make_article(
        "Roadmap signed",
        authors=[make_person("Staff Writer")],
        people=[person],
        organisations=[organisation],
        countries=[country("US")],
        tags=["defence cooperation"],
    )
    story.corrections.create(text="An earlier version misdated the signing.")
    return {
        "articles.article": story,
        "articles.section": story.section,
        "people.person": person,
        "people.organisation": organisation,
        "people.country": country("US"),
        "taggit.tag": story.tags.get(),
    }


MODELS = [
    "articles.article",
    "articles.section",
    "people.person",
    "people.organisation",
    "people.country",
    "taggit.tag",
]


@pytest.mark.parametrize("model", MODELS)
def test_change_list_loads(staff_client, newsroom_rows, model):
    app, name = model.split(".")
    response = staff_client.get(reverse(f"admin:{app}_{name}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_change_form_loads(staff_client, newsroom_rows, model):
    app, name = model.split(".")
    response = staff_client.get(
        reverse(f"admin:{app}_{name}_change", args=[newsroom_rows[model].pk])
    )
    assert response.status_code == 200


@pytest.mark.parametrize("model", [m for m in MODELS if m != "people.country"])
def test_add_form_loads(staff_client, newsroom_rows, model):
    app, name = model.split(".")
    assert staff_client.get(reverse(f"admin:{app}_{name}_add")).status_code == 200


def test_change_list_search_finds_a_story_by_headline(admin_client, newsroom_rows):
    response = admin_client.get(reverse("admin:articles_article_changelist"), {"q": "Roadmap"})
    assert "Roadmap signed" in response.content.decode()


def test_change_list_filters_by_author_and_tag(admin_client, newsroom_rows):
    story = newsroom_rows["articles.article"]
    author = story.bylines.get().person
    url = reverse("admin:articles_article_changelist")
    assert "Roadmap signed" in admin_client.get(url, {"author": author.pk}).content.decode()
    tagged = admin_client.get(url, {"tag": "defence-cooperation"}).content.decode()
    assert "Roadmap signed" in tagged


def test_people_autocomplete_answers_for_the_story_form(admin_client, newsroom_rows):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "Esp", "app_label": "articles", "model_name": "article", "field_name": "people"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Mark Esper"]


def test_the_body_editor_assets_are_served_by_the_project(admin_client, newsroom_rows):
    story = newsroom_rows["articles.article"]
    page = admin_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    html = page.content.decode()
    assert "django_prose_editor" in html
    assert "https://cdn" not in html and "//unpkg" not in html


def test_tag_input_suggests_existing_tags_from_the_admin(admin_client, newsroom_rows):
    story = newsroom_rows["articles.article"]
    html = admin_client.get(reverse("admin:articles_article_change", args=[story.pk])).content
    assert b'list="id_tags-suggestions"' in html
    assert b"tag-suggestions.js" in html
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "defen", "app_label": "articles", "model_name": "article", "field_name": "tags"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["defence cooperation"]
