"""Responsive pictures from the image library: `{% load images %}`.

{% picture image sizes="(min-width: 60rem) 60rem, 100vw" %}
{% picture image crop="square" sizes="5rem" loading="lazy" %}
{% picture image crop="landscape" %}  (a story's lead: portrait originals cropped)
"""

from django import template
from django.template.loader import render_to_string

from articles.images.renditions import lead_frame, picture_for

register = template.Library()


@register.simple_tag
def picture(image, *, sizes="100vw", loading="lazy", alt=None, css_class="", crop=""):
    """A `<picture>` with WebP and fallback srcsets, width and height (no layout shift).

    `loading="eager"` for the picture at the top of a page; everything else lazy.
    """
    if image is None:
        return ""
    frame = {"square": (1, 1), "landscape": lead_frame(image)}.get(crop)
    return render_to_string(
        "images/includes/picture.html",
        {
            "picture": picture_for(image, crop=frame),
            "sizes": sizes,
            "loading": loading,
            "alt": image.alt_text if alt is None else alt,
            "css_class": css_class,
        },
    )
