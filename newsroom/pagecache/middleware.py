"""Cache headers on every response, and anonymous pages served from Django's cache.

For a request with no session cookie (an anonymous reader: staff always have
one), a page tagged by its view (`keys.tag`) is stored with the keys it was
built from and the time its render began. It is served again while none of
those keys was purged since then (one primary-key lookup in the database, so
every process agrees whatever cache backend it has), and answered with 304
when the reader's copy is the same.

Headers: tagged responses get `Cache-Control: public` with the configured
lifetimes (capped at the page's `until`), an ETag and the surrogate keys;
a response that sets a cookie, carries a CSP nonce, or answers a signed-in
user, is `private, no-store` instead.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, get_max_age, patch_cache_control

from . import backends
from .keys import keys_of, until_of
from .models import PurgedKey

STORED_HEADERS = ("Content-Type", "Content-Language", "Last-Modified", "Link", "X-Robots-Tag")


@dataclass(frozen=True)
class Entry:
    started: datetime  # when the render began: any purge since makes it stale
    keys: tuple[str, ...]
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    etag: str
    until: datetime | None  # the next scheduled change that would alter it


def _config(name, default):
    return getattr(settings, name, default)


def _etag(content: bytes) -> str:
    return f'"{hashlib.blake2b(content, digest_size=12).hexdigest()}"'


def _is_anonymous_read(request) -> bool:
    # A request with credentials (an API partner's key) is answered for its sender
    # alone: checked, throttled and never shared, as a shared cache must (RFC 9111
    # 3.5) and as the Varnish recipe passes it.
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _cache_key(request) -> str:
    url = request.build_absolute_uri()
    return "pagecache:" + hashlib.blake2b(url.encode(), digest_size=16).hexdigest()


def _skewed(started: datetime) -> datetime:
    """`started` less the clock skew allowed between application servers."""
    return started - timedelta(seconds=_config("NEWSROOM_PAGE_CACHE_CLOCK_SKEW", 0))


def unpurged_since(keys, started: datetime) -> bool:
    """No key of `keys` purged since `started`."""
    return not PurgedKey.objects.purged_since(keys, _skewed(started))


def stale_among(entries: dict) -> set:
    """The names of those of `entries` ({name: an entry with `keys` and `started`})
    of which a key was purged since it began: `unpurged_since` for many, in one query."""
    if not entries:
        return set()
    keys = set().union(*(entry.keys for entry in entries.values()))
    since = _skewed(min(entry.started for entry in entries.values()))
    purged = PurgedKey.objects.purged_since(keys, since)

    def is_stale(entry):
        began = _skewed(entry.started)
        return any(purged[key] >= began for key in entry.keys if key in purged)

    return {name for name, entry in entries.items() if is_stale(entry)}


def _is_fresh(entry: Entry) -> bool:
    """No key of `entry` purged since its render began."""
    return unpurged_since(entry.keys, entry.started)


def _lifetimes(response, now):
    """(browser max-age, shared s-maxage) in seconds: a view's own max-age stands
    (feeds, sitemaps), and both are capped at the page's `until`."""
    max_age = get_max_age(response)
    if max_age is None:
        max_age = _config("NEWSROOM_CACHE_MAX_AGE", 0)
    shared = max(max_age, _config("NEWSROOM_CACHE_S_MAXAGE", 600))
    until = until_of(response)
    if until is not None:
        left = max(0, int((until - now).total_seconds()))
        max_age, shared = min(max_age, left), min(shared, left)
    return max_age, shared


def _mark_public(response, keys, now):
    max_age, shared = _lifetimes(response, now)
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        s_maxage=shared,
        stale_while_revalidate=_config("NEWSROOM_CACHE_STALE_WHILE_REVALIDATE", 60),
        stale_if_error=_config("NEWSROOM_CACHE_STALE_IF_ERROR", 86400),
    )
    response[_config("NEWSROOM_SURROGATE_KEY_HEADER", "xkey")] = " ".join(sorted(keys))


