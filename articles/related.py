"""Stories to read next: the editor's picks first, then those sharing the most.

The candidates are bounded whatever the archive's size: the editor's picks and,
for each kind of link (people, organisations, tags, countries), the newest
`CANDIDATES_PER_KIND` public stories sharing one, found through the link
tables' indexes. A shared person weighs most, a shared country least.

One query. Its candidates are one compound subquery (UNION ALL), each lookup
a bounded index range of its own; only those rows are read, by primary key,
and scored, each kind of overlap counted by a correlated subquery rather than
by joining (joins would multiply rows). The visibility rule is then checked
row by row: as a plain filter, or with the lookups OR-ed together, SQLite
would walk every public story instead, a cost that grows with the archive.
The story's own links come from what its view already prefetched.
"""

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
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
)


def _count(queryset):
    counted = queryset.order_by().annotate(
        shared=Func(F("pk"), function="COUNT", output_field=IntegerField())
    )
    return Coalesce(Subquery(counted.values("shared")[:1]), 0)


def _links(article):
    """(kind, ids of `article`'s links of that kind, subquery counting how many of
    them a candidate shares) for each kind of link `article` has."""
    links = {
        "people": (Article.people.through, "article_id", "person_id"),
        "organisations": (Article.organisations.through, "article_id", "organisation_id"),
        "countries": (Article.countries.through, "article_id", "country_id"),
        "tags": (TaggedStory, "content_object_id", "tag_id"),
    }
    for kind, (through, story, other) in links.items():
        ids = [obj.pk for obj in getattr(article, kind).all()]
        if ids:
            shared = through.objects.filter(**{story: OuterRef("pk"), f"{other}__in": ids})
            yield kind, ids, _count(shared)


def _candidates(article, links, public):
    """The ids of the editor's picks and of each kind's newest public stories sharing
    a link, as one compound subquery: each lookup a bounded index range of its own."""
    picks = Article.related.through.objects.filter(from_article_id=article.pk)
    lookups = [picks.order_by().values("to_article_id")]
    for kind, ids, _shared in links:
        newest = public.filter(**{f"{kind}__in": ids}).newest_first().values("pk")
        # SQLite allows no LIMIT in a member of a compound query, but in a subquery.
        sliced = newest[:CANDIDATES_PER_KIND]
        lookups.append(Article.objects.filter(pk__in=sliced).order_by().values("pk"))
    first, *rest = lookups
    return first.union(*rest, all=True) if rest else first


def related_stories(article, *, limit=4):
    """Public stories related to `article`, best first; expects its links prefetched."""
    public = Article.objects.published(timezone.now()).exclude(pk=article.pk)
    links = list(_links(article))
    score = Value(0, output_field=IntegerField())
    for kind, _ids, shared in links:
        score = score + shared * WEIGHTS[kind]
    is_picked = Exists(
        Article.related.through.objects.filter(
            from_article_id=article.pk, to_article_id=OuterRef("pk")
        )
    )
    # The candidates are fetched by primary key and then held to the visibility
    # rule one by one (the picks need it): filtering on it directly would have
    # SQLite walk every public story instead.
    return list(
        Article.objects.filter(pk__in=_candidates(article, links, public))
        .filter(Exists(public.filter(pk=OuterRef("pk"))))
        .annotate(is_picked=is_picked, relatedness=score)
        .select_related("section")
        .only(*CARD_FIELDS)
        .order_by("-is_picked", "-relatedness", F("published_at").desc(), "-pk")[:limit]
    )
