"""Staff accounts in the admin: deactivate someone who leaves; delete only mistakes.

Django's `UserAdmin`, with the rule of `people/accounts.py` shown on the delete
pages (an account that acted in the newsroom is "protected", with the reasons),
a "Deactivate selected users" action, and a "Reset two-factor sign-in" action
for someone who lost their phone (people/second_factor/).

django-otp's own device pages are taken away: they would show an app's secret
or the backup codes to whoever may open them, and the reset action is all an
admin needs.
"""

from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import accounts
from .second_factor import devices as second_factor
from .security.signals import act_as

User = get_user_model()

ACTIVE_HELP = (
    "Untick to remove someone from the newsroom: they can no longer log in, and "
    "their name stays on their bylines, author page and story history. Only an "
    "account that has never been used can be deleted."
)

admin.site.unregister(User)
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    list_display = [*auth_admin.UserAdmin.list_display, "is_active", "has_second_factor"]
    actions = ["deactivate_users", "reset_second_factor"]
    # Set by Django, never typed: as form fields they lost their microseconds
    # on every save (the widgets show whole seconds), changing an unchanged user.
    readonly_fields = ["last_login", "date_joined"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "is_active":
            kwargs["help_text"] = ACTIVE_HELP
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The security log says who changed someone's access (people/security).
        super().save_model(request, act_as(obj, request.user), form, change)

    def get_queryset(self, request):
        apps = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_second_factor=Exists(apps))

    @admin.display(boolean=True, description="Two-factor", ordering="has_second_factor")
    def has_second_factor(self, user):
        return user.has_second_factor

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for user in objs:
            if traces := accounts.traces(user):
                protected.append(f"{user.get_username()}: {', '.join(traces)}")
        return deleted, counts, perms_needed, protected

    @admin.action(description="Deactivate selected users", permissions=["change"])
    def deactivate_users(self, request, queryset):
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(request, "You cannot deactivate your own account.", messages.ERROR)
        changed = accounts.deactivate(queryset, by=request.user)
        for user in changed:
            self.log_change(request, user, "Deactivated.")
        if changed:
            names = ", ".join(user.get_username() for user in changed)
            self.message_user(
                request,
                f"Deactivated {names}: they can no longer log in; their names stay on "
                "their bylines and story history.",
                messages.SUCCESS,
            )

    @admin.action(description="Reset two-factor sign-in of selected users", permissions=["change"])
    def reset_second_factor(self, request, queryset):
        """For someone who lost their phone: their app and backup codes stop working."""
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(
                request,
                "You cannot reset your own two-factor sign-in here: use Two-factor "
                "sign-in in your menu, which asks for a current code.",
                messages.ERROR,
            )
        reset = [
            user
            for user in queryset.exclude(pk=request.user.pk)
            if second_factor.reset(user, by=request.user, request=request)
        ]
        for user in reset:
            self.log_change(request, user, "Reset two-factor sign-in.")
        if reset:
            names = ", ".join(user.get_username() for user in reset)
            self.message_user(
                request,
                f"Reset two-factor sign-in of {names}: their app and backup codes no "
                "longer work; they set up a new app the next time they sign in.",
                messages.SUCCESS,
            )
        elif not queryset.filter(pk=request.user.pk).exists():
            self.message_user(
                request, "None of them had two-factor sign-in: nothing to reset.", messages.INFO
            )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(auth_admin.GroupAdmin):
    def save_model(self, request, obj, form, change):
        # The security log says who changed a group's permissions (people/security).
        super().save_model(request, act_as(obj, request.user), form, change)
