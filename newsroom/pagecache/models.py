from django.db import models


class PurgedKey(models.Model):
    """When pages built from `key` last went out of date.

    One row per key ever purged; a page cached before `purged_at` is stale.
    """

    key = models.CharField(max_length=100, primary_key=True)
    purged_at = models.DateTimeField()

    def __str__(self):
        return f"{self.key} purged at {self.purged_at:%Y-%m-%d %H:%M:%S}"
