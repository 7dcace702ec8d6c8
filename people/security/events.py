"""Writing the security log: `record` is the one door every event goes through."""

import ipaddress

from django.conf import settings

from .models import SecurityEvent

Kind = SecurityEvent.Kind


def client_address(request) -> str | None:
    """The address a request came from, as far as it can be trusted.

    The one rule for the security log and for sign-in lockouts (axes calls it:
    `AXES_CLIENT_IP_CALLABLE`). Only behind the TLS proxy
    (`DJANGO_BEHIND_TLS_PROXY`) is `X-Forwarded-For` believed, and then only the
    entry the outermost of our `NEWSROOM_PROXY_COUNT` proxies appended: each
    proxy appends the address it was reached from, so entries further left were
    written by the client and prove nothing. (django-ipware's own choice prefers
    a public address from anywhere in the header, which a client can write.)
    """
    if request is None:
        return None
    if getattr(settings, "NEWSROOM_BEHIND_TLS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        count = max(1, getattr(settings, "NEWSROOM_PROXY_COUNT", 1))
        if len(hops) >= count and _is_address(hops[-count]):
            return hops[-count]
    return request.META.get("REMOTE_ADDR") or None


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def record(kind, *, user=None, username="", by=None, request=None, detail="") -> SecurityEvent:
    """Add one event to the security log.

    `user` is the account the event is about (None for a username that does not
    exist); `by` who acted, when that was someone else, such as an admin.
    """
    if user is not None and not username:
        username = user.get_username()
    if by is not None and user is not None and by.pk == user.pk:
        by = None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=username[:150],
        by=by,
        ip_address=client_address(request),
        detail=detail,
    )
