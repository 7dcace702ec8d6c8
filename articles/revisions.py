"""Revisions and edit-conflict protection.

Every save stores a `Revision` holding a full snapshot of the story, bylines,
tags and entity links included. A save names the version it started from and
goes through a conditional `UPDATE … WHERE version = n`: if someone saved in
between, no row matches and the save is refused (`EditConflict`), inside the same
transaction as the related changes, so nothing half-written survives.
"""

import dataclasses
import difflib
from dataclasses import dataclass

from django.db.models import CharField, F, TextField
from django.utils import timezone
from django.utils.text import capfirst
from taggit.models import Tag

from people.models import Country, Organisation, Person

from .models import Article, Byline, Correction, Revision
from .sanitize import plain_text

# Placement on the front page is a live editorial decision, like publication:
# a revision records it, restoring old text leaves it where it is now.
NOT_RESTORED = frozenset({"home_position"})


class EditConflict(Exception):
    """Someone saved the story after the editor opened it."""

    def __init__(self, article, base_version, current_version):
        self.article = article
        self.base_version = base_version
        self.current_version = current_version
        self.revision = (
            Revision.objects.filter(article=article, version=current_version)
            .select_related("created_by")
            .first()
        )
        super().__init__(self.message)

    @property
    def saved_by(self):
        user = self.revision.created_by if self.revision else None
        return (user.get_full_name() or user.get_username()) if user else "Someone"

    @property
    def saved_at(self):
        return self.revision.created_at if self.revision else None

    @property
    def message(self):
        when = timezone.localtime(self.saved_at) if self.saved_at else None
        at = f" at {when:%H:%M on %d %B %Y}" if when else ""
        return f"{self.saved_by} saved this story{at}, after you opened it."


def snapshot(article: Article) -> dict:
    """The story as saved, as plain JSON: its edited fields and every relation.

    Foreign keys are kept as id and name, so a diff can name what was there
    even after it is gone; countries by their ISO code.
    """
    data = {}
    for field in Article.edited_fields():
        if field.is_relation:
            target = getattr(article, field.name)
            data[field.name] = {"id": target.pk, "name": str(target)} if target else None
        else:
            data[field.name] = field.value_from_object(article)
    data["bylines"] = [
        {"person": b.person_id, "name": b.person.name, "order": b.order}
        for b in article.bylines.select_related("person").order_by("order", "pk")
    ]
    data["tags"] = sorted(article.tags.names(), key=str.lower)
    data["people"] = [{"id": p.pk, "name": p.name} for p in article.people.order_by("name")]
    data["organisations"] = [
        {"id": o.pk, "name": o.name} for o in article.organisations.order_by("name")
    ]
    data["countries"] = [
        {"id": str(c.code), "name": c.name} for c in article.countries.order_by("name")
    ]
    data["related"] = [
        {"id": r.pk, "name": r.headline} for r in article.related.order_by("headline", "pk")
    ]
    return data


def record_revision(article: Article, *, by, note: str = "") -> Revision:
    """Store the story as it now stands under its current version number."""
    return Revision.objects.create(
        article=article,
        version=article.version,
        snapshot=snapshot(article),
        created_by=by if by and by.is_authenticated else None,
        note=note,
    )


def claim_version(article: Article, base_version: int) -> int:
    """Take the next version number, or raise `EditConflict` if `base_version` is stale.

    Must run inside the transaction that then writes the story and its relations.
    """
    claimed = Article.objects.filter(pk=article.pk, version=base_version).update(
        version=F("version") + 1
    )
    if claimed != 1:
        current = Article.objects.filter(pk=article.pk).values_list("version", flat=True).get()
        raise EditConflict(article, base_version, current)
    article.version = base_version + 1
    return article.version


def apply(story: Article, data: dict) -> list[str]:
    """Set the story's fields from snapshot `data`; returns the names set.

    Fields the snapshot does not know (older revisions) keep their value;
    a section or picture deleted since is left as it is now.
    """
    names = []
    for field in Article.edited_fields():
        if field.name in NOT_RESTORED or field.name not in data:
            continue
        if field.is_relation:
            value = data[field.name]
            target = (
                field.related_model._default_manager.filter(pk=value["id"]).first()
                if isinstance(value, dict)
                else None
            )
            if target is None and not field.null:
                continue
            setattr(story, field.name, target)
        else:
            setattr(story, field.name, data[field.name])
        names.append(field.name)
    return names


