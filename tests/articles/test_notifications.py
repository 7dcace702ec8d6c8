"""Email after each decision, sent after commit; a broken mail server changes nothing."""

import pytest

from articles import notifications
from articles.models import Status
from tests.articles.workflow_stories import story_in
from tests.factories import make_author, make_editor, make_journalist

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return make_journalist(email="samir@newsroom.test")


@pytest.fixture
def story(author):
    return story_in("draft", headline="Roadmap signed", authors=[make_author(author)])


def test_editors_are_emailed_when_a_story_is_submitted(
    author, story, mailoutbox, django_capture_on_commit_callbacks
):
    make_editor(email="helen@newsroom.test")
    with django_capture_on_commit_callbacks(execute=True):
        story.submit(by=author)
    (mail,) = mailoutbox
    assert mail.to == ["helen@newsroom.test"]
    assert "Roadmap signed" in mail.subject


def test_no_email_is_sent_before_commit(
    author, story, mailoutbox, django_capture_on_commit_callbacks
):
    make_editor()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story.submit(by=author)
    assert mailoutbox == []
    for callback in callbacks:  # the commit
        callback()
    assert len(mailoutbox) == 1


def test_authors_get_the_note_when_a_story_is_sent_back(
    author, story, mailoutbox, django_capture_on_commit_callbacks
):
    story.submit(by=author)
    with django_capture_on_commit_callbacks(execute=True):
        story.send_back(by=make_editor(), note="Name the second source.")
    (mail,) = mailoutbox
    assert mail.to == ["samir@newsroom.test"]
    assert "Name the second source." in mail.body


def test_authors_hear_when_their_story_is_scheduled_and_published(
    author, story, mailoutbox, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    editor = make_editor()
    with django_capture_on_commit_callbacks(execute=True):
        story.publish(by=editor, at=timezone.now() + timedelta(days=1))
        story.unschedule(by=editor)
        story.publish(by=editor)
    assert [m.subject.split(":")[0] for m in mailoutbox] == ["Scheduled", "Published"]
    assert all(m.to == ["samir@newsroom.test"] for m in mailoutbox)


def test_a_failing_mail_server_never_undoes_the_transition(
    author, story, monkeypatch, django_capture_on_commit_callbacks
):
    make_editor()

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        story.submit(by=author)
    story.refresh_from_db()
    assert story.status == Status.IN_REVIEW
    assert story.events.count() == 1


def test_nobody_is_emailed_about_their_own_action(mailoutbox, django_capture_on_commit_callbacks):
    editor = make_editor(email="only@newsroom.test")
    story = story_in("draft", authors=[make_author(editor)])
    with django_capture_on_commit_callbacks(execute=True):
        story.submit(by=editor)
    assert mailoutbox == []
