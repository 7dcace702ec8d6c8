"""The read API's endpoints: HTTP only, over the models' own querysets.

Each view names the query parameters it knows (`parameters()`); anything
else answers 400 (filters.known_parameters). Responses are tagged with the
same surrogate keys as the pages showing the same things (articles/surrogates.py),
so the page cache, its ETag and 304s, and every purge cover the API too.
"""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve, reverse
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView
from taggit.models import Tag

from articles import search as search_engine
from articles import surrogates
from articles.models import (
    Article,
    Correction,
    FormerSlug,
    Section,
    tags_in_public_stories,
)
from newsroom.site import absolute
from people.models import Country, Organisation, Person

from . import serializers as s
from .filters import StoryFilter, known_parameters
from .pagination import MAX_PAGE_SIZE, Cursor, RankedCursor
from .problems import InvalidParameters, Withdrawn

LIST_PARAMETERS = frozenset({"cursor", "page_size"})


class PublicView(generics.GenericAPIView):
    """What every endpoint shares: known parameters only, `fields=`, surrogate keys."""

    pagination_class = Cursor
    is_list = True

    @property
    def selectable_fields(self):
        return frozenset(self.get_serializer_class()().fields)

    def parameters(self) -> set[str]:
        known = {"fields"}
        if self.pagination_class is not None:
            known |= LIST_PARAMETERS
        if self.filterset_class is not None:
            known |= set(self.filterset_class.base_filters)
        return known

    filterset_class = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        known_parameters(request, self.parameters())
        self.fields = self._wanted_fields(request.query_params.get("fields"))

    def _wanted_fields(self, value):
        if value is None:
            return None
        names = [name.strip() for name in value.split(",") if name.strip()]
        unknown = [name for name in names if name not in self.selectable_fields]
        if unknown or not names:
            raise InvalidParameters(
                {"fields": f"Choose from: {', '.join(sorted(self.selectable_fields))}."}
            )
        return set(names)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "fields": getattr(self, "fields", None)}

    def keys(self, shown) -> set[str]:
        """The surrogate keys of a response showing `shown` (the page's objects)."""
        return set()

    def stories_shown(self, shown) -> list:
        return []

    def respond(self, data, shown):
        response = data if isinstance(data, Response) else Response(data)
        stories = self.stories_shown(shown)
        if stories:
            latest = max(max(story.updated_at, story.published_at) for story in stories)
            response["Last-Modified"] = http_date(latest.timestamp())
        return surrogates.public_page(
            response, self.keys(shown), stories=stories, is_list=self.is_list
        )

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        data = self.get_serializer(page, many=True).data
        return self.respond(self.get_paginated_response(data), page)

    def retrieve(self, request, **kwargs):
        obj = self.get_object()
        return self.respond(self.get_serializer(obj).data, [obj])


def _topic_keys(kind, shown):
    # A topic joins or leaves the list when a story about it is published or
    # withdrawn: every such change purges `feeds` (surrogates.lists_of).
    return {surrogates.FEEDS, *(surrogates.own(kind, obj.pk) for obj in shown)}


# --- Stories ---------------------------------------------------------------------


def stories_for_list():
    return Article.objects.published().for_listing().with_topics()


class StoryListView(PublicView, generics.ListAPIView):
    """Public stories, newest first, filtered by what they are about and when."""

    serializer_class = s.StorySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = StoryFilter

    def get_queryset(self):
        return stories_for_list()

    def get(self, request):
        return self.list(request)

    def keys(self, shown):
        # Every story joining or leaving a list purges `feeds` (surrogates.lists_of).
        return {surrogates.FEEDS}

    def stories_shown(self, shown):
        return list(shown)


class StoryView(PublicView):
    """Shared by the story by id and by address: the whole story, body included."""

    serializer_class = s.StoryDetailSerializer
    pagination_class = None
    is_list = False
    problem_codes = ("404", "410")

    def get_queryset(self):
        return Article.objects.published().for_story_page()

    def found(self, story):
        story.prefetch_renditions()
        response = self.respond(self.get_serializer(story).data, [story])
        response["Content-Language"] = story.language
        return response

    def keys(self, shown):
        return surrogates.shown(shown[0], detail=True)

    def stories_shown(self, shown):
        return list(shown)


