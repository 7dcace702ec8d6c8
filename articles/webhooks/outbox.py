"""The outbox: messages written with the change, delivered by the task worker.

Writing: `add()` inserts rows in the caller's transaction (a duplicate
idempotency id is skipped by the database, never sent twice) and asks for a
task per row once the transaction commits. Delivering: `deliver()` claims a row
with one conditional UPDATE (a lease), so two workers, or a task and the cron
sweep, never send the same message at once; a message acknowledged once is
never sent again. A failure is retried with exponential backoff until
NEWSROOM_OUTBOX_RETRY_HOURS after the event; a subscription failing
NEWSROOM_WEBHOOK_FAILURE_LIMIT times in a row is switched off and the admins
are told. `enqueue_due()` (the `send_outbox` command, from cron) hands the
worker every row whose task was lost: a crash after commit, a killed worker.
"""

import json
import logging
import smtplib
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import mail_admins
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import signing
from .models import OutboxMessage, Subscription

logger = logging.getLogger(__name__)

# The first retry waits this long, each next one twice as long, up to CAP.
BACKOFF = timedelta(seconds=30)
CAP = timedelta(hours=4)


class DeliveryFailed(Exception):
    def __init__(self, error: str, response_code: int | None = None):
        super().__init__(error)
        self.response_code = response_code


def add(messages: list[OutboxMessage]) -> list[str]:
    """Write `messages` in the current transaction; deliver each after commit."""
    if not messages:
        return []
    OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
    ids = [message.message_id for message in messages]
    for message_id in ids:
        # robust: a queue that is down must not undo the change; cron sends it later.
        transaction.on_commit(partial(enqueue, message_id), robust=True)
    return ids


def enqueue(message_id: str, *, run_after: datetime | None = None) -> None:
    from .tasks import deliver_message

    task = deliver_message
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the cron sweep sends it when it is due
        task = task.using(run_after=run_after)
    task.enqueue(message_id)


def enqueue_due(at: datetime | None = None) -> int:
    """Hand the worker every message that is due and held by no worker."""
    ids = list(
        OutboxMessage.objects.due(at)
        .exclude(subscription__is_active=False)
        .values_list("message_id", flat=True)
    )
    for message_id in ids:
        enqueue(message_id)
    return len(ids)


def deliver_due(at: datetime | None = None) -> int:
    """Send every due message in this process (no worker); returns how many were tried."""
    ids = list(OutboxMessage.objects.due(at).values_list("message_id", flat=True))
    for message_id in ids:
        deliver(message_id, at=at)
    return len(ids)


def redeliver(messages) -> int:
    """Send again, as new, with the same idempotency id (the admin's action)."""
    now = timezone.now()
    ids = list(messages.values_list("message_id", flat=True))
    messages.update(
        status=OutboxMessage.Status.PENDING, next_attempt_at=now, created_at=now, leased_until=None
    )
    for message_id in ids:
        transaction.on_commit(partial(enqueue, message_id), robust=True)
    return len(ids)


def _claim(message_id: str, at: datetime) -> OutboxMessage | None:
    lease = at + timedelta(seconds=settings.NEWSROOM_OUTBOX_LEASE_SECONDS)
    claimed = OutboxMessage.objects.due(at).filter(message_id=message_id).update(leased_until=lease)
    if not claimed:
        return None
    return OutboxMessage.objects.select_related("subscription").get(message_id=message_id)


def deliver(message_id: str, *, at: datetime | None = None) -> OutboxMessage | None:
    """Try to send one message now; returns it, or None if it was not ours to send."""
    at = at or timezone.now()
    message = _claim(message_id, at)
    if message is None:
        return None
    if message.kind == OutboxMessage.Kind.WEBHOOK and not message.subscription.is_active:
        # Kept pending: switching the subscription back on sends it, while still due.
        OutboxMessage.objects.filter(pk=message.pk).update(leased_until=None)
        return message
    started = time.monotonic()
    try:
        code = _send(message)
    except DeliveryFailed as failure:
        _failed(message, at, failure, started)
    else:
        _succeeded(message, at, code, started)
    return message


