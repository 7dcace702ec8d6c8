"""The editorial workflow: who may do what to a story, and each move between states.

Every transition runs in the same order (STYLE.md §3): lock the row; check the
current state and the user's permission, raising `TransitionNotAllowed` before any
field changes; set the fields and save with `update_fields`; record one
`ArticleEvent`; schedule side effects with `transaction.on_commit`. Admin views,
public views and management commands all ask `can_view`, `can_edit` and
`allowed_transitions` here, so there is one rule to audit.

A scheduled story is a published story whose `published_at` lies ahead: the
visibility rule (`Article.objects.published()`) makes it public on time. An
embargoed story is a published story with `embargoed_at` set and its
`embargo_lifts_at` (if any) ahead; a story past its `withdraws_at` is
withdrawn. The same rule decides both when a page is read: no worker lifts an
embargo or withdraws a story on time.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.db.models import OuterRef
from django.utils import timezone

from . import notifications
from .models import Article, ArticleEvent, Correction, PreviewLink, Status
from .webhooks import events as webhook_events

Action = ArticleEvent.Action


class TransitionNotAllowed(Exception):
    """A transition was refused; nothing was changed."""


class PermissionRefused(TransitionNotAllowed):
    """The user may not make this transition on this story."""


class State(models.TextChoices):
    """What the newsroom sees; `Status` plus "scheduled", worked out at read time."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in-review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    EMBARGOED = "embargoed", "Embargoed"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


def state_of(article: Article, at: datetime | None = None) -> State:
    """The story's state at `at` (default: now); matches `Article.is_published`.

    A withdrawal that has fallen due comes first, then an embargo (a story
    embargoed until 14:00 is embargoed, not scheduled, until then).
    """
    if article.status == Status.PUBLISHED:
        if article.is_withdrawn(at):
            return State.WITHDRAWN
        if article.is_embargoed(at):
            return State.EMBARGOED
        return State.SCHEDULED if article.is_scheduled(at) else State.PUBLISHED
    return State(article.status)


# --- Permissions -----------------------------------------------------------------


def _is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def is_editor(user) -> bool:
    return _is_staff(user) and user.has_perm("articles.edit_any_article")


def is_author(user, article: Article) -> bool:
    """The user started the story or has a byline on it."""
    if not _is_staff(user):
        return False
    if article.pk is None or article.created_by_id == user.pk:
        return True
    return Article.objects.filter(pk=article.pk).started_or_bylined_by(user).exists()


def can_view(user, article: Article) -> bool:
    """May open the story in the newsroom: its form, previews, history, revisions."""
    if is_editor(user):
        return True
    return user.has_perm("articles.view_article") and is_author(user, article)


def can_edit(user, article: Article) -> bool:
    """May change the story's text: editors always, authors only while it is a draft."""
    if is_editor(user):
        return True
    return (
        _is_staff(user)
        and user.has_perm("articles.change_article")
        and article.status == Status.DRAFT
        and is_author(user, article)
    )


def stories_visible_to(user, queryset=None):
    """The stories `user` may open in the newsroom (editors: all; authors: their own)."""
    queryset = Article.objects.all() if queryset is None else queryset
    if is_editor(user):
        return queryset
    if not _is_staff(user) or not user.has_perm("articles.view_article"):
        return queryset.none()
    return queryset.started_or_bylined_by(user)


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    permission: str | None  # None: whoever may edit the story
    # Beyond the state: why this story may not make the move now, or None.
    condition: Callable[[Article, datetime], str | None] | None = None

    def refusal(self, user, article: Article, at: datetime) -> TransitionNotAllowed | None:
        state = state_of(article, at)
        if self.permission is None:
            if not can_edit(user, article):
                return PermissionRefused(f"You may not {self.label.lower()} “{article}”.")
        elif not (_is_staff(user) and user.has_perm(self.permission)):
            return PermissionRefused(f"You may not {self.label.lower()}: editors only.")
        if state not in self.sources:
            allowed = " or ".join(sorted(State(s).label.lower() for s in self.sources))
            return TransitionNotAllowed(
                f"“{article}” is {state.label.lower()}; only a story that is "
                f"{allowed} can be {self.past_tense}."
            )
        if self.condition is not None and (reason := self.condition(article, at)):
            return TransitionNotAllowed(reason)
        return None

    @property
    def past_tense(self) -> str:
        return PAST_TENSE[self.name]


