from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField

from newsroom.queries import has_any
from newsroom.site import remembered_while
from newsroom.slugs import unique_slug

from . import partial_dates
from .partial_dates import PartialDateField


def split_lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class KnownAs(models.Model):
    """Names an entity appears under in copy, and where else it is described."""

    aliases = models.TextField(
        blank=True,
        help_text="Other names this appears under in stories, one per line "
        "(e.g. “Esper”, “U.S.”). Used to find mentions.",
    )
    same_as = models.TextField(
        "same-as links",
        blank=True,
        help_text="Authoritative pages about this, one URL per line "
        "(official site, Wikidata, Wikipedia).",
    )

    class Meta:
        abstract = True

    @property
    def alias_list(self):
        return split_lines(self.aliases)

    @property
    def same_as_list(self):
        return split_lines(self.same_as)

    def clean(self):
        super().clean()
        validate = URLValidator(schemes=["http", "https"])
        for url in self.same_as_list:
            try:
                validate(url)
            except ValidationError:
                raise ValidationError({"same_as": f"“{url}” is not a web address."}) from None


class TopicQuerySet(models.QuerySet):
    """People, organisations and countries: which of them readers may know about."""

    # How stories point at one of these: its reverse relations to them, each a
    # table of (story, row) links; any one will do.
    story_links: tuple[str, ...] = ()

    def public_links_of_each(self, at=None) -> list:
        """The links between the row `OuterRef("pk")` is and public stories
        (`Article.objects.published(at)`), for subqueries: one queryset per
        link table of `story_links`, each row's story is its `article`.

        Driven from the link tables: the row's own links (found by their index),
        each story then checked by primary key. Driven from the stories instead,
        SQLite walks every public story for each row that has none (most of the
        249 countries), a cost that grows with the archive.
        """
        Article = self.model._meta.get_field("articles").related_model
        public = Article.objects.published(at=at).filter(pk=OuterRef("article_id"))
        found = []
        for name in self.story_links:
            links, row_field = _link_table(self.model._meta.get_field(name))
            found.append(links.objects.filter(**{row_field: OuterRef("pk")}).filter(Exists(public)))
        return found

    def has_public_story(self, at=None):
        """A condition on the row `OuterRef("pk")` is: at least one public story links
        to it. Stops at the first public story found (`public_links_of_each`)."""
        condition = Q()
        for links in self.public_links_of_each(at):
            condition |= has_any(links, "article_id")
        return condition

    def in_public_stories(self, at=None):
        """Those at least one public story (`Article.objects.published(at)`) is about.

        The rule for draft-only metadata: only these have a public page and
        feed, and only these are listed or linked on public pages. One that only
        drafts, scheduled or withdrawn stories are about does not exist for readers.
        """
        return self.filter(self.has_public_story(at))

    def with_public_page(self):
        """Those whose page answers readers now (matches `has_public_page`)."""
        return self.in_public_stories()

    def with_public_flag(self, at=None):
        """Each annotated with `in_public_stories_flag`, for linking it or not without
        a query per row (read it through `is_in_public_stories`)."""
        return self.annotate(
            in_public_stories_flag=ExpressionWrapper(
                self.has_public_story(at), output_field=models.BooleanField()
            )
        )


def _link_table(relation):
    """(link model, its field naming the topic) of a reverse relation to stories:
    a many-to-many's through table, or a model with a foreign key to both (bylines)."""
    if relation.many_to_many:
        return relation.through, relation.field.m2m_reverse_field_name()
    return relation.related_model, relation.field.name


class Topic(KnownAs):
    """What people, organisations and countries share: names, links, and a public page or not."""

    class Meta:
        abstract = True

    @property
    def is_in_public_stories(self) -> bool:
        """Matches `in_public_stories()` now; read from `with_public_flag()` when annotated."""
        if hasattr(self, "in_public_stories_flag"):
            return self.in_public_stories_flag
        return type(self).objects.in_public_stories().filter(pk=self.pk).exists()

    @property
    def has_public_page(self) -> bool:
        """Whether `get_absolute_url()` answers readers now: link it or not.

        Matches `with_public_page()`.
        """
        return self.is_in_public_stories


class CountryQuerySet(TopicQuerySet):
    story_links = ("articles",)


class Country(Topic):
    """A country, named and coded as in ISO 3166 (from django-countries)."""

    code = CountryField(unique=True, help_text="ISO 3166-1 alpha-2 code.")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "country"
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name

    @remembered_while("code")
    def get_absolute_url(self):
        return reverse("people:country", args=[self.slug])

    @property
    def slug(self):
        return self.code.code.lower()


class PersonQuerySet(TopicQuerySet):
    # A story they wrote is theirs too: a byline must never link to a 404.
    story_links = ("articles", "bylines")

    def authors(self):
        """Our own journalists: people with a staff account, whose bylines link to
        their author page. Matches `Person.is_staff_author`."""
        return self.filter(user__isnull=False)

    def not_authors(self):
        """People stories are about who are not our own journalists."""
        return self.filter(user__isnull=True)

    def with_public_page(self):
        # A staff journalist's link is their author page, a staff profile that is always public.
        return self.filter(Q(user__isnull=False) | self.has_public_story())


