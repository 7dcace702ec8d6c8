import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Greatest
from django.db.models.sql import Query
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from newsroom.queries import has_any
from newsroom.site import absolute, remembered_while
from newsroom.slugs import unique_slug
from people.mentions import linked_first_mentions
from people.models import Country, Organisation, Person, Role

from .body import body_reference, publication_problems
from .images.models import Image, Rendition
from .images.renditions import get_rendition, social_card_spec
from .sanitize import clean_body

# What the body editor offers; the server-side sanitiser stays the authority.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "HardBreak": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    # "Browse…" in the figure dialog opens the image library's picker.
    "Figure": {"pickerUrl": reverse_lazy("admin:images_image_picker")},
    "Caption": True,
    "Image": True,
}


def default_language():
    return settings.LANGUAGE_CODE


class Section(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(
        default=0, help_text="Position in the site navigation; lower comes first."
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "section"
        verbose_name_plural = "sections"

    def __str__(self):
        return self.name

    @remembered_while("slug")
    def get_absolute_url(self):
        return reverse("articles:section", args=[self.slug])


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in-review", "In review"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class TypeOfWork(models.TextChoices):
    """The Trust Project's “type of work” labels."""

    NEWS = "news", "News"
    ANALYSIS = "analysis", "Analysis"
    OPINION = "opinion", "Opinion"
    INTERVIEW = "interview", "Interview"
    EXPLAINER = "explainer", "Explainer"
    SPONSORED = "sponsored", "Sponsored"


# What the story page reads of the people, organisations and countries it names
# (the "In this story" panel, first-mention links, structured data).
AUTHOR_FIELDS = ("name", "slug", "user_id", "same_as")
PERSON_FIELDS = (*AUTHOR_FIELDS, "description")
ORGANISATION_FIELDS = ("name", "short_name", "slug", "website", "same_as")
COUNTRY_FIELDS = ("code", "name", "same_as")


@models.BigAutoField.register_lookup
class AnyOf(models.Lookup):
    """`pk__any_of=subquery`: `IN (subquery)`, but on PostgreSQL `= ANY(ARRAY(subquery))`.

    PostgreSQL runs `IN (subquery)` under an OR as a filter over every row (a
    sequential scan of the stories); an array computed once is an index
    condition, so a few candidates OR-ed together are read by primary key.
    """

    lookup_name = "any_of"

    def get_prep_lookup(self):
        # As `__in` does: a subquery's order is dropped unless it is sliced,
        # or SQLite walks the ordering's index instead of the filter's.
        if isinstance(self.rhs, models.QuerySet):
            self.rhs = self.rhs.query
        if isinstance(self.rhs, Query):
            self.rhs.clear_ordering(clear_default=True)
        return super().get_prep_lookup()

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


def _not_embargoed(at):
    """No embargo on the story at `at`: never embargoed, or its lift time has passed."""
    return Q(embargoed_at__isnull=True) | Q(embargo_lifts_at__lte=at)


def story_page_prefetches():
    """What a story page shows of the story's links, each relation in one query:
    `for_story_page()`, or `prefetch_related_objects()` on a story already read."""
    return (
        Prefetch(
            "bylines",
            queryset=Byline.objects.select_related("person").only(
                "article_id", "order", *(f"person__{f}" for f in AUTHOR_FIELDS)
            ),
        ),
        "tags",
        # Photos and logos are in the story's structured data (`about`).
        Prefetch(
            "organisations",
            queryset=Organisation.objects.select_related("logo").only(*ORGANISATION_FIELDS, "logo"),
        ),
        Prefetch("countries", queryset=Country.objects.only(*COUNTRY_FIELDS)),
        "corrections",
        Prefetch(
            "people",
            queryset=Person.objects.select_related("photo")
            .only(*PERSON_FIELDS, "photo")
            .prefetch_related(
                Prefetch(
                    "roles",
                    queryset=Role.objects.select_related("organisation").only(
                        "person_id", "title", "start", "end", "organisation__name"
                    ),
                )
            ),
        ),
    )


def card_prefetches():
    """What a story card shows of the story's links: its bylines and its lead
    picture's renditions (`for_listing()`, or `prefetch_related_objects()`)."""
    return ("lead_image__renditions", _bylines_with_their_people())


def _bylines_with_their_people():
    return Prefetch("bylines", queryset=Byline.objects.select_related("person"))


class ArticleQuerySet(models.QuerySet):
    def published(self, at=None):
        """Stories a reader may see at `at` (default: now). The one visibility rule.

        Published, its publication time passed, not under an embargo at `at`
        (none, or its lift time passed) and not past a scheduled withdrawal.
        Embargoes and windows are nullable columns checked beside the
        (status, published_at) index, so every list keeps its index plan;
        nothing has to run at a lift or withdrawal time.
        """
        at = at or timezone.now()
        return self.filter(
            _not_embargoed(at),
            Q(withdraws_at__isnull=True) | Q(withdraws_at__gt=at),
            status=Status.PUBLISHED,
            published_at__lte=at,
        )

    def scheduled(self, at=None):
        """Published stories whose publication time is still ahead at `at` (default: now),
        and not under embargo (an embargo with a lift time is `embargoed()`).

        They go public on time with nothing running (`published()`).
        """
        at = at or timezone.now()
        return self.filter(_not_embargoed(at), status=Status.PUBLISHED, published_at__gt=at)

    def embargoed(self, at=None):
        """Stories under embargo at `at` (default: now): until their lift time, or,
        without one, until an editor lifts it. Matches `Article.is_embargoed`."""
        at = at or timezone.now()
        return self.filter(
            Q(embargo_lifts_at__isnull=True) | Q(embargo_lifts_at__gt=at),
            status=Status.PUBLISHED,
            embargoed_at__isnull=False,
        )

    def withdrawal_scheduled(self, at=None):
        """Stories that are or will be public with a withdrawal time still ahead at `at`."""
        at = at or timezone.now()
        return self.filter(status=Status.PUBLISHED, withdraws_at__gt=at)

    def withdrawn(self, at=None):
        """Stories whose address answers 410 Gone at `at`: withdrawn by an editor, or
        past the withdrawal time an editor set. Matches `Article.is_withdrawn`."""
        at = at or timezone.now()
        return self.filter(
            Q(status=Status.WITHDRAWN) | Q(status=Status.PUBLISHED, withdraws_at__lte=at)
        )

    def started_or_bylined_by(self, user):
        """The stories `user` started or has a byline on: theirs, in the newsroom's words."""
        bylined = Byline.objects.filter(article=OuterRef("pk"), person__user=user)
        return self.filter(Q(created_by=user) | Q(Exists(bylined)))

    def on_the_record(self):
        """Stories that are, were or will be public: published (scheduled included),
        withdrawn, or returned to draft after going live.

        Such a story is withdrawn, never deleted (`editing.delete_story`).

        What they name is part of the record: a person or organisation attached to
        one is never deleted (people/models.py). Matches `Article.is_on_the_record`.
        """
        went_public = ArticleEvent.objects.filter(
            article=OuterRef("pk"), action__in=ArticleEvent.WENT_PUBLIC
        )
        return self.filter(
            Q(status__in=[Status.PUBLISHED, Status.WITHDRAWN]) | Q(Exists(went_public))
        )

    def keeping(self, entity):
        """The stories that keep a person or organisation from being deleted, newest first.

        Stories on the record about it (a published story keeps what it names),
        and for a person every story with their byline (bylines protect their
        person). Drafts merely about it lose the link instead.
        """
        kept = Q(pk__in=Article.objects.on_the_record().about(entity).values("pk"))
        if isinstance(entity, Person):
            kept |= Q(bylines__person=entity)
        return self.filter(kept).distinct().order_by(F("published_at").desc(nulls_last=True), "-pk")

    def newest_first(self):
        """Newest publication first: the order of every public list.

        Plain descending, which the (status, published_at) index serves on every
        database; public stories always have a time, so where NULLs go (first
        on PostgreSQL) does not arise. pk breaks ties, for stable pagination.
        """
        return self.order_by("-published_at", "-pk")

    def about(self, entity):
        """Stories about a person, organisation or country."""
        field = {Person: "people", Organisation: "organisations", Country: "countries"}[
            type(entity)
        ]
        return self.filter(**{field: entity})

    def by(self, person):
        return self.filter(bylines__person=person)

    def in_section(self, section):
        return self.filter(section=section)

    def with_bylines(self):
        return self.prefetch_related(_bylines_with_their_people())

    def front_page(self, size, at=None) -> list:
        """The home page's top `size` public stories: editor-placed ones in their
        order, then the newest.

        The candidates are the placed stories, public or not (a handful, found by
        the index on `home_position`), and the `size` newest public ones, looked
        up by primary key; the placed ones are then held to the visibility rule
        here (`is_published`). Filtering them in SQL would have SQLite walk
        every public story instead, a cost that grows with the archive.
        """
        candidates = self.front_page_candidates(size, at)
        return [story for story in candidates if story.is_published(at)][:size]

    def front_page_candidates(self, size, at=None):
        """What `front_page()` picks from, in its order: the placed stories, public or
        not, and the `size` newest public ones, each set read by its own index."""
        placed = self.model.objects.filter(home_position__isnull=False).values("pk")
        newest = self.model.objects.published(at).newest_first().values("pk")[:size]
        return self.filter(Q(pk__any_of=placed) | Q(pk__any_of=newest)).order_by(
            F("home_position").asc(nulls_last=True), F("published_at").desc(), "-pk"
        )

    def latest_in_each_section(self, per_section, sections, *, leaving_out=()):
        """The newest `per_section` public stories of each of `sections` (but those
        `leaving_out`), grouped by section.

        One query: a bounded index range per section, the rows then looked up
        by primary key (as in `front_page`). Ranking every story of every
        section (a window function) grows with the archive.
        """
        public = self.model.objects.published().exclude(pk__in=leaving_out)
        newest_in = Q(pk__in=[])
        for section in sections:
            newest = public.in_section(section).newest_first().values("pk")[:per_section]
            newest_in |= Q(pk__any_of=newest)
        return self.filter(newest_in).order_by(
            "section__order", "section__name", F("published_at").desc(), "-pk"
        )

    def last_changed(self):
        """(latest change, count) of these stories, in one query; (None, 0) if none.

        The latest change is the newest `updated_at` or `published_at`: what a
        feed's Last-Modified and ETag are made of. The count moves when a story
        leaves (is withdrawn), which the latest change alone would miss.
        """
        found = self.order_by().aggregate(
            latest=Max(Greatest("updated_at", "published_at")), count=Count("pk")
        )
        return found["latest"], found["count"]

    def latest_public_change(self):
        """The newest moment what readers see may have changed, or None: a story saved
        (any story: an edit, a correction, a withdrawal all save it) or a scheduled
        one going live.

        Two index lookups in one query whatever the archive's size, so conditional
        GETs cost next to nothing. Call it on `Article.objects`. A draft's save moves it too: a needless refetch, never a
        stale page.
        """
        now = timezone.now()
        newest_save = self.order_by("-updated_at").values("updated_at")[:1]
        newest_release = self.published(now).order_by("-published_at").values("published_at")[:1]
        # Embargoes lifting and withdrawals falling due change what readers see
        # without a save; each is read from its own partial index.
        newest_lift = (
            self.filter(embargo_lifts_at__lte=now)
            .order_by("-embargo_lifts_at")
            .values("embargo_lifts_at")[:1]
        )
        newest_end = (
            self.filter(withdraws_at__lte=now).order_by("-withdraws_at").values("withdraws_at")[:1]
        )
        # All read in one round trip, as scalar subqueries on any one row.
        row = (
            self.order_by()
            .annotate(
                saved=Subquery(newest_save),
                went_live=Subquery(newest_release),
                lifted=Subquery(newest_lift),
                ended=Subquery(newest_end),
            )
            .values_list("saved", "went_live", "lifted", "ended")
            .first()
        )
        return max(filter(None, row or ()), default=None)

    def next_public_change(self, after=None):
        """The next moment after `after` (default: now) what readers see changes by
        itself, or None: a scheduled story going live, an embargo lifting or a
        withdrawal falling due.

        One query, each time read from its own index. Call it on `Article.objects`.
        """
        after = after or timezone.now()
        go_live = self.scheduled(after).order_by("published_at").values("published_at")[:1]
        lift = (
            self.filter(status=Status.PUBLISHED, embargo_lifts_at__gt=after)
            .order_by("embargo_lifts_at")
            .values("embargo_lifts_at")[:1]
        )
        end = self.withdrawal_scheduled(after).order_by("withdraws_at").values("withdraws_at")[:1]
        row = (
            self.order_by()
            .annotate(go_live=Subquery(go_live), lift=Subquery(lift), end=Subquery(end))
            .values_list("go_live", "lift", "end")
            .first()
        )
        return min(filter(None, row or ()), default=None)

    def showing(self, image):
        """Stories that show a library picture: as lead image or as a figure in the body."""
        return self.filter(Q(lead_image=image) | Q(body__contains=body_reference(image.pk)))

    def for_story_page(self):
        """What the story template shows, in a constant number of queries.

        Only the columns the page reads (no biographies, no descriptions of
        organisations); the pictures' renditions come after, all in one query
        (`Article.prefetch_renditions`).
        """
        return self.select_related("section", "lead_image").prefetch_related(
            *story_page_prefetches()
        )

    def for_listing(self):
        """What a story card needs, in a constant number of queries, without the body
        (the bulk of a story's row; `with_body()` brings it back)."""
        return self.for_cards().prefetch_related(*card_prefetches())

    def for_cards(self):
        """`for_listing()` without the cards' links (bylines, the lead picture's
        renditions): for pages whose cards are kept rendered (articles/cards.py),
        which read them for the cards they render afresh only."""
        return self.select_related("section", "lead_image").defer("body")

    def with_topics(self):
        """Adds what a story is about (tags, people, organisations, countries) and its
        corrections to `for_listing()`, one query each: the API's story lists."""
        return self.prefetch_related(
            "tags",
            Prefetch("people", queryset=Person.objects.only(*PERSON_FIELDS)),
            Prefetch("organisations", queryset=Organisation.objects.only(*ORGANISATION_FIELDS)),
            Prefetch("countries", queryset=Country.objects.only(*COUNTRY_FIELDS)),
            "corrections",
        )

    def with_body(self):
        """Undoes `for_listing()`'s deferral, for lists that show the text (full-text feeds)."""
        return self.defer(None)


# Set by the workflow's transitions alone (articles/workflow.py), never by a form,
# an edit or a restore: restoring old text never publishes or withdraws a story,
# nor tells readers it was updated.
WORKFLOW_FIELDS = frozenset(
    {
        "status",
        "published_at",
        "created_by",
        "embargoed_at",
        "embargo_lifts_at",
        "withdraws_at",
        "display_updated_at",
    }
)


def modified_for_readers(prefix: str = ""):
    """`Article.modified_for_readers` in SQL: the last update readers were told of,
    or the publication. COALESCE first: SQLite's GREATEST (MAX) is NULL if any
    argument is."""
    published = F(f"{prefix}published_at")
    return Greatest(Coalesce(f"{prefix}display_updated_at", published), published)


class Article(models.Model):
    headline = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text="The story's web address. Filled from the headline; "
        "keep it once the story is published.",
    )
    standfirst = models.TextField(
        blank=True, help_text="The summary under the headline: one or two sentences."
    )
    body = ProseEditorField(
        config={"extensions": BODY_EDITOR_EXTENSIONS}, sanitize=clean_body, blank=True
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    type_of_work = models.CharField(
        "type of work",
        max_length=20,
        choices=TypeOfWork.choices,
        default=TypeOfWork.NEWS,
        help_text="Tells readers what kind of journalism this is.",
    )
    credit = models.CharField(
        max_length=100,
        blank=True,
        help_text="Free-text byline credit shown after the authors, e.g. “Staff” or “With agencies”.",
    )

    lead_image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_for",
        help_text="From the image library. Its alt text, caption and credit are edited there.",
    )

    tags = TaggableManager(
        through="TaggedStory", blank=True, help_text="Topics, e.g. “defence cooperation”."
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="articles", help_text="People this story is about."
    )
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="articles",
        help_text="Organisations this story is about.",
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="articles", help_text="Countries this story is about."
    )
    link_mentions = models.BooleanField(
        "link mentions",
        default=True,
        help_text="Link the first mention of each person, organisation and country "
        "this story is about to their page.",
    )
    related = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="+",
        help_text="Stories readers should see next, picked by an editor.",
    )

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When the story was (or will be) first published.",
    )
    # Set by the workflow only (`embargo`, `lift_embargo`, `schedule_withdrawal`);
    # `published()` reads them, so a lift or a withdrawal needs no worker.
    embargoed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When an editor put the story under embargo; empty if it never was "
        "or the embargo was lifted.",
    )
    embargo_lifts_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the embargo lifts by itself; empty: when an editor lifts it.",
    )
    withdraws_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the story is withdrawn by itself (the end of its window).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Every save moves it: the newsroom's "last saved", and what conditional GETs
    # and caches key on. Readers are told of an update by `display_updated_at`.
    updated_at = models.DateTimeField(auto_now=True)
    display_updated_at = models.DateTimeField(
        "updated for readers",
        null=True,
        blank=True,
        editable=False,
        help_text="The “Updated” time readers see: set by a correction, an update note "
        "or an editor's “Mark as updated”, never by an ordinary save such as a typo fix.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    home_position = models.PositiveSmallIntegerField(
        "home page position",
        null=True,
        blank=True,
        help_text="1 makes this the lead story on the home page; 2 to 5 put it in the "
        "top stories, in that order. Leave empty to list it only under its section.",
    )

    seo_title = models.CharField(
        "SEO title",
        max_length=200,
        blank=True,
        help_text="For search engines; defaults to the headline.",
    )
    seo_description = models.CharField(
        "SEO description",
        max_length=300,
        blank=True,
        help_text="For search engines; defaults to the standfirst.",
    )
    language = models.CharField(
        max_length=10,
        default=default_language,
        help_text="Language code of the story, e.g. “en” or “fr”.",
    )
    source_hash = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="For imported stories: SHA-256 of the imported text, so the same "
        "file is never imported twice.",
    )
    # Bumped by every save, checked by the next one: two people editing the
    # same story cannot silently overwrite each other (articles/revisions.py).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        # Unpublished stories (no time yet) last on every database.
        ordering = [F("published_at").desc(nulls_last=True), "-pk"]
        verbose_name = "story"
        verbose_name_plural = "stories"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="published_story_has_publication_time",
            ),
            models.CheckConstraint(
                condition=Q(embargo_lifts_at__isnull=True) | Q(embargoed_at__isnull=False),
                name="embargo_lift_time_needs_an_embargo",
            ),
            models.UniqueConstraint(
                fields=["source_hash"],
                condition=~Q(source_hash=""),
                name="one_story_per_imported_text",
            ),
        ]
        indexes = [
            # Every public list: the visibility rule, newest first.
            models.Index(fields=["status", "published_at"]),
            # Sections' pages and the home page's latest in each section.
            models.Index(fields=["section", "status", "published_at"], name="story_section_newest"),
            # The home page's placed stories, a handful among thousands.
            models.Index(
                fields=["home_position"],
                condition=Q(home_position__isnull=False),
                name="story_placed_on_home",
            ),
            # `latest_public_change()`: conditional GETs answered from the index.
            models.Index(fields=["updated_at"], name="story_last_saved"),
            # The next (and last) embargo lift and withdrawal: a handful of stories,
            # for the page cache's expiry and conditional GETs.
            models.Index(
                fields=["embargo_lifts_at"],
                condition=Q(embargo_lifts_at__isnull=False),
                name="story_embargo_lifts",
            ),
            models.Index(
                fields=["withdraws_at"],
                condition=Q(withdraws_at__isnull=False),
                name="story_withdrawal_due",
            ),
        ]
        permissions = [
            ("publish_article", "Can publish, schedule, unschedule and send back stories"),
            ("withdraw_article", "Can withdraw stories and return them to draft"),
            ("correct_article", "Can add corrections and updates to published stories"),
            ("edit_any_article", "Can edit any story in any state"),
            ("embargo_article", "Can put stories under embargo and lift embargoes"),
        ]

    def __str__(self):
        return self.headline

    @classmethod
    def edited_fields(cls) -> list:
        """The story's own columns an edit may change: every editable one but the workflow's.

        Revisions copy exactly these (plus the relations), restores write them
        back, and a form save writes those of them that its form shows.
        """
        return [
            field
            for field in cls._meta.concrete_fields
            if field.editable and not field.primary_key and field.name not in WORKFLOW_FIELDS
        ]

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.headline)
        # Every save path (admin, importer, API) goes through the sanitiser.
        self.body = clean_body(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = set(update_fields) | {"updated_at"}
        super().save(*args, **kwargs)

    def withdrawal(self):
        """The event that withdrew this story, or scheduled the withdrawal that has
        fallen due (its note is for readers), or None."""
        if not self.is_withdrawn():
            return None
        Action = ArticleEvent.Action
        return (
            self.events.filter(action__in=[Action.WITHDRAW, Action.SCHEDULE_WITHDRAWAL])
            .order_by("-at", "-pk")
            .first()
        )

    def withdrawal_note(self) -> str:
        """The note to readers of the withdrawal scheduled ahead, or ""."""
        if self.withdraws_at is None:
            return ""
        scheduled = (
            self.events.filter(action=ArticleEvent.Action.SCHEDULE_WITHDRAWAL)
            .order_by("-at", "-pk")
            .values_list("note", flat=True)
            .first()
        )
        return scheduled or ""

    @remembered_while("slug", "published_at", "created_at")
    def get_absolute_url(self):
        # The date is the newsroom's local publication day, as printed on the page.
        day = timezone.localtime(self.published_at or self.created_at or timezone.now())
        return reverse(
            "articles:detail",
            kwargs={"year": day.year, "month": day.month, "day": day.day, "slug": self.slug},
        )

    def is_scheduled(self, at=None):
        """Matches `Article.objects.scheduled()`."""
        at = at or timezone.now()
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > at
            and not self.is_embargoed(at)
        )

    def is_embargoed(self, at=None):
        """Matches `Article.objects.embargoed()`."""
        at = at or timezone.now()
        return (
            self.status == Status.PUBLISHED
            and self.embargoed_at is not None
            and (self.embargo_lifts_at is None or self.embargo_lifts_at > at)
        )

    def is_withdrawn(self, at=None):
        """Matches `Article.objects.withdrawn()`."""
        at = at or timezone.now()
        if self.status == Status.WITHDRAWN:
            return True
        return (
            self.status == Status.PUBLISHED
            and self.withdraws_at is not None
            and self.withdraws_at <= at
        )

    @property
    def was_public_before_its_embargo(self) -> bool:
        """Readers saw it before the embargo began: its publication time is older.

        An embargo on a story that was never public sets its publication time to
        the lift time (or the embargo's start, until an editor lifts it).
        """
        return (
            self.embargoed_at is not None
            and self.published_at is not None
            and self.published_at < self.embargoed_at
        )

    @property
    def was_updated(self) -> bool:
        """Readers were told of an update since publication: a correction, an update
        note or an editor's "Mark as updated" (`workflow.py`). Plain saves never count."""
        return (
            self.published_at is not None
            and self.display_updated_at is not None
            and self.display_updated_at > self.published_at
        )

    @property
    def modified_for_readers(self):
        """The last update readers were told of, else the publication time: the page's
        "Updated", JSON-LD `dateModified`, `article:modified_time` and sitemap `lastmod`.
        Matches `modified_for_readers()` in SQL."""
        return self.display_updated_at if self.was_updated else self.published_at

    def is_published(self, at=None):
        """Matches `Article.objects.published()`."""
        at = at or timezone.now()
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= at
            and not self.is_embargoed(at)
            and not self.is_withdrawn(at)
        )

    @property
    def is_on_the_record(self):
        """Matches `Article.objects.on_the_record()`."""
        if self.status in (Status.PUBLISHED, Status.WITHDRAWN):
            return True
        return (
            self.pk is not None and self.events.filter(action__in=ArticleEvent.WENT_PUBLIC).exists()
        )

    def rendered_body(self):
        """The body as readers get it: the stored body, with first mentions linked.

        Links the first mention of each attached person, organisation and country
        when `link_mentions` is on; the stored body never changes. Uses the
        prefetched people, organisations and countries when there are some, and
        the cache: the same body with the same links is linked once.
        """
        if not self.link_mentions or self.pk is None:
            return self.body
        entities = [*self.people.all(), *self.organisations.all(), *self.countries.all()]
        return linked_first_mentions(self.body, entities)

    def publication_problems(self) -> list[str]:
        """Why this story's pictures may not go public yet; empty when they may.

        The workflow calls this before a story becomes (or, when edited,
        stays) published.
        """
        return publication_problems(lead_image=self.lead_image, body=self.body)

    def prefetch_renditions(self) -> None:
        """Fetch the renditions of every picture the story page shows, in one query.

        The lead image, the people's photos and the organisations' logos, as
        `for_story_page()` fetched them: one query for all, where prefetching
        each relation's renditions would take one each.
        """
        pictures = [
            self.lead_image,
            *(person.photo for person in self.people.all()),
            *(organisation.logo for organisation in self.organisations.all()),
        ]
        prefetch_related_objects(
            [picture for picture in pictures if picture is not None],
            # The library's order (by upload) would join the images for nothing.
            Prefetch("renditions", queryset=Rendition.objects.order_by()),
        )

    @property
    def social_image_url(self) -> str:
        """Absolute URL of the lead image's 1200×630 social card, or ""."""
        if self.lead_image is None:
            return ""
        url = get_rendition(self.lead_image, social_card_spec(self.lead_image)).url
        return absolute(url)

    # Transitions: thin doors into articles/workflow.py, which holds the rules.

    @property
    def state(self):
        """Draft, in review, scheduled, embargoed, published or withdrawn, as of now."""
        from . import workflow

        return workflow.state_of(self)

    def submit(self, *, by):
        from . import workflow

        return workflow.submit(self, by=by)

    def send_back(self, *, by, note):
        from . import workflow

        return workflow.send_back(self, by=by, note=note)

    def publish(self, *, by, at=None):
        from . import workflow

        return workflow.publish(self, by=by, at=at)

    def unschedule(self, *, by):
        from . import workflow

        return workflow.unschedule(self, by=by)

    def withdraw(self, *, by, reason):
        from . import workflow

        return workflow.withdraw(self, by=by, reason=reason)

    def redraft(self, *, by):
        from . import workflow

        return workflow.redraft(self, by=by)

    def embargo(self, *, by, until=None):
        from . import workflow

        return workflow.embargo(self, by=by, until=until)

    def lift_embargo(self, *, by):
        from . import workflow

        return workflow.lift_embargo(self, by=by)

    def schedule_withdrawal(self, *, by, at, reason):
        from . import workflow

        return workflow.schedule_withdrawal(self, by=by, at=at, reason=reason)

    def cancel_withdrawal(self, *, by):
        from . import workflow

        return workflow.cancel_withdrawal(self, by=by)

    def add_correction(self, *, by, text, kind="correction"):
        from . import workflow

        return workflow.add_correction(self, by=by, text=text, kind=kind)

    def mark_updated(self, *, by, note=""):
        from . import workflow

        return workflow.mark_updated(self, by=by, note=note)

    def remember_slug(self, old_slug: str) -> None:
        """Keep `old_slug` answering with a 301 to this story, once it has been public.

        Called by whatever changes a slug (the admin's save), never from `save()`.
        """
        # An embargoed story readers saw keeps its old links for when it comes back.
        was_seen = self.is_published() or (
            self.is_embargoed() and self.was_public_before_its_embargo
        )
        if old_slug == self.slug or not was_seen:
            return
        FormerSlug.objects.filter(slug=self.slug).delete()
        FormerSlug.objects.update_or_create(slug=old_slug, defaults={"article": self})

    @property
    def title_for_search_engines(self):
        return self.seo_title or self.headline

    @property
    def description_for_search_engines(self):
        return self.seo_description or self.standfirst


