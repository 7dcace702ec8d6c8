"""
Dates that may be known only to the year or the month ("2019", "2019-07").

Stored as ISO 8601 text, which sorts correctly and reads naturally in the
admin. A start "2019-07" means "some time in July 2019".
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.dateformat import format as date_format

PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse(value):
    """Return (date, precision) for "YYYY", "YYYY-MM" or "YYYY-MM-DD"."""
    match = PATTERN.match(value or "")
    if not match:
        raise ValidationError(
            "Enter a year (2019), a year and month (2019-07) or a full date (2019-07-23).",
            code="invalid_partial_date",
        )
    year, month, day = match.groups()
    try:
        date = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValidationError(f"{value} is not a real date.", code="invalid_partial_date") from None
    precision = "day" if day else "month" if month else "year"
    return date, precision


def humanize(value):
    """ "2019-07" → "July 2019"; "2019" → "2019"; "2019-07-23" → "23 July 2019"."""
    if not value:
        return ""
    date, precision = parse(value)
    return date_format(date, {"year": "Y", "month": "F Y", "day": "j F Y"}[precision])


def started_by(start, day):
    """True if a period starting at `start` had begun on `day` (a date)."""
    return not start or start <= day.isoformat()[: len(start)]


def ended_before(end, day):
    """True if a period ending at `end` was over before `day` (a date)."""
    return bool(end) and end < day.isoformat()[: len(end)]


def validate_partial_date(value):
    parse(value)


class PartialDateField(models.CharField):
    """A date known to the year, month or day, stored as sortable ISO text."""

    default_validators = [validate_partial_date]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 10:
            del kwargs["max_length"]
        return name, path, args, kwargs
