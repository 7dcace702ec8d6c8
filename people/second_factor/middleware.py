from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import devices

# What someone between their password and their code may still open: signing
# in and out, the second step itself, and setting up a first app.
OPEN_PAGES = {
    "login",
    "logout",
    "jsi18n",
    "second-factor-verify",
    "second-factor-set-up",
}


class SecondFactorMiddleware:
    """No admin page for a staff member who has not passed their second factor.

    Someone who has enrolled is sent to type a code, once a session; someone
    whose role requires it (`devices.is_required`) and who has not enrolled
    is sent to set it up. Every URL in the admin's namespace is covered,
    including pages a ModelAdmin adds itself. Placed after django-otp's
    `OTPMiddleware`, which says whether the session is verified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or admin.site.name not in match.namespaces:
            return None
        if match.url_name in OPEN_PAGES:
            return None
        user = request.user
        if not (user.is_active and user.is_staff) or user.is_verified():
            return None  # the admin's own login page deals with everyone else
        if devices.has_second_factor(user):
            return self._send_to("admin:second-factor-verify", request)
        if devices.is_required(user):
            return self._send_to("admin:second-factor-set-up", request)
        return None

    @staticmethod
    def _send_to(name, request):
        return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
