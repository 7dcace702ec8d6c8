from django import forms
from django.contrib import admin, messages

from . import outbox
from .models import Event, OutboxMessage, Subscription


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label="URL", max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = Subscription
        fields = ["name", "url", "events", "is_active", "secret"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "url", "is_active", "consecutive_failures", "disabled_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["consecutive_failures", "disabled_at", "created_at"]

    def save_model(self, request, obj, form, change):
        if obj.is_active:
            obj.consecutive_failures, obj.disabled_at = 0, None
        super().save_model(request, obj, form, change)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The delivery log: read-only, with one action, send again."""

    list_display = [
        "message_id",
        "kind",
        "event_type",
        "subscription",
        "status",
        "response_code",
        "duration_ms",
        "attempts",
        "created_at",
        "next_attempt_at",
    ]
    list_filter = ["status", "kind", "event_type", "subscription"]
    list_select_related = ["subscription"]
    search_fields = ["message_id", "last_error"]
    actions = ["redeliver"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # A message is history: its page is view-only; "change" gates the action.
        return obj is None and super().has_change_permission(request)

    @admin.action(description="Redeliver the selected messages", permissions=["change"])
    def redeliver(self, request, queryset):
        count = outbox.redeliver(queryset)
        self.message_user(request, f"{count} messages queued again.", messages.SUCCESS)
