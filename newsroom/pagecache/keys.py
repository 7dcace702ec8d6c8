"""What a public response was built from, named as surrogate keys.

A view calls `tag(response, keys, until=...)`; the page cache stores only tagged
responses, and the keys go out in the header the configured cache in front
reads (`NEWSROOM_SURROGATE_KEY_HEADER`: `xkey` for Varnish, `Surrogate-Key` for
Fastly, `Cache-Tag` for Cloudflare). Keys are short ASCII words without spaces.
"""

from collections.abc import Iterable
from datetime import datetime

ATTRIBUTE = "surrogate_keys"
UNTIL = "cache_until"


def tag(response, keys: Iterable[str], *, until: datetime | None = None):
    """Mark `response` public and cacheable, built from `keys`, until `until` at latest
    (the next scheduled change that would alter it). Returns the response."""
    named = getattr(response, ATTRIBUTE, set())
    named.update(keys)
    setattr(response, ATTRIBUTE, named)
    if until is not None:
        earliest = getattr(response, UNTIL, None)
        setattr(response, UNTIL, until if earliest is None else min(earliest, until))
    return response


def keys_of(response) -> frozenset[str]:
    return frozenset(getattr(response, ATTRIBUTE, ()))


def until_of(response) -> datetime | None:
    return getattr(response, UNTIL, None)
