"""`{% site_assets %}`: the icons, manifest and stylesheets every page links to.

Their addresses change only with a deploy (the hashed static names) or a setting,
yet resolving them was a tenth of a story page's rendering; so each process
renders the tags once, and again only when a setting changes (tests).
"""

import functools

from django import template
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

register = template.Library()


@functools.cache
def _rendered() -> str:
    return render_to_string("includes/site_assets.html")


@register.simple_tag
def site_assets():
    return mark_safe(_rendered())  # noqa: S308 - our own template, rendered from no input


def _forget(**kwargs):
    _rendered.cache_clear()


setting_changed.connect(_forget, dispatch_uid="site-assets-forget")
