"""RSS 2.0 and Atom feeds: the whole site and every topic page, public stories only.

A tag, person, organisation or country has a feed only while it has a public
page (`in_public_stories()`); otherwise its feed answers 404, like one that
does not exist.

Every URL in a feed is absolute, built from `NEWSROOM_SITE_URL`, so a feed read
through a proxy or a cache still points readers at the public site. Each feed
answers a conditional GET with 304 in two queries or fewer (`conditional()`).
"""

import hashlib
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition

from newsroom.site import absolute
from people.models import Country, Organisation, Person

from . import surrogates
from .images.renditions import CONTENT_TYPES, JPEG, get_rendition, social_card_spec
from .models import Article, Section, tags_in_public_stories

FEED_SIZE = 50
# Feed readers poll; five minutes of shared caching spares the database.
FEED_MAX_AGE = 300

MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"

# Root-relative links and image sources in a sanitised body (double quotes only:
# sanitize.py serialises every attribute that way).
_RELATIVE = re.compile(r'\b(href|src)="/(?!/)')


def full_text() -> bool:
    return settings.NEWSROOM_FEED_FULL_TEXT


class RssWithMedia(Rss201rev2Feed):
    """RSS 2.0 with one dc:creator per author, media:content and content:encoded."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:dc": DC_NS,
            "xmlns:media": MEDIA_NS,
            "xmlns:content": CONTENT_NS,
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        if item["content"]:
            handler.addQuickElement("content:encoded", item["content"])
        if item["image"]:
            handler.addQuickElement("media:content", attrs=item["image"])


class AtomWithMedia(Atom1Feed):
    """Atom with one author element per author, media:content and full content."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        if item["content"]:
            handler.addQuickElement("content", item["content"], {"type": "html"})
        if item["image"]:
            handler.addQuickElement("media:content", attrs=item["image"])


class StoryFeed(Feed):
    """The newest public stories; subclasses narrow them to one topic."""

    feed_type = RssWithMedia
    name = "site"  # the URL names are articles:feed-<name>-rss and -atom
    url_kwarg = "slug"  # the topic's URL argument

    def title(self, topic=None):
        name = settings.NEWSROOM_PUBLICATION_NAME
        return f"{topic} | {name}" if topic else name

    def link(self, topic=None):
        return absolute(topic.get_absolute_url() if topic is not None else "/")

    def feed_url(self, topic=None):
        kind = "atom" if issubclass(self.feed_type, Atom1Feed) else "rss"
        kwargs = {} if topic is None else {self.url_kwarg: topic.slug}
        return absolute(reverse(f"articles:feed-{self.name}-{kind}", kwargs=kwargs))

    def description(self, topic=None):
        return f"The latest stories from {settings.NEWSROOM_PUBLICATION_NAME}."

    def author_name(self):
        # Atom needs an author for every entry; stories without a byline get this.
        return settings.NEWSROOM_PUBLICATION_NAME

    def get_object(self, request):
        return None

    def stories(self, topic):
        return Article.objects.all()

    def public_stories(self, topic):
        """The one visibility rule, narrowed to the topic: what the feed may list."""
        return self.stories(topic).published()

    def items(self, topic=None):
        stories = self.public_stories(topic).for_listing().prefetch_related("tags")
        if full_text():
            # rendered_body() links first mentions from these, without a query per story.
            stories = stories.with_body().prefetch_related("people", "organisations", "countries")
        # No DISTINCT: a topic's lookup meets each story once (as on its page).
        return stories.newest_first()[:FEED_SIZE]

    def item_title(self, article):
        # Plain text, as the RSS Best Practices Profile and Atom's default type
        # want: the feed generator escapes it once, as XML needs.
        return article.headline

    def item_description(self, article):
        # RSS <description> and Atom <summary type="html"> are HTML: the plain-text
        # standfirst goes in escaped, so readers show "a < b & c" as the page does.
        return escape(article.standfirst)

    def item_link(self, article):
        return absolute(article.get_absolute_url())

    def item_guid(self, article):
        # Stable across headline and slug edits: the story's first publication and id.
        host = settings.NEWSROOM_SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":")[0]
        return f"tag:{host},{article.published_at:%Y-%m-%d}:story-{article.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        # Atom's "significant" change: what the story page calls "Updated".
        return article.modified_for_readers

    def item_author_name(self, article):
        # The generators write one dc:creator / author per name (item_extra_kwargs).
        return None

    def item_categories(self, article):
        # Sorted: the tags come in whatever order the database read them, which a
        # restore (or a vacuum) changes, and a feed whose bytes change with no
        # edit looks changed to every reader's app.
        tags = sorted((tag.name for tag in article.tags.all()), key=str.casefold)
        return [article.section.name, *tags]

    def item_enclosures(self, article):
        card = self.lead_card(article)
        if card is None:
            return []
        return [Enclosure(url=card["url"], length=card["fileSize"], mime_type=card["type"])]

    def item_extra_kwargs(self, article):
        names = [byline.person.name for byline in article.bylines.all()]
        if not names and article.credit:
            names = [article.credit]
        return {
            "authors": names,
            "content": self.full_body(article) if full_text() else None,
            "image": self.lead_card(article),
        }

    def lead_card(self, article):
        """The lead image's 1200×630 JPEG card (media:content attributes), or None.

        One file every feed reader can show. The enclosure and media:content both
        want it: it is looked up, and its size read from storage (a request on
        S3), once per story.
        """
        if article.lead_image is None:
            return None
        if not hasattr(article, "_feed_card"):
            rendition = get_rendition(article.lead_image, social_card_spec(article.lead_image))
            article._feed_card = {
                "url": absolute(rendition.url),
                "type": CONTENT_TYPES[JPEG],
                "medium": "image",
                "fileSize": str(rendition.file.size),
                "width": str(rendition.width),
                "height": str(rendition.height),
            }
        return article._feed_card

    def full_body(self, article):
        """The sanitised body as readers get it, with links made absolute."""
        return _RELATIVE.sub(
            lambda match: f'{match.group(1)}="{settings.NEWSROOM_SITE_URL}/',
            article.rendered_body(),
        )


