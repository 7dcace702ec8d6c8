"""Purging: marking keys out of date, for this process's cache, every other
process's, and the cache in front.

A purge is written in the transaction of the change it follows, so it can
never be lost while the change lands, and written again once the change has
committed: a page rendered between the two read the data as it was, and must
count as stale too (see `PageCacheMiddleware`).
"""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import PurgedKey

logger = logging.getLogger(__name__)


def _mark(keys: list[str]) -> None:
    now = timezone.now()
    PurgedKey.objects.bulk_create(
        [PurgedKey(key=key, purged_at=now) for key in keys],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["purged_at"],
    )


def purge(keys: Iterable[str]) -> frozenset[str]:
    """Mark every page built from any of `keys` out of date. Returns the keys."""
    keys = frozenset(key for key in keys if key)
    if not keys:
        return keys
    ordered = sorted(keys)  # one lock order for every writer
    _mark(ordered)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _mark(ordered), robust=True)
    logger.debug("purged %s", " ".join(ordered))
    return keys
