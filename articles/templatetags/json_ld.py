"""JSON-LD in pages: `{% json_ld data %}` and one tag per kind of page.

Each tag writes one `<script type="application/ld+json">` per object. The JSON
is escaped for HTML as Django's `json_script` does: `<`, `>` and `&` become
\\u003C, \\u003E and \\u0026, so a headline containing `</script>` or `<!--`
cannot end the script early; JSON parsers read the escapes back unchanged.
"""

import json

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from articles import structured_data

register = template.Library()

_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))


def dumps(data) -> str:
    """`data` as JSON that is safe inside a `<script>` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Three replace() calls, not translate(): a story's JSON-LD runs to
    # kilobytes, and translate() looks every character up in a dict.
    for character, escape in _ESCAPES:
        text = text.replace(character, escape)
    return text


def script(*objects) -> str:
    """One ld+json script per object; nothing for None or empty objects."""
    return format_html_join(
        "\n",
        '<script type="application/ld+json">{}</script>',
        ((mark_safe(dumps(data)),) for data in objects if data),
    )


@register.simple_tag
def json_ld(data):
    """A dict (or a list of dicts, one script each) as ld+json."""
    return script(*data) if isinstance(data, list) else script(data)


@register.simple_tag
def article_json_ld(article):
    """The story and its breadcrumbs; nothing unless the story is public."""
    return script(*structured_data.article_page(article))


@register.simple_tag
def home_json_ld():
    return script(*structured_data.home_page())


@register.simple_tag
def section_json_ld(section):
    return script(structured_data.section_breadcrumbs(section))


@register.simple_tag
def tag_json_ld(tag):
    return script(structured_data.tag_breadcrumbs(tag))


@register.simple_tag
def person_json_ld(person, on=None):
    return script(structured_data.person_page(person, on=on))


@register.simple_tag
def organisation_json_ld(organisation):
    return script(structured_data.organisation_page(organisation))


@register.simple_tag
def country_json_ld(country):
    return script(structured_data.country_page(country))
