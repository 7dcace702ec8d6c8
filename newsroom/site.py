"""The public site's addresses: absolute links (feeds, sitemaps, JSON-LD), and pages' own
addresses remembered per instance."""

import functools

from django.conf import settings


def absolute(url: str) -> str:
    """`url` on the public site (`NEWSROOM_SITE_URL`), unless it already has a scheme.

    Built from the setting, never from the request's Host header, so a feed or
    sitemap fetched through any host name links to the one real site; storage
    URLs that are already absolute (S3) pass through.
    """
    return url if "://" in url else settings.NEWSROOM_SITE_URL + url


def remembered_while(*fields):
    """Decorate `get_absolute_url`: remember the address on the instance while the
    `fields` it is made of keep their values.

    A story page asks for the same story's, person's or country's address up
    to five times (links, share buttons, structured data, mention links), and
    each `reverse()` walks the URL patterns again. An instance whose slug
    changes gets its new address at once.
    """

    def decorate(method):
        memo = f"_{method.__name__}_memo"

        @functools.wraps(method)
        def remembering(self):
            inputs = tuple(getattr(self, field) for field in fields)
            known = self.__dict__.get(memo)
            if known is not None and known[0] == inputs:
                return known[1]
            url = method(self)
            self.__dict__[memo] = (inputs, url)
            return url

        return remembering

    return decorate
