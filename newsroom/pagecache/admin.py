"""What the cache in front has not been told yet: the purge outbox, read-only.

Editors and superusers see it (the `view_purgedkey` permission); rows are
written by purges and `send_purges` only.
"""

from django.contrib import admin

from .models import PurgedKey


class NotYetSentFilter(admin.SimpleListFilter):
    title = "sent to the cache in front"
    parameter_name = "sent"

    def lookups(self, request, model_admin):
        return [("no", "Not yet sent"), ("yes", "Sent")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.due()
        if self.value() == "yes":
            return queryset.sent()
        return queryset


@admin.register(PurgedKey)
class PurgedKeyAdmin(admin.ModelAdmin):
    list_display = ["key", "purged_at", "sent_at", "is_sent"]
    list_filter = [NotYetSentFilter]
    search_fields = ["key"]
    date_hierarchy = "purged_at"
    fields = ["key", "purged_at", "sent_at"]
    readonly_fields = fields

    @admin.display(boolean=True, description="sent")
    def is_sent(self, purged_key):
        return not purged_key.is_due

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
