"""Signed-in sessions end after `NEWSROOM_STAFF_IDLE_MINUTES` without a request.

Only a request that brings a session cookie is looked at, so an anonymous
reader's request never loads, starts or saves a session (the page cache
depends on that). The last-seen time is written at most once a minute, not on
every request. A session ended here says why on the sign-in page.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in

LAST_SEEN = "newsroom_last_seen"
# How stale the stamp may get before it is written again: a write per minute of
# activity at most, at the price of the timeout being up to this much longer.
REFRESH_SECONDS = 60


def clock() -> float:
    """Seconds since the epoch; a function so that tests can move time."""
    return time.time()


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            self.check_idle(request)
        return self.get_response(request)

    @staticmethod
    def check_idle(request):
        now = clock()
        last_seen = request.session.get(LAST_SEEN)
        idle_limit = settings.NEWSROOM_STAFF_IDLE_MINUTES * 60
        if last_seen is not None and now - last_seen > idle_limit:
            logout(request)
            messages.info(
                request,
                f"Your session ended after {_duration(settings.NEWSROOM_STAFF_IDLE_MINUTES)} "
                "without activity. Please sign in again.",
            )
        elif last_seen is None or now - last_seen >= REFRESH_SECONDS:
            request.session[LAST_SEEN] = now


def _duration(minutes: int) -> str:
    """'8 hours', '15 minutes', '1 hour 30 minutes'."""
    hours, minutes = divmod(minutes, 60)
    parts = [(hours, "hour"), (minutes, "minute")]
    return " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n)


def stamp_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = clock()


def connect():
    user_logged_in.connect(stamp_sign_in, dispatch_uid="security-session-last-seen")