class TaggedStory(TaggedItemBase):
    """A tag on a story, with a real foreign key (pictures keep taggit's generic rows)."""

    # One index each way, instead of the single-column ones foreign keys get:
    # the unique constraint's finds a story's tags, `stories_of_a_tag` a tag's
    # stories, both without reading the table.
    content_object = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="tag_links", db_index=False
    )
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_items", db_index=False
    )

    class Meta:
        verbose_name = "tagged story"
        verbose_name_plural = "tagged stories"
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="one_link_per_story_and_tag"
            )
        ]
        indexes = [models.Index(fields=["tag", "content_object"], name="stories_of_a_tag")]


def public_links_of_each_tag(at=None):
    """The links between the tag `OuterRef("pk")` is and public stories, for a
    subquery; driven from the tag's links, as `TopicQuerySet.public_links_of_each()`."""
    public = Article.objects.published(at=at).filter(pk=OuterRef("content_object_id"))
    return TaggedStory.objects.filter(tag=OuterRef("pk")).filter(Exists(public))


def tags_in_public_stories(tags=None, at=None):
    """Tags (of `tags`, default all) at least one public story carries at `at`.

    `TopicQuerySet.in_public_stories()` for taggit's Tag, which is not ours to
    give a queryset method: only these tags have a public page and feed.
    """
    tags = Tag.objects.all() if tags is None else tags
    return tags.filter(has_any(public_links_of_each_tag(at), "content_object_id"))


