from django.contrib import admin, messages

from .models import PartnerKey


@admin.register(PartnerKey)
class PartnerKeyAdmin(admin.ModelAdmin):
    """Keys are made here; the secret is shown once, in the message after saving."""

    list_display = ["name", "prefix", "is_active", "created_at", "created_by"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix", "notes"]
    readonly_fields = ["prefix", "created_at", "created_by"]
    fields = ["name", "is_active", "notes", "prefix", "created_at", "created_by"]

    def save_model(self, request, obj, form, change):
        secret = None
        if not change:
            secret = obj.new_secret()
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if secret:
            self.message_user(
                request,
                f"The key for {obj.name} is {secret} — copy it now: it is stored only as a "
                "hash and will not be shown again.",
                level=messages.WARNING,
            )
