"""Full-text search over stories, on the database's own engine.

The one interface the rest of the site uses:

* `index_stories(ids)` / `rebuild_index()` keep one `SearchDocument` per story
  (every story, whatever its state: who may see what is decided at query time);
* `search(text, stories)` ranks the stories of `stories` (already narrowed to
  `Article.objects.published()` and any filters) that match `text`; it returns
  a `Results` sequence that a `Paginator` can page through;
* `highlights(text, ids)` gives the highlighted headline and snippet of a page
  of results, as safe HTML where only `<mark>` is markup (on PostgreSQL the
  snippet comes from the body's opening `PG_SNIPPET_FROM_CHARS` characters).

PostgreSQL: a stored, GIN-indexed tsvector (headline A, standfirst and names B,
tags C, body D) matched with `plainto_tsquery('english', …)`. SQLite: an FTS5
table (porter stemming) matched with each word as a quoted string. Both rank
alike: points for each query word found in the headline, standfirst, names and
tags, plus the engine's own score over all the text (`ts_rank()` or `bm25()`),
times a recency decay. FTS5's bm25 alone is a poor judge on a small archive:
when most stories share a word its IDF is clamped to nearly zero, and it sums
the column weights before saturating, so the shortest story wins.
"""

import re
from dataclasses import dataclass
from datetime import UTC

from django.db import connection, transaction
from django.db.models import BooleanField, Case, F, Prefetch, Q, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left, Length, Reverse, StrIndex
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from newsroom.queries import planned_each_time
from people.models import Person

from .models import Article, Byline, SearchDocument
from .sanitize import plain_text

# Longer queries are cut, not refused: a reader pasting a paragraph gets results.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 16
# A story this many days old scores half what the same story would score today.
HALF_SCORE_AFTER_DAYS = 180
# Points for each query word found in a field (the A, B, B, C of the tsvector);
# the body (D) counts through bm25() or ts_rank().
FIELD_POINTS = {"headline": 10, "standfirst": 4, "names": 4, "tags": 2}
FTS5_TABLE = "articles_searchdocument_fts"
PG_CONFIG = "english"
BATCH_SIZE = 500
# Stories ranked for one query, the newest matches: more are counted as "1,000+".
# Ranking every match would grow with the archive; readers page no further.
MAX_RESULTS = 1000

# PostgreSQL's ts_headline() parses the whole text it is given, for every result
# shown: the snippet is picked from the body's opening characters only.
PG_SNIPPET_FROM_CHARS = 1500
# Characters that hold a body's first 15 words (`min_words`), with room to spare.
FIRST_WORDS_CHARS = 500

# Private-use characters bracket matches in the engine's output, so the text can
# be escaped in full before they become <mark> tags.
START, STOP = "\ue000", "\ue001"
_WORD = re.compile(r"[^\W_]+")


def terms(text: str | None) -> list[str]:
    """The words of a reader's query: operators, quotes and punctuation dropped."""
    text = (text or "")[:MAX_QUERY_LENGTH]
    return _WORD.findall(text)[:MAX_TERMS]


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


# --- Indexing ------------------------------------------------------------------


def _clean(text: str) -> str:
    return text.replace(START, "").replace(STOP, "").replace("\x00", "")


def names_of(entity) -> list[str]:
    """What search knows a person, organisation or country by."""
    names = [entity.name, *entity.alias_list]
    if getattr(entity, "short_name", ""):
        names.append(entity.short_name)
    return names


def _names(*entities) -> str:
    return "\n".join(name for entity in entities for name in names_of(entity))


def document_for(story: Article) -> SearchDocument:
    """The story's search document (unsaved), from prefetched relations."""
    entities = [
        *story.people.all(),
        *story.organisations.all(),
        *story.countries.all(),
        *(byline.person for byline in story.bylines.all()),
    ]
    return SearchDocument(
        article_id=story.pk,
        headline=_clean(story.headline),
        standfirst=_clean(story.standfirst),
        names=_clean(_names(*entities)),
        tags=_clean("\n".join(tag.name for tag in story.tags.all())),
        body=_clean(plain_text(story.body)),
    )


