"""Each transition: what it changes, the one event it records, what it refuses."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleEvent, Status
from articles.workflow import State, TransitionNotAllowed
from tests.articles.workflow_stories import row, story_in
from tests.factories import make_author

pytestmark = pytest.mark.django_db
Action = ArticleEvent.Action


@pytest.fixture
def own_draft(journalist):
    return story_in("draft", authors=[make_author(journalist)])


def test_a_journalist_submits_their_draft_for_review(journalist, own_draft):
    own_draft.submit(by=journalist)
    own_draft.refresh_from_db()
    assert own_draft.status == Status.IN_REVIEW
    event = own_draft.events.get()
    assert (event.action, event.from_state, event.to_state, event.by) == (
        Action.SUBMIT,
        "draft",
        "in-review",
        journalist,
    )


def test_an_editor_sends_a_story_back_with_a_note(editor):
    story = story_in("in-review")
    story.send_back(by=editor, note="Needs a second source.")
    assert story.status == Status.DRAFT
    assert story.events.get().note == "Needs a second source."


def test_sending_back_without_a_note_is_refused_and_changes_nothing(editor):
    story = story_in("in-review")
    before = row(story)
    with pytest.raises(TransitionNotAllowed, match="note"):
        story.send_back(by=editor, note="   ")
    assert row(story) == before


def test_publishing_now_makes_the_story_public(editor):
    story = story_in("in-review")
    story.publish(by=editor)
    assert story.is_published()
    assert Article.objects.published().filter(pk=story.pk).exists()
    assert story.events.get().action == Action.PUBLISH


def test_publishing_at_a_future_time_schedules_the_story(editor):
    story = story_in("in-review")
    at = timezone.now() + timedelta(hours=3)
    story.publish(by=editor, at=at)
    assert story.state == State.SCHEDULED
    assert story.published_at == at
    assert not Article.objects.published().filter(pk=story.pk).exists()
    assert story.events.get().action == Action.SCHEDULE


def test_a_scheduled_story_is_public_once_its_time_passes_without_any_command(editor):
    story = story_in("in-review")
    at = timezone.now() + timedelta(hours=3)
    story.publish(by=editor, at=at)
    later = at + timedelta(seconds=1)
    assert Article.objects.published(at=later).filter(pk=story.pk).exists()
    assert story.is_published(at=later)
    assert workflow.state_of(story, at=later) == State.PUBLISHED
    assert not story.is_published(at=at - timedelta(seconds=1))


def test_the_instance_rule_and_the_queryset_rule_agree_in_every_state():
    stories = [
        story_in(state) for state in ["draft", "in-review", "scheduled", "published", "withdrawn"]
    ]
    public = set(Article.objects.published().values_list("pk", flat=True))
    assert {s.pk for s in stories if s.is_published()} == public
    assert [workflow.state_of(s) for s in stories] == list(State)[:2] + [
        State.SCHEDULED,
        State.PUBLISHED,
        State.WITHDRAWN,
    ]


def test_a_naive_publication_time_is_refused(editor):
    story = story_in("in-review")
    before = row(story)
    with pytest.raises(TransitionNotAllowed, match="time zone"):
        story.publish(by=editor, at=timezone.now().replace(tzinfo=None))
    assert row(story) == before


def test_unscheduling_returns_the_story_to_draft(editor):
    story = story_in("scheduled")
    story.unschedule(by=editor)
    assert (story.status, story.published_at) == (Status.DRAFT, None)


def test_withdrawing_needs_a_reason_and_records_it(editor):
    story = story_in("published")
    with pytest.raises(TransitionNotAllowed, match="reason"):
        story.withdraw(by=editor, reason="")
    story.withdraw(by=editor, reason="Legal advice")
    assert story.status == Status.WITHDRAWN
    assert story.events.get().note == "Legal advice"


def test_a_withdrawn_story_can_return_to_draft(editor):
    story = story_in("withdrawn")
    story.redraft(by=editor)
    assert (story.status, story.published_at) == (Status.DRAFT, None)


@pytest.mark.parametrize(
    "state, transition, kwargs",
    [
        ("in-review", "submit", {}),
        ("published", "submit", {}),
        ("draft", "send_back", {"note": "x"}),
        ("published", "publish", {}),
        ("withdrawn", "publish", {}),
        ("published", "unschedule", {}),
        ("draft", "withdraw", {"reason": "x"}),
        ("scheduled", "withdraw", {"reason": "x"}),
        ("published", "redraft", {}),
        ("draft", "add_correction", {"text": "x"}),
        ("scheduled", "add_correction", {"text": "x"}),
    ],
)
def test_a_transition_from_the_wrong_state_is_refused_and_changes_nothing(
    editor, state, transition, kwargs
):
    story = story_in(state)
    before = row(story)
    with pytest.raises(TransitionNotAllowed):
        getattr(workflow, transition)(story, by=editor, **kwargs)
    assert row(story) == before


def test_a_correction_appears_with_its_date_and_moves_the_updated_time(editor):
    story = story_in("published")
    Article.objects.filter(pk=story.pk).update(updated_at=timezone.now() - timedelta(days=3))
    story.refresh_from_db()
    updated_before = story.updated_at
    story.add_correction(by=editor, text="The minister's name was misspelt.")
    correction = story.corrections.get()
    assert correction.text == "The minister's name was misspelt."
    assert story.updated_at > updated_before
    assert story.updated_at >= correction.created_at
    assert story.display_updated_at == correction.created_at
    assert story.was_updated
    assert story.events.get().action == Action.CORRECT


def test_a_correction_is_shown_on_the_public_page(client, editor):
    story = story_in("published")
    story.add_correction(by=editor, text="An earlier version misdated the signing.", kind="update")
    html = client.get(story.get_absolute_url()).content.decode()
    assert "An earlier version misdated the signing." in html
    assert "Update" in html


def test_every_transition_leaves_exactly_one_event(editor, journalist, own_draft):
    own_draft.submit(by=journalist)
    own_draft.send_back(by=editor, note="Tighten the intro")
    own_draft.submit(by=journalist)
    own_draft.publish(by=editor, at=timezone.now() + timedelta(days=1))
    own_draft.unschedule(by=editor)
    own_draft.publish(by=editor)
    own_draft.add_correction(by=editor, text="Fixed a date.")
    own_draft.withdraw(by=editor, reason="Legal")
    own_draft.redraft(by=editor)
    assert list(own_draft.events.values_list("action", flat=True)) == [
        Action.SUBMIT,
        Action.SEND_BACK,
        Action.SUBMIT,
        Action.SCHEDULE,
        Action.UNSCHEDULE,
        Action.PUBLISH,
        Action.CORRECT,
        Action.WITHDRAW,
        Action.REDRAFT,
    ]


def test_publish_due_records_a_scheduled_story_once_when_it_goes_live(editor):
    story = story_in("in-review")
    story.publish(by=editor, at=timezone.now() + timedelta(hours=1))
    assert workflow.mark_due_stories_live() == []
    later = timezone.now() + timedelta(hours=2)
    assert [e.article for e in workflow.mark_due_stories_live(at=later)] == [story]
    assert workflow.mark_due_stories_live(at=later) == []
    assert story.events.filter(action=Action.WENT_LIVE).count() == 1


def test_publish_due_ignores_stories_published_now_and_unscheduled_ones(editor):
    published = story_in("in-review")
    published.publish(by=editor)
    unscheduled = story_in("in-review")
    unscheduled.publish(by=editor, at=timezone.now() + timedelta(minutes=5))
    unscheduled.unschedule(by=editor)
    assert workflow.mark_due_stories_live(at=timezone.now() + timedelta(hours=1)) == []


def test_the_publish_due_command_is_idempotent(editor, capsys):
    story = story_in("in-review")
    story.publish(by=editor, at=timezone.now() + timedelta(seconds=1))
    Article.objects.filter(pk=story.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    call_command("publish_due")
    call_command("publish_due")
    out = capsys.readouterr().out
    assert "1 scheduled stories went live." in out
    assert "0 scheduled stories went live." in out
    assert story.events.filter(action=Action.WENT_LIVE).count() == 1
