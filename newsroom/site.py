"""The public site's address, for links that leave the site: feeds, sitemaps, JSON-LD."""

from django.conf import settings


def absolute(url: str) -> str:
    """`url` on the public site (`NEWSROOM_SITE_URL`), unless it already has a scheme.

    Built from the setting, never from the request's Host header, so a feed or
    sitemap fetched through any host name links to the one real site; storage
    URLs that are already absolute (S3) pass through.
    """
    return url if "://" in url else settings.NEWSROOM_SITE_URL + url