def _send(message: OutboxMessage) -> int | None:
    if message.kind == OutboxMessage.Kind.EMAIL:
        from articles import notifications

        try:
            notifications.send(message.article_event_id)
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
        return None
    return post(message)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect is a failure (Standard Webhooks): the body is signed for this address.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(message: OutboxMessage) -> int:
    """POST the signed body; the response code, or `DeliveryFailed` unless it is 2xx."""
    body = message.body.encode()
    timestamp = int(time.time())
    headers = signing.headers(message.subscription.secret, message.message_id, timestamp, body)
    request = urllib.request.Request(
        message.subscription.url,
        data=body,
        method="POST",
        headers={
            **headers,
            "Content-Type": "application/json",
            "User-Agent": "Newsroom-Webhooks/1",
        },
    )
    try:
        with _opener.open(request, timeout=settings.NEWSROOM_WEBHOOK_TIMEOUT) as response:
            code = response.status
    except urllib.error.HTTPError as error:
        raise DeliveryFailed(f"HTTP {error.code}", error.code) from error
    except (urllib.error.URLError, OSError) as error:
        raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
    if not 200 <= code < 300:
        raise DeliveryFailed(f"HTTP {code}", code)
    return code


def _elapsed_ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _succeeded(message: OutboxMessage, at: datetime, code: int | None, started: float) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.DELIVERED,
        attempts=F("attempts") + 1,
        last_attempt_at=at,
        delivered_at=timezone.now(),
        response_code=code,
        duration_ms=_elapsed_ms(started),
        last_error="",
        leased_until=None,
    )
    if message.subscription_id:
        Subscription.objects.filter(pk=message.subscription_id).update(consecutive_failures=0)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min … up to 4 h."""
    return min(BACKOFF * 2 ** (attempts - 1), CAP)


def _failed(message: OutboxMessage, at: datetime, failure: DeliveryFailed, started: float) -> None:
    attempts = message.attempts + 1
    next_at = at + backoff(attempts)
    gives_up = next_at > message.gives_up_at
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.FAILED if gives_up else OutboxMessage.Status.PENDING,
        attempts=attempts,
        last_attempt_at=at,
        next_attempt_at=next_at,
        response_code=failure.response_code,
        duration_ms=_elapsed_ms(started),
        last_error=str(failure)[:2000],
        leased_until=None,
    )
    logger.warning("outbox: %s not delivered (attempt %s): %s", message, attempts, failure)
    if message.subscription_id:
        _count_failure(message.subscription_id)
    if not gives_up:
        try:
            enqueue(message.message_id, run_after=next_at)
        except Exception:  # noqa: BLE001 the cron sweep retries it; the failure is logged
            logger.exception("outbox: could not queue the retry of %s", message)


def _count_failure(subscription_id: int) -> None:
    limit = settings.NEWSROOM_WEBHOOK_FAILURE_LIMIT
    Subscription.objects.filter(pk=subscription_id).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    # One UPDATE decides who switches it off, so the admins hear it once.
    switched_off = Subscription.objects.filter(
        pk=subscription_id, is_active=True, consecutive_failures__gte=limit
    ).update(is_active=False, disabled_at=timezone.now())
    if switched_off:
        subscription = Subscription.objects.get(pk=subscription_id)
        mail_admins(
            f"Webhook switched off: {subscription.name}",
            f"The webhook “{subscription.name}” ({subscription.url}) failed {limit} times in a "
            "row and has been switched off. Its messages wait in the outbox; switch it back "
            "on in the admin once the receiver works, and redeliver what gave up.",
        )


def body_of(message: OutboxMessage) -> dict:
    return json.loads(message.body) if message.body else {}
