"""RSS 2.0 and Atom feeds: the whole site and every topic page, public stories only."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from taggit.models import Tag

from people.models import Country, Organisation, Person

from .models import Article, Section

FEED_SIZE = 50


class StoryFeed(Feed):
    """The newest public stories; subclasses narrow them to one topic."""

    def title(self, topic=None):
        name = settings.NEWSROOM_PUBLICATION_NAME
        return f"{topic} | {name}" if topic else name

    def link(self, topic=None):
        return topic.get_absolute_url() if topic is not None else "/"

    def description(self, topic=None):
        return f"The latest stories from {settings.NEWSROOM_PUBLICATION_NAME}."

    def stories(self, topic):
        return Article.objects.all()

    def items(self, topic=None):
        return (
            self.stories(topic).published().for_listing().prefetch_related("tags").newest_first()
        )[:FEED_SIZE]

    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        return article.standfirst

    def item_link(self, article):
        return article.get_absolute_url()

    def item_guid(self, article):
        # Stable across headline and slug edits: the story's first publication and id.
        host = settings.NEWSROOM_SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":")[0]
        return f"tag:{host},{article.published_at:%Y-%m-%d}:story-{article.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return max(article.updated_at, article.published_at)

    def item_author_name(self, article):
        names = [byline.person.name for byline in article.bylines.all()]
        return ", ".join(names) or article.credit or None

    def item_categories(self, article):
        return [article.section.name, *(tag.name for tag in article.tags.all())]


class SectionFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def stories(self, section):
        return Article.objects.in_section(section)


class TagFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def link(self, tag):
        return reverse("articles:tag", args=[tag.slug])

    def stories(self, tag):
        return Article.objects.filter(tags=tag)


class PersonFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Person, slug=slug)

    def stories(self, person):
        return Article.objects.about(person)


class AuthorFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Person, slug=slug, user__isnull=False)

    def stories(self, person):
        return Article.objects.by(person)


class OrganisationFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Organisation, slug=slug)

    def stories(self, organisation):
        return Article.objects.about(organisation)


class CountryFeed(StoryFeed):
    def get_object(self, request, code):
        return get_object_or_404(Country, code=code.upper())

    def stories(self, country):
        return Article.objects.about(country)


def atom(feed_class):
    """The Atom twin of an RSS feed class."""
    return type(
        f"Atom{feed_class.__name__}",
        (feed_class,),
        {"feed_type": Atom1Feed, "subtitle": feed_class.description},
    )
