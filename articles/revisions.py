"""Revisions and edit-conflict protection.

Every save stores a `Revision` holding a full snapshot of the story, bylines,
tags and entity links included. A save names the version it started from and
goes through a conditional `UPDATE … WHERE version = n`: if someone saved in
between, no row matches and the save is refused (`EditConflict`), inside the same
transaction as the related changes, so nothing half-written survives.
"""

import difflib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from taggit.models import Tag

from . import workflow
from .images import Image
from .models import Article, ArticleEvent, Byline, Correction, Revision, Section
from .sanitize import plain_text
from people.models import Country, Organisation, Person

# Plain fields copied into a snapshot and back on restore. Workflow fields
# (status, published_at) are deliberately absent: restoring text never publishes.
TEXT_FIELDS = [
    "headline",
    "slug",
    "standfirst",
    "body",
    "type_of_work",
    "credit",
    "language",
    "seo_title",
    "seo_description",
]
# Fields a form save writes; never status, published_at or the bookkeeping.
EDITABLE_FIELDS = [*TEXT_FIELDS, "section", "lead_image"]


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
    """Everything a reader would see of the story, as plain JSON."""
    data = {name: str(getattr(article, name) or "") for name in TEXT_FIELDS}
    data["section"] = {"id": article.section_id, "name": article.section.name}
    data["lead_image"] = (
        {"id": article.lead_image_id, "name": article.lead_image.title}
        if article.lead_image_id
        else None
    )
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
        {"id": c.code, "name": c.name} for c in article.countries.order_by("name")
    ]
    data["related"] = [
        {"id": r.pk, "name": r.headline} for r in article.related.order_by("headline")
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


def save_edit(article: Article, *, base_version: int) -> None:
    """Write the story's editable fields as a new version (status is never touched)."""
    claim_version(article, base_version)
    article.save(update_fields=[*EDITABLE_FIELDS, "version", "updated_at"])


def restore(revision: Revision, *, by) -> Revision:
    """Make an old revision the current text, as a new revision; nothing is deleted."""
    with transaction.atomic():
        story = Article.objects.select_for_update().get(pk=revision.article_id)
        if not workflow.can_edit(by, story):
            raise workflow.PermissionRefused(f"You may not edit “{story}”.")
        data = revision.snapshot
        for name in TEXT_FIELDS:
            setattr(story, name, data[name])
        if Section.objects.filter(pk=data["section"]["id"]).exists():
            story.section_id = data["section"]["id"]
        story.lead_image = _lead_image(data)
        save_edit(story, base_version=story.version)
        _restore_relations(story, data)
        new = record_revision(story, by=by, note=f"Restored from version {revision.version}")
        state = workflow.state_of(story)
        ArticleEvent.objects.create(
            article=story,
            action=ArticleEvent.Action.RESTORE,
            from_state=state,
            to_state=state,
            note=f"Version {revision.version} restored as version {story.version}",
            by=by,
        )
    return new


def _lead_image(data: dict) -> Image | None:
    """The snapshot's library image, if it is still in the library."""
    lead = data.get("lead_image")
    return Image.objects.filter(pk=lead["id"]).first() if isinstance(lead, dict) else None


def _lead_image_name(data: dict) -> str:
    lead = data.get("lead_image")
    return lead["name"] if isinstance(lead, dict) else ""


def _restore_relations(story: Article, data: dict) -> None:
    # People or organisations deleted since the snapshot cannot come back; skip them.
    people = set(Person.objects.filter(pk__in=[b["person"] for b in data["bylines"]]).values_list("pk", flat=True))
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
    segments: list = field(default_factory=list)  # (kind, text): equal/insert/delete
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)


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


def diff(old: dict, new: dict) -> list[Change]:
    """What changed from snapshot `old` to snapshot `new`, field by field."""
    changes = []
    for name, label, text in [
        ("headline", "Headline", str),
        ("standfirst", "Standfirst", str),
        ("body", "Body text", plain_text),
        ("credit", "Credit", str),
        ("slug", "Web address", str),
    ]:
        before, after = text(old.get(name, "")), text(new.get(name, ""))
        if before != after:
            changes.append(Change(label, segments=_text_segments(before, after)))
    if _lead_image_name(old) != _lead_image_name(new):
        changes.append(
            Change(
                "Lead image",
                added=[name for name in [_lead_image_name(new)] if name],
                removed=[name for name in [_lead_image_name(old)] if name],
            )
        )
    if old["section"]["name"] != new["section"]["name"]:
        changes.append(
            Change("Section", added=[new["section"]["name"]], removed=[old["section"]["name"]])
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
    for name in TEXT_FIELDS:
        setattr(story, name, data[name])
    story.section = Section.objects.filter(pk=data["section"]["id"]).first() or story.section
    story.lead_image = _lead_image(data)
    people = Person.objects.in_bulk([b["person"] for b in data["bylines"]] + [p["id"] for p in data["people"]])
    bylines = [
        Byline(article=story, person=people[b["person"]], order=b["order"])
        for b in data["bylines"]
        if b["person"] in people
    ]
    tags = {t.name.lower(): t for t in Tag.objects.filter(name__in=data["tags"])}
    story._prefetched_objects_cache = {
        "bylines": _cached(Byline, bylines),
        "tags": _cached(Tag, [tags.get(t.lower(), Tag(name=t, slug=t.lower())) for t in data["tags"]]),
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
