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

The ranking is remembered for `REMEMBERED_SECONDS`, as ids, under a key that
changes with the story's links and last save (and is forgotten when its picks
change). A view then reads the ids back by primary key, through
`published()` again, so a story withdrawn or rescheduled since is never
shown: the ranking keeps twice as many as are shown, and the next takes the
place of one that dropped out. What it may miss for that long is a story
published since that would now rank, as the page cache's copy of the page
would (docs/caching.md). On PostgreSQL the ranking query costs more to plan
than to run, a cost every view of a story paid.
"""

import hashlib

from django.core.cache import cache
from django.db import connections
from django.db.models import BooleanField, F, IntegerField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .models import Article, TaggedStory

WEIGHTS = {"people": 3, "organisations": 2, "tags": 2, "countries": 1}

# How far back each kind of link looks for candidates: a country shared with
# thousands of stories must not make every one of them a candidate.
CANDIDATES_PER_KIND = 50

# How long a story's ranking is reused; a story published since shows up after it.
REMEMBERED_SECONDS = 300
# Ranked for each one shown, so that one withdrawn since has a stand-in.
KEPT_PER_SHOWN = 2

# What a related story's card shows (articles/includes/article_card.html, compact).
CARD_FIELDS = (
    "headline",
    "slug",
    "standfirst",
    "type_of_work",
    "published_at",
    "created_at",
    "section__name",
    # What its card is kept under (articles/cards.py).
    "updated_at",
    # Not shown: the page is cached no longer than until it is withdrawn on schedule.
    "withdraws_at",
)

# What `Article.is_published()` reads.
VISIBILITY_FIELDS = ("status", "published_at", "embargoed_at", "embargo_lifts_at", "withdraws_at")


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


def story_links(article):
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


def _cards():
    return Article.objects.select_related("section").only(*CARD_FIELDS)


def remembered_cards(ids):
    """The cards of the stories `ids`, public or not, each looked up by primary key."""
    return _cards().only(*CARD_FIELDS, *VISIBILITY_FIELDS).filter(pk__in=ids).order_by()


def _remembered_key(pk) -> str:
    return f"related-stories:{pk}"


def _version(article, links) -> str:
    """Changes whenever what the ranking starts from does: the links, the last save."""
    made_of = repr((article.updated_at, links)).encode()
    return hashlib.blake2b(made_of, digest_size=12).hexdigest()


def forget(article_pks) -> None:
    """Drop the remembered rankings of these stories (their picks changed)."""
    cache.delete_many([_remembered_key(pk) for pk in article_pks])


def related_stories(article, *, limit=4, links=None):
    """Public stories related to `article`, best first; expects its links prefetched,
    or `links` (`story_links(article)`, as the story's page keeps them).

    One query: reading back a remembered ranking, or ranking afresh."""
    links = list(story_links(article)) if links is None else links
    version = _version(article, links)
    remembered = cache.get(_remembered_key(article.pk))
    if remembered and remembered[0] == version:
        ids = remembered[1]
        # The visibility rule again, what was public when ranked may not be any
        # more; checked on the rows, as `front_page()` does: in SQL, SQLite walks
        # the public stories' index instead of looking the ids up, a cost that
        # grows with the archive.
        shown = {story.pk: story for story in remembered_cards(ids) if story.is_published()}
        return [shown[pk] for pk in ids if pk in shown][:limit]
    ranked = _ranked(article, links, limit=limit * KEPT_PER_SHOWN)
    cache.set(
        _remembered_key(article.pk), (version, [story.pk for story in ranked]), REMEMBERED_SECONDS
    )
    return ranked[:limit]


def _ranked(article, links, *, limit):
    connection = connections[Article.objects.db]
    candidates = _candidates(article, links, timezone.now(), connection)
    return list(
        _cards()
        .filter(pk__in=RawSQL(*candidates))
        .annotate(
            is_picked=RawSQL(*_is_picked(article, connection), output_field=BooleanField()),
            relatedness=RawSQL(*_score(links, connection), output_field=IntegerField()),
        )
        .order_by("-is_picked", "-relatedness", F("published_at").desc(), "-pk")[:limit]
    )


def picks_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed on the picks: the stories whose picks these are rank afresh."""
    if action.startswith("post_"):
        # The picked side has no accessor (related_name="+"), so it names no set to clear.
        forget((pk_set or ()) if reverse else [instance.pk])


def connect():
    from django.db.models.signals import m2m_changed

    m2m_changed.connect(
        picks_changed, sender=Article.related.through, dispatch_uid="related-stories-picks"
    )
