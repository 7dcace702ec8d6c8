"""Stories to read next: the editor's picks first, then those sharing the most.

The candidates are bounded whatever the archive's size: the editor's picks and,
for each kind of link (people, organisations, tags, countries), the newest
`CANDIDATES_PER_KIND` public stories sharing one, found through the link
tables' indexes. Only those are scored, each kind of overlap counted by a
correlated subquery rather than by joining (joins would multiply rows). One
query in all; the story's own links come from what its view already
prefetched. A shared person weighs most, a shared country least.
"""

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Article, TaggedStory

WEIGHTS = {"people": 3, "organisations": 2, "tags": 2, "countries": 1}

# How far back each kind of link looks for candidates: a country shared with
# thousands of stories must not make every one of them a candidate.
CANDIDATES_PER_KIND = 50


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


def related_stories(article, *, limit=4):
    """Public stories related to `article`, best first; expects its links prefetched."""
    public = Article.objects.published().exclude(pk=article.pk)
    picks = Article.related.through.objects.filter(from_article_id=article.pk)
    candidates = Q(pk__in=picks.values("to_article_id"))
    score = Value(0, output_field=IntegerField())
    for kind, ids, shared in _links(article):
        sharing = public.filter(**{f"{kind}__in": ids}).newest_first().values("pk")
        candidates |= Q(pk__in=sharing[:CANDIDATES_PER_KIND])
        score = score + shared * WEIGHTS[kind]
    picked = picks.filter(to_article_id=OuterRef("pk"))
    return list(
        public.filter(candidates)
        .annotate(is_picked=Exists(picked), relatedness=score)
        .filter(Q(is_picked=True) | Q(relatedness__gt=0))
        .select_related("section")
        .order_by("-is_picked", "-relatedness", F("published_at").desc(), "-pk")[:limit]
    )
