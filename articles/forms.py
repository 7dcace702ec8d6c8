from django import forms
from django.urls import reverse
from django.utils.html import format_html
from taggit.forms import TagWidget

from people.models import Country, Organisation, Person

from .body import outside_picture_problems, publication_problems
from .models import Article, Section, Status, TypeOfWork
from .revisions import EditConflict
from .sanitize import clean_body
from .search import MAX_QUERY_LENGTH


class TagSuggestionWidget(TagWidget):
    """taggit's comma-separated input, with suggestions from existing tags.

    The suggestions come from the admin's own autocomplete endpoint, so they
    obey the same permissions and search fields as every other picker.
    """

    template_name = "articles/widgets/tag_suggestions.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["list"] = f"{widget_attrs.get('id', name)}-suggestions"
        widget_attrs["data-suggestions-url"] = reverse("admin:autocomplete")
        widget_attrs["data-suggestions-field"] = "articles.article.tags"
        widget_attrs["autocomplete"] = "off"
        return context

    class Media:
        js = ["articles/admin/tag-suggestions.js"]


class ArticleAdminForm(forms.ModelForm):
    # The version this form was opened at; a save from an older one is refused.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Set by the admin when the user may no longer edit the story (it left
    # draft in another tab): the form comes back with their text, unsaved.
    refusal = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.refusal:
            raise forms.ValidationError(self.refusal, code="edit_refused")
        crafted = {"status", "published_at", "version"} & set(self.data)
        if crafted:
            raise forms.ValidationError(
                "Status and publication time change only through the workflow "
                "buttons, never through the form.",
                code="workflow_field",
            )
        if self.instance.pk:
            self.check_version(cleaned_data.get("base_version"))
        self.check_pictures(cleaned_data)
        return cleaned_data

    def check_pictures(self, cleaned_data):
        """Body pictures come from the library, in any state; a published story stays
        publishable: its pictures keep their alt text. Refused, never stripped, so
        the form comes back with the body as typed."""
        body = clean_body(cleaned_data.get("body") or "")
        if self.instance.status == Status.PUBLISHED:
            problems = publication_problems(lead_image=cleaned_data.get("lead_image"), body=body)
        else:
            # A draft may wait for alt text, but not hold a picture from elsewhere.
            problems = outside_picture_problems(body)
        for problem in problems:
            self.add_error("lead_image" if "lead image" in problem else "body", problem)

    def check_version(self, base_version):
        # Locks the row until the admin's transaction commits, so no save can
        # slip in between this check and the conditional UPDATE that follows.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .get()
        )
        if base_version == current:
            return
        self.conflict = EditConflict(self.instance, base_version, current)
        # The next save is a deliberate overwrite of what they now see.
        self.data = self.data.copy()
        self.data[self.add_prefix("base_version")] = current
        link = reverse("admin:articles_article_revision", args=[self.instance.pk, current])
        raise forms.ValidationError(
            format_html(
                "{} Your text is still below and nothing was saved. "
                '<a href="{}">See their version</a>, then save again to replace it '
                "with yours.",
                self.conflict.message,
                link,
            ),
            code="edit_conflict",
        )

    class Meta:
        model = Article
        # The admin's fieldsets choose what is shown; the form validates them all.
        fields = "__all__"  # noqa: DJ007
        wide = forms.TextInput(attrs={"class": "vLargeTextField"})
        widgets = {
            "headline": wide,
            "standfirst": forms.Textarea(attrs={"class": "vLargeTextField", "rows": 3}),
            "seo_title": wide,
            "seo_description": wide,
            "tags": TagSuggestionWidget(attrs={"class": "vLargeTextField"}),
        }


class SearchQueryField(forms.CharField):
    """The reader's words: NUL bytes dropped and cut to a sane length, never refused."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\x00", "")[:MAX_QUERY_LENGTH].strip()


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """The options in one plain query. Django reads them with `iterator()`, on
    PostgreSQL a server-side cursor: three round trips (DECLARE, FETCH, CLOSE)
    for a list of a few hundred rows at most, on every search page."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedChoiceField(forms.ModelChoiceField):
    """A choice of rows offered as a list (`ListedChoiceIterator`)."""

    iterator = ListedChoiceIterator


class CountryChoiceField(ListedChoiceField):
    """A country by its ISO code, in either case (`?country=ma`, as in its page's URL)."""

    def to_python(self, value):
        return super().to_python(value.upper() if isinstance(value, str) else value)

    def bound_data(self, data, initial):
        return data.upper() if isinstance(data, str) else data

    def label_from_instance(self, country):
        return country.name


class SearchForm(forms.Form):
    """The search box and its filters; bad filters are reported and ignored, never fatal.

    Readers arrive here from any link, so every field is optional and every
    value is checked: a filter that does not validate drops out of
    `filters()` and shows an error next to the field.
    """

    q = SearchQueryField(label="Search for", required=False)
    section = ListedChoiceField(
        queryset=None, to_field_name="slug", required=False, empty_label="All sections"
    )
    type = forms.ChoiceField(label="Type of work", required=False)
    country = CountryChoiceField(
        queryset=None, to_field_name="code", required=False, empty_label="All countries"
    )
    person = forms.ModelChoiceField(
        queryset=None, to_field_name="slug", required=False, widget=forms.HiddenInput
    )
    organisation = forms.ModelChoiceField(
        queryset=None, to_field_name="slug", required=False, widget=forms.HiddenInput
    )
    # The browser's date picker reads ISO dates only: redisplayed in the newsroom's
    # own format (DATE_INPUT_FORMATS), a chosen date would show blank.
    from_date = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    to_date = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.all()
        self.fields["type"].choices = [("", "All types"), *TypeOfWork.choices]
        # Only what has a public page: a draft-only name is neither offered nor
        # echoed back (an unknown one is "not one of the available choices").
        self.fields["country"].queryset = Country.objects.in_public_stories().order_by("name")
        self.fields["person"].queryset = Person.objects.in_public_stories()
        self.fields["organisation"].queryset = Organisation.objects.in_public_stories()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from_date"), cleaned.get("to_date")
        if start and end and start > end:
            self.add_error("to_date", "The end of the date range is before its start.")
        return cleaned

    @property
    def query(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("q", "")

    def filters(self) -> dict:
        """The filters that validated, by name, without the empty ones."""
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "q" and value not in (None, "")
        }

    def filter(self, stories):
        """`stories` narrowed by every valid filter."""
        filters = self.filters()
        lookups = {
            "section": "section",
            "type": "type_of_work",
            "country": "countries",
            "person": "people",
            "organisation": "organisations",
            "from_date": "published_at__date__gte",
            "to_date": "published_at__date__lte",
        }
        return stories.filter(**{lookups[name]: value for name, value in filters.items()})
