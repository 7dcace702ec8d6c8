"""Page addresses are worked out once per instance, and again when what makes them changes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_article, make_organisation, make_person, make_user

pytestmark = pytest.mark.django_db


def test_a_story_asked_twice_for_its_address_works_it_out_once():
    story = make_article("Roadmap signed")
    first = story.get_absolute_url()
    assert story.get_absolute_url() is first


def test_a_story_renamed_on_the_same_instance_gets_its_new_address_at_once():
    story = make_article("Roadmap signed")
    old = story.get_absolute_url()
    story.slug = "roadmap-signed-in-rabat"
    assert story.get_absolute_url() == old.replace("roadmap-signed", "roadmap-signed-in-rabat")


def test_a_story_moved_to_another_day_gets_that_days_address():
    story = make_article("Roadmap signed")
    old = story.get_absolute_url()
    story.published_at -= timedelta(days=400)
    assert story.get_absolute_url() != old
    assert str(timezone.localtime(story.published_at).year) in story.get_absolute_url()


def test_a_person_given_a_staff_account_moves_to_the_authors_pages():
    person = make_person("Samir Tazi")
    assert person.get_absolute_url().startswith("/people/")
    person.user = make_user()
    assert person.get_absolute_url().startswith("/authors/")


def test_an_organisation_renamed_on_the_same_instance_gets_its_new_address():
    organisation = make_organisation("Pentagon")
    organisation.get_absolute_url()
    organisation.slug = "department-of-defense"
    assert organisation.get_absolute_url() == "/organisations/department-of-defense/"


def test_two_instances_of_one_story_work_its_address_out_once_in_the_process(monkeypatch):
    from articles import models

    story = make_article("Roadmap signed")
    first = story.get_absolute_url()
    calls = []
    monkeypatch.setattr(models, "reverse", lambda *a, **k: calls.append(a) or "/elsewhere/")
    again = type(story).objects.get(pk=story.pk)
    assert again.get_absolute_url() == first
    assert calls == []
    # What the address is made of changed: worked out afresh.
    again.slug = "roadmap-signed-in-rabat"
    assert again.get_absolute_url() == "/elsewhere/"
