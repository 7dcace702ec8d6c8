from django import template
from django.db.models import F
from django.utils import timezone

from articles import workflow
from articles.models import Article, Status

register = template.Library()


def _section(title, queryset, *, limit=10, time_label=None, time_field=None, empty_time=""):
    """One pile: its count, its first `limit` stories, and for each the time its
    `time_label` names (`time_field` of the story; `empty_time` if it has none)."""
    stories = list(queryset[:limit])
    field = time_field or ("updated_at" if time_label == "updated" else "published_at")
    return {
        "title": title,
        "count": queryset.count(),
        "stories": [(story, getattr(story, field)) for story in stories],
        "time_label": time_label,
        "empty_time": empty_time,
    }


@register.inclusion_tag("admin/articles/includes/dashboard.html", takes_context=True)
def newsroom_dashboard(context):
    """The newsroom's piles, scoped to the stories this user may open."""
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
                "Under embargo",
                # Those without a lift time (an editor lifts them) last.
                visible.embargoed(at=now).order_by(
                    F("embargo_lifts_at").asc(nulls_last=True), "pk"
                ),
                time_label="lifts",
                time_field="embargo_lifts_at",
                empty_time="when an editor lifts it",
            ),
            _section(
                "Withdrawals scheduled",
                visible.withdrawal_scheduled(at=now).order_by("withdraws_at", "pk"),
                time_label="withdrawn",
                time_field="withdraws_at",
            ),
            _section(
                "Recently published",
                visible.published(at=now).newest_first(),
                time_label="published",
            ),
        ],
        "can_add": user.has_perm("articles.add_article"),
    }
