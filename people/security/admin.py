"""The security log and the failed-sign-in counters in the admin, for superusers only.

Nobody writes or deletes the log here. The counters are django-axes' (it registers
its own admins on our site; these replace them): unlocking goes through
`lockout.unlock`, so it is logged, and axes' access logs are not shown, the
security log having the sign-ins already (axes' own is switched off in settings).
"""

from django.conf import settings
from django.contrib import admin
from django.db.models import OuterRef, Subquery, Sum

from . import lockout
from .models import SecurityEvent


class ReadOnlyForSuperusers:
    """Shown to active superusers only; nobody adds, edits or deletes rows here."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyForSuperusers, admin.ModelAdmin):
    list_display = ["at", "kind", "username", "by", "ip_address", "detail"]
    list_filter = ["kind"]
    search_fields = ["username", "ip_address", "detail"]
    date_hierarchy = "at"
    list_select_related = ["by"]
    fields = ["at", "kind", "user", "username", "by", "ip_address", "detail"]
    readonly_fields = fields


lockout.unregister_axes_admins(admin.site)


@admin.register(lockout.AccessAttempt)
class FailedSignInAdmin(ReadOnlyForSuperusers, admin.ModelAdmin):
    list_display = [
        "attempt_time",
        "username",
        "ip_address",
        "failures_since_start",
        "status",
        "user_agent",
    ]
    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = [
        "username",
        "ip_address",
        "failures_since_start",
        "attempt_time",
        "user_agent",
        "path_info",
    ]
    readonly_fields = fields
    actions = ["unlock_usernames", "unlock_addresses"]

    def get_queryset(self, request):
        recent = lockout.recent_attempts()

        def total(field):
            rows = recent.filter(**{field: OuterRef(field)}).values(field)
            return Subquery(rows.annotate(total=Sum("failures_since_start")).values("total")[:1])

        return (
            super()
            .get_queryset(request)
            .annotate(username_failures=total("username"), address_failures=total("ip_address"))
        )

    @admin.display(description="Status")
    def status(self, attempt):
        limit = settings.AXES_FAILURE_LIMIT
        locked = [
            what
            for what, failures in (
                ("username", attempt.username_failures),
                ("address", attempt.address_failures),
            )
            if (failures or 0) >= limit
        ]
        return f"Locked ({' and '.join(locked)})" if locked else "Not locked"

    @admin.action(description="Unlock the selected usernames")
    def unlock_usernames(self, request, queryset):
        names = sorted({name for name in queryset.values_list("username", flat=True) if name})
        for name in names:
            lockout.unlock(username=name, by=request.user)
        self.message_user(request, f"Unlocked: {', '.join(names) or 'nothing'}.")

    @admin.action(description="Unlock the selected addresses")
    def unlock_addresses(self, request, queryset):
        addresses = sorted(
            {address for address in queryset.values_list("ip_address", flat=True) if address}
        )
        for address in addresses:
            lockout.unlock(ip_address=address, by=request.user)
        self.message_user(request, f"Unlocked: {', '.join(addresses) or 'nothing'}.")
