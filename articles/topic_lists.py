"""A topic page's stories, newest first, each page read by the plan the topic's size calls for.

Finding a topic's newest public stories has two plans, and each is only good
for some topics:

- walking the public stories newest first (the `(status, published_at)`
  index), keeping those with a link to the topic, reads about
  20 × archive / topic stories for a page of 20: next to nothing for a
  country in a story out of ten, the whole archive for a tag on two stories
  of 2021 (150 ms at 20,000 stories);
- starting from the topic's own links (their index), each story checked and
  dated by primary key, then sorted, reads every story of the topic: next
  to nothing for a small topic, thousands of rows for a big one.

Planners cannot tell which from the SQL (SQLite walks, whatever the topic), but
the counts can: the topic's is already at hand (`counts.py`), the archive's is
kept for ten minutes. The links read `count` stories, the walk about
`last × archive / count` for a page ending at story `last`; whichever is fewer
is taken (`reads_from_links`; up to `FEW` stories, the links, without asking),
so neither reads more than about `sqrt(last × archive)`: 630 rows for a first
page at 20,000 stories. A fixed bound would not do: an author on one story in
twenty has 100 at 2,000 stories and 1,000 at 20,000, where the walk finds a
page in 400. Either way a page is one query.
"""

import functools

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Subquery

from .counts import Remembered
from .models import Article

# Up to this many stories the links are read whatever the archive's size: as
# cheap as any walk, and the archive's count is not asked for.
FEW = 200
ARCHIVE_KEY = "topic-lists:archive-size"
ARCHIVE_SECONDS = 10 * 60
# The ids of a topic's pages up to this story are kept with its count: the pages
# readers visit; a crawler's walk through the rest is not worth keeping.
REMEMBERED_STORIES = 200


def reads_from_links(count: int, last: int) -> bool:
    """Whether a page ending at story `last` of a topic of `count` public stories is
    found sooner from the topic's links than by walking the public stories."""
    if count <= max(FEW, last):
        return True
    return count * count <= last * archive_size()


def archive_size() -> int:
    """About how many stories are public. It only chooses a plan, never what a page
    shows, so it is kept for a while without checking purges (a query each time)."""
    return cache.get_or_set(ARCHIVE_KEY, Article.objects.published().count, ARCHIVE_SECONDS)


def links_to_public_stories(links, story="article_id"):
    """Those of `links` (rows naming a story in `story`) whose story is public.

    Counted from the topic's own links (their index), each story checked by
    primary key: counting the stories joined to the links instead has SQLite
    walk every public story of the archive to find the topic's.
    """
    public = Article.objects.published().filter(pk=OuterRef(story))
    return links.filter(Exists(public))


def newest_from_links(links, story="article_id"):
    """The ids of the public stories of `links`, newest first, read from the links."""
    published = Article.objects.filter(pk=OuterRef(story)).values("published_at")
    return (
        links_to_public_stories(links, story)
        .annotate(published=Subquery(published))
        .order_by("-published", f"-{story}")
        .values_list(story, flat=True)
    )


class TopicStories:
    """What a topic page's paginator pages through: its public stories, newest
    first. Its count and the ids of its first pages are kept as one entry, for each
    change of its list (`name`, `keys`: `counts.Remembered`); a page's ids are
    found by the plan the topic's size calls for, its stories then read by primary
    key. `stories()` builds the walk's queryset, asked for only when a page walks
    (building it costs a page as much as running it). `links` are the topic's link
    rows and their column naming the story, one row per story; None for a
    section, whose own index serves it."""

    def __init__(self, stories, links, *, name: str, keys):
        self.build_stories, self.links = stories, links
        self.remembered = Remembered(name, keys)

    @functools.cached_property
    def stories(self):
        return self.build_stories()

    def count(self) -> int:
        return self.remembered.get("count", self._count_afresh)

    def _count_afresh(self) -> int:
        if self.links is None:
            return self.stories.count()
        return links_to_public_stories(*self.links).count()

    def __len__(self):
        return self.count()

    def __getitem__(self, page):
        if not isinstance(page, slice) or page.step is not None:
            raise TypeError("TopicStories is read a page at a time, by a slice")
        start, stop = page.start or 0, page.stop if page.stop is not None else self.count()
        part = ("page", start, stop)
        ids = self.remembered.kept(part)
        if ids is None:
            stories = self._read(start, stop)
            if stop <= REMEMBERED_STORIES:
                self.remembered.keep(part, [story.pk for story in stories])
            return stories
        # By primary key, and the visibility rule on the rows: in SQL, SQLite walks
        # the public stories' index instead. A story may have left since its ids
        # were kept only by a change that purges the list, or at a scheduled change
        # the entry does not outlive; the rule holds the page to it regardless.
        rows = Article.objects.for_cards().filter(pk__in=ids).order_by()
        shown = {story.pk: story for story in rows if story.is_published()}
        return [shown[pk] for pk in ids if pk in shown]

    def _read(self, start, stop) -> list:
        """The page's stories by the plan the topic's size calls for: one query."""
        if self.links is None or not reads_from_links(self.count(), stop):
            return list(self.stories[start:stop])
        # The page's ids from the links, already held to the visibility rule; the
        # stories then by primary key, with none of the public lists' conditions
        # that would have SQLite walk their index.
        ids = newest_from_links(*self.links)[start:stop]
        return list(Article.objects.for_cards().filter(pk__in=ids).order_by("-published_at", "-pk"))