def _has_withdrawal_scheduled(article: Article, at: datetime) -> str | None:
    if article.withdraws_at is None or article.withdraws_at <= at:
        return f"“{article}” has no withdrawal scheduled."
    return None


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("submit", "Submit for review", frozenset({State.DRAFT}), None),
        Transition(
            "send_back", "Send back", frozenset({State.IN_REVIEW}), "articles.publish_article"
        ),
        Transition(
            "publish",
            "Publish",
            frozenset({State.DRAFT, State.IN_REVIEW, State.SCHEDULED}),
            "articles.publish_article",
        ),
        Transition(
            "unschedule", "Unschedule", frozenset({State.SCHEDULED}), "articles.publish_article"
        ),
        Transition(
            "withdraw",
            "Withdraw",
            frozenset({State.PUBLISHED, State.EMBARGOED}),
            "articles.withdraw_article",
        ),
        Transition(
            "embargo",
            "Embargo",
            frozenset({State.DRAFT, State.IN_REVIEW, State.PUBLISHED, State.EMBARGOED}),
            "articles.embargo_article",
        ),
        Transition(
            "lift_embargo",
            "Lift the embargo",
            frozenset({State.EMBARGOED}),
            "articles.embargo_article",
        ),
        Transition(
            "schedule_withdrawal",
            "Schedule a withdrawal",
            frozenset({State.PUBLISHED, State.SCHEDULED, State.EMBARGOED}),
            "articles.withdraw_article",
        ),
        Transition(
            "cancel_withdrawal",
            "Cancel the scheduled withdrawal",
            frozenset({State.PUBLISHED, State.SCHEDULED, State.EMBARGOED}),
            "articles.withdraw_article",
            condition=_has_withdrawal_scheduled,
        ),
        Transition(
            "redraft",
            "Return to draft",
            frozenset({State.WITHDRAWN}),
            "articles.withdraw_article",
        ),
        Transition(
            "add_correction",
            "Add a correction",
            frozenset({State.PUBLISHED}),
            "articles.correct_article",
        ),
        Transition(
            "mark_updated",
            "Mark as updated",
            frozenset({State.PUBLISHED}),
            "articles.correct_article",
        ),
    ]
}
PAST_TENSE = {
    "submit": "submitted for review",
    "send_back": "sent back",
    "publish": "published or scheduled",
    "unschedule": "unscheduled",
    "withdraw": "withdrawn",
    "embargo": "embargoed",
    "lift_embargo": "lifted from embargo",
    "schedule_withdrawal": "given a withdrawal time",
    "cancel_withdrawal": "kept",
    "redraft": "returned to draft",
    "add_correction": "corrected",
    "mark_updated": "marked as updated",
}


def check(name: str, user, article: Article, at: datetime | None = None) -> None:
    """Raise `TransitionNotAllowed` unless `user` may make transition `name` now."""
    refusal = TRANSITIONS[name].refusal(user or AnonymousUser(), article, at or timezone.now())
    if refusal is not None:
        raise refusal


def allowed_transitions(user, article: Article, at: datetime | None = None) -> list[str]:
    """The transitions `user` may make on `article` now, in workflow order."""
    at = at or timezone.now()
    return [
        name
        for name, transition in TRANSITIONS.items()
        if transition.refusal(user or AnonymousUser(), article, at) is None
    ]


# --- The audit trail ---------------------------------------------------------------


def record_event(
    story: Article,
    action: str,
    *,
    by,
    note: str = "",
    before: State | None = None,
    at: datetime | None = None,
    takes_effect_at: datetime | None = None,
) -> ArticleEvent:
    """Write one line of the story's audit trail, and its email and webhooks to the outbox.

    Every event is written here: transitions, edits, restores, share links,
    imports. `before` is the state the story was in (default: as it is now;
    "" for a story that did not exist). The outbox rows commit with the event,
    and the task worker sends them after commit (articles/webhooks/outbox.py):
    a crash between the two loses nothing.
    """
    at = at or timezone.now()
    after = state_of(story, at)
    event = ArticleEvent.objects.create(
        article=story,
        action=action,
        from_state=after if before is None else before,
        to_state=after,
        note=note,
        by=by if by is not None and by.is_authenticated else None,
        at=at,
        takes_effect_at=takes_effect_at,
    )
    if action in notifications.ACTIONS:
        webhook_events.queue_email(event)
    webhook_events.record(event)
    return event


