"""A Redis cache that a Redis outage makes slower, never broken.

Django's `RedisCache` lets a refused connection or a timeout escape into the
page, so an unreachable Redis answers every story page with a 500 (the mention
matcher reads its version from the cache on every page). `ResilientRedisCache`
answers those operations as misses instead: `get` gives the default, `set`,
`add`, `delete` and friends do nothing and say so (False), `incr` finds no key.

Only the "Redis is not answering" errors are caught (`ConnectionError`, which
covers refused and reset connections, authentication and loading; and
`TimeoutError`); any other Redis error is a bug and still raises.

An outage is logged once per process, when it starts, and once when Redis
answers again. After a failure the cache rests for `retry_after` seconds
(OPTIONS; settings read `REDIS_RETRY_AFTER`), answering misses at once, so a
hung Redis costs one socket timeout per rest period, not one per operation.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
DEFAULT_RETRY_AFTER = 5.0


def server_name(url: str) -> str:
    """host:port/db of a Redis URL, without user name or password (it goes in logs)."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 6379}{parts.path}"


class _Health:
    """Whether one Redis answers, shared by every thread's cache object in the process."""

    def __init__(self, name: str):
        self.name = name
        self.is_down = False
        self.retry_at = 0.0
        self._lock = threading.Lock()

    def is_resting(self) -> bool:
        return self.is_down and time.monotonic() < self.retry_at

    def failed(self, error: Exception, retry_after: float) -> None:
        with self._lock:
            started = not self.is_down
            self.is_down, self.retry_at = True, time.monotonic() + retry_after
        if started:
            logger.warning(
                "Cache %s is unreachable (%s): pages are served without it, retrying every %g s.",
                self.name,
                error,
                retry_after,
            )

    def answered(self) -> None:
        if not self.is_down:  # the usual case: no lock
            return
        with self._lock:
            recovered, self.is_down = self.is_down, False
        if recovered:
            logger.info("Cache %s is reachable again.", self.name)


_HEALTH: dict[str, _Health] = {}
_HEALTH_LOCK = threading.Lock()


def _health_of(servers) -> _Health:
    name = ", ".join(server_name(server) for server in servers)
    with _HEALTH_LOCK:
        return _HEALTH.setdefault(name, _Health(name))


class ResilientRedisCache(RedisCache):
    """`RedisCache`, with an unreachable Redis answering every operation as a miss."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("retry_after", DEFAULT_RETRY_AFTER))
        super().__init__(server, {**params, "OPTIONS": options})
        self._health = _health_of(self._servers)

    def _attempt(self, operation, miss, *args, **kwargs):
        """`operation(*args, **kwargs)` on Redis, or `miss()` when Redis does not answer."""
        health = self._health
        if health.is_resting():
            return miss()
        try:
            result = operation(*args, **kwargs)
        except UNREACHABLE as error:
            health.failed(error, self.retry_after)
            return miss()
        health.answered()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(super().add, lambda: False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._attempt(super().get, lambda: default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(super().set, lambda: None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(super().touch, lambda: False, key, timeout, version)

    def delete(self, key, version=None):
        return self._attempt(super().delete, lambda: False, key, version)

    def get_many(self, keys, version=None):
        return self._attempt(super().get_many, dict, keys, version)

    def has_key(self, key, version=None):
        return self._attempt(super().has_key, lambda: False, key, version)

    def incr(self, key, delta=1, version=None):
        def not_found():
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")

        return self._attempt(super().incr, not_found, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # set_many() returns the keys it failed to store: all of them.
        return self._attempt(super().set_many, lambda: list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._attempt(super().delete_many, lambda: None, keys, version)

    def clear(self):
        return self._attempt(super().clear, lambda: False)