class SectionFeed(StoryFeed):
    name = "section"

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def stories(self, section):
        return Article.objects.in_section(section)


class TagFeed(StoryFeed):
    name = "tag"

    def get_object(self, request, slug):
        return get_object_or_404(tags_in_public_stories(), slug=slug)

    def link(self, tag):
        return absolute(reverse("articles:tag", args=[tag.slug]))

    def stories(self, tag):
        return Article.objects.filter(tags=tag)


class PersonFeed(StoryFeed):
    name = "person"

    def get_object(self, request, slug):
        return get_object_or_404(Person.objects.in_public_stories(), slug=slug)

    def stories(self, person):
        return Article.objects.about(person)


class AuthorFeed(StoryFeed):
    name = "author"

    def get_object(self, request, slug):
        return get_object_or_404(Person.objects.authors(), slug=slug)

    def stories(self, person):
        return Article.objects.by(person)


class OrganisationFeed(StoryFeed):
    name = "organisation"

    def get_object(self, request, slug):
        return get_object_or_404(Organisation.objects.in_public_stories(), slug=slug)

    def stories(self, organisation):
        return Article.objects.about(organisation)


class CountryFeed(StoryFeed):
    name = "country"
    url_kwarg = "code"

    def get_object(self, request, code):
        return get_object_or_404(Country.objects.in_public_stories(), code=code.upper())

    def stories(self, country):
        return Article.objects.about(country)


def atom(feed_class):
    """The Atom twin of an RSS feed class."""
    return type(
        f"Atom{feed_class.__name__}",
        (feed_class,),
        {"feed_type": AtomWithMedia, "subtitle": feed_class.description},
    )


def conditional(feed_class):
    """A view for `feed_class` that answers If-None-Match / If-Modified-Since cheaply.

    Deciding on a 304 costs at most two queries, whatever the archive's size: the
    topic, then `Article.objects.latest_public_change()` (two index lookups),
    which moves with every save of any story (a withdrawal included) and every
    scheduled story going live. The ETag also covers the feed kind and the
    full-text setting.
    """
    feed = feed_class()

    def state(request, **kwargs):
        if not hasattr(request, "_feed_state"):
            topic = feed.get_object(request, **kwargs)
            latest = Article.objects.latest_public_change()
            tag = f"{feed_class.__name__}|{full_text()}|{topic and topic.pk}|{latest and latest.timestamp()}"
            request._feed_state = (latest, hashlib.sha256(tag.encode()).hexdigest()[:32])
        return request._feed_state

    def without_feed_date(request, **kwargs):
        response = feed(request, **kwargs)
        # Feed dates only the 50 newest stories; `condition` sends the one it checks.
        del response.headers["Last-Modified"]
        return response

    view = condition(
        etag_func=lambda request, **kwargs: state(request, **kwargs)[1],
        last_modified_func=lambda request, **kwargs: state(request, **kwargs)[0],
    )(without_feed_date)
    return surrogates.keyed(surrogates.FEEDS)(
        cache_control(public=True, max_age=FEED_MAX_AGE)(view)
    )
