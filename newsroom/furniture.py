"""What every public page carries: the section navigation and the “Our partners” block.

Both come from one UNION query, run only when a template first asks for either and
then kept in the cache, so site furniture costs a page no query at all, and at
most one whatever the number of sections or partners (tests/articles/
test_query_counts.py holds every page type to a budget). Saving or deleting a
section, an organisation, a story or a picture forgets it (`connect()`).

The masthead and the footer made of it are the same on every page but for the
section a section page marks as current, so base.html keeps them rendered with
`{% cache %}`, varying on the furniture's `version` (which changes with what it
is made of) and on `current_section`: a page renders neither afresh.
"""

import hashlib
from dataclasses import dataclass
from functools import cached_property

from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    BooleanField,
    CharField,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse

from articles.images.models import Image, Rendition
from articles.models import Article, Section
from people.models import Organisation

# The footer shows logos 48px high: the library's narrowest rendition, in the
# fallback format (JPEG or PNG: sorted before WebP), else the cleaned original.
FOOTER_LOGO_SPECS = ("w320.jpg", "w320.png")

CACHE_KEY = "newsroom:furniture:3"
# Whether a partner links to its page also changes with the clock (a scheduled
# story about it going live, with nothing saved): the cache forgets it by then.
CACHE_TIMEOUT = 5 * 60

COLUMNS = (
    "row_kind",
    "row_name",
    "row_slug",
    "row_logo",
    "row_link",
    "row_position",
    "row_has_page",
)


@dataclass(frozen=True)
class NavSection:
    name: str
    url: str


@dataclass(frozen=True)
class Partner:
    name: str
    url: str  # "" when it has neither a website nor a public page
    logo_url: str


def _footer_logo():
    renditions = Rendition.objects.filter(image=OuterRef("logo"), spec__in=FOOTER_LOGO_SPECS)
    return Subquery(renditions.order_by("spec").values("file")[:1])


def _text(value):
    return Value(value, output_field=CharField())


class SiteFurniture:
    """Lazily loaded; put in every template's context as `furniture`, for the page
    at `path`."""

    def __init__(self, path: str = ""):
        self.path = path

    @cached_property
    def _kept(self) -> tuple[str, list, frozenset]:
        kept = cache.get(CACHE_KEY)
        if kept is None:
            rows = self._load()
            version = hashlib.blake2b(repr(rows).encode(), digest_size=8).hexdigest()
            # The sections' addresses, for `current_section` on every page.
            addresses = frozenset(
                reverse("articles:section", args=[row[2]]) for row in rows if row[0] == "section"
            )
            kept = (version, rows, addresses)
            cache.set(CACHE_KEY, kept, CACHE_TIMEOUT)
        return kept

    @property
    def _rows(self):
        return self._kept[1]

    @property
    def version(self) -> str:
        """Changes whenever the sections or partners shown do."""
        return self._kept[0]

    @cached_property
    def current_section(self) -> str:
        """The URL of the section whose page this is, or ""."""
        return self.path if self.path in self._kept[2] else ""

    def _load(self):
        sections = Section.objects.annotate(
            row_kind=_text("section"),
            row_name=F("name"),
            row_slug=F("slug"),
            row_logo=_text(""),
            row_link=_text(""),
            row_position=F("order"),
            row_has_page=Value(True, output_field=BooleanField()),
        ).values_list(*COLUMNS)
        partners = (
            Organisation.objects.partners()
            .annotate(
                row_kind=_text("partner"),
                row_name=F("name"),
                row_slug=F("slug"),
                row_logo=Coalesce(_footer_logo(), F("logo__file")),
                row_link=F("website"),
                row_position=F("partner_order"),
                # Without a website a partner links to its page, if that page is public.
                row_has_page=ExpressionWrapper(
                    Organisation.objects.has_public_story(), output_field=BooleanField()
                ),
            )
            .values_list(*COLUMNS)
        )
        rows = sections.order_by().union(partners.order_by(), all=True)
        # Same order as Section.Meta.ordering and OrganisationQuerySet.partners().
        return sorted(rows, key=lambda row: (row[0], row[5], row[1]))

    @cached_property
    def sections(self):
        return [
            NavSection(name=name, url=reverse("articles:section", args=[slug]))
            for kind, name, slug, _logo, _link, _position, _has_page in self._rows
            if kind == "section"
        ]

    @cached_property
    def partners(self):
        storage = Image._meta.get_field("file").storage
        return [
            Partner(
                name=name,
                url=link or (reverse("people:organisation", args=[slug]) if has_page else ""),
                logo_url=storage.url(logo) if logo else "",
            )
            for kind, name, slug, logo, link, _position, has_page in self._rows
            if kind == "partner"
        ]


def forget(**kwargs):
    cache.delete(CACHE_KEY)
    # Again once committed: a page rendered meanwhile may have cached what the
    # transaction had not yet written.
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def connect():
    """Forget the furniture whenever what it is made of changes."""
    for model in (Section, Organisation, Article, Image, Rendition):
        post_save.connect(forget, sender=model, dispatch_uid=f"furniture-{model.__name__}")
        post_delete.connect(forget, sender=model, dispatch_uid=f"furniture-del-{model.__name__}")
    # A partner's page opens or closes with the stories about it.
    m2m_changed.connect(
        forget, sender=Article.organisations.through, dispatch_uid="furniture-story-organisations"
    )