class StoryDetailView(StoryView):
    """One public story by id; 410 once withdrawn, 404 for anything else not public."""

    def get(self, request, pk):
        try:
            story = get_object_or_404(self.get_queryset(), pk=pk)
        except Http404:
            if Article.objects.withdrawn().filter(pk=pk).exists():
                raise Withdrawn() from None
            raise
        return self.found(story)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "url",
            str,
            required=True,
            description="The story's address on the site, absolute or as a path; "
            "a former address of a renamed story finds it too.",
        )
    ]
)
class StoryLookupView(StoryView):
    """One public story by its address on the site (`?url=`)."""

    def parameters(self):
        return super().parameters() | {"url"}

    def get(self, request):
        url = request.query_params.get("url")
        if not url:
            raise InvalidParameters({"url": "Give the story's address."})
        return self.found(self.story_at(url))

    def story_at(self, url):
        path = url.split("://", 1)[-1]
        path = "/" + path.split("/", 1)[1] if "://" in url and "/" in path else path
        path = path.split("?", 1)[0].split("#", 1)[0]
        try:
            match = resolve(path)
        except Resolver404:
            raise Http404("No story at this address.") from None
        if match.view_name != "articles:detail":
            raise Http404("No story at this address.")
        slug = match.kwargs["slug"]
        public = self.get_queryset()
        story = public.filter(slug=slug).first()
        if story is None:
            former = FormerSlug.objects.filter(slug=slug, article__in=Article.objects.published())
            story = public.filter(pk__in=former.values("article_id")).first()
        if story is None:
            if Article.objects.withdrawn().filter(slug=slug).exists():
                raise Withdrawn()
            raise Http404("No story at this address.")
        return story


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="The words to look for."),
        OpenApiParameter("cursor", str, description="The `next` or `previous` link's cursor."),
        OpenApiParameter(
            "page_size", int, description=f"Results per page, 1 to {MAX_PAGE_SIZE} (default 20)."
        ),
    ],
    responses=s.SearchPageSerializer,
)
class SearchView(PublicView):
    """Public stories matching `q`, best first, with the story list's filters."""

    serializer_class = s.StorySerializer
    filterset_class = StoryFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = None  # ranked: `RankedCursor`

    def parameters(self):
        return super().parameters() | LIST_PARAMETERS | {"q"}

    def get_queryset(self):
        return Article.objects.published()

    def get(self, request):
        stories = self.filter_queryset(self.get_queryset())
        results = search_engine.search(request.query_params.get("q", ""), stories)
        pages = RankedCursor()
        ids = pages.paginate(results, request)
        found = stories_for_list().in_bulk(ids)
        page = [found[pk] for pk in ids if pk in found]
        data = self.get_serializer(page, many=True).data
        return self.respond(pages.response(data), page)

    def keys(self, shown):
        return {surrogates.SEARCH}

    def stories_shown(self, shown):
        return list(shown)


# --- What stories are about ---------------------------------------------------


class SectionListView(PublicView, generics.ListAPIView):
    """Every section, in the site navigation's order."""

    serializer_class = s.SectionSerializer
    queryset = Section.objects.all()
    pagination_ordering = ("order", "name", "pk")

    def get(self, request):
        return self.list(request)

    def keys(self, shown):
        return {surrogates.own("section", section.pk) for section in shown}


class SectionDetailView(SectionListView):
    pagination_class = None
    problem_codes = ("404",)
    lookup_field = "slug"

    def get(self, request, slug):
        return self.retrieve(request)


class TagListView(PublicView, generics.ListAPIView):
    """Tags at least one public story carries."""

    serializer_class = s.TagSerializer
    pagination_ordering = ("name", "pk")

    def get_queryset(self):
        return tags_in_public_stories(Tag.objects.order_by("name", "pk"))

    def get(self, request):
        return self.list(request)

    def keys(self, shown):
        return _topic_keys("tag", shown)


