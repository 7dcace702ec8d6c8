"""`{% feed_links %}`: the <link rel="alternate"> tags feed readers discover."""

from django import template
from django.urls import NoReverseMatch, reverse

from articles import sitemaps

register = template.Library()


@register.inclusion_tag("includes/feed_links.html", takes_context=True)
def feed_links(context):
    """The topic's own feeds first (readers offer the first), then the site's.

    A topic page's URL name and arguments match its feeds' (`articles:section`
    and `articles:feed-section-rss` both take `slug`), so no view has to say.
    """
    feeds = []
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    topic = context.get("topic")
    if match is not None and topic is not None:
        try:
            feeds.append(
                (
                    str(topic),
                    reverse(f"articles:feed-{match.url_name}-rss", kwargs=match.kwargs),
                    reverse(f"articles:feed-{match.url_name}-atom", kwargs=match.kwargs),
                )
            )
        except NoReverseMatch:
            pass  # a page with a topic but no feed of its own
    publication = context.get("publication_name", "")
    feeds.append(
        (publication, reverse("articles:feed-site-rss"), reverse("articles:feed-site-atom"))
    )
    return {"feeds": feeds, "publication_name": publication}


@register.filter
def w3c(moment):
    """A datetime as W3C Datetime, to the second, in UTC (sitemap lastmod)."""
    return sitemaps.w3c(moment)
