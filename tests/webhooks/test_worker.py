"""The real workers, as separate processes: `db_worker` on the database backend and,
with REDIS_URL set, `rqworker` on RQ. Killing one, or the web process, between commit
and delivery loses nothing: the outbox row is there, and the worker sends it."""

import os

import pytest

from articles.webhooks import signing
from tests.redis_databases import redis_database
from tests.webhooks.receiver import Receiver
from tests.webhooks.worker import Newsroom, publish_story, status_of, wait_for


@pytest.fixture
def secret():
    return signing.new_secret()


@pytest.fixture
def receiver(secret):
    receiver = Receiver(secret).start()
    yield receiver
    receiver.release.set()
    receiver.stop()


@pytest.fixture
def newsroom(tmp_path):
    newsroom = Newsroom(tmp_path, "worker")
    yield newsroom
    newsroom.close()


DB_WORKER = ["db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"]


def webhook_id(ids):
    return next(message_id for message_id, kind in ids if kind == "webhook")


def test_a_worker_killed_mid_delivery_loses_nothing_the_next_one_delivers_it(
    newsroom, receiver, secret
):
    receiver.hold = True
    newsroom.start(*DB_WORKER, log="worker.log")
    ids = newsroom.script(publish_story(secret, receiver.url, headline="Roadmap signed"))
    assert receiver.holding.wait(30), newsroom.log("worker.log")
    process, _ = newsroom.processes[-1]
    process.kill()  # between commit and the receiver's answer
    process.wait(10)
    receiver.release.set()
    message_id = webhook_id(ids)
    assert newsroom.script(status_of(message_id))[0] == "pending"

    newsroom.start(*DB_WORKER, log="worker2.log")
    # Cron's sweep, once the dead worker's hold has run out, queues it again.
    sweep_until_delivered = lambda: newsroom.run("send_outbox") and receiver.deliveries  # noqa: E731
    assert wait_for(sweep_until_delivered, seconds=30), newsroom.log("worker2.log")
    assert receiver.ids() == [message_id]
    assert receiver.deliveries[0]["body"]["data"]["headline"] == "Roadmap signed"
    assert wait_for(lambda: newsroom.script(status_of(message_id))[0] == "delivered")


def test_a_process_that_dies_after_commit_leaves_its_email_and_webhook_for_the_worker(
    newsroom, receiver, secret
):
    ids = newsroom.script(
        publish_story(secret, receiver.url, headline="Talks resume", die_before_commit_hooks=True)
    )
    assert sorted(kind for _, kind in ids) == ["email", "webhook"]
    newsroom.start(*DB_WORKER, log="worker.log")
    assert "2 outbox messages queued" in newsroom.run("send_outbox")
    assert wait_for(lambda: receiver.deliveries), newsroom.log("worker.log")
    assert receiver.ids() == [webhook_id(ids)]
    # The console mail backend prints the email the worker sent.
    assert wait_for(lambda: "Subject: Published: Talks resume" in newsroom.log("worker.log"))
    for message_id, _ in ids:
        assert newsroom.script(status_of(message_id)) == ["delivered", 1]


def queue_redis(url: str) -> str:
    """A Redis database eight below REDIS_URL's: the suite's test processes clear
    their caches (FLUSHDB) on REDIS_URL's and the few below it (tests/conftest.py),
    which would empty the queue too."""
    return redis_database(url, 8)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (RQ on Redis)")
def test_rq_on_redis_delivers_a_signed_webhook(tmp_path, receiver, secret):
    redis_url = queue_redis(os.environ["REDIS_URL"])
    newsroom = Newsroom(tmp_path, "rq", NEWSROOM_TASKS="rq", REDIS_URL=redis_url)
    try:
        ids = newsroom.script(publish_story(secret, receiver.url, headline="Ships arrive"))
        newsroom.run("rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job")
        assert receiver.ids() == [webhook_id(ids)]
        assert newsroom.script(status_of(webhook_id(ids))) == ["delivered", 1]
    finally:
        newsroom.close()


def test_two_publish_due_runs_at_once_queue_one_story_published(newsroom, secret):
    setup = f"""
import json
from datetime import timedelta
from django.utils import timezone
from articles.models import Status
from articles.webhooks.models import Event, Subscription
from tests.factories import make_article, make_editor
Subscription.objects.create(
    name="Partner", url="http://127.0.0.1:9/hooks", secret={secret!r}, events=Event.values
)
story = make_article("Fleet sails", status=Status.DRAFT)
story.publish(by=make_editor(), at=timezone.now() + timedelta(seconds=2))
print(json.dumps(story.pk))
"""
    pk = newsroom.script(setup)
    wait_for(lambda: False, seconds=2.5)  # until it is due
    runs = [newsroom.start("publish_due", log=f"publish_due{n}.log") for n in range(2)]
    for run in runs:
        assert run.wait(60) == 0, newsroom.log("publish_due0.log") + newsroom.log(
            "publish_due1.log"
        )
    count = f"""
import json
from articles.webhooks.models import OutboxMessage
print(json.dumps(OutboxMessage.objects.filter(story_id={pk}, event_type="story.published").count()))
"""
    assert newsroom.script(count) == 1
