"""Which audit events partners hear about, and what each webhook carries.

`record(event)` is called by `articles.workflow.record_event`, the one door every
change goes through, inside its transaction. The payload follows Standard
Webhooks: `{"type", "timestamp", "data"}`, where `data` is the read API's story
JSON, fetched through `Article.objects.published()` so a webhook can never show
more than the API would. A story leaving public view (withdrawn, embargoed)
carries its id and address only: nothing of what readers may no longer see.
"""

import hashlib
import json

from django.utils import timezone

from articles.api.serializers import StoryDetailSerializer
from articles.models import Article, ArticleEvent
from newsroom.site import absolute

from . import outbox
from .models import Event, OutboxMessage, Subscription

Action = ArticleEvent.Action

# Actions reported whatever state they leave the story in.
BY_ACTION = {
    Action.PUBLISH: Event.PUBLISHED,
    Action.WENT_LIVE: Event.PUBLISHED,
    Action.CORRECT: Event.CORRECTED,
    Action.WITHDRAW: Event.WITHDRAWN,
    Action.EMBARGO: Event.EMBARGOED,
    Action.LIFT: Event.EMBARGO_LIFTED,
    Action.LIFTED_ON_SCHEDULE: Event.EMBARGO_LIFTED,
    Action.WITHDRAWN_ON_SCHEDULE: Event.WITHDRAWN,
}
# Edits are news to partners only while readers can see the story.
EDITS = frozenset({Action.EDIT, Action.RESTORE, Action.PICTURE, Action.MARK_UPDATED})
# Events whose payload is the whole story; the others say only which story.
WITH_STORY = frozenset({Event.PUBLISHED, Event.UPDATED, Event.CORRECTED, Event.EMBARGO_LIFTED})


def event_type(event: ArticleEvent) -> str | None:
    if event.action in BY_ACTION:
        return BY_ACTION[event.action]
    if event.action in EDITS and event.article.is_published(event.at):
        return Event.UPDATED
    return None


def idempotency_key(event: ArticleEvent, kind: str) -> str:
    """One `story.published` per publication time: a go-live recorded twice (two
    `publish_due` runs at once) or a publish and a go-live of the same moment
    make one message, not two."""
    if kind == Event.PUBLISHED:
        return f"published:{event.article.published_at.isoformat()}"
    return f"event:{event.pk}"


def message_id(subscription: Subscription, kind: str, story: Article, key: str) -> str:
    digest = hashlib.sha256(f"{subscription.pk}|{kind}|{story.pk}|{key}".encode()).hexdigest()
    return f"msg_{digest[:32]}"


def payload(kind: str, story: Article, at) -> dict | None:
    """The body for `kind`, or None when the story is not public after all."""
    if kind in WITH_STORY:
        public = Article.objects.published(at=at).for_story_page().filter(pk=story.pk).first()
        if public is None:
            return None
        public.prefetch_renditions()
        data = dict(StoryDetailSerializer(public).data)
    else:
        data = {"id": story.pk, "canonical_url": absolute(story.get_absolute_url())}
    return {"type": kind, "timestamp": at.isoformat(), "data": data}


def record(event: ArticleEvent) -> list[str]:
    """Queue one signed message per active subscription to this event's type.

    Runs inside the change's transaction; returns the idempotency ids queued.
    """
    kind = event_type(event)
    if kind is None:
        return []
    subscriptions = Subscription.objects.listening_to(kind)
    if not subscriptions:
        return []
    story = event.article
    body = payload(kind, story, event.at or timezone.now())
    if body is None:
        return []
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    key = idempotency_key(event, kind)
    messages = [
        OutboxMessage(
            kind=OutboxMessage.Kind.WEBHOOK,
            message_id=message_id(subscription, kind, story, key),
            subscription=subscription,
            article_event=event,
            event_type=kind,
            story=story,
            body=text,
        )
        for subscription in subscriptions
    ]
    return outbox.add(messages)


def queue_email(event: ArticleEvent) -> list[str]:
    """Queue the workflow email of `event` (articles/notifications.py) in its transaction."""
    return outbox.add(
        [
            OutboxMessage(
                kind=OutboxMessage.Kind.EMAIL,
                message_id=f"email_{event.pk}",
                article_event=event,
                story=event.article,
            )
        ]
    )
