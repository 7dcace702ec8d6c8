"""Who is asking, and how often they may: partner keys and request limits.

A request without a key is a reader's: limited per address
(`NEWSROOM_API_ANON_RATE`). A request with a valid key is a partner's:
limited per key (`NEWSROOM_API_PARTNER_RATE`). A wrong or revoked key
answers 401, so a partner notices at once instead of being silently
limited as a reader. Counts live in Django's cache (DRF's throttles).
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from rest_framework import authentication, exceptions, throttling

from .models import PartnerKey

SCHEME = "Bearer"


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer nrk_…`: the request's `auth` is the PartnerKey.

    The user stays anonymous: a key changes limits, never what may be seen.
    """

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != SCHEME.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the key as “Authorization: Bearer <key>”.")
        key = PartnerKey.objects.matching(header[1]).first()
        if key is None:
            raise exceptions.AuthenticationFailed("This API key is not valid or has been revoked.")
        return AnonymousUser(), key

    def authenticate_header(self, request):
        return f'{SCHEME} realm="api"'


def partner_of(request) -> PartnerKey | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, PartnerKey) else None


class ReaderThrottle(throttling.SimpleRateThrottle):
    """Requests without a key, counted per client address."""

    scope = "reader"

    def get_rate(self):
        return settings.NEWSROOM_API_ANON_RATE

    def get_cache_key(self, request, view):
        if partner_of(request) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PartnerThrottle(throttling.SimpleRateThrottle):
    """Requests with a partner key, counted per key."""

    scope = "partner"

    def get_rate(self):
        return settings.NEWSROOM_API_PARTNER_RATE

    def get_cache_key(self, request, view):
        key = partner_of(request)
        if key is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": key.pk}
