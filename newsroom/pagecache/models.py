from datetime import datetime

from django.db import connections, models
from django.db.models import F, Q


class PurgedKeyQuerySet(models.QuerySet):
    def due(self):
        """Keys purged since they were last sent to the cache in front (or never sent)."""
        return self.filter(Q(sent_at__isnull=True) | Q(sent_at__lt=F("purged_at")))

    def sent(self):
        """Keys the cache in front was told of since their last purge."""
        return self.filter(sent_at__gte=F("purged_at"))


class PurgedKeyManager(models.Manager.from_queryset(PurgedKeyQuerySet)):
    def purged_since(self, keys, since: datetime) -> dict[str, datetime]:
        """{key: when it was purged} for those of `keys` purged at or after `since`.

        Every kept page, card, count and story part asks this on every view, so it
        is one plain statement: the ORM took five times as long to put it
        together as the database to answer it (bench/pages.py)."""
        keys = list(keys)
        if not keys:
            return {}
        connection = connections[self.db]
        quote = connection.ops.quote_name
        field = self.model._meta.get_field("purged_at")
        key = quote(self.model._meta.pk.column)
        sql = (
            f"SELECT {key}, {quote(field.column)} FROM {quote(self.model._meta.db_table)}"
            f" WHERE {key} IN ({', '.join(['%s'] * len(keys))}) AND {quote(field.column)} >= %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*keys, field.get_db_prep_value(since, connection)])
            rows = cursor.fetchall()
        column = field.get_col(self.model._meta.db_table)
        converters = [
            *connection.ops.get_db_converters(column),
            *field.get_db_converters(connection),
        ]
        purged = {}
        for name, moment in rows:
            for convert in converters:
                moment = convert(moment, column, connection)
            purged[name] = moment
        return purged


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

    objects = PurgedKeyManager()

    class Meta:
        ordering = ["-purged_at"]
        verbose_name = "purged key"

    def __str__(self):
        return f"{self.key} purged at {self.purged_at:%Y-%m-%d %H:%M:%S}"

    @property
    def is_due(self) -> bool:
        return self.sent_at is None or self.sent_at < self.purged_at
