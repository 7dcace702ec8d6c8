"""Webhook subscriptions, and the outbox: one row per message to send after a change.

An outbox row is written in the transaction of the change it reports, so the
message exists exactly when the change does; a task delivers it after commit, and
`send_outbox` (cron) hands the worker any row whose task was lost (a crash after
commit, a worker killed mid-send). `message_id` is the idempotency id: unique, so
one event can never be queued twice, and sent as `webhook-id` on every attempt.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import signing


class Event(models.TextChoices):
    PUBLISHED = "story.published", "A story was published (now or on schedule)"
    UPDATED = "story.updated", "A live story was edited"
    CORRECTED = "story.corrected", "A correction or update was added to a live story"
    WITHDRAWN = "story.withdrawn", "A story was withdrawn"
    EMBARGOED = "story.embargoed", "A story was put under embargo"
    EMBARGO_LIFTED = "story.embargo_lifted", "A story's embargo was lifted"


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def listening_to(self, event: str):
        """Active subscriptions to `event` (checked in Python: JSON lookups differ by database)."""
        return [s for s in self.active() if event in s.events]


class Subscription(models.Model):
    """A partner's endpoint, told of the story events it chose, signed with its secret."""

    name = models.CharField(max_length=200, help_text="Who receives these, e.g. the partner.")
    url = models.URLField(
        "URL", max_length=500, help_text="Where each event is POSTed as JSON (https in production)."
    )
    events = models.JSONField(default=list, help_text="The events sent to this address.")
    secret = models.CharField(
        max_length=100,
        default=signing.new_secret,
        help_text="Give this to the receiver to verify signatures (Standard Webhooks).",
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Switched off automatically after repeated failures; switch it back on "
        "once the receiver works.",
    )
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "webhook subscription"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.url


class OutboxMessageQuerySet(models.QuerySet):
    def due(self, at: datetime | None = None):
        """Pending messages whose attempt time has come and that no worker holds."""
        at = at or timezone.now()
        return self.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=at).filter(
            Q(leased_until__isnull=True) | Q(leased_until__lte=at)
        )


class OutboxMessage(models.Model):
    """One message to send after commit: a webhook to one subscription, or an email."""

    class Kind(models.TextChoices):
        WEBHOOK = "webhook", "Webhook"
        EMAIL = "email", "Workflow email"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Gave up"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    message_id = models.CharField("idempotency id", max_length=80, unique=True)
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    article_event = models.ForeignKey(
        "articles.ArticleEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event_type = models.CharField(max_length=40, blank=True, choices=Event.choices)
    story = models.ForeignKey(
        "articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(blank=True, help_text="The JSON sent, exactly as signed.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # A worker holds the message until then; past it, it was lost and may be sent again.
    leased_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField("duration (ms)", null=True, blank=True)
    last_error = models.TextField(blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "outbox message"
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="email", article_event__isnull=False)
                | Q(kind="webhook", subscription__isnull=False),
                name="outbox_message_has_a_recipient",
            )
        ]

    def __str__(self):
        return f"{self.event_type or self.get_kind_display()} · {self.message_id}"

    def get_absolute_url(self):
        return self.subscription.url if self.subscription else ""

    @property
    def gives_up_at(self) -> datetime:
        return self.created_at + timedelta(hours=settings.NEWSROOM_OUTBOX_RETRY_HOURS)
