from django import template
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from articles import workflow
from articles.models import Article, Byline, Status

register = template.Library()


def _section(title, queryset, *, limit=10, time_label=None):
    return {
        "title": title,
        "count": queryset.count(),
        "stories": list(queryset[:limit]),
        "time_label": time_label,
    }


@register.inclusion_tag("admin/articles/includes/dashboard.html", takes_context=True)
def newsroom_dashboard(context):
    """The newsroom's four piles, scoped to the stories this user may open."""
    user = context["request"].user
    now = timezone.now()
    visible = workflow.stories_visible_to(user, Article.objects.select_related("section"))
    mine = Q(created_by=user) | Q(
        Exists(Byline.objects.filter(article=OuterRef("pk"), person__user=user))
    )
    return {
        "sections": [
            _section(
                "My drafts",
                visible.filter(mine, status=Status.DRAFT).order_by("-updated_at", "-pk"),
                time_label="updated",
            ),
            _section(
                "Awaiting review",
                visible.filter(status=Status.IN_REVIEW).order_by("updated_at", "pk"),
                time_label="updated",
            ),
            _section(
                "Scheduled",
                visible.filter(status=Status.PUBLISHED, published_at__gt=now).order_by(
                    "published_at", "pk"
                ),
                time_label="goes live",
            ),
            _section(
                "Recently published",
                visible.published(at=now).newest_first(),
                time_label="published",
            ),
        ],
        "can_add": user.has_perm("articles.add_article"),
    }
