import re

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.body import expand_body_images
from articles.images.renditions import picture_for

register = template.Library()

BODY_FIGURE_SIZES = "(min-width: 45rem) 42rem, 100vw"

# The follow line sits after this many top-level paragraphs: past the lede and
# the nut graf, where it does not interrupt the news.
FOLLOW_LINE_AFTER = 2
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
VOID = {"br", "hr", "img", "wbr"}


def split_after_paragraphs(html: str, count: int) -> tuple[str, str]:
    """(`html` up to the end of its `count`-th top-level paragraph, the rest)."""
    depth, seen = 0, 0
    for match in TAG.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in VOID or self_closing:
            continue
        if not closing:
            depth += 1
            continue
        depth -= 1
        if depth == 0 and name == "p":
            seen += 1
            if seen == count:
                return html[: match.end()], html[match.end() :]
    return html, ""


@register.simple_tag(takes_context=True)
def story_body(context, body: str):
    """The story's body with the site's follow line after its first paragraphs.

    `body` must be the stored body, which articles/sanitize.py cleaned on save (or
    a filter's output built from it): this is the one place it is marked safe. The
    follow line is site furniture and never stored in the body.
    """
    before, after = split_after_paragraphs(body, FOLLOW_LINE_AFTER)
    follow_line = context.template.engine.get_template("articles/includes/follow_line.html").render(
        context
    )
    return mark_safe(before + follow_line + after)


def _render_body_figure(image, figure):
    return render_to_string(
        "articles/includes/body_figure.html",
        {
            "picture": picture_for(image),
            "sizes": BODY_FIGURE_SIZES,
            "alt": figure.alt or image.alt_text,
            # Part of the sanitised body, trusted as the body is (see story_body).
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


class StoryPartNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        parts = context.get("story_parts")
        if parts is None:  # a preview, the admin: no story page's cache
            return self.nodelist.render(context)
        return parts.part(self.name.resolve(context), lambda: self.nodelist.render(context))


@register.tag("story_part")
def story_part(parser, token):
    """`{% story_part "name" %}…{% end_story_part %}`: a part of the story page made of
    the story alone, rendered once per version of it (articles/story_parts.py)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("story_part takes the part's name")
    nodelist = parser.parse(("end_story_part",))
    parser.delete_first_token()
    return StoryPartNode(parser.compile_filter(bits[1]), nodelist)


@register.simple_tag(takes_context=True)
def story_card(context, article, size="", heading="", compact=False):
    """`{% story_card article size="top" heading="h2" compact=True %}`: the story's card
    (articles/includes/article_card.html), kept per version of the story when the
    page's view made its `cards` (articles/cards.py)."""

    def render():
        return render_to_string(
            "articles/includes/article_card.html",
            {"article": article, "size": size, "heading": heading, "compact": compact},
        )

    cards = context.get("cards")
    html = render() if cards is None else cards.card(article, f"{size}|{heading}|{compact}", render)
    # Rendered by the card template, with Django's escaping.
    return mark_safe(html)  # noqa: S308
