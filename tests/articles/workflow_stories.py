"""Stories in each workflow state, for the workflow tests."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Status
from tests.factories import make_article

STATES = ["draft", "in-review", "scheduled", "published", "withdrawn"]
# Embargoes and visibility windows, set as the workflow leaves them
# (articles/workflow.py: `embargo`, `schedule_withdrawal`).
EMBARGO_STATES = [
    "embargoed",
    "embargoed-until",
    "embargo-lifted",
    "withdrawal-scheduled",
    "withdrawn-on-schedule",
]


def story_in(state, **fields):
    """A story in `state`; "scheduled" goes live in a day, "published" went live an hour ago.

    "embargoed": went live an hour ago, pulled back under embargo until an
    editor lifts it; "embargoed-until": never public, embargoed until tomorrow;
    "embargo-lifted": its embargo lifted by itself two hours ago;
    "withdrawal-scheduled": live, withdrawn tomorrow; "withdrawn-on-schedule":
    its window ended an hour ago. `fields` override any of these.
    """
    now = timezone.now()
    hour, day = timedelta(hours=1), timedelta(days=1)
    live = {"status": Status.PUBLISHED, "published_at": now - hour}
    defaults = {
        "draft": {"status": Status.DRAFT, "published_at": None},
        "in-review": {"status": Status.IN_REVIEW, "published_at": None},
        "scheduled": {"status": Status.PUBLISHED, "published_at": now + day},
        "published": live,
        "withdrawn": {"status": Status.WITHDRAWN, "published_at": now - 2 * day},
        "embargoed": {**live, "embargoed_at": now - hour / 6},
        "embargoed-until": {
            "status": Status.PUBLISHED,
            "published_at": now + day,
            "embargoed_at": now - hour,
            "embargo_lifts_at": now + day,
        },
        "embargo-lifted": {
            "status": Status.PUBLISHED,
            "published_at": now - 2 * hour,
            "embargoed_at": now - 3 * hour,
            "embargo_lifts_at": now - 2 * hour,
        },
        "withdrawal-scheduled": {**live, "withdraws_at": now + day},
        "withdrawn-on-schedule": {
            "status": Status.PUBLISHED,
            "published_at": now - 2 * day,
            "withdraws_at": now - hour,
        },
    }[state]
    return make_article(**{**defaults, **fields})


def row(story):
    """Everything a refused transition must leave alone."""
    story.refresh_from_db()
    return (
        story.status,
        story.published_at,
        story.embargoed_at,
        story.embargo_lifts_at,
        story.withdraws_at,
        story.updated_at,
        story.version,
        story.events.count(),
        story.corrections.count(),
    )
