"""Server errors: who hears about them, and the page a reader sees.

A 500 is mailed to `ADMINS` by Django's `mail_admins` logging handler; ours sends
each distinct error once per `NEWSROOM_ERROR_MAIL_MINUTES`, so a broken page read
by thousands costs one mail, not thousands. `SENTRY_DSN` sends errors to Sentry
as well (newsroom/sentry.py). The 500 page only says someone was told when one of
the two is set.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseServerError
from django.template import loader
from django.utils.log import AdminEmailHandler
from django.views.decorators.csrf import requires_csrf_token


def is_reported() -> bool:
    """Whether a server error reaches a person: mailed to ADMINS or sent to Sentry."""
    return bool(settings.ADMINS or settings.SENTRY_DSN)


def error_signature(record) -> str:
    """What makes two log records the same error: the exception's type and the
    line that raised it, or the logger and message when there is no exception."""
    if record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        traceback = error.__traceback__
        while traceback is not None and traceback.tb_next is not None:
            traceback = traceback.tb_next
        where = (
            f"{traceback.tb_frame.f_code.co_filename}:{traceback.tb_lineno}"
            if traceback is not None
            else ""
        )
        return f"{type(error).__module__}.{type(error).__qualname__} at {where}"
    return f"{record.name}: {record.msg}"


class ThrottledAdminEmailHandler(AdminEmailHandler):
    """Django's AdminEmailHandler, mailing the same error at most once per interval.

    The interval is kept in the cache, so every worker sharing it (Redis) agrees.
    When the cache cannot answer, the error is mailed: one mail too many beats an
    error nobody hears about.
    """

    def emit(self, record):
        if self.is_first_in_interval(record):
            super().emit(record)

    def is_first_in_interval(self, record) -> bool:
        minutes = settings.NEWSROOM_ERROR_MAIL_MINUTES
        if minutes <= 0 or not settings.ADMINS:
            return True
        digest = hashlib.blake2b(error_signature(record).encode(), digest_size=16).hexdigest()
        key = f"error-mail:{digest}"
        # get-then-set, not add(): the resilient Redis cache answers add() with
        # False while Redis is down, which would silence every report.
        if cache.get(key) is not None:
            return False
        cache.set(key, True, minutes * 60)
        return True


@requires_csrf_token
def server_error(request):
    """handler500: Django's own (500.html, no context processors, no database),
    told whether anybody hears about the error so the page says nothing untrue."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"is_reported": is_reported()}))
