from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from articles.models import Article
from articles.views import TopicStoryListView

from .models import Country, Organisation, Person, Role


class PersonView(TopicStoryListView):
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


class AuthorView(PersonView):
    template_name = "people/author_detail.html"

    def get_topic(self):
        return get_object_or_404(Person, slug=self.kwargs["slug"], user__isnull=False)

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


class CountryView(TopicStoryListView):
    template_name = "people/country_detail.html"

    def get_topic(self):
        return get_object_or_404(Country, code=self.kwargs["code"].upper())

    def stories(self, country):
        return Article.objects.about(country)
