"""The story filters (django-filter), and the rule that every parameter is known.

A topic filter accepts only a topic readers may know of: a slug that only
drafts carry answers 400 exactly as one that never existed, so a filter can
never confirm that an unpublished story exists.
"""

import django_filters
from django import forms

from articles.models import Article, Section, TypeOfWork, tags_in_public_stories
from people.models import Country, Organisation, Person

from .problems import InvalidParameters


class TopicChoice(django_filters.ModelChoiceFilter):
    """A slug naming one of `queryset` (evaluated per request: public ones only)."""

    def __init__(self, *, noun, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("error_messages", {"invalid_choice": f"No public {noun} has this slug."})
        super().__init__(**kwargs)


class CountryCode(forms.ModelChoiceField):
    def to_python(self, value):
        return super().to_python(value.upper() if isinstance(value, str) else value)


class CountryChoice(TopicChoice):
    field_class = CountryCode


# Evaluated per request (django-filter calls them with it): public ones only.


def _public_tags(request):
    return tags_in_public_stories()


def _public_authors(request):
    return Person.objects.authors().in_public_stories()


def _public(model):
    return lambda request: model.objects.in_public_stories()


class StoryFilter(django_filters.FilterSet):
    """No DISTINCT: each filter meets a story at most once (one link per story
    and topic), as on the topic pages."""

    section = TopicChoice(noun="section", queryset=Section.objects.all(), field_name="section")
    tag = TopicChoice(noun="tag", queryset=_public_tags, field_name="tags")
    person = TopicChoice(noun="person", queryset=_public(Person), field_name="people")
    author = TopicChoice(noun="author", queryset=_public_authors, field_name="bylines__person")
    organisation = TopicChoice(
        noun="organisation", queryset=_public(Organisation), field_name="organisations"
    )
    country = CountryChoice(
        noun="country", queryset=_public(Country), field_name="countries", to_field_name="code"
    )
    type_of_work = django_filters.ChoiceFilter(choices=TypeOfWork.choices)
    language = django_filters.CharFilter(max_length=10)
    published_after = django_filters.IsoDateTimeFilter(
        field_name="published_at",
        lookup_expr="gte",
        label="Published at or after (ISO 8601 date-time)",
    )
    published_before = django_filters.IsoDateTimeFilter(
        field_name="published_at", lookup_expr="lt", label="Published before (ISO 8601 date-time)"
    )

    class Meta:
        model = Article
        fields = []


def known_parameters(request, allowed) -> None:
    """Refuse (400) any query parameter not in `allowed`, any given twice, and any
    value with a NUL character (which no text has, and PostgreSQL refuses)."""
    reasons = {}
    for name in request.query_params:
        values = request.query_params.getlist(name)
        if name not in allowed:
            reasons[name] = "Not a parameter of this endpoint."
        elif len(values) > 1:
            reasons[name] = "Give this parameter once."
        elif "\x00" in values[0]:
            reasons[name] = "Contains a NUL character."
    if reasons:
        raise InvalidParameters(reasons)
