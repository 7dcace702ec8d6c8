"""The newsroom's surrogate keys: what each public page is built from, and what
each change makes out of date.

Two kinds of key:

- a thing's own key (`story-12`, `section-3`, `tag-7`, `person-5`,
  `organisation-2`, `country-9`, `image-4`): every page that *shows* it, so an
  edit or a rename purges each of them;
- a list's key (`home`, `list-section-3`, `list-tag-7`, `list-person-5`,
  `list-author-5`, `list-organisation-2`, `list-country-9`, `feeds`,
  `sitemaps`, `search`, `corrections`): every page of that list, so a story that *joins* it
  purges all of them, though none of them showed the story before.

`furniture` is on every page (the section navigation and the partners). A page
carries the own keys of everything it shows and the list keys of the lists it
is; a change to a story purges its own key (every page showing it) and, if it
is or was public, the list keys of every list it belongs to.
"""

from django.core.cache import cache
from django.utils import timezone

from newsroom.pagecache.keys import tag
from newsroom.pagecache.purge import purge

FURNITURE = "furniture"
HOME = "home"
FEEDS = "feeds"
SITEMAPS = "sitemaps"
SEARCH = "search"
CORRECTIONS = "corrections"

# The lists a story appears on, by its relation: (kind of the related thing, attribute).
LISTED_BY = (
    ("tag", "tags"),
    ("person", "people"),
    ("organisation", "organisations"),
    ("country", "countries"),
)


def own(kind: str, pk) -> str:
    return f"{kind}-{pk}"


def listing(kind: str, pk) -> str:
    return f"list-{kind}-{pk}"


def _byline_people(story):
    """The story's bylined people, from its prefetched bylines only: a card that
    prints no bylines (a related story) needs no key for them."""
    if "bylines" not in getattr(story, "_prefetched_objects_cache", {}):
        return []
    return [byline.person for byline in story.bylines.all()]


def shown(story, *, detail=False) -> set[str]:
    """Own keys of what a page showing `story` shows of it: a card (headline,
    section, bylines, lead image) or, with `detail`, the whole story page."""
    keys = {own("story", story.pk)}
    # Read only what was loaded: a card that leaves out its picture (a related
    # story) neither shows it nor needs its key.
    loaded = vars(story)
    if loaded.get("section_id"):
        keys.add(own("section", loaded["section_id"]))
    if loaded.get("lead_image_id"):
        keys.add(own("image", loaded["lead_image_id"]))
    keys.update(own("person", person.pk) for person in _byline_people(story))
    if detail:
        for kind, attribute in LISTED_BY:
            keys.update(own(kind, item.pk) for item in getattr(story, attribute).all())
    return keys


def lists_of(story) -> set[str]:
    """List keys of every list `story` is on (or would be, once public)."""
    keys = {HOME, FEEDS, SITEMAPS, SEARCH}
    if story.section_id:
        keys.add(listing("section", story.section_id))
    keys.update(listing("author", pk) for pk in story.bylines.values_list("person_id", flat=True))
    for kind, attribute in LISTED_BY:
        keys.update(
            listing(kind, pk) for pk in getattr(story, attribute).values_list("pk", flat=True)
        )
    return keys


NEXT_GO_LIVE = "newsroom:next-go-live"
# Kept briefly, and forgotten by every story save (`story_changed`): with a
# cache shared by every process (Redis) it is exact; with one per process, a
# story scheduled in another process is seen within this long.
NEXT_GO_LIVE_SECONDS = 30


def next_change():
    """When the next scheduled story goes live, embargo lifts or withdrawal falls
    due (or None): no list may be cached past it."""
    from .models import Article

    now = timezone.now()
    known = cache.get(NEXT_GO_LIVE)
    if known is not None and (known[0] is None or known[0] > now):
        return known[0]
    upcoming = Article.objects.next_public_change(now)
    cache.set(NEXT_GO_LIVE, (upcoming,), NEXT_GO_LIVE_SECONDS)
    return upcoming


def window_end(stories):
    """The earliest withdrawal time ahead among `stories` (or None), read from what
    was loaded only: a page showing a story, or a card of it, is cached no longer
    than until the story's window ends, without a query."""
    now = timezone.now()
    ends = [vars(story).get("withdraws_at") for story in stories]
    return min((end for end in ends if end is not None and end > now), default=None)


def public_page(response, keys, *, stories=(), is_list=True):
    """Tag a public page built from `keys`, showing `stories` as cards; cached no
    longer than until one of them is withdrawn on schedule, and a list no longer
    than until the next scheduled story goes live (or embargo lifts, or
    withdrawal falls due)."""
    if response.status_code != 200:
        return response  # a 304, a redirect: nothing to store
    named = {FURNITURE, *keys}
    for story in stories:
        named |= shown(story)
    tag(response, named, until=window_end(stories))
    return tag(response, named, until=next_change() if is_list else None)


# --- Purges ------------------------------------------------------------------


def story_changed(story) -> frozenset[str]:
    """Purge every page showing `story`, and, when it is or was public, every list
    it is on (it may just have joined them)."""
    cache.delete(NEXT_GO_LIVE)
    keys = {own("story", story.pk)}
    if story.pk is not None and story.is_on_the_record:
        keys |= lists_of(story)
        # Moved to another section: it left that section's list too.
        before = getattr(story, "_section_before", None)
        if before is not None and before != story.section_id:
            keys.add(listing("section", before))
    return purge(keys)