def index_stories(ids) -> None:
    """Re-index the stories `ids` once the transaction commits, each story once.

    A save of a story with its relations fires many signals (the row, each
    link, each byline); they all land here, and the documents are written once
    per story, after commit, from what was committed. A rolled-back transaction
    indexes nothing (its stories are re-read at the next commit, harmlessly).
    Outside a transaction the documents are written at once.
    """
    pending = connection.__dict__.setdefault("_newsroom_search_pending", set())
    pending.update(pk for pk in ids if pk is not None)
    if pending:
        # One callback per call, not per transaction: a callback registered in
        # a savepoint that rolls back is dropped, the set of ids is not.
        after_commit(_write_pending)


def after_commit(callback) -> None:
    """`transaction.on_commit`; tests whose transaction never commits replace it."""
    transaction.on_commit(callback)


def _write_pending() -> None:
    ids = connection.__dict__.pop("_newsroom_search_pending", None)
    if ids:
        write_documents(sorted(ids))


def write_documents(ids) -> None:
    """Write (or rewrite) the search documents of the stories `ids`, now."""
    ids = list(ids)
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        stories = Article.objects.filter(pk__in=batch).prefetch_related(
            "people",
            "organisations",
            "countries",
            "tags",
            Prefetch("bylines", queryset=Byline.objects.select_related("person")),
        )
        documents = [document_for(story) for story in stories]
        with transaction.atomic():
            # Delete and insert (not upsert) so SQLite's FTS5 triggers always fire.
            SearchDocument.objects.filter(pk__in=batch).delete()
            SearchDocument.objects.bulk_create(documents)
            if _is_postgresql():
                _update_vectors(batch)


def _update_vectors(ids) -> None:
    from django.contrib.postgres.search import SearchVector

    vector = (
        SearchVector("headline", weight="A", config=PG_CONFIG)
        + SearchVector("standfirst", "names", weight="B", config=PG_CONFIG)
        + SearchVector("tags", weight="C", config=PG_CONFIG)
        + SearchVector("body", weight="D", config=PG_CONFIG)
    )
    fields_vector = (
        SearchVector("headline", weight="A", config=PG_CONFIG)
        + SearchVector("standfirst", weight="B", config=PG_CONFIG)
        + SearchVector("names", weight="C", config=PG_CONFIG)
        + SearchVector("tags", weight="D", config=PG_CONFIG)
    )
    SearchDocument.objects.filter(pk__in=ids).update(vector=vector, fields_vector=fields_vector)


def index_stories_about(entity) -> None:
    """Re-index every story naming `entity` (a person, organisation or country)."""
    if isinstance(entity, Person):
        stories = Article.objects.filter(Q(people=entity) | Q(bylines__person=entity))
    else:
        stories = Article.objects.about(entity)
    index_stories(stories.values_list("pk", flat=True).distinct())


def rebuild_index() -> int:
    """Rebuild every search document; returns how many stories are indexed."""
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    SearchDocument.objects.exclude(pk__in=ids).delete()
    write_documents(ids)
    with connection.cursor() as cursor:
        if _is_postgresql():
            # Without fresh statistics the planner may scan the table for a
            # query that matches nothing.
            cursor.execute("ANALYZE articles_searchdocument, articles_article")
        else:
            cursor.execute(f"INSERT INTO {FTS5_TABLE}({FTS5_TABLE}) VALUES ('optimize')")
    return len(ids)


# --- Querying ------------------------------------------------------------------