# Events that move a story between states (edits, pictures and share links don't).
MOVES = [
    Action.SUBMIT,
    Action.SEND_BACK,
    Action.PUBLISH,
    Action.SCHEDULE,
    Action.UNSCHEDULE,
    Action.WITHDRAW,
    Action.REDRAFT,
    Action.EMBARGO,
    Action.LIFT,
    Action.SCHEDULE_WITHDRAWAL,
    Action.CANCEL_WITHDRAWAL,
    Action.LIFTED_ON_SCHEDULE,
    Action.WITHDRAWN_ON_SCHEDULE,
]


def sent_back_note(article: Article) -> ArticleEvent | None:
    """The send-back the authors are working on: shown until they submit again."""
    if article.status != Status.DRAFT:
        return None
    last_move = (
        article.events.filter(action__in=MOVES).select_related("by").order_by("-at", "-pk").first()
    )
    return last_move if last_move and last_move.action == Action.SEND_BACK else None


# --- Transitions -------------------------------------------------------------------


def _run(
    article: Article, name: str, by, change, *, note: str = "", takes_effect_at=None
) -> ArticleEvent:
    """Lock, check, change, record one event, and queue notifications after commit.

    `change(story, now)` sets fields on the locked row and returns
    `(action, update_fields)`.
    """
    with transaction.atomic():
        story = Article.objects.select_for_update().get(pk=article.pk)
        now = timezone.now()
        check(name, by, story, now)
        before = state_of(story, now)
        action, fields = change(story, now)
        # auto_now moves `updated_at` (the last save) on every transition; what
        # readers see as "Updated" is `display_updated_at`, set by a few only.
        story.save(update_fields={*fields, "updated_at"})
        event = record_event(
            story,
            action,
            by=by,
            note=note,
            before=before,
            at=now,
            takes_effect_at=takes_effect_at,
        )
    article.refresh_from_db()
    return event


# Cleared by every move that takes a story out of "published" (status), so an
# old schedule can never act on, or block, a story's next life.
SCHEDULE_FIELDS = ["embargoed_at", "embargo_lifts_at", "withdraws_at"]


def _clear_schedules(story: Article) -> list[str]:
    for field in SCHEDULE_FIELDS:
        setattr(story, field, None)
    return SCHEDULE_FIELDS


def _ahead(at: datetime | None, what: str, now: datetime) -> datetime | None:
    """`at`, refused unless it has a time zone and lies ahead of `now`."""
    if at is None:
        return None
    if timezone.is_naive(at):
        raise TransitionNotAllowed(f"The {what} needs a time zone. Nothing was changed.")
    if at <= now:
        raise TransitionNotAllowed(
            f"The {what} ({timezone.localtime(at):%d %B %Y, %H:%M}) has passed; "
            "choose a time ahead. Nothing was changed."
        )
    return at