def _mark_private(response):
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_store=True)


def _conditional(request, response, etag: str):
    """`response`, or a 304 when the reader's copy has `etag` (Django's own rules),
    naming the same surrogate keys for the cache in front."""
    answer = get_conditional_response(request, etag=etag, response=response)
    header = _config("NEWSROOM_SURROGATE_KEY_HEADER", "xkey")
    if answer is not response and response.has_header(header):
        answer[header] = response[header]
    return answer


def _from_entry(request, entry: Entry):
    response = HttpResponse(entry.content, status=entry.status)
    for name, value in entry.headers:
        response[name] = value
    response["ETag"] = entry.etag
    return get_conditional_response(request, etag=entry.etag, response=response)


def _sets_a_cookie(request, response) -> bool:
    """Whether the response carries, or the middleware above will add, a cookie: a
    CSRF token rendered into the page, a session or messages started by the view."""
    session = getattr(request, "session", None)
    return bool(
        response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (session is not None and session.modified)
        or getattr(getattr(request, "_messages", None), "added_new", False)
    )


def _used_a_nonce(request) -> bool:
    """Whether the page carries the request's CSP nonce (django-csp keeps it on the
    request once read): kept by a cache, it would be every reader's nonce and no
    longer match the header each one is sent."""
    return isinstance(getattr(request, "_csp_nonce", None), str)


class PageCacheMiddleware:
    """Placed after the authentication middleware (it reads `request.user` only
    when a session cookie says there may be one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_anonymous_read(request):
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if (
                response.cookies
                or (user is not None and user.is_authenticated)
                or "HTTP_AUTHORIZATION" in request.META
            ):
                _mark_private(response)
            return response

        enabled = _config("NEWSROOM_PAGE_CACHE", False)
        now = timezone.now()
        if enabled:
            store = caches[_config("NEWSROOM_PAGE_CACHE_ALIAS", "default")]
            key = _cache_key(request)
            entry = store.get(key)
            if (
                entry is not None
                and (entry.until is None or now < entry.until)
                and _is_fresh(entry)
            ):
                response = _from_entry(request, entry)
                _mark_public(response, entry.keys, now)
                response["X-Page-Cache"] = "hit"
                return response

        response = self.get_response(request)
        keys = keys_of(response)
        if _sets_a_cookie(request, response) or _used_a_nonce(request):
            _mark_private(response)
            return response
        if not keys or response.status_code != 200:
            return response
        if response.streaming or "private" in response.get("Cache-Control", ""):
            return response

        if backends.is_in_front() and not unpurged_since(keys, now):
            # Rendered from data a change replaced while it rendered: the change's
            # purge reached the cache in front before this page did, so no shared
            # cache may keep it (the next request renders it afresh).
            patch_cache_control(response, no_store=True)
            return response
        # A view's own validator (feeds, sitemaps) is kept: it answers 304 cheaper.
        if not response.has_header("ETag"):
            response["ETag"] = _etag(response.content)
        etag = response["ETag"]
        _mark_public(response, keys, now)
        if enabled:
            self._store(store, key, response, keys, etag, started=now)
            response["X-Page-Cache"] = "miss"
        return _conditional(request, response, etag)

    def _store(self, store, key, response, keys, etag, *, started):
        _, lifetime = _lifetimes(response, started)
        lifetime = min(lifetime, _config("NEWSROOM_PAGE_CACHE_SECONDS", 600))
        if lifetime <= 0:
            return
        headers = tuple(
            (name, response[name]) for name in STORED_HEADERS if response.has_header(name)
        )
        entry = Entry(
            started=started,
            keys=tuple(sorted(keys)),
            status=response.status_code,
            headers=headers,
            content=response.content,
            etag=etag,
            until=until_of(response),
        )
        store.set(key, entry, lifetime)
