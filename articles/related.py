"""Stories to read next: the editor's picks first, then those sharing the most.

One query whatever the number of tags, people, organisations and countries: the
story's own links come from what its view already prefetched, and each kind of
overlap is counted by a correlated subquery rather than by joining (joins would
multiply rows). A shared person weighs most, a shared country least.
"""

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from taggit.models import TaggedItem

from .models import Article

WEIGHTS = {"people": 3, "organisations": 2, "tags": 2, "countries": 1}


def _count(queryset):
    counted = queryset.order_by().annotate(
        shared=Func(F("pk"), function="COUNT", output_field=IntegerField())
    )
    return Coalesce(Subquery(counted.values("shared")[:1]), 0)


def _overlaps(article):
    """(kind, subquery counting what a candidate shares with `article`) pairs."""
    m2m = {"people": "person_id", "organisations": "organisation_id", "countries": "country_id"}
    for kind, column in m2m.items():
        ids = [obj.pk for obj in getattr(article, kind).all()]
        if ids:
            through = getattr(Article, kind).through.objects
            yield kind, _count(
                through.filter(article_id=OuterRef("pk"), **{f"{column}__in": ids})
            )
    tag_ids = [tag.pk for tag in article.tags.all()]
    if tag_ids:
        yield "tags", _count(
            TaggedItem.objects.filter(
                content_type__app_label="articles",
                content_type__model="article",
                object_id=OuterRef("pk"),
                tag_id__in=tag_ids,
            )
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
