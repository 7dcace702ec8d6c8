"""Pictures on live stories: who may change what readers see of them, and the record.

A library picture's alt text, caption, credit and focal point (which decides its
crops) are part of every story that shows it. On a published story, scheduled
ones included, changing them is an editor's action, as editing the story's own
text is; each such story's history records the change. The title, source and
tags are the library's own (no template shows them), so whoever may edit
pictures may change those. Policy: docs/workflow.md, "Pictures on live stories".
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.text import capfirst, get_text_list

from . import workflow
from .images.models import Image
from .models import Article, ArticleEvent, Status

# What readers see of a library picture, in the newsroom's words. The two
# focal point fields are one thing to a journalist.
READER_FIELDS = {
    "alt_text": "alt text",
    "caption": "caption",
    "credit": "credit",
    "focal_x": "focal point",
    "focal_y": "focal point",
}


@dataclass(frozen=True)
class Change:
    """One thing readers would see differently: `before` and `after` as printed."""

    label: str
    before: str
    after: str


def described(image: Image) -> dict:
    """The reader-visible fields of `image`, by field name."""
    return {name: getattr(image, name) for name in READER_FIELDS}


def _quoted(text: str) -> str:
    return f"“{text}”" if text else "empty"


def _focal(values: dict) -> str:
    return f"{values['focal_x']:.2f} across, {values['focal_y']:.2f} down"


def reader_changes(before: dict, after: dict) -> list[Change]:
    """What readers would see change from `before` to `after` (see `described`)."""
    changes = []
    for name in ["alt_text", "caption", "credit"]:
        # Forms strip what they are given: surrounding spaces are not a change.
        old, new = (before[name] or "").strip(), (after[name] or "").strip()
        if old != new:
            changes.append(Change(READER_FIELDS[name], _quoted(old), _quoted(new)))
    if (before["focal_x"], before["focal_y"]) != (after["focal_x"], after["focal_y"]):
        changes.append(Change("focal point", _focal(before), _focal(after)))
    return changes


def live_stories(image: Image):
    """Published stories that show `image`, scheduled ones included: they will."""
    return Article.objects.showing(image).filter(status=Status.PUBLISHED)


def usage_visible_to(user, image: Image):
    """The stories showing `image` that `user` may know of: any they may open, and public ones.

    Everything else (other people's drafts, scheduled stories, withdrawn ones)
    stays unnamed and uncounted: "Used in" must not confirm that a story exists.
    """
    stories = Article.objects.showing(image)
    if workflow.is_editor(user):
        return stories
    return stories.filter(
        Q(pk__in=workflow.stories_visible_to(user).values("pk"))
        | Q(pk__in=Article.objects.published().values("pk"))
    )


def live_stories_named(user, image: Image, live=None) -> str:
    """The published and scheduled stories showing `image`, as `user` may hear of them."""
    live = list(live_stories(image) if live is None else live)
    known = set(usage_visible_to(user, image).values_list("pk", flat=True))
    names = [f"“{story}”" for story in live if story.pk in known]
    if len(names) < len(live):
        names.append("stories you cannot open")
    return get_text_list(names, "and")


def refusal(user, image: Image, changes: list[Change], live=None) -> str | None:
    """Why `user` may not make `changes` to `image`, or None if they may."""
    if not changes or workflow.is_editor(user):
        return None
    live = list(live_stories(image) if live is None else live)
    if not live:
        return None
    what = get_text_list([change.label for change in changes], "and")
    return (
        f"Only an editor may change the {what} of this picture: published or scheduled "
        f"stories show it ({live_stories_named(user, image, live)}). Ask an editor to "
        "make the change, or upload the picture again as a new image for your draft."
    )


def note(image: Image, changes: list[Change]) -> str:
    """The history line of a story whose picture was re-described."""
    what = capfirst(get_text_list([change.label for change in changes], "and"))
    lines = [f"{what} changed on “{image.title}”."]
    lines += [
        f"{capfirst(change.label)} was {change.before}, now {change.after}." for change in changes
    ]
    return "\n".join(lines)


def save_picture(image: Image, *, by) -> list[ArticleEvent]:
    """Save a changed library picture; on live stories, editors only, and recorded.

    Compares `image` with its stored row (locked). If readers would see a
    difference on a published or scheduled story, `by` must be an editor, or
    `PermissionRefused` is raised and nothing is saved; each such story then
    gets one "Picture re-described" event, in the transaction of the save.
    Returns those events.
    """
    with transaction.atomic():
        stored = Image.objects.select_for_update().get(pk=image.pk)
        changes = reader_changes(described(stored), described(image))
        live = list(live_stories(image)) if changes else []
        if reason := refusal(by, image, changes, live):
            raise workflow.PermissionRefused(reason)
        image.save()
        events = []
        for story in live:
            events.append(
                workflow.record_event(
                    story, ArticleEvent.Action.PICTURE, by=by, note=note(image, changes)
                )
            )
    return events
