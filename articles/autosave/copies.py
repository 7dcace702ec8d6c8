"""Keeping and discarding working copies: the one place that writes them.

Permission is the caller's job (the admin asks `articles.workflow`); this
module only knows the copy, so it never imports the story code above it.
"""

from django.db import transaction

from .models import WorkingCopy


class BadCopy(ValueError):
    """The fields sent are not a form's fields (name → list of strings)."""


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
    *, user, story=None, fields: dict, labels: dict | None = None, base_version: int | None
) -> WorkingCopy:
    """Store what `user` typed into `story`'s form (None: a new story), replacing their last copy."""
    values = {
        "fields": clean_fields(fields),
        "labels": clean_labels(labels or {}),
        "base_version": base_version,
    }
    with transaction.atomic():
        copy, created = WorkingCopy.objects.select_for_update().get_or_create(
            user=user, story=story, defaults=values
        )
        if not created:
            for name, value in values.items():
                setattr(copy, name, value)
            copy.save(update_fields=[*values, "saved_at"])
    return copy


def current(*, user, story=None) -> WorkingCopy | None:
    return WorkingCopy.objects.of(user, story).first()


def discard(*, user, story=None) -> None:
    """Forget `user`'s copy of `story`: it was saved, or they chose the text as it is."""
    WorkingCopy.objects.of(user, story).delete()


def discard_saved(*, user, story=None, posted) -> bool:
    """After a save: forget the copy if it is what was saved (`posted`, the form's data).

    A copy holding other text (typed in another tab, say) stays, to be offered
    the next time the story is opened. Returns whether it was discarded.
    """
    copy = current(user=user, story=story)
    if copy is None:
        return False
    if any(posted.getlist(name) != values for name, values in copy.fields.items()):
        return False
    copy.delete()
    return True
