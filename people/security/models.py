"""The security log: one row per sign-in, failure, lockout and change of access.

Rows are written by `people.security.events.record` only and never changed;
the admin shows them to superusers, read-only. An account deleted later keeps
its rows (the username is copied), so the log still says who it was.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SecurityEvent(models.Model):
    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGNED_OUT = "signed_out", "Signed out"
        LOCKED_OUT = "locked_out", "Locked out"
        UNLOCKED = "unlocked", "Unlocked"
        SECOND_FACTOR_ADDED = "second_factor_added", "Second factor added"
        SECOND_FACTOR_REMOVED = "second_factor_removed", "Second factor removed"
        SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        GROUPS_CHANGED = "groups_changed", "Groups changed"
        PERMISSIONS_CHANGED = "permissions_changed", "Permissions changed"
        GROUP_PERMISSIONS_CHANGED = "group_permissions_changed", "Group permissions changed"
        STAFF_STATUS_CHANGED = "staff_status_changed", "Staff or superuser status changed"
        DEACTIVATED = "deactivated", "Deactivated"
        REACTIVATED = "reactivated", "Reactivated"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=40, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
        help_text="The account the event is about.",
    )
    username = models.CharField(
        max_length=150,
        blank=True,
        help_text="The account's username then, or the one typed at a failed sign-in.",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who made the change, when it was not the account itself.",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="security_event_user_newest")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.username or 'unknown account'}"