class FormerSlug(models.Model):
    """An address a published story used to have, redirected (301) to its current one."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="former_slugs")
    slug = models.SlugField(max_length=200, unique=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = "former slug"
        verbose_name_plural = "former slugs"

    def __str__(self):
        return self.slug

    def get_absolute_url(self):
        return self.article.get_absolute_url()


class Byline(models.Model):
    """One author of a story, in the order the bylines are printed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bylines")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "byline"
        verbose_name_plural = "bylines"
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="one_byline_per_person")
        ]
        # An author's stories from the index alone (`TopicQuerySet.has_public_story`).
        indexes = [models.Index(fields=["person", "article"], name="bylines_of_a_person")]

    def __str__(self):
        return self.person.name


class Correction(models.Model):
    """A dated public note on a story: a correction of fact, or an update."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(help_text="What was wrong and what is right, in plain words.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "correction"
        verbose_name_plural = "corrections"

    def __str__(self):
        return f"{self.get_kind_display()}, {self.created_at:%Y-%m-%d}"


class ArticleEvent(models.Model):
    """One line of a story's audit trail: who moved it, when, from where to where."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted for review"
        SEND_BACK = "send-back", "Sent back"
        PUBLISH = "publish", "Published"
        SCHEDULE = "schedule", "Scheduled"
        UNSCHEDULE = "unschedule", "Unscheduled"
        WITHDRAW = "withdraw", "Withdrawn"
        REDRAFT = "redraft", "Returned to draft"
        CORRECT = "correct", "Correction added"
        RESTORE = "restore", "Revision restored"
        WENT_LIVE = "went-live", "Went live on schedule"
        SHARE = "share", "Share link created"
        UNSHARE = "unshare", "Share link revoked"
        CREATE = "create", "Started"
        EDIT = "edit", "Edited"
        IMPORT = "import", "Imported"
        PICTURE = "picture", "Picture re-described"
        EMBARGO = "embargo", "Embargoed"
        LIFT = "lift", "Embargo lifted"
        SCHEDULE_WITHDRAWAL = "schedule-withdrawal", "Withdrawal scheduled"
        CANCEL_WITHDRAWAL = "cancel-withdrawal", "Scheduled withdrawal cancelled"
        MARK_UPDATED = "mark-updated", "Marked as updated"
        LIFTED_ON_SCHEDULE = "scheduled-lift", "Embargo lifted on schedule"
        WITHDRAWN_ON_SCHEDULE = "scheduled-withdraw", "Withdrawn on schedule"

    # Any of these in a story's history means readers have seen it (a story
    # loaded as published has no "publish" event, but is withdrawn with one).
    # A lift makes a story public; a withdrawal is only scheduled on a story that
    # is or will be live (counted as seen, to be safe).
    WENT_PUBLIC = (
        Action.PUBLISH,
        Action.WENT_LIVE,
        Action.WITHDRAW,
        Action.LIFT,
        Action.LIFTED_ON_SCHEDULE,
        Action.SCHEDULE_WITHDRAWAL,
    )

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    takes_effect_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="For a move decided ahead of its time (an embargo's lift, a scheduled "
        "withdrawal): when it takes effect. Nothing runs then; readers' pages "
        "change at that time.",
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "story event"
        verbose_name_plural = "story events"

    def __str__(self):
        return f"{self.get_action_display()}, {self.at:%Y-%m-%d %H:%M}"

    # What a move decided ahead of time does when its time comes: (due, done).
    EFFECTS = {
        Action.EMBARGO: ("lifts", "lift time passed"),
        Action.SCHEDULE_WITHDRAWAL: ("withdrawn", "withdrawal time passed"),
    }

    def effect(self, at=None) -> str:
        """ "lifts" or "withdrawn" while `takes_effect_at` is ahead, then the words for
        its time having passed (a later move, if any, is its own event)."""
        if self.takes_effect_at is None or self.action not in self.EFFECTS:
            return ""
        due, done = self.EFFECTS[self.action]
        return done if self.takes_effect_at <= (at or timezone.now()) else due


