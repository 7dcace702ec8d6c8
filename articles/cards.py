"""Story cards, rendered once per version of the story.

A list page is mostly cards (headline, standfirst, section, bylines, date and,
on the front page, the lead picture), and rendering twenty of them was nearly
half of its time, reading their bylines and renditions a quarter of the rest.
A card depends on the story and on what it shows of its links alone, so each
story's cards are kept in the cache under its id and last save, with the
surrogate keys they show (`surrogates.shown`) and the moment their reading
began: the page cache's rule (newsroom/pagecache/middleware.py), checked for
every card of a page in one query. An edit, a byline, a renamed author or
section, a re-cropped picture purges a key, and the next view renders afresh.

Only the stories whose cards are rendered afresh have their links read, all
in one batch (`card_prefetches()`), so a page whose cards are all kept reads
the stories' rows and nothing else of them.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.utils import translation

from newsroom.pagecache.middleware import stale_among

from . import surrogates
from .models import card_prefetches

# Bump when article_card.html changes shape, so a shared cache (Redis) that
# outlives a deploy does not serve the old markup.
VERSION = 1
# A bound on how long cards are kept whatever their keys say.
SECONDS = 60 * 60


@dataclass
class Entry:
    started: datetime  # when reading began: any purge since makes the cards stale
    keys: frozenset[str]
    html: dict[str, str] = field(default_factory=dict)  # by variant


def _cache_key(story) -> str:
    version = story.updated_at.isoformat() if story.updated_at else ""
    return f"story-cards:{VERSION}:{translation.get_language()}:{story.pk}:{version}"


class Cards:
    """The cards of one page's `stories`, read after `began`; `prefetches` are what
    their cards show of their links (none for compact cards, which print no byline
    or picture). What else the page keeps (`along`: its `StoryParts`) is checked
    against purges in the cards' query (each gives its `pending()` entries, then is
    told which are stale: `settle()`)."""

    def __init__(self, stories, *, began: datetime, prefetches=None, along=()):
        self.stories = {story.pk: story for story in stories}
        self.prefetches = card_prefetches() if prefetches is None else prefetches
        names = {pk: _cache_key(story) for pk, story in self.stories.items()}
        kept = cache.get_many(names.values())
        found = {pk: kept[name] for pk, name in names.items() if name in kept}
        others = {name: entry for piece in along for name, entry in piece.pending().items()}
        stale = stale_among({**found, **others})
        for piece in along:
            piece.settle(stale)
        self.entries = {pk: entry for pk, entry in found.items() if pk not in stale}
        self.names = names
        self.changed = set()
        self._read([pk for pk in self.stories if pk not in self.entries], began)

    def _read(self, pks, began):
        """Read the links of the stories `pks` and start their entries afresh."""
        stories = [self.stories[pk] for pk in pks]
        if not stories:
            return
        prefetch_related_objects(stories, *self.prefetches)
        for story in stories:
            kept = self.entries.get(story.pk)
            self.entries[story.pk] = Entry(
                started=kept.started if kept else began,
                keys=frozenset(surrogates.shown(story)),
                html=kept.html if kept else {},
            )
            self.changed.add(story.pk)

    @property
    def keys(self) -> set[str]:
        """The surrogate keys of everything the cards show."""
        return set().union(*(entry.keys for entry in self.entries.values()))

    def card(self, story, variant: str, render) -> str:
        """The card of `story` in `variant`, from the cache or from `render()`."""
        entry = self.entries.get(story.pk)
        if entry is None or self.stories.get(story.pk) is not story:
            return render()  # not one of this page's stories: nothing to keep
        html = entry.html.get(variant)
        if html is None:
            if story.pk not in self.changed:
                # Kept without this variant (another page's): read its links now.
                self._read([story.pk], entry.started)
            html = self.entries[story.pk].html[variant] = render()
            self.changed.add(story.pk)
        return html

    def save(self, response=None):
        """Keep what this page rendered (a post-render callback)."""
        changed = {self.names[pk]: self.entries[pk] for pk in self.changed if self.entries[pk].html}
        if changed:
            cache.set_many(changed, SECONDS)
