"""Sign-in lockouts: what django-axes counts, what a locked-out person sees, and unlocking.

axes (configured in settings: `NEWSROOM_LOGIN_FAILURE_LIMIT`,
`NEWSROOM_LOGIN_LOCKOUT_MINUTES`) counts failed sign-ins per username and per
address and refuses the next attempt, even with the right password, once either
reaches the limit. This module is the only one that imports axes: it answers a
locked-out sign-in, writes lockouts and unlocks into the security log, and
`unlock` is the one door an admin or the `unlock_account` command goes through.
"""

from datetime import datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .events import Kind, record

__all__ = ["AccessAttempt", "connect", "lockout_message", "lockout_response", "unlock"]


def lockout_message() -> str:
    """The same words for a real account and for a name that does not exist."""
    minutes = settings.NEWSROOM_LOGIN_LOCKOUT_MINUTES
    return ngettext(
        "Too many failed sign-ins. Sign-in is paused for this account or from this "
        "address: try again in %(minutes)d minute, or ask an administrator to unlock it.",
        "Too many failed sign-ins. Sign-in is paused for this account or from this "
        "address: try again in %(minutes)d minutes, or ask an administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def _locked_out_form(request, form_class):
    """The admin site's own sign-in form, carrying the lockout message as its error."""
    form = form_class(request, initial={"username": request.POST.get("username", "")})
    form.non_field_errors = lambda: form.error_class([lockout_message()])
    return form


def lockout_response(request, original_response=None, credentials=None):
    """The admin sign-in page again, with the lockout message and status 429.

    axes calls this (`AXES_LOCKOUT_CALLABLE`) instead of the login view's own
    answer, which would say "wrong password" to someone who typed the right one.
    """
    site = admin.site
    form = _locked_out_form(request, site.login_form or AuthenticationForm)
    context = {
        **site.each_context(request),
        "title": _("Log in"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "form": form,
        "username": request.user.get_username(),
        REDIRECT_FIELD_NAME: request.POST.get(REDIRECT_FIELD_NAME)
        or request.GET.get(REDIRECT_FIELD_NAME, ""),
    }
    template = site.login_template or "admin/login.html"
    response = TemplateResponse(request, template, context, status=429)
    return response.render()


def was_refused(request) -> bool:
    """Whether axes refused this sign-in unchecked because it was already locked out.

    (The failure that starts a lockout has its count worked out; a refusal has none.)
    """
    return bool(getattr(request, "axes_locked_out", False)) and (
        getattr(request, "axes_failures_since_start", None) is None
    )


def locked_out(sender, request, username, ip_address, **kwargs):
    """Log a lockout once, at the failure that starts it (not each refusal after it)."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures != settings.AXES_FAILURE_LIMIT:
        return
    user = get_user_model()._default_manager.filter(username=username).first()
    record(
        Kind.LOCKED_OUT,
        user=user,
        username=username or "",
        request=request,
        detail=f"after {failures} failed sign-ins for this username or from {ip_address}",
    )


def unlock(*, username: str = "", ip_address: str = "", by=None) -> int:
    """Forget the failed sign-ins of `username` and those from `ip_address`, lifting
    their locks.

    Returns how many counters were cleared; an unlock that cleared any is logged.
    """
    if not username and not ip_address:
        raise ValueError("Say which username or address to unlock.")
    cleared = AxesProxyHandler.reset_attempts(
        username=username or None,
        ip_address=ip_address or None,
        ip_or_username=bool(username and ip_address),
    )
    if cleared:
        user = None
        if username:
            user = get_user_model()._default_manager.filter(username=username).first()
        record(
            Kind.UNLOCKED,
            user=user,
            username=username,
            by=by,
            detail=f"address {ip_address}" if ip_address else "",
        )
    return cleared


def recent_attempts(*, now: datetime | None = None):
    """The failed-sign-in counters that still count: newer than the lockout time."""
    since = (now or timezone.now()) - get_cool_off()
    return AccessAttempt.objects.filter(attempt_time__gte=since)


def unregister_axes_admins(site):
    """Take axes' own admins off `site`, for people/security/admin.py to replace."""
    import axes.admin  # noqa: F401  (registers them, so that they can be taken off)

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        if site.is_registered(model):
            site.unregister(model)


def connect():
    user_locked_out.connect(locked_out, dispatch_uid="security-locked-out")
