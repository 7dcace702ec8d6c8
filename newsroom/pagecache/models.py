from django.db import models
from django.db.models import F, Q


class PurgedKeyQuerySet(models.QuerySet):
    def due(self):
        """Keys purged since they were last sent to the cache in front (or never sent)."""
        return self.filter(Q(sent_at__isnull=True) | Q(sent_at__lt=F("purged_at")))

    def sent(self):
        """Keys the cache in front was told of since their last purge."""
        return self.filter(sent_at__gte=F("purged_at"))


class PurgedKey(models.Model):
    """When pages built from `key` last went out of date, and when the cache in
    front was last told.

    One row per key ever purged; a page cached before `purged_at` is stale. The
    table is also the outbox of purges for the cache in front (Varnish, a CDN):
    a key is due until a send that began after its last purge succeeded.
    """

    key = models.CharField(max_length=100, primary_key=True)
    purged_at = models.DateTimeField()
    sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the cache in front was last told; empty or earlier than the purge: not yet.",
    )

    objects = PurgedKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-purged_at"]
        verbose_name = "purged key"

    def __str__(self):
        return f"{self.key} purged at {self.purged_at:%Y-%m-%d %H:%M:%S}"

    @property
    def is_due(self) -> bool:
        return self.sent_at is None or self.sent_at < self.purged_at
