from django import template
from django.utils import timezone

from articles import workflow
from articles.models import Article, Status

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
    return {
        "sections": [
            _section(
                "My drafts",
                visible.started_or_bylined_by(user)
                .filter(status=Status.DRAFT)
                .order_by("-updated_at", "-pk"),
                time_label="updated",
            ),
            _section(
                "Awaiting review",
                visible.filter(status=Status.IN_REVIEW).order_by("updated_at", "pk"),
                time_label="updated",
            ),
            _section(
                "Scheduled",
                visible.scheduled(at=now).order_by("published_at", "pk"),
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
