"""Sanitise story bodies before they are stored, and extract their visible text.

This is the only module that imports bleach. bleach 6.4.0 is its last release, so
when we move to nh3 (or anything else) only this file changes; callers see
`clean_body()`, `plain_text()` and the three allowlist constants.

The body is the one thing templates mark safe, so everything here errs on the side
of dropping markup: anything not in the allowlist is stripped (its text kept), and
a short list of containers whose content is code, not copy, is removed whole.
"""

import threading
from html.parser import HTMLParser

from bleach import html5lib_shim
from bleach.sanitizer import BleachSanitizerFilter, Cleaner

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_IMAGE_PROTOCOLS",
    "ALLOWED_PROTOCOLS",
    "ALLOWED_TAGS",
    "clean_body",
    "plain_text",
]

# The allowlist: what news copy needs and nothing more. To allow new markup (say
# `<figure data-image-id>` for the media library) add it here and add a test that
# it survives `clean_body()` unchanged.
ALLOWED_TAGS = frozenset(
    {
        "a",
        "b",
        "blockquote",
        "br",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "hr",
        "i",
        "img",
        "li",
        "ol",
        "p",
        "strong",
        "sub",
        "sup",
        "ul",
    }
)

# No event handlers and no `style` anywhere: neither is in any list below.
ALLOWED_ATTRIBUTES = {
    "a": frozenset({"href", "title", "rel"}),
    "img": frozenset({"src", "alt", "width", "height"}),
}

# bleach checks every URL attribute (href and src alike) against this, after
# decoding entities and removing whitespace and control characters, so
# `&#106;avascript:` and `java\tscript:` are caught. URLs without a scheme
# (relative links, `#anchors`) are allowed.
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# An image must come from the web: no mailto:, and (via ALLOWED_PROTOCOLS) no
# data: either, which would let anyone paste megabytes or SVG into a body.
ALLOWED_IMAGE_PROTOCOLS = frozenset({"http", "https"})

# Containers removed together with their content. Stripping only the tags would
# keep the text, and the text of a <script> or <style> is code; svg and math
# parse their content by other rules (the root of most mutation-XSS tricks);
# the rest embed other documents, submit data, or change how the page loads.
_REMOVED_WITH_CONTENT = frozenset(
    {
        "base",
        "embed",
        "form",
        "iframe",
        "link",
        "math",
        "meta",
        "noembed",
        "noframes",
        "noscript",
        "object",
        "plaintext",
        "script",
        "style",
        "svg",
        "template",
        "textarea",
        "title",
        "xmp",
    }
)


class _RemoveWithContent(html5lib_shim.Filter):
    """Drop every element named in `_REMOVED_WITH_CONTENT`, subtree and all."""

    def __iter__(self):
        depth = 0  # > 0 while inside an element being removed
        for token in super().__iter__():
            kind = token["type"]
            if depth:
                # The tree walker yields a balanced stream, so counting start
                # and end tags finds the end of the removed element.
                if kind == "StartTag":
                    depth += 1
                elif kind == "EndTag":
                    depth -= 1
                continue
            if token.get("name") in _REMOVED_WITH_CONTENT:
                if kind == "StartTag":
                    depth = 1
                continue  # EmptyTag (base, meta, link, embed) has no content
            yield token


# bleach's own URL check, borrowed so that img src is normalised exactly like
# href (entities decoded, whitespace removed). The method keeps no state.
_check_url = BleachSanitizerFilter(source=iter(())).sanitize_uri_value


def _allows_attribute(tag: str, name: str, value: str) -> bool:
    """Attribute filter for bleach: the allowlist, plus web-only image sources.

    bleach then still checks every URL against ALLOWED_PROTOCOLS.
    """
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    if (tag, name) == ("img", "src"):
        return _check_url(value, ALLOWED_IMAGE_PROTOCOLS) is not None
    return True


class _BodyCleaner(Cleaner):
    """bleach's Cleaner, plus removal of `_REMOVED_WITH_CONTENT` with content.

    bleach's parser turns every tag outside `tags` into nothing before building
    the tree, so `<script>alert(1)</script>` comes out as the text `alert(1)`,
    and filters passed to Cleaner only run after sanitising, too late to see the
    script. So the parser is told about the removed containers too (it then
    gives them their real HTML content rules: raw text for script and style,
    foreign content for svg), and `_RemoveWithContent` drops them between the
    tree walker and the sanitiser. Pokes at two Cleaner attributes, which is
    safe because bleach 6.4.0 is pinned and will never change.
    """

    def __init__(self):
        super().__init__(
            tags=ALLOWED_TAGS,
            attributes=_allows_attribute,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
        )
        self.parser = html5lib_shim.BleachHTMLParser(
            tags=ALLOWED_TAGS | _REMOVED_WITH_CONTENT,
            strip=True,
            consume_entities=False,
            namespaceHTMLElements=False,
        )
        walk_tree = self.walker
        self.walker = lambda dom: _RemoveWithContent(walk_tree(dom))


# bleach's Cleaner keeps parser state and is documented as not thread-safe, and
# Django may serve requests from several threads: one cleaner per thread.
_local = threading.local()


def clean_body(html: str | None) -> str:
    """Return `html` reduced to the allowlist, safe to store and mark safe.

    Disallowed tags are stripped and their text kept; script, style, svg, math,
    iframe and the other containers in `_REMOVED_WITH_CONTENT` go with their
    content; comments, event handlers, `style` attributes and URLs with other
    schemes (javascript:, data:, vbscript:) are dropped. Idempotent: cleaning
    cleaned HTML changes nothing. Empty or None gives "".
    """
    if not html:
        return ""
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = _BodyCleaner()
    return cleaner.clean(html)


# Tags that sit inside a line of text; every other tag separates words.
_INLINE_TAGS = frozenset({"a", "b", "em", "i", "strong", "sub", "sup"})


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)  # unescapes &amp; &nbsp; etc.
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag not in _INLINE_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        self.handle_starttag(tag, ())

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html: str | None) -> str:
    """Return the words a reader sees in `html`, one space between each.

    Tags are removed (block boundaries such as paragraphs and list items become
    spaces so words don't run together), entities are unescaped and runs of
    whitespace collapse to one space. The input goes through `clean_body()`
    first, so script or style text never reaches search or mention detection.
    """
    extractor = _TextExtractor()
    extractor.feed(clean_body(html))
    extractor.close()
    return " ".join("".join(extractor.parts).split())
