"""Saving a story's text: the one door for an edit, from the form or from a revision.

An edit runs in one order, top to bottom, inside one transaction:

1. check that the user may edit the story (a form has been validated already,
   including the edit-conflict check, which locks the row);
2. write the row under the next version number (`revisions.claim_version`
   refuses a stale one);
3. write its relations (the form's many-to-many fields and bylines, or a
   revision's) and the mentions the journalist chose to attach;
4. compare with the story as it was: an edit that changed nothing is undone
   whole, so it leaves no version, revision or event behind;
5. record the revision, a full copy of what was saved;
6. record one audit event.

Workflow fields (status, publication time) are never written here: that is
`workflow.py`'s job.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import get_text_list

from people.mentions import Mention

from . import mentions, revisions, workflow
from .models import Article, ArticleEvent, DeletedStory, Revision

Action = ArticleEvent.Action


@dataclass
class Edit:
    """What a save did: `changed` is False when the story was already as submitted."""

    story: Article
    changed: bool
    revision: Revision | None = None
    event: ArticleEvent | None = None
    attached: list[Mention] = field(default_factory=list)


def _nothing():
    pass


def save_story(
    story: Article,
    *,
    by,
    fields: Iterable[str],
    base_version: int | None = None,
    save_relations: Callable[[], None] = _nothing,
    choose_mentions: Callable[[Article], list[Mention]] | None = None,
    action: str | None = None,
    note: str = "",
) -> Edit:
    """Save `story` as it stands in memory, with its relations, as one new version.

    `fields` are the story's columns the caller set (a form's fields); only
    those of `Article.edited_fields()` are written. `save_relations` writes
    the relations once the row exists; `choose_mentions(story)` returns the
    mentions to attach, from the saved text. A new story (no pk) becomes
    version 1 with a "started" event; an existing one needs the
    `base_version` its editor started from, and gets an "edited" event
    (or `action`, e.g. a restore) naming what changed.
    """
    edited = {f.name for f in Article.edited_fields()}
    written = [name for name in fields if name in edited]
    with transaction.atomic():
        if story.pk is None:
            return _create(
                story, by=by, save_relations=save_relations, choose_mentions=choose_mentions
            )
        if not workflow.can_edit(by, story):
            raise workflow.PermissionRefused(f"You may not edit “{story}”.")
        before = revisions.snapshot(Article.objects.get(pk=story.pk))
        state = workflow.state_of(story)
        savepoint = transaction.savepoint()
        revisions.claim_version(story, base_version)
        story.save(update_fields=[*written, "version", "updated_at"])
        save_relations()
        attached = _attach(story, choose_mentions)
        after = revisions.snapshot(story)
        if after == before:
            transaction.savepoint_rollback(savepoint)
            story.version = base_version
            return Edit(story, changed=False)
        transaction.savepoint_commit(savepoint)
        story.remember_slug(before["slug"])
        revision = revisions.record_revision(story, by=by, note=note)
        changed = [change.label.lower() for change in revisions.diff(before, after)]
        event = workflow.record_event(
            story,
            action or Action.EDIT,
            by=by,
            before=state,
            note=note or f"Changed: {get_text_list(changed, 'and')}.",
        )
    return Edit(story, changed=True, revision=revision, event=event, attached=attached)


def _create(story, *, by, save_relations, choose_mentions) -> Edit:
    if by is not None and by.is_authenticated and story.created_by_id is None:
        story.created_by = by
    story.version = 1
    story.save()
    save_relations()
    attached = _attach(story, choose_mentions)
    revision = revisions.record_revision(story, by=by)
    event = workflow.record_event(story, Action.CREATE, by=by)
    return Edit(story, changed=True, revision=revision, event=event, attached=attached)


def _attach(story, choose_mentions) -> list[Mention]:
    if choose_mentions is None:
        return []
    return mentions.attach(story, choose_mentions(story))


def restore(revision: Revision, *, by) -> Edit:
    """Make an old revision the current text, as a new version; nothing is deleted.

    Status and publication time stay as they are, and so does the story's
    place on the front page (`revisions.NOT_RESTORED`).
    """
    with transaction.atomic():
        story = Article.objects.select_for_update().get(pk=revision.article_id)
        if not workflow.can_edit(by, story):
            raise workflow.PermissionRefused(f"You may not edit “{story}”.")
        data = revision.snapshot
        names = revisions.apply(story, data)
        return save_story(
            story,
            by=by,
            fields=names,
            base_version=story.version,
            save_relations=lambda: revisions.restore_relations(story, data),
            action=Action.RESTORE,
            note=f"Restored from version {revision.version}",
        )


def deletion_refusal(story: Article) -> str | None:
    """Why `story` may not be deleted, or None when it may."""
    if story.is_on_the_record:
        return (
            f"“{story}” has been published: withdraw it instead. A story readers have "
            "seen (or will see) is never deleted, so its address and its history stay."
        )
    return None


def delete_story(story: Article, *, by) -> DeletedStory:
    """Editors only: delete a story that is not on the record, keeping a record of it.

    Its events and revisions go with it; the `DeletedStory` row keeps who
    deleted what and when, with the story as last saved.
    """
    with transaction.atomic():
        story = Article.objects.select_for_update().get(pk=story.pk)
        if not workflow.is_editor(by):
            raise workflow.PermissionRefused("Only editors delete stories.")
        if refusal := deletion_refusal(story):
            raise workflow.TransitionNotAllowed(refusal)
        record = DeletedStory.objects.create(
            story_id=story.pk,
            headline=story.headline,
            state=workflow.state_of(story),
            created_by=story.created_by,
            created_at=story.created_at,
            deleted_by=by,
            snapshot=revisions.snapshot(story),
        )
        story.delete()
    return record
