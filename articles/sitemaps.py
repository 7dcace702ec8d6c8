"""Sitemaps: an index, the stories (with their pictures), topic pages, sections,
authors, a Google News sitemap of the last 48 hours, and robots.txt pointing at them.

Every list starts from `Article.objects.published()`, the one visibility rule, so
a topic page is listed only while at least one public story is attached (for
tags, people, organisations and countries, their `in_public_stories()` rule,
the one their pages answer by). URLs are absolute, built from
`NEWSROOM_SITE_URL` whatever host the crawler asked.
"""

from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Count, DateTimeField, Exists, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, conditional_page, require_safe

from newsroom.queries import has_any
from newsroom.site import absolute
from people.models import Country, Organisation, Person

from . import surrogates
from .body import body_figures
from .counts import CountedList, remembered
from .images.models import Image
from .images.renditions import EXTENSIONS, fallback_format
from .models import (
    Article,
    Byline,
    Section,
    modified_for_readers,
    public_links_of_each_tag,
    tags_in_public_stories,
)

# Crawlers come back often enough; news crawlers every few minutes.
SITEMAP_MAX_AGE = 60 * 60
NEWS_SITEMAP_MAX_AGE = 5 * 60
ROBOTS_MAX_AGE = 24 * 60 * 60

# Google News: stories of the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000

# Stories per sitemap page: the protocol allows 50,000, but each story brings its
# body (for its figures) and its pictures, and a page must stay cheap to render
# under a crawler's parallel fetches. The index lists every page.
STORIES_PER_PAGE = 1000


