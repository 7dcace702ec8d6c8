"""Purging: marking keys out of date, for this process's cache, every other
process's, and the cache in front.

A purge is written in the transaction of the change it follows, so it can
never be lost while the change lands, and written again once the change has
committed: a page rendered between the two read the data as it was, and must
count as stale too (see `PageCacheMiddleware`).

The same rows are the outbox of the cache in front (`PurgedKey.sent_at`): once
the change has committed, the task worker sends its keys through the configured
backend (`backends.py`) and marks them sent, so an editor's request never waits
on the cache in front. A send that fails is logged and left due, never raised
into the editor's request; `send_purges` (cron) sends what is due again, and so
catches a task lost with a worker or a queue.
"""

import logging
import time
from collections.abc import Iterable, Sequence
from functools import partial

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from . import backends
from .models import PurgedKey

logger = logging.getLogger(__name__)

# Keys per send from the outbox; the backend splits them further if it must.
BATCH = 500


def _mark(keys: list[str]) -> None:
    now = timezone.now()
    PurgedKey.objects.bulk_create(
        [PurgedKey(key=key, purged_at=now) for key in keys],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["purged_at"],
    )


def send(keys: Sequence[str]) -> bool:
    """Send `keys` to the cache in front and mark them sent; False, with a
    warning logged and the keys left due, when it did not accept them."""
    if not keys:
        return True
    # A purge after this moment is not covered by this send: it stays due.
    started = timezone.now()
    try:
        backends.backend().send(keys)
    except backends.PurgeFailed as error:
        logger.warning("purge not sent, left for send_purges: %s (%s)", error, " ".join(keys))
        return False
    except ImproperlyConfigured as error:
        logger.error("purge not sent, the purge backend is misconfigured: %s", error)
        return False
    PurgedKey.objects.filter(key__in=keys, purged_at__lte=started).update(sent_at=started)
    return True


def _flush(connection) -> None:
    """Mark again and send every key purged on `connection` and not yet sent.

    Each purge of a transaction registers this, and the first to run after the
    commit sends the keys of all of them, at once: one admin save fires a purge
    per story, link and byline, and a cache that does not answer must cost it one
    timeout, not ten. (Keys of a transaction that rolled back go out with the next
    one's: a purge too many is harmless.)
    """
    keys = sorted(getattr(connection, "_newsroom_purges", ()))
    connection._newsroom_purges = set()
    if keys:
        _mark(keys)
        _queue(keys)


def _queue(keys: list[str]) -> None:
    """Have the task worker send `keys`; sent from here if the queue is out of reach,
    or when there is no cache in front to send them to (the log backend)."""
    from .tasks import send_purges

    if not backends.is_in_front():
        send(keys)
        return
    try:
        send_purges.enqueue(keys)
    except Exception:
        logger.exception("purge not queued, sent from this process instead")
        send(keys)


def purge(keys: Iterable[str]) -> frozenset[str]:
    """Mark every page built from any of `keys` out of date, and tell the cache in
    front once the change has committed. Returns the keys."""
    keys = frozenset(key for key in keys if key)
    if not keys:
        return keys
    ordered = sorted(keys)  # one lock order for every writer
    _mark(ordered)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        pending = getattr(connection, "_newsroom_purges", set())
        pending.update(ordered)
        connection._newsroom_purges = pending
        transaction.on_commit(partial(_flush, connection), robust=True)
    else:
        _queue(ordered)
    logger.debug("purged %s", " ".join(ordered))
    return keys


def send_due(*, attempts: int = 3, wait: float = 2.0) -> tuple[int, int]:
    """Send every due key, each batch tried up to `attempts` times `wait` seconds
    apart (doubling). Returns (keys sent, keys still due)."""
    due = list(PurgedKey.objects.due().order_by("key").values_list("key", flat=True))
    sent = failed = 0
    for start in range(0, len(due), BATCH):
        batch = due[start : start + BATCH]
        if _send_with_retry(batch, attempts=attempts, wait=wait):
            sent += len(batch)
        else:
            failed += len(batch)
    return sent, failed


def _send_with_retry(keys: list[str], *, attempts: int, wait: float) -> bool:
    for attempt in range(attempts):
        if attempt:
            time.sleep(wait * 2 ** (attempt - 1))
        if send(keys):
            return True
    return False
