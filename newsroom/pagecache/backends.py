"""Purge backends: how the cache in front (Varnish, Fastly, Cloudflare) is told
which surrogate keys went out of date.

One setting picks the backend (`NEWSROOM_PURGE_BACKEND`): `log` (the default,
no cache in front: it only logs), `varnish`, `fastly`, `cloudflare`, or the
dotted path of a class of your own. A backend's `send(keys)` returns once every
cache it talks to has accepted the purge, and raises `PurgeFailed` otherwise;
sending the same keys twice is harmless, so a failed send is simply retried
(`send_purges`).

Only the standard library talks HTTP here, with short timeouts: a send runs
after an editor's change commits, and a slow cache must not hold the editor up.
"""

import http.client
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class PurgeFailed(Exception):
    """The cache in front did not accept a purge; its keys stay due."""


def _chunks(keys: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(keys), size):
        yield list(keys[start : start + size])


def _timeout() -> float:
    return getattr(settings, "NEWSROOM_PURGE_TIMEOUT", 2.0)


def _request(request: urllib.request.Request, *, where: str) -> None:
    """Send `request`; any answer but 2xx, or none in time, is a `PurgeFailed`."""
    try:
        with urllib.request.urlopen(request, timeout=_timeout()) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise PurgeFailed(f"{where} answered {error.code} {error.reason}") from error
    except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
        # Refused, timed out, no such host, or not HTTP at all.
        raise PurgeFailed(f"{where} did not answer: {error}") from error


def _required(name: str) -> str:
    value = getattr(settings, name, "")
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set for NEWSROOM_PURGE_BACKEND={settings.NEWSROOM_PURGE_BACKEND}."
        )
    return value


class LogBackend:
    """No cache in front: a purge is only logged (and counts as sent)."""

    def send(self, keys: Sequence[str]) -> None:
        logger.info("purge %s", " ".join(keys))


class VarnishBackend:
    """Varnish with the xkey vmod (deploy/varnish/newsroom.vcl): a `PURGE` request
    to each host in `NEWSROOM_VARNISH_URLS`, the keys space-separated in the
    `xkey-purge` header. Every host must accept it, or the whole send is retried."""

    # Varnish refuses a request header longer than 8 KB (http_req_hdr_len).
    KEYS_PER_REQUEST = 200

    def __init__(self):
        self.urls = list(getattr(settings, "NEWSROOM_VARNISH_URLS", []))
        if not self.urls or not all(url.startswith(("http://", "https://")) for url in self.urls):
            raise ImproperlyConfigured(
                "NEWSROOM_VARNISH_URLS must name at least one Varnish, each as http://host:port/."
            )

    def send(self, keys: Sequence[str]) -> None:
        for url in self.urls:
            for chunk in _chunks(keys, self.KEYS_PER_REQUEST):
                request = urllib.request.Request(
                    url, method="PURGE", headers={"xkey-purge": " ".join(chunk)}
                )
                _request(request, where=f"Varnish at {url}")


class FastlyBackend:
    """Fastly's purge by surrogate key: `POST /service/<id>/purge` with the keys
    in `Surrogate-Key` (at most 256 a request) and the API token in `Fastly-Key`.
    Pages must then name their keys in `Surrogate-Key` (NEWSROOM_SURROGATE_KEY_HEADER)."""

    API = "https://api.fastly.com"
    KEYS_PER_REQUEST = 256

    def __init__(self):
        self.service = _required("NEWSROOM_FASTLY_SERVICE_ID")
        self.token = _required("NEWSROOM_FASTLY_API_TOKEN")

    def send(self, keys: Sequence[str]) -> None:
        url = f"{self.API}/service/{quote(self.service, safe='')}/purge"
        for chunk in _chunks(keys, self.KEYS_PER_REQUEST):
            request = urllib.request.Request(
                url,
                method="POST",
                headers={
                    "Fastly-Key": self.token,
                    "Surrogate-Key": " ".join(chunk),
                    "Accept": "application/json",
                },
            )
            _request(request, where="Fastly")


class CloudflareBackend:
    """Cloudflare's purge by cache tag: `POST /zones/<zone>/purge_cache` with
    `{"tags": [...]}` (at most 30 a request on every plan) and an API token.
    Pages must then name their keys in `Cache-Tag` (NEWSROOM_SURROGATE_KEY_HEADER)."""

    API = "https://api.cloudflare.com/client/v4"
    KEYS_PER_REQUEST = 30

    def __init__(self):
        self.zone = _required("NEWSROOM_CLOUDFLARE_ZONE_ID")
        self.token = _required("NEWSROOM_CLOUDFLARE_API_TOKEN")

    def send(self, keys: Sequence[str]) -> None:
        url = f"{self.API}/zones/{quote(self.zone, safe='')}/purge_cache"
        for chunk in _chunks(keys, self.KEYS_PER_REQUEST):
            request = urllib.request.Request(
                url,
                method="POST",
                data=json.dumps({"tags": chunk}).encode(),
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                },
            )
            _request(request, where="Cloudflare")


BACKENDS = {
    "log": LogBackend,
    "varnish": VarnishBackend,
    "fastly": FastlyBackend,
    "cloudflare": CloudflareBackend,
}


def is_in_front() -> bool:
    """Whether a cache in front is configured (not `log`): only then is a purge
    worth a trip through the task queue."""
    return (getattr(settings, "NEWSROOM_PURGE_BACKEND", "log") or "log") != "log"


def backend():
    """The configured backend, built from the current settings."""
    name = getattr(settings, "NEWSROOM_PURGE_BACKEND", "log") or "log"
    if name in BACKENDS:
        return BACKENDS[name]()
    if "." not in name:
        raise ImproperlyConfigured(
            f"NEWSROOM_PURGE_BACKEND={name!r}: use one of {', '.join(BACKENDS)} or a dotted path."
        )
    return import_string(name)()
