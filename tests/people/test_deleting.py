"""Deleting never erases the record: people and organisations named by a story on
the record stay; drafts merely lose the link."""

import pytest
from django.urls import reverse

from articles.models import Article
from people.models import Organisation, Person
from tests.articles.workflow_stories import STATES, story_in
from tests.factories import make_article, make_organisation, make_person

pytestmark = pytest.mark.django_db


def still_there(obj):
    return type(obj).objects.filter(pk=obj.pk).exists()


def delete_page(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])


def bulk_delete(client, model, objs):
    opts = model._meta
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": "delete_selected", "_selected_action": [o.pk for o in objs], "post": "yes"},
    )


@pytest.mark.parametrize("state", STATES)
def test_on_the_record_matches_the_story_property(state):
    story = story_in(state)

    assert story.is_on_the_record == Article.objects.on_the_record().filter(pk=story.pk).exists()
    assert story.is_on_the_record == (state not in ("draft", "in-review"))


def test_a_draft_that_went_public_once_stays_on_the_record(editor):
    story = story_in("draft")
    story.publish(by=editor)
    story.withdraw(by=editor, reason="Legal")
    story.redraft(by=editor)

    assert story.is_on_the_record
    assert Article.objects.on_the_record().filter(pk=story.pk).exists()


@pytest.mark.parametrize("state", ["published", "scheduled", "withdrawn"])
def test_the_admin_refuses_to_delete_a_person_a_story_on_the_record_is_about(admin_client, state):
    esper = make_person("Mark Esper")
    story = story_in(state, headline="Roadmap signed", people=[esper])

    page = admin_client.get(delete_page(esper))
    admin_client.post(delete_page(esper), {"post": "yes"})

    html = page.content.decode()
    assert "cannot be deleted" in html
    assert "Roadmap signed" in html
    assert reverse("admin:articles_article_change", args=[story.pk]) in html
    assert still_there(esper)
    assert list(story.people.all()) == [esper]


def test_the_admin_refuses_to_delete_a_person_with_a_byline_and_names_the_story(admin_client):
    author = make_person("Rowena Rival")
    make_article("Draft in progress", status="draft", authors=[author])

    html = admin_client.get(delete_page(author)).content.decode()
    admin_client.post(delete_page(author), {"post": "yes"})

    assert "Draft in progress</a> (draft): byline of Rowena Rival" in html
    assert "Byline: Rowena Rival" not in html
    assert still_there(author)


@pytest.mark.parametrize("state", ["draft", "in-review"])
def test_the_admin_deletes_a_person_only_drafts_are_about_and_the_drafts_lose_the_link(
    admin_client, state
):
    esper = make_person("Mark Esper")
    story = story_in(state, people=[esper])

    response = admin_client.post(delete_page(esper), {"post": "yes"})

    assert response.status_code == 302
    assert not still_there(esper)
    assert still_there(story) and not story.people.exists()


def test_the_admin_refuses_to_delete_an_organisation_a_published_story_is_about(admin_client):
    nato = make_organisation("NATO")
    story = make_article("Summit ends", organisations=[nato])

    html = admin_client.get(delete_page(nato)).content.decode()
    admin_client.post(delete_page(nato), {"post": "yes"})

    assert "cannot be deleted" in html and "Summit ends" in html
    assert still_there(nato)
    assert list(story.organisations.all()) == [nato]


def test_the_admin_deletes_an_organisation_only_a_draft_is_about(admin_client):
    nato = make_organisation("NATO")
    story = make_article(status="draft", organisations=[nato])

    admin_client.post(delete_page(nato), {"post": "yes"})

    assert not still_there(nato)
    assert not story.organisations.exists()


def test_deleting_selected_organisations_refuses_all_and_lists_the_stories(admin_client):
    nato, typo = make_organisation("NATO"), make_organisation("NATOO")
    make_article("Summit ends", organisations=[nato])

    response = bulk_delete(admin_client, Organisation, [nato, typo])

    html = response.content.decode()
    assert "Nothing was deleted" in html
    assert "Summit ends" in html and "about NATO" in html
    assert still_there(nato) and still_there(typo)


def test_deleting_selected_people_refuses_all_and_lists_the_stories(admin_client):
    esper, typo = make_person("Mark Esper"), make_person("Mark Espr")
    make_article("Roadmap signed", people=[esper])

    html = bulk_delete(admin_client, Person, [esper, typo]).content.decode()

    assert "Nothing was deleted" in html and "Roadmap signed" in html
    assert still_there(esper) and still_there(typo)
