from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from articles.models import Article
from articles.views import TopicStoryListView

from .models import Country, Organisation, Person, Role

STAFF_STORIES_ON_PERSON_PAGE = 5


class PersonView(TopicStoryListView):
    """Stories about a person, under their photo, description and roles timeline."""

    template_name = "people/person_detail.html"

    def get_topic(self):
        return get_object_or_404(
            Person.objects.select_related("country").prefetch_related(
                Prefetch("roles", queryset=Role.objects.select_related("organisation"))
            ),
            slug=self.kwargs["slug"],
        )

    def stories(self, person):
        return Article.objects.about(person)

    def get_context_data(self, **kwargs):
        person = self.topic
        stories_by = []
        if person.is_staff_author:
            stories_by = list(
                Article.objects.published()
                .by(person)
                .select_related("section")
                .newest_first()[:STAFF_STORIES_ON_PERSON_PAGE]
            )
        return super().get_context_data(stories_by=stories_by, **kwargs)


class AuthorView(TopicStoryListView):
    """A staff journalist's page: biography, photo and the stories they wrote."""

    template_name = "people/author_detail.html"

    def get_topic(self):
        return get_object_or_404(
            # Roles feed the Person JSON-LD's jobTitle and affiliation.
            Person.objects.authors().prefetch_related(
                Prefetch("roles", queryset=Role.objects.select_related("organisation"))
            ),
            slug=self.kwargs["slug"],
        )

    def stories(self, person):
        return Article.objects.by(person)


class OrganisationView(TopicStoryListView):
    template_name = "people/organisation_detail.html"

    def get_topic(self):
        return get_object_or_404(
            Organisation.objects.select_related("country", "parent"), slug=self.kwargs["slug"]
        )

    def stories(self, organisation):
        return Article.objects.about(organisation)

    def get_context_data(self, **kwargs):
        organisation = self.topic
        return super().get_context_data(
            children=list(organisation.children.order_by("name")),
            roles=list(organisation.roles.select_related("person").order_by("-start", "title")),
            **kwargs,
        )


class CountryView(TopicStoryListView):
    template_name = "people/country_detail.html"

    def get_topic(self):
        return get_object_or_404(Country, code=self.kwargs["code"].upper())

    def stories(self, country):
        return Article.objects.about(country)

    def get_context_data(self, **kwargs):
        country = self.topic
        return super().get_context_data(
            organisations=list(country.organisations.order_by("name")),
            people=list(country.people.order_by("name")),
            **kwargs,
        )