def thing_changed(kind: str, pk, *, furniture=False) -> frozenset[str]:
    """Purge every page showing a section, tag, person, organisation, country or
    picture (and every page, when it is part of the site furniture)."""
    return purge({own(kind, pk), *([FURNITURE] if furniture else [])})


def link_changed(story, kind: str, pks) -> frozenset[str]:
    """A story gained or lost tags, people, organisations or countries: its page,
    and the lists it joined or left."""
    keys = {own("story", story.pk)}
    if story.is_on_the_record:
        # The sitemaps list a topic while it has a public story.
        keys |= {SITEMAPS, *(listing(kind, pk) for pk in pks)}
    return purge(keys)


# --- Wiring ------------------------------------------------------------------
#
# Every state change of a story saves it (workflow transitions, corrections,
# edits, restores), so its save is where its purge starts; links and bylines
# are their own rows. Code that bypasses signals (`QuerySet.update()`,
# `bulk_create()`) must call these functions itself.


def _remember_section(sender, instance, raw=False, update_fields=None, **kwargs):
    """Note the section a story is saved from: moving it purges the old one's list."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"section", "section_id"} & set(update_fields):
        return
    found = sender.objects.filter(pk=instance.pk).values_list("section_id", flat=True)
    instance._section_before = found.first()


def _story_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        story_changed(instance)


def _byline_saved(sender, instance, raw=False, **kwargs):
    """A byline is on the story's page and cards, and puts it on its author's list."""
    if not raw:
        link_changed(instance.article, "author", [instance.person_id])


def _correction_saved(sender, instance, raw=False, **kwargs):
    """A correction is printed on the story's page, and listed by the API's corrections."""
    if not raw:
        purge({own("story", instance.article_id), CORRECTIONS})


def _links_changed(kind):
    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        from .models import Article

        if action not in ("post_add", "post_remove", "pre_clear"):
            return
        if isinstance(instance, Article):
            pks = pk_set or []
            if action == "pre_clear":
                pks = list(getattr(instance, _ATTRIBUTE[kind]).values_list("pk", flat=True))
            link_changed(instance, kind, pks)
        else:  # from the other side: `pk_set` are stories
            stories = pk_set or []
            if action == "pre_clear":
                stories = list(instance.articles.values_list("pk", flat=True))
            purge({listing(kind, instance.pk), *(own("story", pk) for pk in stories)})

    return receiver


_ATTRIBUTE = dict(LISTED_BY)


def _tagging_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        link_changed(instance.content_object, "tag", [instance.tag_id])


def _thing_saved(kind, *, furniture=False):
    def receiver(sender, instance, raw=False, **kwargs):
        if not raw:
            thing_changed(kind, instance.pk, furniture=furniture)

    return receiver


def _rendition_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        thing_changed("image", instance.image_id)


def _role_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        thing_changed("person", instance.person_id)


def connect():
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
    from taggit.models import Tag

    from articles.images.models import Image, Rendition
    from people.models import Country, Organisation, Person, Role

    from .models import Article, Byline, Correction, Section, TaggedStory

    def on(signal, receiver, sender, name):
        signal.connect(receiver, sender=sender, weak=False, dispatch_uid=f"purge-{name}")

    on(pre_save, _remember_section, Article, "story-section")
    on(post_save, _story_saved, Article, "story")
    on(post_delete, _story_saved, Article, "story-deleted")
    on(post_save, _byline_saved, Byline, "Byline")
    on(post_delete, _byline_saved, Byline, "Byline-deleted")
    on(post_save, _correction_saved, Correction, "Correction")
    on(post_delete, _correction_saved, Correction, "Correction-deleted")
    for kind, attribute in LISTED_BY:
        if kind != "tag":
            through = getattr(Article, attribute).through
            on(m2m_changed, _links_changed(kind), through, f"links-{kind}")
    on(post_save, _tagging_changed, TaggedStory, "tagging")
    on(post_delete, _tagging_changed, TaggedStory, "tagging-deleted")
    # Sections and partners are on every page (the navigation, the footer).
    for kind, model, furniture in (
        ("section", Section, True),
        ("organisation", Organisation, True),
        ("person", Person, False),
        ("country", Country, False),
        ("tag", Tag, False),
        ("image", Image, False),
    ):
        on(post_save, _thing_saved(kind, furniture=furniture), model, kind)
        on(post_delete, _thing_saved(kind, furniture=furniture), model, f"{kind}-deleted")
    on(post_save, _rendition_saved, Rendition, "rendition")
    on(post_delete, _rendition_saved, Rendition, "rendition-deleted")
    # A role is printed with its person ("In this story").
    on(post_save, _role_saved, Role, "role")
    on(post_delete, _role_saved, Role, "role-deleted")


def keyed(*keys):
    """Decorate a view whose responses are built from `keys` (and the furniture)."""
    from functools import wraps

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            return public_page(view(request, *args, **kwargs), keys)

        return wrapper

    return decorator
