"""Keep the search index in step with stories, their links and the names they carry.

Every save of a story re-indexes it, whatever its state (workflow transitions,
corrections and edits all save the story); visibility is decided at query
time, so a scheduled story becomes findable the moment it is due. Code that
bypasses signals (`QuerySet.update()`, `bulk_create()`, raw SQL) must call
`articles.search.index_stories()` itself, or run `rebuild_search_index`.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from taggit.models import Tag

from people.models import Country, Organisation, Person

from . import search
from .models import Article, Byline, TaggedStory


def story_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.index_stories([instance.pk])


def links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """People, organisations, countries or tags added to or removed from stories."""
    if action in ("post_add", "post_remove") and not pk_set:
        return  # `set()` adds and removes nothing when nothing changed
    if isinstance(instance, Article):
        if action in ("post_add", "post_remove", "post_clear"):
            search.index_stories([instance.pk])
    elif model is Article:
        # From the other side (`person.articles.add(story)`): `pk_set` are stories.
        if action == "pre_clear":
            # Every link is about to go; remember whose (related_name "articles").
            instance._search_cleared = list(instance.articles.values_list("pk", flat=True))
        elif action == "post_clear":
            search.index_stories(getattr(instance, "_search_cleared", []))
        elif action in ("post_add", "post_remove"):
            search.index_stories(pk_set or [])


def byline_changed(sender, instance, raw=False, origin=None, **kwargs):
    # A story being deleted takes its bylines along: nothing to re-index, and a
    # document written now would outlive the story.
    origin_model = getattr(origin, "model", type(origin))
    if raw or origin_model is Article:
        return
    search.index_stories([instance.article_id])


def remember_names(sender, instance, raw=False, **kwargs):
    """Note the names search knows an entity by, before a save may change them."""
    if raw or instance._state.adding:
        return
    before = sender.objects.filter(pk=instance.pk).first()
    instance._search_names_before = search.names_of(before) if before else None


def names_changed(sender, instance, raw=False, created=False, **kwargs):
    """A person, organisation or country renamed, or its aliases edited.

    Other edits (a biography, a photo) leave its stories' documents as they
    were: a prominent person can be named in thousands of stories.
    """
    if raw or created:
        return
    if search.names_of(instance) != getattr(instance, "_search_names_before", None):
        search.index_stories_about(instance)


def remember_tag_name(sender, instance, raw=False, **kwargs):
    if not raw and not instance._state.adding:
        instance._search_name_before = (
            sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
        )


def tag_renamed(sender, instance, raw=False, created=False, **kwargs):
    if raw or created or instance.name == getattr(instance, "_search_name_before", None):
        return
    search.index_stories(Article.objects.filter(tags=instance).values_list("pk", flat=True))


def connect():
    post_save.connect(story_saved, sender=Article, dispatch_uid="search-story")
    for through in (
        Article.people.through,
        Article.organisations.through,
        Article.countries.through,
        TaggedStory,
    ):
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"search-{through}")
    for signal in (post_save, post_delete):
        signal.connect(byline_changed, sender=Byline, dispatch_uid=f"search-byline-{signal}")
    for model in (Person, Organisation, Country):
        pre_save.connect(remember_names, sender=model, dispatch_uid=f"search-names-{model}")
        post_save.connect(names_changed, sender=model, dispatch_uid=f"search-names-{model}")
    pre_save.connect(remember_tag_name, sender=Tag, dispatch_uid="search-tag-name")
    post_save.connect(tag_renamed, sender=Tag, dispatch_uid="search-tag")
