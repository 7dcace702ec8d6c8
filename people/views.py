from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404

from articles import structured_data
from articles.models import Article, Byline
from articles.views import TopicStoryListView

from .models import Country, Organisation, Person

STAFF_STORIES_ON_PERSON_PAGE = 5


def roles_with_organisations():
    """Prefetch for a person's roles and their organisations, flagged for linking."""
    return [
        "roles",
        Prefetch("roles__organisation", queryset=Organisation.objects.with_public_flag()),
    ]


def with_country(queryset):
    """`queryset` with each row's country joined and flagged for linking in the same
    query (`Country.is_in_public_stories`); read it through `flag_country`."""
    country_is_public = Country.objects.filter(pk=OuterRef("country_id")).filter(
        Country.objects.has_public_story()
    )
    return queryset.select_related("country").annotate(
        country_in_public_stories=Exists(country_is_public)
    )


def flag_country(topic):
    if topic.country is not None:
        topic.country.in_public_stories_flag = topic.country_in_public_stories
    return topic


class PersonView(TopicStoryListView):
    """Stories about a person, under their photo, description and roles timeline.

    Only for someone a public story is about or by (`in_public_stories()`):
    anyone else answers 404, exactly like a name that does not exist.
    """

    template_name = "people/person_detail.html"
    topic_kind = "person"

    def get_topic(self):
        return flag_country(
            get_object_or_404(
                with_country(Person.objects.in_public_stories())
                .select_related("photo")
                .prefetch_related(
                    "photo__renditions",
                    *roles_with_organisations(),
                ),
                slug=self.kwargs["slug"],
            )
        )

    def stories(self, person):
        return Article.objects.about(person)

    def topic_links(self, person):
        return Article.people.through.objects.filter(person=person), "article_id"

    def social_image(self, person):
        return structured_data.portrait_url(person.photo)

    def describe(self, person):
        about = person.description or person.name
        return f"{about}: stories from {settings.NEWSROOM_PUBLICATION_NAME}."

    def get_context_data(self, **kwargs):
        person = self.topic
        stories_by = []
        if person.is_staff_author:
            stories_by = list(
                Article.objects.published()
                .by(person)
                .select_related("section")
                .defer("body")
                .newest_first()[:STAFF_STORIES_ON_PERSON_PAGE]
            )
        return super().get_context_data(stories_by=stories_by, **kwargs)


class AuthorView(TopicStoryListView):
    """A staff journalist's page: biography, photo and the stories they wrote."""

    template_name = "people/author_detail.html"
    topic_kind = "person"
    list_kind = "author"

    def get_topic(self):
        return get_object_or_404(
            # Roles feed the Person JSON-LD's jobTitle and affiliation.
            Person.objects.authors()
            .select_related("photo")
            .prefetch_related("photo__renditions", *roles_with_organisations()),
            slug=self.kwargs["slug"],
        )

    def stories(self, person):
        return Article.objects.by(person)

    def topic_links(self, person):
        return Byline.objects.filter(person=person), "article_id"

    def social_image(self, person):
        return structured_data.portrait_url(person.photo)

    def describe(self, person):
        about = f", {person.description}" if person.description else ""
        return f"Stories by {person.name}{about}."


class OrganisationView(TopicStoryListView):
    """Stories about an organisation, under its structure and its people.

    404 for an organisation no public story is about. Its lists of other
    organisations and people hold only those with a public page: listing one
    that only a draft is about would tell readers what the draft is about.
    """

    template_name = "people/organisation_detail.html"
    topic_kind = "organisation"

    def get_topic(self):
        return flag_country(
            get_object_or_404(
                with_country(Organisation.objects.in_public_stories())
                .select_related("logo")
                .prefetch_related(
                    "logo__renditions",
                    Prefetch("parent", queryset=Organisation.objects.with_public_flag()),
                ),
                slug=self.kwargs["slug"],
            )
        )

    def stories(self, organisation):
        return Article.objects.about(organisation)

    def topic_links(self, organisation):
        return Article.organisations.through.objects.filter(organisation=organisation), "article_id"

    def social_image(self, organisation):
        return structured_data.logo_url(organisation.logo)

    def get_context_data(self, **kwargs):
        organisation = self.topic
        return super().get_context_data(
            children=list(organisation.children.with_public_page().order_by("name")),
            roles=list(
                organisation.roles.filter(person__in=Person.objects.with_public_page())
                .select_related("person")
                .order_by("-start", "title")
            ),
            **kwargs,
        )


class CountryView(TopicStoryListView):
    """Stories about a country, under the organisations and people from it.

    404 for a country no public story is about; the lists hold only
    organisations and people with a public page, as on an organisation's page.
    """

    template_name = "people/country_detail.html"
    topic_kind = "country"

    def get_topic(self):
        return get_object_or_404(
            Country.objects.in_public_stories(), code=self.kwargs["code"].upper()
        )

    def stories(self, country):
        return Article.objects.about(country)

    def topic_links(self, country):
        return Article.countries.through.objects.filter(country=country), "article_id"

    def get_context_data(self, **kwargs):
        country = self.topic
        return super().get_context_data(
            organisations=list(country.organisations.with_public_page().order_by("name")),
            people=list(country.people.with_public_page().order_by("name")),
            **kwargs,
        )