def restore_relations(story: Article, data: dict) -> None:
    """Make the story's relations those of snapshot `data`.

    People, organisations or stories deleted since the snapshot cannot come back;
    they are skipped.
    """
    people = set(
        Person.objects.filter(pk__in=[b["person"] for b in data["bylines"]]).values_list(
            "pk", flat=True
        )
    )
    story.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=story, person_id=b["person"], order=b["order"])
        for b in data["bylines"]
        if b["person"] in people
    )
    story.tags.set(data["tags"])
    story.people.set(Person.objects.filter(pk__in=[p["id"] for p in data["people"]]))
    story.organisations.set(
        Organisation.objects.filter(pk__in=[o["id"] for o in data["organisations"]])
    )
    story.countries.set(Country.objects.filter(code__in=[c["id"] for c in data["countries"]]))
    story.related.set(Article.objects.filter(pk__in=[r["id"] for r in data["related"]]))


# --- Reading old versions ------------------------------------------------------------


@dataclass
class Change:
    """One field's difference: text as inserted/deleted runs, relations as sets."""

    label: str
    segments: list = dataclasses.field(default_factory=list)  # (kind, text): equal/insert/delete
    added: list = dataclasses.field(default_factory=list)
    removed: list = dataclasses.field(default_factory=list)


def _text_segments(old: str, new: str) -> list:
    old_words, new_words = old.split(), new.split()
    segments = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("equal", " ".join(old_words[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(("delete", " ".join(old_words[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("insert", " ".join(new_words[j1:j2])))
    return segments


# Where the field's own name would puzzle a newsroom.
LABELS = {"body": "Body text", "slug": "Web address"}


def _label(model_field) -> str:
    return LABELS.get(model_field.name) or capfirst(model_field.verbose_name)


def _is_text(model_field) -> bool:
    return isinstance(model_field, (CharField, TextField)) and not model_field.choices


def _shown(model_field, value) -> str:
    """A snapshot value as the newsroom reads it."""
    if isinstance(value, dict):
        return value["name"]
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "on" if value else "off"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def diff(old: dict, new: dict) -> list[Change]:
    """What changed from snapshot `old` to snapshot `new`, field by field."""
    changes = []
    for model_field in Article.edited_fields():
        name = model_field.name
        if name not in old or name not in new:
            continue  # a revision older than the field: nothing to compare
        if _is_text(model_field):
            text = plain_text if name == "body" else str
            before, after = text(old[name] or ""), text(new[name] or "")
            if before != after:
                changes.append(Change(_label(model_field), segments=_text_segments(before, after)))
            continue
        before, after = _shown(model_field, old[name]), _shown(model_field, new[name])
        if before != after:
            changes.append(
                Change(
                    _label(model_field),
                    added=[after] if after else [],
                    removed=[before] if before else [],
                )
            )
    for name, label in [
        ("bylines", "Bylines"),
        ("people", "People"),
        ("organisations", "Organisations"),
        ("countries", "Countries"),
        ("related", "Related stories"),
    ]:
        before = [item["name"] for item in old.get(name, [])]
        after = [item["name"] for item in new.get(name, [])]
        if before != after:
            changes.append(
                Change(
                    label,
                    added=[n for n in after if n not in before],
                    removed=[n for n in before if n not in after],
                    segments=[] if set(before) != set(after) else [("equal", "Order changed")],
                )
            )
    before, after = old.get("tags", []), new.get("tags", [])
    if {t.lower() for t in before} != {t.lower() for t in after}:
        changes.append(
            Change(
                "Tags",
                added=[t for t in after if t not in before],
                removed=[t for t in before if t not in after],
            )
        )
    return changes


def _cached(model, objs):
    # A queryset that answers from memory, so the public template can render a
    # snapshot without touching (or changing) the live relations.
    queryset = model._default_manager.none()
    queryset._result_cache = list(objs)
    queryset._prefetch_done = True
    return queryset


def preview_article(revision: Revision) -> Article:
    """An unsaved copy of the story as the revision left it, ready for the template."""
    story = Article.objects.get(pk=revision.article_id)
    data = revision.snapshot
    apply(story, data)
    people = Person.objects.in_bulk(
        [b["person"] for b in data["bylines"]] + [p["id"] for p in data["people"]]
    )
    bylines = [
        Byline(article=story, person=people[b["person"]], order=b["order"])
        for b in data["bylines"]
        if b["person"] in people
    ]
    tags = {t.name.lower(): t for t in Tag.objects.filter(name__in=data["tags"])}
    story._prefetched_objects_cache = {
        "bylines": _cached(Byline, bylines),
        "tags": _cached(
            Tag, [tags.get(t.lower(), Tag(name=t, slug=t.lower())) for t in data["tags"]]
        ),
        "people": _cached(Person, [people[p["id"]] for p in data["people"] if p["id"] in people]),
        "organisations": _cached(
            Organisation,
            Organisation.objects.filter(pk__in=[o["id"] for o in data["organisations"]]),
        ),
        "countries": _cached(
            Country, Country.objects.filter(code__in=[c["id"] for c in data["countries"]])
        ),
        "corrections": _cached(Correction, story.corrections.all()),
    }
    return story
