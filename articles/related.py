"""Stories to read next: the editor's picks first, then those sharing the most.

One query whatever the number of tags, people, organisations and countries: the
story's own links come from what its view already prefetched, and each kind of
overlap is counted by a correlated subquery rather than by joining (joins would
multiply rows). A shared person weighs most, a shared country least.
"""

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Article, TaggedStory

WEIGHTS = {"people": 3, "organisations": 2, "tags": 2, "countries": 1}


def _count(queryset):
    counted = queryset.order_by().annotate(
        shared=Func(F("pk"), function="COUNT", output_field=IntegerField())
    )
    return Coalesce(Subquery(counted.values("shared")[:1]), 0)


def _overlaps(article):
    """(kind, subquery counting what a candidate shares with `article`) pairs."""
    links = {
        "people": (Article.people.through, "article_id", "person_id"),
        "organisations": (Article.organisations.through, "article_id", "organisation_id"),
        "countries": (Article.countries.through, "article_id", "country_id"),
        "tags": (TaggedStory, "content_object_id", "tag_id"),
    }
    for kind, (through, story, other) in links.items():
        ids = [obj.pk for obj in getattr(article, kind).all()]
        if ids:
            yield kind, _count(
                through.objects.filter(**{story: OuterRef("pk"), f"{other}__in": ids})
            )


def related_stories(article, *, limit=4):
    """Public stories related to `article`, best first; expects its links prefetched."""
    score = Value(0, output_field=IntegerField())
    for kind, shared in _overlaps(article):
        score = score + shared * WEIGHTS[kind]
    picked = Article.related.through.objects.filter(
        from_article_id=article.pk, to_article_id=OuterRef("pk")
    )
    return list(
        Article.objects.published()
        .exclude(pk=article.pk)
        .annotate(is_picked=Exists(picked), relatedness=score)
        .filter(Q(is_picked=True) | Q(relatedness__gt=0))
        .select_related("section")
        .order_by("-is_picked", "-relatedness", F("published_at").desc(), "-pk")[:limit]
    )