def _recency_sql(published_at="articles_article.published_at") -> tuple[str, list]:
    """SQL for the recency factor of `published_at`: 1 today, ½ after the half-life."""
    now = timezone.now()
    if _is_postgresql():
        # date_part() in double precision, like SQLite's julianday(): EXTRACT()
        # gives numeric, whose divisions cost more than the rest of the score.
        age = f"GREATEST(date_part('epoch', %s - {published_at}) / 86400.0, 0)"
        return f"(1.0 / (1.0 + {age} / {HALF_SCORE_AFTER_DAYS}))", [now]
    age = f"MAX(julianday(%s) - julianday({published_at}), 0)"
    stamp = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    return f"(1.0 / (1.0 + {age} / {HALF_SCORE_AFTER_DAYS}))", [stamp]


def _fts5_match(words: list[str]) -> str:
    # Every word a quoted string: FTS5 syntax (NEAR, OR, *, ^, :) in the input is
    # just text. `\w+` words hold no quote, but double any to be safe.
    return " ".join('"{}"'.format(word.replace('"', '""')) for word in words)


def _fts5_field_points(words: list[str], oldest: int) -> tuple[str, list]:
    """A `WITH` clause giving `search_points(id, points)`: each field's points per word,
    for the stories from `oldest` (an id) on.

    One FTS5 lookup per field and word, made once (a subquery in the ORDER BY
    would run for every matching story), over the candidates' id range only.
    """
    selects, params = [], []
    for word in words:
        for field, points in FIELD_POINTS.items():
            selects.append(
                f"SELECT rowid, {points} FROM {FTS5_TABLE} "
                f"WHERE {FTS5_TABLE} MATCH %s AND rowid >= %s"
            )
            params += [f"{field} : {_fts5_match([word])}", oldest]
    return (
        f"WITH field_points(id, points) AS ({' UNION ALL '.join(selects)}), "
        "search_points(id, points) AS "
        "(SELECT id, SUM(points) FROM field_points GROUP BY id) ",
        params,
    )


PG_FIELD_WEIGHTS = {"headline": "A", "standfirst": "B", "names": "C", "tags": "D"}


def _pg_field_points(words: list[str]) -> tuple[str, list]:
    """PostgreSQL twin of `_fts5_field_points`, from `fields_vector`'s weights."""
    terms, params = [], []
    for word in words:
        for field, points in FIELD_POINTS.items():
            # `word` is letters and digits only, so "word:A" is always a valid
            # tsquery (an empty one, matching nothing, for a stop word).
            terms.append(
                "(CASE WHEN articles_searchdocument.fields_vector "
                f"@@ to_tsquery('{PG_CONFIG}', %s) THEN {points} ELSE 0 END)"
            )
            params.append(f"{word}:{PG_FIELD_WEIGHTS[field]}")
    return " + ".join(terms), params


def _pg_query(words: list[str]):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(" ".join(words), search_type="plain", config=PG_CONFIG)


