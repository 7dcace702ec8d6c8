"""A picker that receives something other than an id (a crafted or garbled post)
shows a form error on that field and keeps everything else that was typed."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.articles.test_permissions import change_form_data
from tests.factories import make_article, make_editor, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def test_a_story_saved_with_a_section_that_is_not_an_id_shows_an_error_and_keeps_the_text(
    editor_client,
):
    story = make_article("Roadmap signed", status="draft")
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = change_form_data(story, section="abc", headline="A headline typed with care")

    response = editor_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Select a valid choice" in errors["section"][0]
    assert 'value="A headline typed with care"' in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "Roadmap signed"


def test_a_story_saved_with_people_that_are_not_ids_shows_an_error_and_keeps_the_text(
    editor_client,
):
    esper = make_person("Mark Esper")
    story = make_article("Roadmap signed", status="draft", people=[esper])
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = change_form_data(story, people=[esper.pk, "abc"], standfirst="Typed with care.")

    response = editor_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "“abc” is not a valid value." in errors["people"][0]
    html = response.content.decode()
    assert "Typed with care." in html
    # The valid choice is still selected in the picker.
    assert f'<option value="{esper.pk}" selected>Mark Esper</option>' in html
    story.refresh_from_db()
    assert list(story.people.all()) == [esper]


def test_a_person_saved_with_a_country_that_is_not_an_id_shows_an_error(editor_client):
    person = make_person("Mark Esper")
    url = reverse("admin:people_person_change", args=[person.pk])
    data = {
        "name": "Mark T. Esper",
        "slug": person.slug,
        "country": "abc",
        "roles-TOTAL_FORMS": 0,
        "roles-INITIAL_FORMS": 0,
    }

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "country" in response.context["adminform"].form.errors
    assert 'value="Mark T. Esper"' in response.content.decode()
    person.refresh_from_db()
    assert person.name == "Mark Esper"


def test_a_byline_saved_with_a_person_that_is_not_an_id_shows_an_error(editor_client):
    story = make_article("Roadmap signed", status="draft")
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = change_form_data(
        story,
        **{"bylines-TOTAL_FORMS": 1, "bylines-0-person": "abc", "bylines-0-order": 0},
    )

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert not story.bylines.exists()


def test_a_story_saved_with_a_lead_image_id_too_large_for_the_database_shows_an_error(
    editor_client,
):
    story = make_article("Roadmap signed", status="draft")
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = change_form_data(story, lead_image="9" * 30)

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "lead_image" in response.context["adminform"].form.errors


def _admins_with_pickers():
    for model_admin in admin.site._registry.values():
        yield model_admin
        for inline in model_admin.inlines:
            yield inline(model_admin.model, admin.site)


def test_every_admin_with_autocomplete_fields_uses_the_safe_pickers():
    from newsroom.autocomplete import AutocompleteAdminMixin

    missing = [
        type(model_admin).__qualname__
        for model_admin in _admins_with_pickers()
        if model_admin.autocomplete_fields and not isinstance(model_admin, AutocompleteAdminMixin)
    ]
    assert missing == []
