"""Stories in each workflow state, for the workflow tests."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Status
from tests.factories import make_article

STATES = ["draft", "in-review", "scheduled", "published", "withdrawn"]


def story_in(state, **fields):
    """A story in `state`; "scheduled" goes live in a day, "published" went live an hour ago."""
    now = timezone.now()
    status, published_at = {
        "draft": (Status.DRAFT, None),
        "in-review": (Status.IN_REVIEW, None),
        "scheduled": (Status.PUBLISHED, now + timedelta(days=1)),
        "published": (Status.PUBLISHED, now - timedelta(hours=1)),
        "withdrawn": (Status.WITHDRAWN, now - timedelta(days=2)),
    }[state]
    return make_article(status=status, published_at=published_at, **fields)


def row(story):
    """Everything a refused transition must leave alone."""
    story.refresh_from_db()
    return (
        story.status,
        story.published_at,
        story.updated_at,
        story.version,
        story.events.count(),
        story.corrections.count(),
    )
