"""Query building blocks the apps share."""

from contextlib import contextmanager

from django.db import connection
from django.db.models import Subquery
from django.db.models.lookups import IsNull


def has_any(rows, column="pk"):
    """A condition: the correlated queryset `rows` has at least one row.

    What `Exists(rows)` means, written as "the `column` of its first row is not
    NULL": a scalar subquery run per outer row, stopping at the first match.
    PostgreSQL turns an EXISTS into a join of whole tables (every link with
    every story, to name the topics that have a public one), a cost that grows
    with the archive; a `column` the index holds lets it read the index alone.
    SQLite plans both alike.
    """
    # Any row will do: no order, or the subquery would sort them all first.
    return IsNull(Subquery(rows.order_by().values(column)[:1]), False)


@contextmanager
def planned_each_time():
    """Statements run inside are planned for their own parameters, never prepared.

    On PostgreSQL psycopg prepares a statement after its fifth run on a
    connection (settings: DATABASE_PREPARED_STATEMENTS), and PostgreSQL may then
    keep one generic plan for any parameters. Right for a lookup by key; wrong
    where the best plan depends on the values, as a full-text query's does on
    how many stories match its words.
    """
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    driver = connection.connection
    threshold, driver.prepare_threshold = driver.prepare_threshold, None
    try:
        yield
    finally:
        driver.prepare_threshold = threshold