class TagDetailView(TagListView):
    pagination_class = None
    problem_codes = ("404",)
    lookup_field = "slug"

    def get(self, request, slug):
        return self.retrieve(request)


class PersonListView(PublicView, generics.ListAPIView):
    """People at least one public story is about (our journalists are `authors`)."""

    serializer_class = s.PersonSerializer
    pagination_ordering = ("name", "pk")

    def get_queryset(self):
        return Person.objects.not_authors().in_public_stories()

    def get(self, request):
        return self.list(request)

    def keys(self, shown):
        return _topic_keys("person", shown)


class PersonDetailView(PersonListView):
    pagination_class = None
    problem_codes = ("404",)
    lookup_field = "slug"

    def get(self, request, slug):
        return self.retrieve(request)


class AuthorListView(PersonListView):
    """Our journalists with a byline on at least one public story."""

    serializer_class = s.AuthorSerializer

    def get_queryset(self):
        return Person.objects.authors().in_public_stories()


class AuthorDetailView(AuthorListView):
    pagination_class = None
    problem_codes = ("404",)
    lookup_field = "slug"

    def get(self, request, slug):
        return self.retrieve(request)


class OrganisationListView(PublicView, generics.ListAPIView):
    """Organisations at least one public story is about."""

    serializer_class = s.OrganisationSerializer
    pagination_ordering = ("name", "pk")

    def get_queryset(self):
        return Organisation.objects.in_public_stories()

    def get(self, request):
        return self.list(request)

    def keys(self, shown):
        return _topic_keys("organisation", shown)


class OrganisationDetailView(OrganisationListView):
    pagination_class = None
    problem_codes = ("404",)
    lookup_field = "slug"

    def get(self, request, slug):
        return self.retrieve(request)


class CountryListView(PublicView, generics.ListAPIView):
    """Countries at least one public story is about."""

    serializer_class = s.CountrySerializer
    pagination_ordering = ("name", "pk")

    def get_queryset(self):
        return Country.objects.in_public_stories()

    def get(self, request):
        return self.list(request)

    def keys(self, shown):
        return _topic_keys("country", shown)


class CountryDetailView(CountryListView):
    pagination_class = None
    problem_codes = ("404",)

    def get(self, request, code):
        country = get_object_or_404(self.get_queryset(), code=code.upper())
        return self.respond(self.get_serializer(country).data, [country])


class CorrectionListView(PublicView, generics.ListAPIView):
    """Corrections and updates of public stories, newest first."""

    serializer_class = s.CorrectionSerializer
    pagination_ordering = ("-created_at", "-pk")

    def get_queryset(self):
        public = Article.objects.published().only("pk", "headline", "slug", "published_at")
        return Correction.objects.filter(article__in=Article.objects.published()).prefetch_related(
            Prefetch("article", queryset=public)
        )

    def get(self, request):
        return self.list(request)

    def keys(self, shown):
        return {
            surrogates.CORRECTIONS,
            surrogates.FEEDS,
            *(surrogates.own("story", correction.article_id) for correction in shown),
        }


class RootView(APIView):
    """Where everything is: the endpoints, the schema and its reference page."""

    @extend_schema(exclude=True)
    def get(self, request):
        known_parameters(request, set())
        names = [
            "story-list",
            "story-lookup",
            "search",
            "section-list",
            "tag-list",
            "person-list",
            "author-list",
            "organisation-list",
            "country-list",
            "correction-list",
            "schema",
            "reference",
        ]
        response = Response({name: absolute(reverse(f"api:{name}")) for name in names})
        return surrogates.public_page(response, set(), is_list=False)


class NowhereView(APIView):
    """Any other address under /api/v1/: a problem document, not the site's HTML 404."""

    @extend_schema(exclude=True)
    def get(self, request, **kwargs):
        raise Http404()