@dataclass
class Results:
    """Ids of matching stories, best first, sliced lazily so a Paginator can page them.

    Ranked among a bounded candidate set: the `MAX_RESULTS` newest matching
    stories (by id, which the full-text index walks in order and stops), so
    a query matching most of the archive costs as much at 20,000 stories as
    at 2,000. `count()` stops there too; `is_capped` says there were more.
    """

    words: list[str]
    stories: object  # an Article queryset: published(), filtered

    def count(self) -> int:
        return min(len(self._candidates()), MAX_RESULTS)

    def __len__(self) -> int:
        return self.count()

    @property
    def is_capped(self) -> bool:
        """More stories match than are ranked and counted (shown as “1,000+”)."""
        return len(self._candidates()) > MAX_RESULTS

    def _candidates(self) -> list[int]:
        """The ids of the `MAX_RESULTS` + 1 newest matching stories, newest first."""
        if not hasattr(self, "_candidate_ids"):
            self._candidate_ids = self._find_candidates() if self.words else []
        return self._candidate_ids

    def _find_candidates(self) -> list[int]:
        if _is_postgresql():
            # Scored by the query that finds them: a page is then a sort, here.
            self._pg_scores = dict(self._pg_scored_candidates())
            return sorted(self._pg_scores, reverse=True)
        sql, params = self._visible_sql()
        with connection.cursor() as cursor:
            # Newest first is the FTS index's own order, so it stops after enough
            # visible matches; each is checked by primary key (`_visible_sql`).
            cursor.execute(
                f"SELECT rowid FROM {FTS5_TABLE} WHERE {FTS5_TABLE} MATCH %s "
                f"AND EXISTS ({sql}) ORDER BY rowid DESC LIMIT %s",
                [_fts5_match(self.words), *params, MAX_RESULTS + 1],
            )
            return [row[0] for row in cursor.fetchall()]

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        if stop is not None and stop <= start:
            return []
        ranked = self._candidates()[:MAX_RESULTS]
        if not ranked:
            return []
        if _is_postgresql():
            scores = self._pg_scores
            return sorted(ranked, key=lambda pk: (-scores[pk], -pk))[start:stop]
        sql, params = self._visible_sql()
        recency, recency_params = _recency_sql()
        oldest = ranked[-1]
        points, points_params = _fts5_field_points(self.words, oldest)
        limit = -1 if stop is None else stop - start
        with connection.cursor() as cursor:
            # bm25() is lower for better matches, hence the minus. CROSS JOIN keeps
            # SQLite driving from the MATCH; the candidates are exactly the visible
            # matches from the oldest of them on, a range the FTS index serves.
            cursor.execute(
                f"{points}SELECT {FTS5_TABLE}.rowid FROM {FTS5_TABLE} "
                f"CROSS JOIN articles_article ON articles_article.id = {FTS5_TABLE}.rowid "
                f"LEFT JOIN search_points ON search_points.id = {FTS5_TABLE}.rowid "
                f"WHERE {FTS5_TABLE} MATCH %s AND {FTS5_TABLE}.rowid >= %s "
                f"AND EXISTS ({sql}) "
                f"ORDER BY (COALESCE(search_points.points, 0) - bm25({FTS5_TABLE})) "
                f"* {recency} DESC, {FTS5_TABLE}.rowid DESC LIMIT %s OFFSET %s",
                [
                    *points_params,
                    _fts5_match(self.words),
                    oldest,
                    *params,
                    *recency_params,
                    limit,
                    start,
                ],
            )
            return [row[0] for row in cursor.fetchall()]

    def _visible_sql(self):
        """SQL true when the FTS row's story is one of `stories`, looked up by pk."""
        row = RawSQL(f"{FTS5_TABLE}.rowid", [])
        visible = self.stories.order_by().filter(pk=row).values("pk")
        return visible.query.sql_with_params()

    def _pg_scored_candidates(self) -> list[tuple[int, float]]:
        """(id, score) of the `MAX_RESULTS` + 1 newest matching stories, one query.

        The newest matches are found first, by id and date alone; then each one's
        document is read by key for its score. Joined any other way, PostgreSQL
        may sort or hash every document with its vectors in it, which cost more
        than the scoring: the CTE and `OFFSET 0` keep the two steps apart.
        """
        newest = (
            self.stories.filter(search_document__vector=_pg_query(self.words))
            .order_by("-pk")
            .values(found_id=F("pk"), found_at=F("published_at"))[: MAX_RESULTS + 1]
        )
        newest_sql, newest_params = newest.query.sql_with_params()
        recency, recency_params = _recency_sql("newest.found_at")
        points, points_params = _pg_field_points(self.words)
        score = (
            f"(({points}) + ts_rank(articles_searchdocument.vector, "
            f"plainto_tsquery('{PG_CONFIG}', %s))) * {recency}"
        )
        with planned_each_time(), connection.cursor() as cursor:
            cursor.execute(
                f"WITH newest AS MATERIALIZED ({newest_sql}) "
                "SELECT newest.found_id, scored.score FROM newest CROSS JOIN LATERAL "
                f"(SELECT {score} AS score FROM articles_searchdocument "
                "WHERE articles_searchdocument.article_id = newest.found_id OFFSET 0) AS scored",
                [*newest_params, *points_params, " ".join(self.words), *recency_params],
            )
            return cursor.fetchall()


