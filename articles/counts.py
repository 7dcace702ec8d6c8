"""How many public stories a list holds, counted once for each change of the list.

A paginator's count ("Page 1 of 40") reads every story of the list: 5,000 for
a section of a 20,000-story archive, all of them for the story sitemap. It was
the one part of a list page whose cost grew with the archive. So a count is
kept in the cache with the list's surrogate keys and the moment its counting
began, and used again while none of those keys was purged since (the page
cache's rule, newsroom/pagecache/middleware.py: one primary-key lookup). A
story that joins or leaves a list purges its list key (`surrogates.story_changed`,
`surrogates.link_changed`); a story going live on time purges nothing, so no
count is kept past the next scheduled change (`surrogates.next_change`).
What is made of counts alone is kept the same way (the sitemap index's pages).
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from newsroom.pagecache.middleware import unpurged_since

from . import surrogates

# Bump when what a name counts changes, so a shared cache (Redis) that outlives
# a deploy does not answer with the old count.
VERSION = 1
# A bound on how long a count is kept whatever its keys say.
SECONDS = 60 * 60


@dataclass(frozen=True)
class Entry:
    value: object
    started: datetime  # when counting began: any purge since makes it stale
    keys: frozenset[str]
    until: datetime | None  # the next scheduled change of what readers see


def _is_current(entry: Entry, now: datetime) -> bool:
    if entry.until is not None and now >= entry.until:
        return False
    return unpurged_since(entry.keys, entry.started)


def remembered(name: str, keys, compute):
    """`compute()`, a count or what is made of counts of the lists whose pages carry
    the surrogate `keys`, computed again only once one of `keys` was purged."""
    return Remembered(name, keys).get("value", compute)


class Remembered:
    """What is made of one list (its count, the ids of its first pages), kept under
    `name` with the list's surrogate `keys` as one entry: checked against purges
    once, in one query, whichever parts a view asks for; a part not yet kept is
    computed and added (`get`). Parts computed later than the entry began are as
    current as it is: nothing they depend on was purged since it began."""

    def __init__(self, name: str, keys):
        self.cache_key = f"list:{VERSION}:{name}"
        self.keys = frozenset(keys)
        self.entry = None

    def _current(self) -> Entry:
        if self.entry is None:
            now = timezone.now()
            entry = cache.get(self.cache_key)
            if entry is None or entry.keys != self.keys or not _is_current(entry, now):
                entry = Entry({}, started=now, keys=self.keys, until=surrogates.next_change())
            self.entry = entry
        return self.entry

    def get(self, part, compute):
        """The kept `part`, or `compute()`'s value, kept from now on."""
        values = self._current().value
        if part not in values:
            self.keep(part, compute())
        return values[part]

    def kept(self, part, default=None):
        return self._current().value.get(part, default)

    def keep(self, part, value) -> None:
        self._current().value[part] = value
        cache.set(self.cache_key, self.entry, SECONDS)


class CountedList:
    """A queryset to page through whose length is the remembered count of `counted`
    (default: the queryset itself) under `name` and `keys`."""

    def __init__(self, queryset, *, name: str, keys, counted=None):
        self.queryset = queryset
        self.name, self.keys = name, keys
        self.counted = queryset if counted is None else counted

    def count(self) -> int:
        return remembered(self.name, self.keys, self.counted.count)

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        return self.queryset[key]
