"""Sanitise story bodies before they are stored, and extract their visible text.

This is the only module that imports bleach. bleach 6.4.0 is its last release, so
when we move to nh3 (or anything else) only this file changes; callers see
`clean_body()`, `plain_text()` and the `ALLOWED_*` constants.

The body is the one thing templates mark safe, so everything here errs on the side
of dropping markup: anything not in the allowlist is stripped (its text kept), and
a short list of containers whose content is code, not copy, is removed whole.
"""

import re
import threading
from html.parser import HTMLParser

from bleach import html5lib_shim
from bleach.sanitizer import Cleaner

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_IMAGE_PROTOCOLS",
    "ALLOWED_PROTOCOLS",
    "ALLOWED_TAGS",
    "clean_body",
    "plain_text",
]

# The allowlist: what news copy needs and nothing more. To allow new markup
# add it here and add a test that it survives `clean_body()` unchanged.
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
    # data-file: the image library's id for a body figure, as the editor's
    # figure picker writes it (digits only, see `_ATTRIBUTE_VALUES`):
    # <figure><img src="…" alt="…" data-file="12"><figcaption>…</figcaption></figure>
    "img": frozenset({"src", "alt", "width", "height", "data-file"}),
}

# Attributes whose whole value must match a pattern.
_ATTRIBUTE_VALUES = {"data-file": re.compile(r"[1-9][0-9]{0,17}")}

# Schemes a link may use. URLs without a scheme (relative links, `#anchors`) are
# always allowed.
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Schemes an image may be loaded from: no mailto:, and no data:, which would let
# anyone paste megabytes (or an SVG document) into a body.
ALLOWED_IMAGE_PROTOCOLS = frozenset({"http", "https"})

# Every attribute that holds a URL, and the schemes it may use. An allowed
# attribute holding a URL must be listed here, or its scheme goes unchecked
# by us (bleach checks only the ones it knows, and not srcset).
_URL_ATTRIBUTES = {"href": ALLOWED_PROTOCOLS, "src": ALLOWED_IMAGE_PROTOCOLS}

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


# A URL scheme, as browsers read it: a letter, then letters, digits, + - or .
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


def _has_allowed_scheme(url: str, protocols: frozenset[str]) -> bool:
    """True if `url` has no scheme or one in `protocols`.

    bleach runs its own check too, but it has a hole: it parses with urlparse,
    which reads `javascript:123` as a path with a port number, finds no scheme
    and keeps the link. We decode entities as bleach does, then drop
    everything a browser ignores inside a scheme (and more, to be safe:
    whitespace, control and non-ASCII characters), and then look for a scheme.
    """
    normalised = html5lib_shim.convert_entities(url)
    normalised = re.sub(r"[^\x21-\x7e]", "", normalised).lower()
    match = _SCHEME.match(normalised)
    return match is None or match.group(1) in protocols


def _allows_attribute(tag: str, name: str, value: str) -> bool:
    """Attribute filter for bleach: the allowlist, and a scheme check on URLs."""
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    if name in _URL_ATTRIBUTES:
        return _has_allowed_scheme(value, _URL_ATTRIBUTES[name])
    if name in _ATTRIBUTE_VALUES:
        return _ATTRIBUTE_VALUES[name].fullmatch(value) is not None
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

    # Known wart, left alone: inside attribute values bleach escapes named
    # references that exist only with a semicolon, so `title="It&rsquo;s"` is
    # stored as `It&amp;rsquo;s` (text is unaffected, and the editor writes
    # characters, not references). Don't fix it in the serializer alone: it is
    # also what defuses `href="javascript&colon;..."`, which bleach's URL check
    # cannot decode either.


# bleach's Cleaner keeps parser state and is documented as not thread-safe, and
# Django may serve requests from several threads: one cleaner per thread.
_local = threading.local()


def _clean_once(html: str) -> str:
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = _BodyCleaner()
    return cleaner.clean(html)


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
    # One pass can leave blocks nested in a way a browser won't rebuild from
    # our output: for `<h3><b><h4>x</b>` the parser (like a browser) puts the
    # h4 inside the h3, but a browser reading the cleaned `<h3><b></b><h4>`
    # closes the h3 first. Cleaning the output again stores what browsers
    # will build, so re-saving a story never changes its body. The second
    # parse costs about as much as the first (~50 ms for 1,500 words).
    return _clean_once(_clean_once(html))


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
    whitespace collapse to one space. The input is sanitised first (one pass is
    enough for text), so script or style text never reaches search or mention
    detection even if `html` was never cleaned.
    """
    extractor = _TextExtractor()
    extractor.feed(_clean_once(html) if html else "")
    extractor.close()
    return " ".join("".join(extractor.parts).split())
