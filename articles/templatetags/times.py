"""Times as machines read them in HTML: `<time datetime>` and OpenGraph's article times."""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def machine_time(moment):
    """`moment` in the newsroom's zone, to the second, with its offset.

    Django's `date:"c"` writes microseconds, which HTML's `datetime` attribute
    does not allow (at most three digits of a second), and nobody reads them.
    """
    if not moment:
        return ""
    return timezone.localtime(moment).isoformat(timespec="seconds")
