"""The exact keys each change to what readers see sends to the cache in front.

Each test changes the demo-shaped story through its real door (a workflow
transition, a save, an entity's rename) after commit and compares the keys sent
with what the change altered: its own pages, and the lists it is on.
"""

import pytest
from taggit.models import Tag

from articles import surrogates, workflow
from articles.models import Status
from people.models import Country
from tests.factories import (
    make_article,
    make_organisation,
    make_person,
    make_section,
)

pytestmark = pytest.mark.django_db


class RecordingCache:
    sent: list[list[str]] = []

    def send(self, keys):
        RecordingCache.sent.append(list(keys))


@pytest.fixture(autouse=True)
def cache_in_front(settings):
    settings.NEWSROOM_PURGE_BACKEND = "tests.pagecache.test_purge_keys.RecordingCache"
    RecordingCache.sent = []


@pytest.fixture
def live_story(editor, django_capture_on_commit_callbacks):
    """A published story on every kind of list; what its making sent is forgotten."""
    with django_capture_on_commit_callbacks(execute=True):
        story = make_article(
            "Roadmap signed in Rabat",
            status=Status.DRAFT,
            section=make_section("Diplomacy"),
            authors=[make_person("Leila Haddad")],
            people=[make_person("Mark Esper")],
            organisations=[make_organisation("NATO")],
            countries=[Country.objects.get(code="MA")],
            tags=["Morocco"],
        )
        workflow.publish(story, by=editor)
    RecordingCache.sent = []
    return story


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run a change as its own committed transaction; the keys it sent."""

    def change(action):
        RecordingCache.sent = []
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return {key for send in RecordingCache.sent for key in send}

    return change


def every_list_of(story):
    return {
        "home",
        "feeds",
        "sitemaps",
        "search",
        f"list-section-{story.section_id}",
        f"list-author-{story.bylines.get().person_id}",
        f"list-tag-{story.tags.get().pk}",
        f"list-person-{story.people.get().pk}",
        f"list-organisation-{story.organisations.get().pk}",
        f"list-country-{story.countries.get().pk}",
    }


def test_an_edit_to_a_live_story_purges_its_pages_and_its_lists(live_story, sent):
    def edit():
        live_story.standfirst = "The two governments agreed a ten-year plan."
        live_story.save()

    assert sent(edit) == {f"story-{live_story.pk}", *every_list_of(live_story)}


def test_a_correction_purges_the_story_its_lists_and_the_apis_corrections(live_story, editor, sent):
    keys = sent(lambda: workflow.add_correction(live_story, by=editor, text="It runs to 2030."))
    assert keys == {f"story-{live_story.pk}", *every_list_of(live_story), surrogates.CORRECTIONS}


def test_a_withdrawal_purges_the_story_and_every_list_it_was_on(live_story, editor, sent):
    keys = sent(lambda: workflow.withdraw(live_story, by=editor, reason="Legal request."))
    assert keys == {f"story-{live_story.pk}", *every_list_of(live_story)}


def test_redrafting_a_withdrawn_story_purges_it_and_its_lists(live_story, editor, sent):
    workflow.withdraw(live_story, by=editor, reason="Legal request.")
    assert sent(lambda: workflow.redraft(live_story, by=editor)) == {
        f"story-{live_story.pk}",
        *every_list_of(live_story),
    }


def test_renaming_a_person_purges_every_page_that_shows_them(live_story, sent):
    esper = live_story.people.get()

    def rename():
        esper.name = "Mark T. Esper"
        esper.save()

    assert sent(rename) == {f"person-{esper.pk}"}


def test_renaming_a_tag_purges_every_page_that_shows_it(live_story, sent):
    tag = Tag.objects.get(name="Morocco")

    def rename():
        tag.name = "Morocco diplomacy"
        tag.save()

    assert sent(rename) == {f"tag-{tag.pk}"}


def test_renaming_a_section_purges_its_pages_and_the_navigation_on_every_page(live_story, sent):
    section = live_story.section

    def rename():
        section.name = "Diplomacy and defence"
        section.save()

    assert sent(rename) == {f"section-{section.pk}", "furniture"}


def test_renaming_a_partner_organisation_purges_its_pages_and_the_footer(live_story, sent):
    nato = live_story.organisations.get()

    def rename():
        nato.name = "North Atlantic Treaty Organization"
        nato.save()

    assert sent(rename) == {f"organisation-{nato.pk}", "furniture"}


def test_saving_a_draft_that_was_never_public_purges_only_its_own_key(editor, sent):
    drafts = []
    sent(lambda: drafts.append(make_article("Notes for a later story", status=Status.DRAFT)))
    draft = drafts[0]

    def save():
        draft.body = "<p>More notes.</p>"
        draft.save()

    assert sent(save) == {f"story-{draft.pk}"}


def test_tagging_a_live_story_purges_the_tags_list_it_joins(live_story, sent):
    keys = sent(lambda: live_story.tags.add("Sahel"))
    sahel = Tag.objects.get(name="Sahel")
    assert {f"story-{live_story.pk}", f"list-tag-{sahel.pk}"} <= keys


def test_an_embargo_purges_exactly_what_a_withdrawal_does(live_story, editor, sent):
    keys = sent(lambda: workflow.embargo(live_story, by=editor))
    assert keys == {f"story-{live_story.pk}", *every_list_of(live_story)}


def test_lifting_an_embargo_purges_the_story_and_every_list_it_returns_to(live_story, editor, sent):
    workflow.embargo(live_story, by=editor)
    assert sent(lambda: workflow.lift_embargo(live_story, by=editor)) == {
        f"story-{live_story.pk}",
        *every_list_of(live_story),
    }


def test_scheduling_or_cancelling_a_withdrawal_purges_the_story_and_its_lists(
    live_story, editor, sent
):
    from datetime import timedelta

    from django.utils import timezone

    every = {f"story-{live_story.pk}", *every_list_of(live_story)}
    at = timezone.now() + timedelta(days=1)
    assert (
        sent(lambda: workflow.schedule_withdrawal(live_story, by=editor, at=at, reason="Licence."))
        == every
    )
    assert sent(lambda: workflow.cancel_withdrawal(live_story, by=editor)) == every
