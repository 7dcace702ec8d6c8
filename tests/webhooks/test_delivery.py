"""Signed webhooks from the outbox, checked by a real receiver on 127.0.0.1."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import workflow
from articles.models import ArticleEvent, Status
from articles.webhooks import outbox
from articles.webhooks.models import Event, OutboxMessage, Subscription
from tests.factories import make_article, make_editor

pytestmark = pytest.mark.django_db

SECRET_WORDS = "the minister's unpublished reply"


@pytest.fixture
def story():
    return make_article(
        "Roadmap signed",
        status=Status.DRAFT,
        body=f"<p>Both sides signed; {SECRET_WORDS}.</p>",
    )


def test_a_published_story_reaches_the_receiver_signed_as_the_api_shows_it(
    story, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story.publish(by=make_editor())
    (delivery,) = receiver.deliveries
    assert receiver.rejected == []
    assert delivery["body"]["type"] == "story.published"
    data = delivery["body"]["data"]
    assert data["id"] == story.pk
    assert data["headline"] == "Roadmap signed"
    assert SECRET_WORDS in data["body_text"]
    assert delivery["id"] == OutboxMessage.objects.get(kind="webhook").message_id


def test_the_message_is_written_in_the_transaction_and_sent_only_after_commit(
    story, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story.publish(by=make_editor())
    message = OutboxMessage.objects.get(kind=OutboxMessage.Kind.WEBHOOK)
    assert message.status == OutboxMessage.Status.PENDING
    assert receiver.deliveries == []
    for callback in callbacks:  # the commit
        callback()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DELIVERED
    assert message.response_code == 204
    assert message.attempts == 1


def test_a_receiver_that_is_down_is_retried_and_gets_the_event_once_it_is_back(
    story, receiver, django_capture_on_commit_callbacks
):
    receiver.stop()
    with django_capture_on_commit_callbacks(execute=True):
        story.publish(by=make_editor())
    message = OutboxMessage.objects.get(kind=OutboxMessage.Kind.WEBHOOK)
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 1)
    assert "Connection refused" in message.last_error
    # Not before its time: the backoff holds it back.
    assert outbox.deliver_due(at=message.next_attempt_at - timedelta(seconds=1)) == 0

    receiver.answer = 503  # up, but failing
    receiver.start()
    outbox.deliver_due(at=message.next_attempt_at)
    message.refresh_from_db()
    assert (message.attempts, message.response_code) == (2, 503)
    assert message.next_attempt_at - message.last_attempt_at == outbox.backoff(2)

    receiver.answer = 200
    outbox.deliver_due(at=message.next_attempt_at)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.DELIVERED, 3)
    assert receiver.ids() == [message.message_id]


def test_retries_back_off_exponentially_and_give_up_after_a_day(
    story, receiver, django_capture_on_commit_callbacks
):
    receiver.answer = 500
    with django_capture_on_commit_callbacks(execute=True):
        story.publish(by=make_editor())
    message = OutboxMessage.objects.get(kind=OutboxMessage.Kind.WEBHOOK)
    waits = []
    while message.status == OutboxMessage.Status.PENDING:
        before = message.next_attempt_at
        outbox.deliver(message.message_id, at=before)
        message.refresh_from_db()
        waits.append(message.next_attempt_at - before)
    assert waits[:4] == [timedelta(seconds=s) for s in (60, 120, 240, 480)]
    assert message.status == OutboxMessage.Status.FAILED
    assert message.last_attempt_at - message.created_at <= timedelta(hours=24)
    assert message.last_attempt_at - message.created_at > timedelta(hours=19)


def test_each_event_reaches_a_healthy_receiver_exactly_once(
    story, receiver, django_capture_on_commit_callbacks
):
    editor = make_editor()
    with django_capture_on_commit_callbacks(execute=True):
        story.publish(by=editor)
        workflow.add_correction(story, by=editor, text="The date was 3 October.")
        story.embargo(by=editor)
        story.lift_embargo(by=editor)
        story.withdraw(by=editor, reason="Legal")
    # The cron sweep and a second task for the same message find nothing to send.
    assert outbox.enqueue_due() == 0
    for message in OutboxMessage.objects.filter(kind=OutboxMessage.Kind.WEBHOOK):
        assert outbox.deliver(message.message_id) is None
    assert receiver.types() == [
        "story.published",
        "story.corrected",
        "story.embargoed",
        "story.embargo_lifted",
        "story.withdrawn",
    ]
    assert len(set(receiver.ids())) == 5


def test_a_subscription_hears_only_the_events_it_chose(
    story, subscription, receiver, django_capture_on_commit_callbacks
):
    subscription.events = [Event.WITHDRAWN]
    subscription.save()
    editor = make_editor()
    with django_capture_on_commit_callbacks(execute=True):
        story.publish(by=editor)
        story.withdraw(by=editor, reason="Legal")
    assert receiver.types() == ["story.withdrawn"]


@pytest.mark.parametrize("leave", ["withdraw", "embargo"])
def test_a_story_leaving_public_view_is_announced_by_id_and_address_only(
    leave, story, receiver, django_capture_on_commit_callbacks
):
    editor = make_editor()
    story.publish(by=editor)
    receiver.deliveries.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if leave == "withdraw":
            story.withdraw(by=editor, reason="Legal")
        else:
            story.embargo(by=editor, until=timezone.now() + timedelta(days=1))
    (delivery,) = receiver.deliveries
    assert set(delivery["body"]["data"]) == {"id", "canonical_url"}
    message = OutboxMessage.objects.get(event_type=delivery["body"]["type"])
    assert "Roadmap signed" not in message.body
    assert SECRET_WORDS not in message.body


def test_a_draft_put_under_embargo_sends_nothing_of_its_text(
    story, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story.embargo(by=make_editor(), until=timezone.now() + timedelta(days=1))
    (delivery,) = receiver.deliveries
    assert delivery["body"]["type"] == "story.embargoed"
    assert set(delivery["body"]["data"]) == {"id", "canonical_url"}
    assert SECRET_WORDS not in OutboxMessage.objects.get(kind="webhook").body


def test_an_editor_marking_a_live_story_updated_sends_story_updated(
    story, receiver, django_capture_on_commit_callbacks
):
    editor = make_editor()
    story.publish(by=editor)
    receiver.deliveries.clear()
    with django_capture_on_commit_callbacks(execute=True):
        story.mark_updated(by=editor, note="New figures from the ministry")
    (delivery,) = receiver.deliveries
    assert delivery["body"]["type"] == "story.updated"
    assert delivery["body"]["data"]["headline"] == "Roadmap signed"


def test_edits_to_a_story_readers_cannot_see_send_nothing(story, receiver):
    workflow.record_event(story, ArticleEvent.Action.EDIT, by=make_editor())
    assert not OutboxMessage.objects.filter(kind=OutboxMessage.Kind.WEBHOOK).exists()


def test_scheduled_go_live_sends_exactly_one_story_published(
    story, receiver, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        story.publish(by=make_editor(), at=now + timedelta(hours=1))
    assert receiver.deliveries == []  # scheduled is not public yet
    later = now + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.mark_due_stories_live(at=later)
        workflow.mark_due_stories_live(at=later)  # cron ran twice
    assert receiver.types() == ["story.published"]


def test_an_embargo_lifting_at_its_time_sends_one_story_embargo_lifted_with_the_story(
    story, receiver, django_capture_on_commit_callbacks
):
    editor, now = make_editor(), timezone.now()
    story.publish(by=editor)
    story.embargo(by=editor, until=now + timedelta(hours=1))
    receiver.deliveries.clear()
    later = now + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.record_due_lifts_and_withdrawals(at=now + timedelta(minutes=30))  # not yet
        workflow.record_due_lifts_and_withdrawals(at=later)
        workflow.record_due_lifts_and_withdrawals(at=later)  # cron ran twice
    (delivery,) = receiver.deliveries
    assert delivery["body"]["type"] == "story.embargo_lifted"
    assert delivery["body"]["data"]["headline"] == "Roadmap signed"
    assert story.events.filter(action=ArticleEvent.Action.LIFTED_ON_SCHEDULE).count() == 1


def test_a_story_withdrawn_at_its_time_sends_one_story_withdrawn_naming_it_only(
    story, receiver, django_capture_on_commit_callbacks
):
    editor, now = make_editor(), timezone.now()
    story.publish(by=editor)
    workflow.schedule_withdrawal(story, by=editor, at=now + timedelta(hours=1), reason="Rights")
    receiver.deliveries.clear()
    later = now + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.record_due_lifts_and_withdrawals(at=later)
        workflow.record_due_lifts_and_withdrawals(at=later)
    (delivery,) = receiver.deliveries
    assert delivery["body"]["type"] == "story.withdrawn"
    assert set(delivery["body"]["data"]) == {"id", "canonical_url"}
    assert story.events.filter(action=ArticleEvent.Action.WITHDRAWN_ON_SCHEDULE).count() == 1


def test_a_cancelled_withdrawal_is_never_recorded(story, receiver):
    editor, now = make_editor(), timezone.now()
    story.publish(by=editor)
    workflow.schedule_withdrawal(story, by=editor, at=now + timedelta(hours=1), reason="Rights")
    workflow.cancel_withdrawal(story, by=editor)
    assert workflow.record_due_lifts_and_withdrawals(at=now + timedelta(hours=2)) == []


def test_two_go_live_records_of_the_same_moment_make_one_message(story, receiver):
    """What two `publish_due` runs racing on a database without row locks could do:
    the idempotency id is unique, so the second insert is dropped."""
    story.publish(by=make_editor(), at=timezone.now() + timedelta(hours=1))
    story.published_at = timezone.now() - timedelta(minutes=1)
    story.save(update_fields=["published_at"])
    for _ in range(2):
        workflow.record_event(story, ArticleEvent.Action.WENT_LIVE, by=None)
    assert OutboxMessage.objects.filter(event_type=Event.PUBLISHED).count() == 1


def test_a_subscription_failing_repeatedly_is_switched_off_and_admins_are_told(
    story, subscription, receiver, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.ADMINS = [("Ops", "ops@newsroom.test")]
    settings.NEWSROOM_WEBHOOK_FAILURE_LIMIT = 3
    receiver.answer = 500
    with django_capture_on_commit_callbacks(execute=True):
        story.publish(by=make_editor())
    message = OutboxMessage.objects.get(kind=OutboxMessage.Kind.WEBHOOK)
    for _ in range(4):
        message.refresh_from_db()
        outbox.deliver(message.message_id, at=message.next_attempt_at)
    subscription.refresh_from_db()
    message.refresh_from_db()
    assert not subscription.is_active
    assert message.attempts == 3  # the fourth was never made
    (notice,) = [mail for mail in mailoutbox if "ops@newsroom.test" in mail.to]
    assert "Wire partner" in notice.subject


def test_a_failing_mail_server_leaves_the_email_in_the_outbox_for_a_retry(
    story, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    from articles import notifications
    from tests.factories import make_author, make_journalist

    author = make_journalist(email="samir@newsroom.test")
    story = make_article(status=Status.DRAFT, authors=[make_author(author)])
    real = notifications.send_mail

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        story.publish(by=make_editor())
    message = OutboxMessage.objects.get(kind=OutboxMessage.Kind.EMAIL)
    assert message.status == OutboxMessage.Status.PENDING
    monkeypatch.setattr(notifications, "send_mail", real)
    outbox.deliver_due(at=message.next_attempt_at)
    (mail,) = mailoutbox
    assert mail.subject.startswith("Published:")


def test_the_delivery_log_redelivers_with_the_same_idempotency_id(
    story, receiver, admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story.publish(by=make_editor())
    message = OutboxMessage.objects.get(kind=OutboxMessage.Kind.WEBHOOK)
    assert admin_client.get("/admin/webhooks/outboxmessage/").status_code == 200
    assert (
        admin_client.get(f"/admin/webhooks/outboxmessage/{message.pk}/change/").status_code == 200
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/webhooks/outboxmessage/",
            {"action": "redeliver", "_selected_action": [message.pk]},
        )
    assert response.status_code == 302
    assert receiver.ids() == [message.message_id, message.message_id]


def test_a_subscription_is_made_in_the_admin_with_a_standard_webhooks_secret(admin_client):
    response = admin_client.post(
        "/admin/webhooks/subscription/add/",
        {
            "name": "Aggregator",
            "url": "https://hooks.example.org/newsroom",
            "events": ["story.published", "story.corrected"],
            "is_active": "on",
            "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        },
    )
    assert response.status_code == 302, response.content
    subscription = Subscription.objects.get()
    assert subscription.events == ["story.published", "story.corrected"]
    assert Subscription().secret.startswith("whsec_")
