"""The parts of a story page made of the story alone, rendered once per version.

The social tags, the story itself (body with first mentions linked and library
figures, corrections, topics, "In this story") and its JSON-LD depend only on
the story and the things it links to, yet took most of a rendered page's time:
the prefetches of every link, the mention linking, the structured data. They
are kept in the cache under the story's id and last save, with the surrogate
keys they were built from and the moment their reading began, the page cache's
rule (newsroom/pagecache/middleware.py): they are used again while none of
those keys was purged since, one primary-key lookup. An edit of the story
changes its key; a renamed person, a new role, a retitled tag, a re-cropped
picture purges a key of theirs, and the next view renders afresh.

What changes without the story changing is never in them: related stories
(their visibility is checked at every view, `articles/related.py`), the site
furniture, anything of the request.
"""

import functools
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.utils import timezone, translation

from newsroom.pagecache.middleware import unpurged_since

from . import surrogates
from .body import body_figures
from .models import story_page_prefetches
from .related import story_links

# Bump when the parts' templates change shape, so a shared cache (Redis) that
# outlives a deploy does not serve the old markup.
VERSION = 1
# A bound on how long parts are kept whatever their keys say.
SECONDS = 60 * 60


@dataclass
class Entry:
    started: datetime  # when reading began: any purge since makes the parts stale
    keys: frozenset[str]
    links: list  # what related stories are ranked from (`related.story_links`)
    parts: dict[str, str] = field(default_factory=dict)


def _cache_key(story) -> str:
    version = story.updated_at.isoformat() if story.updated_at else ""
    return f"story-parts:{VERSION}:{translation.get_language()}:{story.pk}:{version}"


def keys_of(story) -> frozenset[str]:
    """What the parts show, as surrogate keys: the story page's own keys, and the
    pictures in them (the body's figures, people's photos, organisations' logos)."""
    keys = surrogates.shown(story, detail=True)
    pictures = {figure.image_id for figure in body_figures(story.body or "")}
    pictures.update(person.photo_id for person in story.people.all())
    pictures.update(organisation.logo_id for organisation in story.organisations.all())
    keys.update(surrogates.own("image", pk) for pk in pictures if pk)
    return frozenset(keys)


class StoryParts:
    """One view's parts of `story` (read, without its links, after `began`).

    Parts found in the cache are checked against purges once: with the page's
    related cards, in their query (`Cards(..., along=[parts])` calls `pending()`
    then `settle()`), or on their own the first time they are used."""

    def __init__(self, story, *, began: datetime):
        self.story = story
        self.began = began
        self.cache_key = _cache_key(story)
        entry = cache.get(self.cache_key)
        self.changed = entry is None
        self.settled = self.changed
        self.entry = self._read(began) if self.changed else entry

    def pending(self) -> dict:
        """{name: entry} of what is still to be checked against purges."""
        return {} if self.settled else {self.cache_key: self.entry}

    def settle(self, stale) -> None:
        """Checked: read afresh if the entry's name is among the `stale`."""
        if not self.settled and self.cache_key in stale:
            self.entry = self._read(self.began)
            self.changed = True
        self.settled = True

    def _checked(self) -> Entry:
        if not self.settled:
            fresh = unpurged_since(self.entry.keys, self.entry.started)
            self.settle(set() if fresh else {self.cache_key})
        return self.entry

    def _read(self, began):
        """The story's links, prefetched as `for_story_page()` does, and their keys."""
        story = self.story
        prefetch_related_objects([story], *story_page_prefetches())
        story.prefetch_renditions()
        self.loaded = True
        return Entry(started=began, keys=keys_of(story), links=list(story_links(story)))

    @property
    def keys(self) -> frozenset[str]:
        return self._checked().keys

    @property
    def links(self) -> list:
        """The story's links, as kept: read them before the check (to rank related
        stories whose cards are checked with the parts), and again after it."""
        return self.entry.links

    def people_in_story(self):
        """(person, roles held on the day the story was published), for "In this story";
        the template calls it, and only when the part is rendered."""
        return self._people

    @functools.cached_property
    def _people(self):
        published_on = timezone.localdate(self.story.published_at)
        return [(person, person.roles_on(published_on)) for person in self.story.people.all()]

    def part(self, name: str, render) -> str:
        """The part `name`, from the cache or from `render()`."""
        html = self._checked().parts.get(name)
        if html is None:
            if not getattr(self, "loaded", False):
                # Kept without this part (another template's): read the links now.
                parts = self.entry.parts
                self.entry = self._read(self.entry.started)
                self.entry.parts.update(parts)
            html = self.entry.parts[name] = render()
            self.changed = True
        return html

    def save(self, response=None):
        """Keep what this view rendered (a post-render callback)."""
        if self.changed and self.entry.parts:
            cache.set(self.cache_key, self.entry, SECONDS)