def search(text: str | None, stories=None) -> Results:
    """Stories among `stories` (default: all published) matching `text`, best first.

    `stories` must already be narrowed to `Article.objects.published()`; filters
    (section, person, dates…) are applied to it by the caller.
    """
    if stories is None:
        stories = Article.objects.published()
    return Results(words=terms(text), stories=stories)


@dataclass
class Highlight:
    headline: SafeString
    snippet: SafeString


def _marked(text: str) -> SafeString:
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))


def highlights(text: str | None, ids) -> dict[int, Highlight]:
    """Headline and snippet of each story in `ids`, matches in <mark>, all else escaped."""
    words, ids = terms(text), list(ids)
    if not words or not ids:
        return {}
    if _is_postgresql():
        rows = _pg_highlights(words, ids)
    else:
        placeholders = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, highlight({FTS5_TABLE}, 0, %s, %s), "
                f"highlight({FTS5_TABLE}, 1, %s, %s), "
                f"snippet({FTS5_TABLE}, 4, %s, %s, '…', 32) "
                f"FROM {FTS5_TABLE} WHERE {FTS5_TABLE} MATCH %s "
                f"AND rowid IN ({placeholders})",
                [START, STOP] * 3 + [_fts5_match(words), *ids],
            )
            rows = cursor.fetchall()
    result = {}
    for pk, headline, standfirst, body in rows:
        # The body's best passage when it has a match, else the standfirst.
        snippet = body if START in (body or "") else standfirst
        result[pk] = Highlight(headline=_marked(headline or ""), snippet=_marked(snippet or ""))
    return result


def _opening(field: str, length: int):
    """The first `length` characters of `field`, cut after its last whole word."""
    head = Left(field, length + 1)  # one character more tells a cut word
    return Case(
        When(LessThanOrEqual(Length(head), length), then=head),
        default=Left(head, length + 1 - StrIndex(Reverse(head), Value(" "))),
        output_field=TextField(),
    )


def _snippet_source(words):
    """The body text the snippet is picked from: its opening, or only its first
    words when it lacks one of the query's words. ts_headline() then finds no
    passage holding them all and shows the first words (`min_words`), so the
    rest need not be parsed: the snippet is the same."""
    every_word_in_body = RawSQL(
        # The body is the weight-D part of `vector`.
        "ts_filter(articles_searchdocument.vector, '{d}') @@ plainto_tsquery(%s::regconfig, %s)",
        [PG_CONFIG, " ".join(words)],
        output_field=BooleanField(),
    )
    return Case(
        When(every_word_in_body, then=_opening("body", PG_SNIPPET_FROM_CHARS)),
        default=_opening("body", FIRST_WORDS_CHARS),
        output_field=TextField(),
    )


def _pg_highlights(words, ids):
    from django.contrib.postgres.search import SearchHeadline

    query = _pg_query(words)
    marks = {"start_sel": START, "stop_sel": STOP, "config": PG_CONFIG}
    return (
        SearchDocument.objects.filter(pk__in=ids)
        .annotate(
            marked_headline=SearchHeadline("headline", query, highlight_all=True, **marks),
            marked_standfirst=SearchHeadline("standfirst", query, highlight_all=True, **marks),
            marked_body=SearchHeadline(
                _snippet_source(words),
                query,
                max_words=35,
                min_words=15,
                fragment_delimiter=" … ",
                **marks,
            ),
        )
        .values_list("pk", "marked_headline", "marked_standfirst", "marked_body")
    )
