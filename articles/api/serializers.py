"""Stories and what they are about, as JSON: read-only, from what the views fetched.

Each serializer reads only prefetched relations (the querysets are in
views.py), so a list costs the same number of queries for 1 story or 100.
Every URL is absolute, on NEWSROOM_SITE_URL, as in feeds and JSON-LD.
"""

from datetime import datetime

from django.urls import reverse
from django.utils.http import urlencode
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles import structured_data
from articles.images.renditions import CONTENT_TYPES, EXTENSIONS
from articles.models import Correction, TypeOfWork
from articles.sanitize import plain_text
from articles.templatetags.story import with_library_images
from newsroom.site import absolute

TYPE_BY_EXTENSION = {EXTENSIONS[name]: CONTENT_TYPES[name] for name in EXTENSIONS}


@extend_schema_field(OpenApiTypes.URI)
class PageURL(serializers.Field):
    """The object's public page (`get_absolute_url()`), absolute."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return absolute(obj.get_absolute_url())


class TagURL(PageURL):
    """taggit's Tag has no `get_absolute_url()`: its page is `articles:tag`."""

    def to_representation(self, tag):
        return absolute(reverse("articles:tag", args=[tag.slug]))


@extend_schema_field({"type": "array", "items": {"type": "string", "format": "uri"}})
class SameAs(serializers.Field):
    """Authoritative pages about the object (schema.org `sameAs`)."""

    def __init__(self, *, with_website=False, **kwargs):
        self.with_website = with_website
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        links = obj.same_as_list
        if self.with_website and obj.website:
            links = [obj.website, *links]
        return list(dict.fromkeys(links))


@extend_schema_field(OpenApiTypes.URI)
class StoriesLink(serializers.Field):
    """The API's list of public stories filtered on the object (`?<parameter>=<slug>`)."""

    def __init__(self, parameter, *, attribute="slug", **kwargs):
        self.parameter, self.attribute = parameter, attribute
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        value = str(getattr(obj, self.attribute)).lower()
        return absolute(f"{reverse('api:story-list')}?{urlencode({self.parameter: value})}")


class SelectableFields:
    """Keeps only the fields named in the context's `fields` (a set), when given."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        wanted = self.context.get("fields")
        if wanted:
            for name in set(self.fields) - set(wanted):
                self.fields.pop(name)


# --- What stories are about --------------------------------------------------------


class SectionSerializer(SelectableFields, serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    url = PageURL(help_text="The section's page.")
    stories = StoriesLink("section")


class SectionRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = PageURL()


class TagSerializer(SelectableFields, serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = TagURL()
    stories = StoriesLink("tag")


class TagRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = TagURL()


class PersonRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    url = PageURL(help_text="Their page on the site (an author's page for our journalists).")
    same_as = SameAs()


class PersonSerializer(SelectableFields, PersonRefSerializer):
    stories = StoriesLink("person", help_text="Public stories about them.")


class AuthorSerializer(SelectableFields, serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    url = PageURL(help_text="Their author page.")
    same_as = SameAs()
    stories = StoriesLink("author", help_text="Public stories with their byline.")


class BylineSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = PageURL(help_text="The author's page.")
    same_as = SameAs()

    def to_representation(self, byline):
        return super().to_representation(byline.person)


class OrganisationRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    url = PageURL()
    same_as = SameAs(with_website=True, help_text="Its website first, then other pages about it.")


class OrganisationSerializer(SelectableFields, OrganisationRefSerializer):
    kind = serializers.CharField()
    website = serializers.CharField()
    stories = StoriesLink("organisation")


class CountryRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2.")
    name = serializers.CharField()
    url = PageURL()
    same_as = SameAs()


class CountrySerializer(SelectableFields, CountryRefSerializer):
    stories = StoriesLink("country", attribute="code")


class CorrectionRefSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Correction.Kind.choices)
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class StoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    headline = serializers.CharField()
    canonical_url = PageURL()


class CorrectionSerializer(SelectableFields, CorrectionRefSerializer):
    story = StoryRefSerializer(source="article")


# --- Pictures -------------------------------------------------------------------------


class RenditionSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    type = serializers.SerializerMethodField(help_text="Its media type, e.g. image/webp.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, rendition) -> str:
        return absolute(rendition.url)

    def get_type(self, rendition) -> str:
        return TYPE_BY_EXTENSION.get(rendition.spec.rsplit(".", 1)[-1], "")


class LeadImageSerializer(serializers.Serializer):
    alt_text = serializers.CharField()
    caption = serializers.CharField()
    credit = serializers.CharField()
    width = serializers.IntegerField(help_text="The cleaned original's size.")
    height = serializers.IntegerField()
    renditions = serializers.SerializerMethodField(
        help_text="Every stored size and crop, smallest first within each type."
    )

    @extend_schema_field(RenditionSerializer(many=True))
    def get_renditions(self, image):
        renditions = sorted(image.renditions.all(), key=lambda r: (r.spec[0], r.width, r.spec))
        return RenditionSerializer(renditions, many=True).data


# --- Stories --------------------------------------------------------------------------


class StorySerializer(SelectableFields, serializers.Serializer):
    """A public story as a list shows it: everything but the body."""

    id = serializers.IntegerField()
    canonical_url = PageURL(help_text="The story's page: link here, and cite this.")
    headline = serializers.CharField()
    standfirst = serializers.CharField()
    type_of_work = serializers.ChoiceField(choices=TypeOfWork.choices)
    language = serializers.CharField(help_text="BCP 47 language code, e.g. en.")
    section = SectionRefSerializer()
    bylines = BylineSerializer(many=True, source="bylines.all")
    credit = serializers.CharField(help_text="Printed after the bylines, e.g. “With agencies”.")
    tags = TagRefSerializer(many=True, source="tags.all")
    people = PersonRefSerializer(many=True, source="people.all")
    organisations = OrganisationRefSerializer(many=True, source="organisations.all")
    countries = CountryRefSerializer(many=True, source="countries.all")
    lead_image = LeadImageSerializer(allow_null=True)
    published_at = serializers.DateTimeField()
    updated_at = serializers.SerializerMethodField(
        help_text="The last correction, update note or editor's “mark as updated” after "
        "publication; else published_at. Ordinary edits do not move it."
    )
    corrections = CorrectionRefSerializer(many=True, source="corrections.all")

    def get_updated_at(self, story) -> datetime:
        return serializers.DateTimeField().to_representation(structured_data.date_modified(story))


class StoryDetailSerializer(StorySerializer):
    """A public story with its body, as the story page prints it."""

    body_html = serializers.SerializerMethodField(
        help_text="The body exactly as the story page prints it: sanitised HTML, first "
        "mentions linked, library pictures as responsive <picture> elements. Its links "
        "are relative to canonical_url."
    )
    body_text = serializers.SerializerMethodField(help_text="The body's words as plain text.")

    def get_body_html(self, story) -> str:
        return with_library_images(story.rendered_body())

    def get_body_text(self, story) -> str:
        return plain_text(story.body)


STORY_FIELDS = frozenset(StoryDetailSerializer().fields)


class SearchPageSerializer(serializers.Serializer):
    """A page of search results, best first (the cursor is an opaque offset)."""

    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = StorySerializer(many=True)
