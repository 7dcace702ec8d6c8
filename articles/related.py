"""Stories to read next: the editor's picks first, then those sharing the most.

The candidates are bounded whatever the archive's size: the editor's picks and,
for each kind of link (people, organisations, tags, countries), the newest
`CANDIDATES_PER_KIND` public stories sharing one, found through the link
tables' indexes. A shared person weighs most, a shared country least.

One query. Its candidates are one compound subquery (UNION ALL), each lookup
a bounded index range of its own; only those rows are read, by primary key,
and scored, each kind of overlap counted by a correlated subquery rather than
by joining (joins would multiply rows). With the visibility rule on the outer
query, or the lookups OR-ed together, SQLite would walk every public story
instead, a cost that grows with the archive.

The lookups and scores are SQL written here: built with the ORM, the query
cost four times as much to put together as to run. The visibility rule in
them is still `Article.objects.published()`'s, compiled. The story's own
links come from what its view already prefetched.
"""

from django.db import connections
from django.db.models import BooleanField, F, IntegerField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .models import Article, TaggedStory

WEIGHTS = {"people": 3, "organisations": 2, "tags": 2, "countries": 1}

# How far back each kind of link looks for candidates: a country shared with
# thousands of stories must not make every one of them a candidate.
CANDIDATES_PER_KIND = 50

# What a related story's card shows (articles/includes/article_card.html, compact).
CARD_FIELDS = (
    "headline",
    "slug",
    "standfirst",
    "type_of_work",
    "published_at",
    "created_at",
    "section__name",
    # Not shown: the page is cached no longer than until it is withdrawn on schedule.
    "withdraws_at",
)


def _link_tables():
    """kind: (table, its column naming the story, its column naming the link)."""
    tables = {
        "people": (Article.people.through, "article", "person"),
        "organisations": (Article.organisations.through, "article", "organisation"),
        "countries": (Article.countries.through, "article", "country"),
        "tags": (TaggedStory, "content_object", "tag"),
    }
    return {
        kind: (
            model._meta.db_table,
            model._meta.get_field(story).column,
            model._meta.get_field(other).column,
        )
        for kind, (model, story, other) in tables.items()
    }


def _links(article):
    """(kind, ids of `article`'s links of that kind) for each kind it has."""
    for kind in WEIGHTS:
        ids = [obj.pk for obj in getattr(article, kind).all()]
        if ids:
            yield kind, ids


def _column(model, field):
    return model._meta.get_field(field).column


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def _story_pk(connection) -> str:
    """The story table's primary key column, qualified and quoted, as the outer query names it."""
    quote = connection.ops.quote_name
    return f"{quote(Article._meta.db_table)}.{quote(Article._meta.pk.column)}"


def _visible(at, connection):
    """`Article.objects.published(at)`'s condition as SQL on the story table."""
    query = Article.objects.published(at).query
    return query.get_compiler(connection=connection).compile(query.where)


def _candidates(article, links, at, connection):
    """The public picks and each kind's newest public stories sharing a link, but
    `article` itself: one compound query of bounded index ranges, (sql, params)."""
    quote = connection.ops.quote_name
    story = quote(Article._meta.db_table)
    pk = _story_pk(connection)
    visible, visible_params = _visible(at, connection)
    picks = Article.related.through
    # CROSS JOIN: SQLite keeps this order (the picks, then each by primary key)
    # rather than testing every public story for being a pick.
    members = [
        (
            f"SELECT {pk} FROM {quote(picks._meta.db_table)} AS picked CROSS JOIN {story}"
            f" WHERE picked.{quote(_column(picks, 'from_article'))} = %s"
            f" AND {pk} = picked.{quote(_column(picks, 'to_article'))}"
            f" AND {visible} AND {pk} <> %s",
            [article.pk, *visible_params, article.pk],
        )
    ]
    tables = _link_tables()
    for kind, ids in links:
        table, story_column, other_column = tables[kind]
        # A member of a compound query may not have a LIMIT; a subquery may.
        members.append(
            (
                f"SELECT * FROM (SELECT {pk} FROM {quote(table)} AS link"
                f" INNER JOIN {story} ON {pk} = link.{quote(story_column)}"
                f" WHERE link.{quote(other_column)} IN ({_in(ids)})"
                f" AND {visible} AND {pk} <> %s"
                f" ORDER BY {story}.{quote('published_at')} DESC, {pk} DESC"
                " LIMIT %s) AS newest",
                [*ids, *visible_params, article.pk, CANDIDATES_PER_KIND],
            )
        )
    return (
        " UNION ALL ".join(sql for sql, _params in members),
        [param for _sql, params in members for param in params],
    )


def _score(links, connection):
    """How much the outer query's story shares with the links, by weight, (sql, params)."""
    quote = connection.ops.quote_name
    pk = _story_pk(connection)
    tables = _link_tables()
    terms, params = [], []
    for kind, ids in links:
        table, story_column, other_column = tables[kind]
        terms.append(
            f"{WEIGHTS[kind]} * (SELECT COUNT(*) FROM {quote(table)} AS link"
            f" WHERE link.{quote(story_column)} = {pk}"
            f" AND link.{quote(other_column)} IN ({_in(ids)}))"
        )
        params += ids
    return " + ".join(terms) or "0", params


def _is_picked(article, connection):
    """Whether the outer query's story is one of `article`'s picks, (sql, params)."""
    quote = connection.ops.quote_name
    pk = _story_pk(connection)
    picks = Article.related.through
    return (
        f"EXISTS (SELECT 1 FROM {quote(picks._meta.db_table)} AS picked"
        f" WHERE picked.{quote(_column(picks, 'from_article'))} = %s"
        f" AND picked.{quote(_column(picks, 'to_article'))} = {pk})",
        [article.pk],
    )


def related_stories(article, *, limit=4):
    """Public stories related to `article`, best first; expects its links prefetched."""
    connection = connections[Article.objects.db]
    links = list(_links(article))
    candidates = _candidates(article, links, timezone.now(), connection)
    return list(
        Article.objects.filter(pk__in=RawSQL(*candidates))
        .annotate(
            is_picked=RawSQL(*_is_picked(article, connection), output_field=BooleanField()),
            relatedness=RawSQL(*_score(links, connection), output_field=IntegerField()),
        )
        .select_related("section")
        .only(*CARD_FIELDS)
        .order_by("-is_picked", "-relatedness", F("published_at").desc(), "-pk")[:limit]
    )
