"""Writing the security log: `record` is the one door every event goes through."""

from django.conf import settings

from .models import SecurityEvent

Kind = SecurityEvent.Kind


def client_address(request) -> str | None:
    """The address a request came from, as far as it can be trusted.

    Only behind the TLS proxy (`DJANGO_BEHIND_TLS_PROXY`) is the proxy's
    `X-Forwarded-For` believed, and then only its last entry, the one the proxy
    itself added; anywhere else a client could write whatever it liked there.
    """
    if request is None:
        return None
    if getattr(settings, "NEWSROOM_BEHIND_TLS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if hops := [hop.strip() for hop in forwarded.split(",") if hop.strip()]:
            return hops[-1]
    return request.META.get("REMOTE_ADDR") or None


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