def w3c(moment):
    """A W3C datetime to the second, in UTC, as sitemaps and Google News want it."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def to_the_second(moment):
    return moment.replace(microsecond=0) if moment else None


def largest_rendition(image: Image):
    """The widest stored full-frame rendition every crawler can read, or None.

    Uses the prefetched renditions; a sitemap never makes a rendition.
    """
    extension = "." + EXTENSIONS[fallback_format(image)]
    full_frame = [
        rendition
        for rendition in image.renditions.all()
        if rendition.spec.startswith("w") and rendition.spec.endswith(extension)
    ]
    return max(full_frame, key=lambda rendition: rendition.width, default=None)


class NewsroomSitemap(Sitemap):
    """Absolute URLs on the public site, and lastmod from one aggregate query."""

    # The name its count of pages is remembered under (articles/counts.py): a
    # sitemap's items are counted again only once a story or a link changes.
    counted_as = None

    @property
    def paginator(self):
        items = self._items()
        if self.counted_as is not None:
            name = f"sitemap-{self.counted_as}"
            items = CountedList(items, name=name, keys={surrogates.SITEMAPS})
        return Paginator(items, self.limit)

    def get_urls(self, page=1, site=None, protocol=None):
        scheme, _, domain = settings.NEWSROOM_SITE_URL.partition("://")
        return self._urls(page, scheme, domain)

    def lastmod(self, item):
        return to_the_second(getattr(item, "last_changed", None))

    def get_latest_lastmod(self):
        # The default would load every item; one aggregate suffices.
        latest = self.items().order_by().aggregate(latest=Max("last_changed"))["latest"]
        return latest.replace(microsecond=0) if latest else None


def topic_sitemap(name, topics, public_links, location=None, story="article"):
    """Topic pages: `topics()`, each with the newest change among its public stories;
    `name` is what its count is remembered under.

    Both are called per request, as the visibility rule is (a scheduled story
    counts once it is due). `public_links()` gives the topic's links to public
    stories, correlated with it (`OuterRef("pk")`): one queryset per link table,
    each row's story its `story` field. Driven from the links, each topic costs
    its own links, not a walk through every public story.
    """

    class TopicSitemap(NewsroomSitemap):
        counted_as = name

        def items(self):
            newest = [
                Subquery(newest_change(links, story), output_field=DateTimeField())
                for links in public_links()
            ]
            # A topic without links of one kind has NULL there; the other counts.
            latest = (
                newest[0]
                if len(newest) == 1
                else Greatest(*(Coalesce(one, *newest) for one in newest))
            )
            return topics().annotate(last_changed=latest).order_by("pk")

        def location(self, topic):
            return location(topic) if location else topic.get_absolute_url()

    return TopicSitemap


def newest_change(links, story):
    """The newest change (edit or publication) among the stories of `links`
    (`links` are the stories themselves when `story` is "")."""
    prefix = f"{story}__" if story else ""
    changed = Greatest(f"{prefix}updated_at", f"{prefix}published_at")
    return links.annotate(changed=changed).order_by("-changed").values("changed")[:1]


class HomeSitemap(NewsroomSitemap):
    """The front page: always there, so the index is never empty."""

    changefreq = "hourly"

    def items(self):
        return ["articles:home"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return to_the_second(Article.objects.published().last_changed()[0])

    def get_latest_lastmod(self):
        latest = Article.objects.published().last_changed()[0]
        return latest.replace(microsecond=0) if latest else None


class StorySitemap(NewsroomSitemap):
    """Every public story, with its lead picture and body figures as image entries.

    lastmod is the story's "Updated" time (or its publication), as on its page.
    """

    limit = STORIES_PER_PAGE
    counted_as = "stories"

    def items(self):
        return (
            Article.objects.published()
            .select_related("lead_image")
            .prefetch_related("lead_image__renditions")
            .annotate(last_changed=modified_for_readers())
            .order_by("-published_at", "-pk")
        )

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        # Two queries for the body figures of the whole page, however many.
        figures = {url["item"].pk: body_figures(url["item"].body) for url in urls}
        wanted = {figure.image_id for found in figures.values() for figure in found}
        images = Image.objects.prefetch_related("renditions").in_bulk(wanted) if wanted else {}
        for url in urls:
            article = url["item"]
            pictures = [article.lead_image] if article.lead_image else []
            pictures += [
                images[figure.image_id]
                for figure in figures[article.pk]
                if figure.image_id in images
            ]
            renditions = [largest_rendition(picture) for picture in pictures]
            locations = [
                absolute(rendition.url) for rendition in renditions if rendition is not None
            ]
            url["images"] = list(dict.fromkeys(locations))
        return urls


class NewsSitemap(NewsroomSitemap):
    """Google News: public stories first published in the last 48 hours."""

    limit = NEWS_LIMIT

    def items(self):
        now = timezone.now()
        return (
            Article.objects.published(at=now)
            .filter(published_at__gte=now - NEWS_WINDOW)
            .annotate(last_changed=modified_for_readers())
            .order_by("-published_at", "-pk")[:NEWS_LIMIT]
        )

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            article = url["item"]
            url["news"] = {
                "language": news_language(article.language),
                "publication_date": w3c(article.published_at),
                "title": article.headline,
            }
        return urls

    def get_latest_lastmod(self):
        return self.latest_and_count()[0]

    def latest_and_count(self):
        """(the newest lastmod, to the second, or None; how many stories), in one query."""
        found = self.items().aggregate(latest=Max("last_changed"), count=Count("pk"))
        latest = found["latest"]
        return (latest.replace(microsecond=0) if latest else None), found["count"]


def news_language(code: str) -> str:
    """ISO 639 code as Google News reads it: "en", "fr", and "zh-cn"/"zh-tw" only."""
    code = (code or settings.LANGUAGE_CODE).lower().replace("_", "-")
    return code if code in ("zh-cn", "zh-tw") else code.split("-")[0]


def stories_in_section():
    return Article.objects.published().filter(section=OuterRef("pk"))


def sections_with_public_stories():
    return Section.objects.filter(has_any(stories_in_section()))


def bylines_on_public_stories():
    """An author's bylines on public stories, from the bylines (see `topic_sitemap`)."""
    public = Article.objects.published().filter(pk=OuterRef("article_id"))
    return Byline.objects.filter(person=OuterRef("pk")).filter(Exists(public))


def authors_with_public_stories():
    return Person.objects.authors().filter(has_any(bylines_on_public_stories(), "article_id"))


# Tags, people, organisations and countries follow their `in_public_stories()`
# rule, the one their pages and feeds answer by; sections and author pages
# always exist, and are listed while they have a public story. A section's
# stories are found by the section's own index (`story_section_newest`).
SITEMAPS = {
    "home": HomeSitemap,
    "stories": StorySitemap,
    "sections": topic_sitemap(
        "sections", sections_with_public_stories, lambda: [stories_in_section()], story=""
    ),
    "tags": topic_sitemap(
        "tags",
        tags_in_public_stories,
        lambda: [public_links_of_each_tag()],
        lambda tag: reverse("articles:tag", args=[tag.slug]),
        story="content_object",
    ),
    # Staff journalists' links are their author pages, listed under "authors".
    "people": topic_sitemap(
        "people",
        lambda: Person.objects.not_authors().in_public_stories(),
        Person.objects.public_links_of_each,
    ),
    "organisations": topic_sitemap(
        "organisations",
        Organisation.objects.in_public_stories,
        Organisation.objects.public_links_of_each,
    ),
    "countries": topic_sitemap(
        "countries", Country.objects.in_public_stories, Country.objects.public_links_of_each
    ),
    "authors": topic_sitemap(
        "authors", authors_with_public_stories, lambda: [bylines_on_public_stories()]
    ),
}


