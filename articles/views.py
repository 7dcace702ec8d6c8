from itertools import groupby

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import truncatechars
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from . import search as search_engine
from . import surrogates
from .cards import Cards
from .forms import SearchForm
from .models import Article, FormerSlug, Section, TaggedStory
from .related import related_stories
from .story_parts import StoryParts
from .topic_lists import TopicStories

FRONT_PAGE_SIZE = 5
PER_SECTION = 4


class HomeView(TemplateView):
    """The front page: the lead story, the top stories, then the latest by section."""

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        began = timezone.now()
        # Both pick public stories themselves (see their docstrings for why).
        stories = Article.objects.for_cards()
        front = list(stories.front_page(FRONT_PAGE_SIZE))
        latest = list(
            stories.latest_in_each_section(
                PER_SECTION,
                Section.objects.values_list("pk", flat=True),
                leaving_out=[story.pk for story in front],
            )
        )
        return super().get_context_data(
            description=f"The latest news and analysis from {settings.NEWSROOM_PUBLICATION_NAME}.",
            lead=front[0] if front else None,
            top_stories=front[1:],
            sections=[
                (section, list(articles))
                for section, articles in groupby(latest, key=lambda story: story.section)
            ],
            cards=Cards([*front, *latest], began=began),
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        cards = context["cards"]
        response = super().render_to_response(context, **kwargs)
        response.add_post_render_callback(cards.save)
        return surrogates.public_page(
            response, {surrogates.HOME, *cards.keys}, stories=cards.stories.values()
        )


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get_queryset(self):
        # The story's links are read only when its parts are rendered (StoryParts).
        return Article.objects.published().select_related("section", "lead_image")

    def get(self, request, *args, **kwargs):
        # Before the story is read: a change after this makes what is rendered stale.
        began = timezone.now()
        try:
            self.object = self.get_object()
        except Http404:
            # A withdrawn story says so (410 Gone); anything else not public is
            # indistinguishable from a story that never existed.
            gone = Article.objects.withdrawn().filter(slug=kwargs["slug"]).first()
            if gone is not None:
                return self.gone(gone)
            return self.redirect_from_former_slug()
        # A story has one address; any other date in the URL is sent there.
        if request.path != self.object.get_absolute_url():
            return redirect(self.object, permanent=True)
        self.parts = StoryParts(self.object, began=began)
        links = self.parts.links
        related = related_stories(self.object, links=links)
        # Compact cards: no byline, no picture, nothing of their links to read.
        # The kept parts are checked in the cards' query.
        cards = Cards(related, began=began, prefetches=(), along=[self.parts])
        if self.parts.links != links:
            # The kept parts were stale, and their links with them: rank again.
            related = related_stories(self.object, links=self.parts.links)
            cards = Cards(related, began=began, prefetches=())
        context = self.get_context_data(object=self.object, related_articles=related, cards=cards)
        response = self.render_to_response(context)
        response.add_post_render_callback(self.parts.save)
        response.add_post_render_callback(cards.save)
        response["Content-Language"] = self.object.language
        # Not a list: a story going live elsewhere does not change this page.
        return surrogates.public_page(
            response,
            {*self.parts.keys, *cards.keys},
            stories=[self.object, *related],
            is_list=False,
        )

    def gone(self, story):
        """410 with the editors' note to readers, and never the story itself."""
        response = TemplateResponse(
            self.request,
            "articles/article_gone.html",
            {"withdrawal": story.withdrawal()},
            status=410,
        )
        # A 410 is cacheable for good by default, and a withdrawn story can
        # come back: browsers and caches must ask again every time.
        patch_cache_control(response, no_cache=True)
        return response

    def redirect_from_former_slug(self):
        """A published story renamed since readers linked to it: 301 to its address."""
        former = (
            FormerSlug.objects.filter(
                slug=self.kwargs["slug"], article__in=Article.objects.published()
            )
            .select_related("article")
            .first()
        )
        if former is None:
            raise Http404("No story at this address.")
        return redirect(former.article, permanent=True)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            story_parts=self.parts,
            people_in_story=self.parts.people_in_story,
            was_updated=self.object.was_updated,
            **kwargs,
        )


