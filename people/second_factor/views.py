"""The admin pages for two-factor sign-in: set up, the second sign-in step, codes, removal.

Every one is wrapped by the admin site's `admin_view` (signed-in staff only,
never cached); `devices.py` makes every change.
"""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from . import devices, qr
from .forms import CodeForm

# The secret offered on the set-up page, kept until a code confirms it, so a
# reload shows the same QR code the person may already have scanned.
PENDING_SECRET = "second_factor_pending_secret"


def overview(request):
    """Whether you have two-factor sign-in, and the ways to change it."""
    user = request.user
    return _render(
        request,
        "admin/second_factor/overview.html",
        title="Two-factor sign-in",
        has_second_factor=devices.has_second_factor(user),
        is_required=devices.is_required(user),
        backup_codes_left=devices.backup_codes_left(user),
    )


def set_up(request):
    """Scan the QR code (or type the secret), then type a code to confirm it.

    The ten backup codes are shown in the answer to that confirmation, and
    nowhere else, ever.
    """
    user = request.user
    if devices.has_second_factor(user):
        messages.info(request, "You already have two-factor sign-in.")
        return redirect("admin:second-factor")
    enrolment = devices.Enrolment.start(user, request.session.get(PENDING_SECRET))
    request.session[PENDING_SECRET] = enrolment.key
    form = CodeForm(request.POST or None, backup_codes_allowed=False)
    if form.is_valid():
        try:
            codes = devices.enrol(enrolment, form.cleaned_data["code"], request=request)
        except devices.CodeRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            del request.session[PENDING_SECRET]
            return _backup_codes_page(request, codes, enrolled=True)
    return _render(
        request,
        "admin/second_factor/set_up.html",
        title="Set up two-factor sign-in",
        form=form,
        is_required=devices.is_required(user),
        qr_code=qr.svg(enrolment.setup_url, title="QR code for your authenticator app"),
        secret=enrolment.secret,
        next_url=_next_url(request),
    )


def verify(request):
    """The second step of signing in: a code from the app, or a backup code."""
    user = request.user
    if not devices.has_second_factor(user):
        return redirect(
            "admin:second-factor-set-up" if devices.is_required(user) else "admin:index"
        )
    if user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = devices.verify(request, form.cleaned_data["code"])
        except devices.CodeRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            if devices.is_backup_code(device):
                _warn_backup_code_used(request, devices.backup_codes_left(user))
            return HttpResponseRedirect(_next_url(request))
    return _render(
        request,
        "admin/second_factor/verify.html",
        title="Type your sign-in code",
        form=form,
        next_url=_next_url(request),
    )


def backup_codes(request):
    """Ten new backup codes, after a current code; the old ones stop working."""
    return _with_current_code(
        request,
        devices.new_backup_codes,
        title="New backup codes",
        explanation=(
            "Your old backup codes will stop working. Type a code from your app to "
            "make ten new ones."
        ),
        button="Make new backup codes",
        done=lambda codes: _backup_codes_page(request, codes, enrolled=False),
    )


def remove(request):
    """Take away your own app and backup codes, after a current code."""

    def done(_):
        messages.success(
            request,
            "Two-factor sign-in is off for your account. Your authenticator app's "
            "entry for this newsroom no longer works; you may delete it.",
        )
        return redirect("admin:second-factor")

    required = devices.is_required(request.user)
    return _with_current_code(
        request,
        devices.remove,
        title="Remove two-factor sign-in",
        explanation=(
            "Your role needs two-factor sign-in, so you will set it up again straight "
            "away, for example with a new phone."
            if required
            else "You will sign in with your password only."
        ),
        button="Remove two-factor sign-in",
        done=done,
    )


def _with_current_code(request, change, *, title, explanation, button, done):
    if not devices.has_second_factor(request.user):
        return redirect("admin:second-factor")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            result = change(request, form.cleaned_data["code"])
        except devices.CodeRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            return done(result)
    return _render(
        request,
        "admin/second_factor/confirm_with_code.html",
        title=title,
        explanation=explanation,
        button=button,
        form=form,
    )


def _backup_codes_page(request, codes, *, enrolled):
    return _render(
        request,
        "admin/second_factor/backup_codes.html",
        title="Your backup codes",
        codes=codes,
        enrolled=enrolled,
        next_url=_next_url(request),
    )


def _warn_backup_code_used(request, left):
    level = messages.WARNING if left <= 3 else messages.INFO
    words = f"{left} backup code{'s' if left != 1 else ''} left"
    messages.add_message(
        request,
        level,
        f"You signed in with a backup code, which now no longer works: {words}. "
        "Make new ones under Two-factor sign-in in your menu.",
    )


def _next_url(request) -> str:
    """Where to go after this step: the admin page asked for, never another site."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("admin:index")


def _render(request, template, **context):
    return TemplateResponse(request, template, {**admin.site.each_context(request), **context})