def _required(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise TransitionNotAllowed(f"Please write {what}; it is required.")
    return text


def submit(article: Article, *, by) -> ArticleEvent:
    """Author or editor: draft → in review. Editors are told by email."""

    def change(story, now):
        story.status = Status.IN_REVIEW
        return Action.SUBMIT, ["status"]

    return _run(article, "submit", by, change)


def send_back(article: Article, *, by, note: str) -> ArticleEvent:
    """Editors: in review → draft, with a note to the authors saying what to fix."""
    note = _required(note, "a note for the authors")

    def change(story, now):
        story.status = Status.DRAFT
        return Action.SEND_BACK, ["status"]

    return _run(article, "send_back", by, change, note=note)


def publish(article: Article, *, by, at: datetime | None = None) -> ArticleEvent:
    """Editors: draft, in review or scheduled → published now, or scheduled if `at` is ahead."""
    if at is not None and timezone.is_naive(at):
        raise TransitionNotAllowed("The publication time needs a time zone.")

    def change(story, now):
        # Pictures need alt text before readers see them (articles/images.py).
        if problems := story.publication_problems():
            raise TransitionNotAllowed(" ".join(problems))
        story.status = Status.PUBLISHED
        story.published_at = at or now
        action = Action.SCHEDULE if story.published_at > now else Action.PUBLISH
        return action, ["status", "published_at"]

    return _run(article, "publish", by, change)


def unschedule(article: Article, *, by) -> ArticleEvent:
    """Editors: scheduled → draft; the story will not go live."""

    def change(story, now):
        story.status, story.published_at = Status.DRAFT, None
        return Action.UNSCHEDULE, ["status", "published_at", *_clear_schedules(story)]

    return _run(article, "unschedule", by, change)


def withdraw(article: Article, *, by, reason: str) -> ArticleEvent:
    """Editors: published → withdrawn; its address then answers 410 Gone."""
    reason = _required(reason, "the reason for withdrawing the story")

    def change(story, now):
        story.status = Status.WITHDRAWN
        # For good: a share link must not come back to life if the story is
        # later returned to draft; a new one can be made then.
        PreviewLink.objects.filter(article=story).delete()
        return Action.WITHDRAW, ["status", *_clear_schedules(story)]

    return _run(article, "withdraw", by, change, note=reason)


def redraft(article: Article, *, by) -> ArticleEvent:
    """Editors: withdrawn (now, or on schedule) → draft, to be reworked and published again."""

    def change(story, now):
        story.status, story.published_at = Status.DRAFT, None
        # A story withdrawn on schedule kept its share link until now.
        PreviewLink.objects.filter(article=story).delete()
        return Action.REDRAFT, ["status", "published_at", *_clear_schedules(story)]

    return _run(article, "redraft", by, change)


def embargo(article: Article, *, by, until: datetime | None = None) -> ArticleEvent:
    """Editors: put a story under embargo, until `until` or until an editor lifts it.

    A draft or a story in review is published under embargo: its publication
    time is the lift time (or, without one, the moment it is lifted). A live
    story disappears from every public surface at once, and comes back with
    its publication time and address when the embargo lifts. Embargoing an
    embargoed story changes its lift time. The scheduled lift is recorded now,
    in this event (`takes_effect_at`); nothing runs at that time.
    """

    def change(story, now):
        lifts_at = _ahead(until, "lift time", now)
        state = state_of(story, now)
        is_live = state == State.PUBLISHED or (
            state == State.EMBARGOED and story.was_public_before_its_embargo
        )
        if not is_live:
            # Pictures need alt text before readers see them (articles/images.py).
            if problems := story.publication_problems():
                raise TransitionNotAllowed(" ".join(problems))
            story.status, story.published_at = Status.PUBLISHED, lifts_at or now
        if state != State.EMBARGOED:
            story.embargoed_at = now
        story.embargo_lifts_at = lifts_at
        return Action.EMBARGO, ["status", "published_at", "embargoed_at", "embargo_lifts_at"]

    note = (
        f"Until {timezone.localtime(until):%d %B %Y, %H:%M %Z}."
        if until is not None and timezone.is_aware(until)
        else "Until an editor lifts it."
    )
    return _run(article, "embargo", by, change, note=note, takes_effect_at=until)


def lift_embargo(article: Article, *, by) -> ArticleEvent:
    """Editors: embargoed → public now. A story readers saw before keeps its
    publication time and address; one they never saw is published now."""

    def change(story, now):
        if not story.was_public_before_its_embargo:
            story.published_at = now
        story.embargoed_at = story.embargo_lifts_at = None
        return Action.LIFT, ["published_at", "embargoed_at", "embargo_lifts_at"]

    return _run(article, "lift_embargo", by, change)


def schedule_withdrawal(article: Article, *, by, at: datetime, reason: str) -> ArticleEvent:
    """Editors: withdraw a live (or scheduled, or embargoed) story at `at`, the end of
    its window; from then its address answers 410 with `reason`. Nothing runs then:
    `published()` stops showing it. Scheduling again moves the time."""

    def change(story, now):
        _required(reason, "the reason for withdrawing the story")
        if at is None:
            raise TransitionNotAllowed("Please give the time to withdraw the story at.")
        _ahead(at, "withdrawal time", now)
        if story.published_at is not None and at <= story.published_at:
            raise TransitionNotAllowed(
                "The withdrawal time must be after the publication time "
                f"({timezone.localtime(story.published_at):%d %B %Y, %H:%M}). Nothing was changed."
            )
        story.withdraws_at = at
        return Action.SCHEDULE_WITHDRAWAL, ["withdraws_at"]

    return _run(
        article,
        "schedule_withdrawal",
        by,
        change,
        note=(reason or "").strip(),
        takes_effect_at=at,
    )


def cancel_withdrawal(article: Article, *, by) -> ArticleEvent:
    """Editors: the scheduled withdrawal will not happen; the story stays live."""

    def change(story, now):
        story.withdraws_at = None
        return Action.CANCEL_WITHDRAWAL, ["withdraws_at"]

    return _run(article, "cancel_withdrawal", by, change)


def add_correction(article: Article, *, by, text: str, kind: str = "correction") -> ArticleEvent:
    """Editors: a dated public correction or update on a live story; readers see it
    "Updated" at that time."""
    text = _required(text, "the text of the correction")
    if kind not in Correction.Kind.values:
        raise TransitionNotAllowed(f"Unknown kind of note: {kind!r}.")

    def change(story, now):
        Correction.objects.create(article=story, kind=kind, text=text, created_at=now)
        story.display_updated_at = now
        return Action.CORRECT, ["display_updated_at"]

    return _run(article, "add_correction", by, change, note=text)


def mark_updated(article: Article, *, by, note: str = "") -> ArticleEvent:
    """Editors: tell readers a live story was updated, now, without a public note.

    For a substantial change to the text (new facts, a new section). An
    ordinary save, a typo fix, never moves the "Updated" time readers see.
    """

    def change(story, now):
        story.display_updated_at = now
        return Action.MARK_UPDATED, ["display_updated_at"]

    return _run(article, "mark_updated", by, change, note=(note or "").strip())


def mark_due_stories_live(at: datetime | None = None) -> list[ArticleEvent]:
    """Record "went live" once for every scheduled story whose time has come.

    Bookkeeping only: readers already see the story (the visibility rule needs no
    worker). Idempotent and safe under concurrent runs (`_record_once`).
    """
    at = at or timezone.now()
    return _record_once(
        Article.objects.published(at=at),
        lambda story: story.is_published(at),
        history=_SCHEDULE_ACTIONS,
        awaiting=Action.SCHEDULE,
        record=Action.WENT_LIVE,
        before=State.SCHEDULED,
        at=at,
    )


def record_due_lifts_and_withdrawals(at: datetime | None = None) -> list[ArticleEvent]:
    """Record once each embargo lifted, and each story withdrawn, by its own time.

    Bookkeeping, like `mark_due_stories_live`: readers already see the change
    (the visibility rule needs no worker). Its use is the record itself, and
    the `story.embargo_lifted` and `story.withdrawn` webhooks partners would
    otherwise never hear. Idempotent and safe under concurrent runs.
    """
    at = at or timezone.now()
    lifted = _record_once(
        Article.objects.filter(embargoed_at__isnull=False, embargo_lifts_at__lte=at),
        lambda story: story.embargo_lifts_at is not None and story.embargo_lifts_at <= at,
        history=_EMBARGO_ACTIONS,
        awaiting=Action.EMBARGO,
        record=Action.LIFTED_ON_SCHEDULE,
        before=State.EMBARGOED,
        at=at,
    )
    withdrawn = _record_once(
        Article.objects.filter(status=Status.PUBLISHED, withdraws_at__lte=at),
        lambda story: story.withdraws_at is not None and story.withdraws_at <= at,
        history=_WITHDRAWAL_ACTIONS,
        awaiting=Action.SCHEDULE_WITHDRAWAL,
        record=Action.WITHDRAWN_ON_SCHEDULE,
        before=State.PUBLISHED,
        at=at,
    )
    return lifted + withdrawn


_SCHEDULE_ACTIONS = [Action.SCHEDULE, Action.PUBLISH, Action.UNSCHEDULE, Action.WENT_LIVE]
_EMBARGO_ACTIONS = [Action.EMBARGO, Action.LIFT, Action.LIFTED_ON_SCHEDULE]
_WITHDRAWAL_ACTIONS = [
    Action.SCHEDULE_WITHDRAWAL,
    Action.CANCEL_WITHDRAWAL,
    Action.WITHDRAWN_ON_SCHEDULE,
    Action.WITHDRAW,
]


def _record_once(due, still_due, *, history, awaiting, record, before, at) -> list[ArticleEvent]:
    """Record `record` once for each story of `due` whose latest event among
    `history` is `awaiting` (a change scheduled and not yet recorded).

    Each story is locked and checked again (`still_due`, and its history), so a
    second run, or a parallel one, records nothing new.
    """
    events = []
    for pk in _latest_is(due, history, awaiting):
        with transaction.atomic():
            story = Article.objects.select_for_update().get(pk=pk)
            if not still_due(story) or _latest(story, history) != awaiting:
                continue
            events.append(record_event(story, record, by=None, before=before, at=at))
    return events


def _latest(story: Article, actions):
    return (
        story.events.filter(action__in=actions)
        .order_by("-at", "-pk")
        .values_list("action", flat=True)
        .first()
    )


def _latest_is(stories, actions, action) -> list[int]:
    """Ids of `stories` whose latest event among `actions` is `action`."""
    latest = ArticleEvent.objects.filter(article=OuterRef("pk"), action__in=actions).order_by(
        "-at", "-pk"
    )
    return list(
        stories.annotate(latest_action=models.Subquery(latest.values("action")[:1]))
        .filter(latest_action=action)
        .values_list("pk", flat=True)
    )
