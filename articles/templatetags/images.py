"""Responsive pictures from the image library: `{% load images %}`.

    {% picture image sizes="(min-width: 60rem) 60rem, 100vw" %}
    {% picture image crop="square" sizes="5rem" loading="lazy" %}
    {% story_body article.body|with_library_images %}
"""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.renditions import expand_body_images, picture_for

register = template.Library()

BODY_FIGURE_SIZES = "(min-width: 45rem) 42rem, 100vw"


@register.simple_tag
def picture(image, *, sizes="100vw", loading="lazy", alt=None, css_class="", crop=""):
    """A `<picture>` with WebP and fallback srcsets, width and height (no layout shift).

    `loading="eager"` for the picture at the top of a page; everything else lazy.
    """
    if image is None:
        return ""
    return render_to_string(
        "articles/includes/picture.html",
        {
            "picture": picture_for(image, crop=(1, 1) if crop == "square" else None),
            "sizes": sizes,
            "loading": loading,
            "alt": image.alt_text if alt is None else alt,
            "css_class": css_class,
        },
    )


def _render_body_figure(image, figure):
    return render_to_string(
        "articles/includes/body_figure.html",
        {
            "picture": picture_for(image),
            "sizes": BODY_FIGURE_SIZES,
            "alt": figure.alt or image.alt_text,
            # Part of the sanitised body, trusted as the body is (see below).
            "caption_html": mark_safe(figure.caption_html),  # noqa: S308
            "caption": image.caption,
            "credit": image.credit,
        },
    )


@register.filter
def with_library_images(body):
    """The sanitised body, with each library figure as a responsive picture.

    Returns plain text, not safe HTML: hand it to `{% story_body %}`, the one
    place the body is marked safe (anywhere else it would be escaped).
    """
    return expand_body_images(body or "", _render_body_figure)