class Revision(models.Model):
    """A full copy of a story as one save left it, bylines and links included."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = "revision"
        verbose_name_plural = "revisions"
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="one_revision_per_version")
        ]

    def __str__(self):
        return f"Version {self.version}"


class DeletedStory(models.Model):
    """What is left of a deleted draft: who deleted it, when, and its last saved text.

    Only a story readers never saw can be deleted (`editing.delete_story`); its
    events and revisions go with it, so this row keeps the record.
    """

    story_id = models.PositiveIntegerField(help_text="The deleted story's number.")
    headline = models.CharField(max_length=300)
    state = models.CharField(max_length=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(help_text="When the story was started.")
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deleted_at = models.DateTimeField(default=timezone.now)
    snapshot = models.JSONField(help_text="The story as last saved (see Revision).")

    class Meta:
        ordering = ["-deleted_at", "-pk"]
        verbose_name = "deleted story"
        verbose_name_plural = "deleted stories"

    def __str__(self):
        return self.headline


def new_preview_key():
    return secrets.token_urlsafe(24)


class PreviewLink(models.Model):
    """The story's share-preview link; deleting or replacing it kills old links."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="preview_link")
    key = models.CharField(max_length=64, default=new_preview_key)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "share-preview link"
        verbose_name_plural = "share-preview links"

    def __str__(self):
        return f"Share link for {self.article}"


class SearchDocument(models.Model):
    """A story's words as search sees them, one row per story whatever its state.

    Kept in step by `articles/search.py` (signals in `articles/signals.py`);
    search results are always intersected with `Article.objects.published()`,
    so the index never decides who may see what. On PostgreSQL `vector` holds
    the weighted tsvector (GIN-indexed); on SQLite an FTS5 table mirrors the
    text columns through triggers (both made in migration 0009).
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    headline = models.TextField(blank=True)
    standfirst = models.TextField(blank=True)
    names = models.TextField(
        blank=True,
        help_text="Names and aliases of the people, organisations, countries "
        "and authors of the story.",
    )
    tags = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="The body as plain text.")
    vector = SearchVectorField(null=True, editable=False)
    # PostgreSQL: headline A, standfirst B, names C, tags D, to tell in which
    # field a word was found (ranking points) without parsing text per query.
    fields_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = "search document"
        verbose_name_plural = "search documents"

    def __str__(self):
        return self.headline
