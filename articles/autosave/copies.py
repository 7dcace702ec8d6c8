"""Keeping and discarding working copies: the one place that writes them.

Permission is the caller's job (the admin asks `articles.workflow`); this
module only knows the copy, so it never imports the story code above it.
"""

import re

from django.db import transaction

from .models import WorkingCopy


class BadCopy(ValueError):
    """The fields sent are not a form's fields (name → list of strings)."""


DRAFT = re.compile(r"[A-Za-z0-9_-]{1,40}")


def clean_draft(draft) -> str:
    """A new story's name in its tab, or `BadCopy`."""
    if not isinstance(draft, str) or not DRAFT.fullmatch(draft):
        raise BadCopy("A new story's copy needs the name of its draft (letters and digits).")
    return draft


def clean_fields(fields) -> dict:
    """`fields` as stored, or `BadCopy` saying what is wrong with them."""
    if not isinstance(fields, dict):
        raise BadCopy("The working copy must be the form's fields, by name.")
    for name, values in fields.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise BadCopy(f"The field “{name}” must be a list of texts.")
    return fields


def clean_labels(labels) -> dict:
    """Picker labels as stored (name → value → text); anything else is dropped, not refused."""
    if not isinstance(labels, dict):
        return {}
    return {
        name: {value: text for value, text in options.items() if isinstance(text, str)}
        for name, options in labels.items()
        if isinstance(options, dict)
    }


def keep(
    *,
    user,
    story=None,
    draft: str = "",
    fields: dict,
    labels: dict | None = None,
    base_version: int | None,
) -> WorkingCopy:
    """Store what `user` typed into `story`'s form (or new story `draft`), replacing the last."""
    values = {
        "fields": clean_fields(fields),
        "labels": clean_labels(labels or {}),
        "base_version": base_version,
    }
    with transaction.atomic():
        copy, created = WorkingCopy.objects.select_for_update().get_or_create(
            user=user, story=story, draft="" if story else draft, defaults=values
        )
        if not created:
            for name, value in values.items():
                setattr(copy, name, value)
            copy.save(update_fields=[*values, "saved_at"])
    return copy


def current(*, user, story=None, draft: str = "") -> WorkingCopy | None:
    return WorkingCopy.objects.of(user, story, draft).first()


def discard(*, user, story=None, draft: str = "") -> None:
    """Forget `user`'s copy of `story` (or `draft`): they chose the text as it is."""
    WorkingCopy.objects.of(user, story, draft).delete()


def discard_saved(*, user, story=None, draft: str = "", posted) -> bool:
    """After a save: forget the copy if it is what was saved (`posted`, the form's data).

    A copy holding other text (typed in another tab, say) stays, to be offered
    the next time the story is opened. Returns whether it was discarded.
    """
    copy = current(user=user, story=story, draft=draft)
    if copy is None:
        return False
    if any(posted.getlist(name) != values for name, values in copy.fields.items()):
        return False
    copy.delete()
    return True