def _public(max_age, validators=None):
    """Public and cacheable for `max_age`; conditional GETs answered by `validators`
    (a (etag, last_modified) pair of functions of the request, without rendering),
    else by an ETag of the rendered page."""

    def decorate(view):
        conditional = (
            condition(etag_func=validators[0], last_modified_func=validators[1])
            if validators
            else conditional_page
        )
        cached = cache_control(public=True, max_age=max_age)(conditional(view))
        return require_safe(surrogates.keyed(surrogates.SITEMAPS)(cached))

    return decorate


def _last_change(request):
    """When readers' view of the stories last changed, once per request: what the
    story sitemap and the index are made of, so a crawler's revisit is two index
    lookups instead of a page."""
    if not hasattr(request, "_latest_public_change"):
        request._latest_public_change = Article.objects.latest_public_change()
    return request._latest_public_change


def _stories_etag(request, *parts):
    latest = _last_change(request)
    stamp = latest.timestamp() if latest else 0
    return "-".join(str(part) for part in (*parts, request.GET.get("p", "1"), stamp))


def _index_etag(request):
    # The news sitemap's 48-hour window moves with the clock alone: so does the index.
    return _stories_etag(request, "index", timezone.now().strftime("%Y%m%d%H"))


def _story_sitemap_etag(request, section):
    return _stories_etag(request, section)


def _story_sitemap_last_modified(request, section):
    return _last_change(request)


def _child_pages() -> list[str]:
    """The address of every page of every child sitemap that has URLs."""
    pages = []
    for section, sitemap_class in SITEMAPS.items():
        paginator = sitemap_class().paginator
        if paginator.count == 0:
            continue  # an empty <urlset> is not a valid sitemap
        location = absolute(reverse("sitemap", kwargs={"section": section}))
        pages += [location, *(f"{location}?p={page}" for page in paginator.page_range[1:])]
    return pages


@_public(SITEMAP_MAX_AGE, (_index_etag, None))
def index(request):
    """The sitemap index: every child sitemap page that has URLs, and the news one.

    Each child is dated by the stories' latest change (`_last_change`), which
    bounds every date inside it: dating each child by its own newest entry
    would compute every topic's newest story, a cost that grows with the archive.
    """
    lastmod = w3c(_last_change(request))
    # Made of the children's counts: kept as they are, in one piece (one purge check).
    pages = remembered("sitemap-index", {surrogates.SITEMAPS}, _child_pages)
    entries = [(page, lastmod) for page in pages]
    news_lastmod, news_count = NewsSitemap().latest_and_count()
    if news_count:
        entries.append((absolute(reverse("sitemap-news")), w3c(news_lastmod)))
    return TemplateResponse(
        request,
        "articles/sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
        headers={"X-Robots-Tag": "noindex, noarchive"},
    )


def sitemap(request, section):
    """One child sitemap page (`?p=2` for the second page)."""
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    # Only the story sitemap is made of stories alone; topic sitemaps also show
    # names and addresses, which change without a story changing.
    view = _story_sitemap if section == "stories" else _topic_sitemap
    return view(request, section)


def _render_sitemap(request, section):
    return sitemap_views.sitemap(
        request, {section: SITEMAPS[section]}, section, template_name="articles/sitemap.xml"
    )


def _render_story_sitemap(request, section):
    response = _render_sitemap(request, section)
    # Django's view dates the page by its newest story; the validators' date (which
    # also moves when a story leaves) is the one a crawler's revisit is judged by.
    del response.headers["Last-Modified"]
    return response


_story_sitemap = _public(SITEMAP_MAX_AGE, (_story_sitemap_etag, _story_sitemap_last_modified))(
    _render_story_sitemap
)
_topic_sitemap = _public(SITEMAP_MAX_AGE)(_render_sitemap)


@_public(NEWS_SITEMAP_MAX_AGE)
def news(request):
    """The Google News sitemap."""
    return sitemap_views.sitemap(
        request,
        {"news": NewsSitemap},
        "news",
        template_name="articles/sitemap_news.xml",
    )


@_public(ROBOTS_MAX_AGE)
def robots_txt(request):
    """robots.txt: keep crawlers out of the newsroom, point them at the sitemaps."""
    return render(
        request,
        "robots.txt",
        {"sitemap_url": absolute(reverse("sitemap-index"))},
        content_type="text/plain; charset=utf-8",
    )
