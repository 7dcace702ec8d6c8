"""The public site's addresses: absolute links (feeds, sitemaps, JSON-LD), and pages' own
addresses remembered per instance."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone

# Addresses worked out in this process, by what they are made of: a list page
# shows the same authors, sections and stories as instances of their own, and
# `reverse()` walks the URL patterns for each. Bounded, and cleared whole when full.
_ADDRESSES: dict = {}
_ADDRESSES_KEPT = 20_000


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

    The process remembers them too, keyed by the class, the fields' values and
    what else `reverse()` reads (the URL configuration, the script prefix, the
    time zone a story's date is printed in): a home page's twenty cards name
    the same few authors as separate instances.
    """

    def decorate(method):
        memo = f"_{method.__name__}_memo"

        @functools.wraps(method)
        def remembering(self):
            inputs = tuple(getattr(self, field) for field in fields)
            known = self.__dict__.get(memo)
            if known is not None and known[0] == inputs:
                return known[1]
            shared = (
                type(self),
                method.__name__,
                inputs,
                get_urlconf() or settings.ROOT_URLCONF,
                get_script_prefix(),
                timezone.get_current_timezone(),
            )
            try:
                url = _ADDRESSES.get(shared)
            except TypeError:  # a field value that cannot be a key
                shared = url = None
            if url is None:
                url = method(self)
                if shared is not None:
                    if len(_ADDRESSES) >= _ADDRESSES_KEPT:
                        _ADDRESSES.clear()
                    _ADDRESSES[shared] = url
            self.__dict__[memo] = (inputs, url)
            return url

        return remembering

    return decorate
