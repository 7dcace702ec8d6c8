"""Staff accounts in the admin: deactivate someone who leaves; delete only mistakes.

Django's `UserAdmin`, with the rule of `people/accounts.py` shown on the delete
pages (an account that acted in the newsroom is "protected", with the reasons)
and a "Deactivate selected users" action.
"""

from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import accounts
from .security.signals import act_as

User = get_user_model()

ACTIVE_HELP = (
    "Untick to remove someone from the newsroom: they can no longer log in, and "
    "their name stays on their bylines, author page and story history. Only an "
    "account that has never been used can be deleted."
)

admin.site.unregister(User)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    list_display = [*auth_admin.UserAdmin.list_display, "is_active"]
    actions = ["deactivate_users"]
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


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(auth_admin.GroupAdmin):
    def save_model(self, request, obj, form, change):
        # The security log says who changed a group's permissions (people/security).
        super().save_model(request, act_as(obj, request.user), form, change)