class TopicStoryListView(ListView):
    """Public stories about one topic (a section, tag, person…), newest first."""

    paginate_by = 20
    context_object_name = "articles"
    # Surrogate keys: the topic's own kind, and its list's kind if it differs.
    topic_kind = ""
    list_kind = ""

    def get_topic(self):
        raise NotImplementedError

    def stories(self, topic):
        raise NotImplementedError

    # Whether a topic none of whose stories is public answers 404, as one that does
    # not exist: told by its remembered count, not by a query of its own.
    missing_when_empty = False

    def get_queryset(self):
        self.began = timezone.now()
        self.topic = self.get_topic()
        key = self.list_key()
        stories = TopicStories(
            # No DISTINCT: each topic's lookup meets a story at most once (one tag,
            # byline or link per story and topic), and DISTINCT would sort them all.
            lambda: self.stories(self.topic).published().for_cards().newest_first(),
            self.topic_links(self.topic),
            name=key,
            keys={key},
        )
        if self.missing_when_empty and not stories.count():
            raise Http404("No public story has this topic.")
        return stories

    def list_key(self) -> str:
        """The surrogate key of the topic's list: purged when a story joins or leaves it."""
        return surrogates.listing(self.list_kind or self.topic_kind, self.topic.pk)

    def render_to_response(self, context, **kwargs):
        cards = context["cards"]
        response = super().render_to_response(context, **kwargs)
        response.add_post_render_callback(cards.save)
        keys = {surrogates.own(self.topic_kind, self.topic.pk), self.list_key(), *cards.keys}
        picture = getattr(self.topic, "photo_id", None) or getattr(self.topic, "logo_id", None)
        if picture:
            keys.add(surrogates.own("image", picture))
        return surrogates.public_page(response, keys, stories=context["object_list"])

    def topic_links(self, topic):
        """(the topic's link rows, their column naming the story): a tag, byline or
        link, one per story and topic, which small topics' pages are read from and
        every topic's count (articles/topic_lists.py); None for a section, whose own
        index serves both."""
        return None

    def describe(self, topic) -> str:
        """The page in a sentence, for search engines and social cards."""
        return truncatechars(topic.description or topic.name, 200)

    def social_image(self, topic) -> str:
        """An absolute URL of the topic's picture for social cards, or ""."""
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            topic=self.topic,
            social_title=self.topic.name,
            description=self.describe(self.topic),
            social_image=self.social_image(self.topic),
            social_image_alt=self.topic.name,
            **kwargs,
        )
        # The page's stories, read once, for its cards (articles/cards.py).
        stories = list(context["object_list"])
        context["object_list"] = context[self.context_object_name] = stories
        context["cards"] = Cards(stories, began=self.began)
        return context


class SectionView(TopicStoryListView):
    template_name = "articles/section_detail.html"
    topic_kind = "section"

    def get_topic(self):
        return get_object_or_404(Section, slug=self.kwargs["slug"])

    def stories(self, section):
        return Article.objects.in_section(section)


class TagView(TopicStoryListView):
    """Stories with a tag; 404 for a tag no public story carries, as for one that does not exist."""

    template_name = "articles/tag_detail.html"
    topic_kind = "tag"

    missing_when_empty = True

    def get_topic(self):
        return get_object_or_404(Tag, slug=self.kwargs["slug"])

    def stories(self, tag):
        return Article.objects.filter(tags=tag)

    def topic_links(self, tag):
        return TaggedStory.objects.filter(tag=tag), "content_object_id"

    def describe(self, tag):
        return f"Stories about {tag.name} from {settings.NEWSROOM_PUBLICATION_NAME}."


SEARCH_PAGE_SIZE = 20


def search(request):
    """Public stories matching `?q=`, best first, with the filters of `SearchForm`.

    Template: ``articles/search.html``. Context: ``form``, ``query``,
    ``results`` (a list of ``(article, highlight)``), ``page_obj``,
    ``paginator``, ``is_paginated`` and ``found`` (how many, "1,000+ stories"
    past what is ranked: `search.MAX_RESULTS`). Bad input never fails: the form
    drops what it cannot read, `articles.search` what the engine cannot take.
    """
    form = SearchForm(request.GET)
    query = form.query
    stories = form.filter(Article.objects.published())
    results = search_engine.search(query, stories)
    paginator = Paginator(results, SEARCH_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    ids = list(page.object_list)
    articles = Article.objects.filter(pk__in=ids).for_listing().in_bulk()
    highlights = search_engine.highlights(query, ids)
    response = TemplateResponse(
        request,
        "articles/search.html",
        {
            "form": form,
            "query": query,
            "social_title": f"Search: {query}" if query else "Search",
            "description": f"Search the stories of {settings.NEWSROOM_PUBLICATION_NAME}.",
            "results": [(articles[pk], highlights.get(pk)) for pk in ids if pk in articles],
            "page_obj": page,
            "paginator": paginator,
            "is_paginated": page.has_other_pages(),
            "found": found_label(paginator.count, capped=results.is_capped),
        },
    )
    return surrogates.public_page(
        response,
        {surrogates.SEARCH},
        stories=[story for story, _ in response.context_data["results"]],
    )


def found_label(count: int, *, capped: bool) -> str:
    """How many stories a search found, in words: "1 story", "1,000+ stories"."""
    if capped:
        return f"{count:,}+ stories"
    return f"{count:,} stor{'y' if count == 1 else 'ies'}"