class Person(Topic):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    description = models.CharField(
        max_length=200, blank=True, help_text="One line, e.g. “US Secretary of Defense”."
    )
    biography = models.TextField(blank=True)
    photo = models.ForeignKey(
        "images.Image",
        # Deleting a picture from the library (a licence ran out) takes it off
        # the page; the person stays.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photo_of",
        help_text="From the image library: choose one, or upload a new photo below.",
    )
    country = models.ForeignKey(
        Country, on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text="For our own journalists: their staff account, so bylines link to them.",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)

    @remembered_while("slug", "user_id")
    def get_absolute_url(self):
        if self.is_staff_author:
            return reverse("people:author", args=[self.slug])
        return reverse("people:person", args=[self.slug])

    @property
    def is_staff_author(self):
        """Matches `Person.objects.authors()`."""
        return self.user_id is not None

    @property
    def has_public_page(self) -> bool:
        return self.is_staff_author or self.is_in_public_stories

    def roles_on(self, day):
        """The roles this person held on `day` (a date), from prefetched roles."""
        return [role for role in self.roles.all() if role.held_on(day)]


class OrganisationQuerySet(TopicQuerySet):
    story_links = ("articles",)

    def partners(self):
        """The “Our partners” block, in the order editors set."""
        return self.filter(is_partner=True).order_by("partner_order", "name")


class Organisation(Topic):
    class Kind(models.TextChoices):
        GOVERNMENT_DEPARTMENT = "government-department", "Government department"
        MINISTRY = "ministry", "Ministry"
        ARMED_FORCES = "armed-forces", "Armed forces"
        COMPANY = "company", "Company"
        INTERNATIONAL = "international-organisation", "International organisation"
        NGO = "ngo", "NGO"
        MEDIA = "media", "Media"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=50, blank=True, help_text="Acronym or short form, e.g. “DoD”, “FAR”."
    )
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    kind = models.CharField(max_length=40, choices=Kind.choices, default=Kind.OTHER)
    country = models.ForeignKey(
        Country,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text="The organisation this one belongs to, if any.",
    )
    description = models.TextField(blank=True)
    logo = models.ForeignKey(
        "images.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="logo_of",
        help_text="From the image library: choose one, or upload a new logo below.",
    )
    website = models.URLField(blank=True)
    is_partner = models.BooleanField(
        "partner", default=False, help_text="Show in the “Our partners” block."
    )
    partner_order = models.PositiveIntegerField(
        default=0, help_text="Position in the “Our partners” block; lower comes first."
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="organisation_not_own_parent")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)

    @remembered_while("slug")
    def get_absolute_url(self):
        return reverse("people:organisation", args=[self.slug])

    def clean(self):
        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": "An organisation cannot be inside itself."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class RoleQuerySet(models.QuerySet):
    def held_on(self, day=None):
        """Roles held on `day` (a date; default: today). Matches `Role.held_on`."""
        day = (day or timezone.localdate()).isoformat()
        started = Q(start="") | Q(start__lte=day)
        # A partial end ("2020-11") runs to the end of that month or year.
        not_ended = Q(end="") | Q(end__gte=day) | Q(end=day[:4]) | Q(end=day[:7])
        return self.filter(started, not_ended)


def names_its_organisation(title: str, organisation: str) -> bool:
    """Does a role's title already say its organisation, in words or in its "of" part?"""
    title, organisation = title.casefold(), organisation.casefold()
    if organisation in title:
        return True
    _, of_title, held_in = title.partition(" of ")
    _, of_organisation, organisation_of = organisation.partition(" of ")
    return bool(of_title and of_organisation) and held_in == organisation_of


class Role(models.Model):
    """A person's position in an organisation, over a period known to the year, month or day."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200, help_text="e.g. “Secretary of Defense”.")
    start = PartialDateField(blank=True, help_text="2019, 2019-07 or 2019-07-23.")
    end = PartialDateField(blank=True, help_text="Leave empty while the role is held.")

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "title"]
        verbose_name = "role"
        verbose_name_plural = "roles"
        constraints = [
            models.CheckConstraint(
                # "2017-07-20" to "2017-07" is fine: the end is the whole month.
                condition=Q(start="")
                | Q(end="")
                | Q(start__lte=F("end"))
                | Q(start__startswith=F("end")),
                name="role_starts_before_it_ends",
            )
        ]

    def __str__(self):
        period = self.period
        text = f"{self.title}, {self.organisation}"
        return f"{text} ({period})" if period else text

    @property
    def title_and_organisation(self):
        """ "Secretary of Defense, Department of Defense"; the title alone when it
        already names the organisation ("Minister of Foreign Affairs" at the
        "Ministry of Foreign Affairs")."""
        if names_its_organisation(self.title, self.organisation.name):
            return self.title
        return f"{self.title}, {self.organisation.name}"

    @property
    def period(self):
        start, end = partial_dates.humanize(self.start), partial_dates.humanize(self.end)
        if start and end:
            return f"{start} – {end}"
        if start:
            return f"since {start}"
        if end:
            return f"until {end}"
        return ""

    def held_on(self, day):
        return partial_dates.started_by(self.start, day) and not partial_dates.ended_before(
            self.end, day
        )

    def clean(self):
        super().clean()
        if (
            self.start
            and self.end
            and partial_dates.ended_before(self.end, partial_dates.parse(self.start)[0])
        ):
            raise ValidationError({"end": "A role cannot end before it starts."})
