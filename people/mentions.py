"""Find the people, organisations and countries a story names, and link them.

This is the only module that imports pyahocorasick. Everything about mentions
goes through it: the admin panel, the importer and the rendered story body.

The rules (docs/mentions.md has the why):

- A person is found by name and aliases; an organisation by name, short name and
  aliases; a country by name and aliases (never by bare ISO code: "IN", "IT").
- Names match case-insensitively ("MARK ESPER", "mark esper"), except:
  - acronym words match exactly as written. A word is an acronym when, ignoring
    dots and other punctuation, it has at most 6 letters, at least 2 capitals and
    more capitals than small letters: US, U.S., USA, DoD, FAR, NATO, UNESCO. So
    "us" is never the United States, and "US DoD" needs both acronyms as written
    while "US department of defense" still matches "US Department of Defense";
  - names that are also ordinary lowercase words (`CASE_SENSITIVE_NAMES`: Chad,
    China, Guinea, Jersey, Turkey, Panama) match only as written, so "fine
    china" is not a country. A capitalised "Chad" is still found: the
    journalist decides in the "Mentioned in this story" panel.
- Whole words only: the character before and after a match must not be a letter
  or digit, so "Esperanto" is not Esper and "Moroccan" is not Morocco. The
  apostrophe and hyphen are not letters, so "Esper's", "Esper’s" and
  "U.S.-Moroccan" count. A dotted alias ("U.S.") ends at its dot.
- Curly and straight apostrophes are the same, and any run of whitespace (new
  line, no-break space) matches one space.
- Longest match wins, leftmost first: "US Department of Defense" is the
  department, not the country US plus "Department of Defense".
- HTML tags and attributes are never searched: only the text a reader sees.

The matcher is built once per process and kept until a person, organisation or
country is saved or deleted (see `invalidate`).
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from html import escape
from html.parser import HTMLParser

import ahocorasick
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .models import Country, Organisation, Person

__all__ = [
    "CASE_SENSITIVE_NAMES",
    "Matcher",
    "Mention",
    "detect_mentions",
    "entity_key",
    "get_matcher",
    "invalidate",
    "link_first_mentions",
    "linked_first_mentions",
    "resolve",
    "visible_text",
]

# Entity names that are also ordinary lowercase English words. Add more with the
# NEWSROOM_MENTIONS_CASE_SENSITIVE_NAMES setting.
CASE_SENSITIVE_NAMES = frozenset({"Chad", "China", "Guinea", "Jersey", "Panama", "Turkey"})

# Acronym words are short: "UNESCO" is one, "FRANCE" in an all-caps headline isn't.
_ACRONYM_MAX_LETTERS = 6

# Same-length replacements, so positions in the normalised text are positions in
# the original: every apostrophe is ', every whitespace character is a space.
_NORMALISE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\n": " ",
        "\r": " ",
        "\t": " ",
        "\f": " ",
        "\v": " ",
    }
)


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A handful of characters ("İ") lower to two; keep those as they are so
    # positions still line up with the original text.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _normalise_name(name: str) -> str:
    return " ".join(name.translate(_NORMALISE).split())


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return 0 < len(letters) <= _ACRONYM_MAX_LETTERS and upper >= 2 and upper > len(letters) - upper


def _exact_spans(name: str, case_sensitive_names: frozenset[str]) -> tuple:
    """(offset, text) pairs of `name` that must appear exactly as written."""
    if name in case_sensitive_names:
        return ((0, name),)
    spans, offset = [], 0
    for word in name.split(" "):
        if _is_acronym(word):
            spans.append((offset, word))
        offset += len(word) + 1
    return tuple(spans)


def entity_key(entity) -> tuple[str, int]:
    """("person" | "organisation" | "country", pk) for a model instance."""
    return (entity._meta.model_name, entity.pk)


class Matcher:
    """Finds known names in text. Immutable once built; safe to share between threads.

    `names` yields (key, name) pairs; one key (an entity) may have many names and
    one name may belong to several keys (two people both known as "Smith").
    """

    def __init__(self, names: Iterable[tuple[tuple[str, int], str]], *, case_sensitive_names=None):
        case_sensitive = frozenset(
            CASE_SENSITIVE_NAMES if case_sensitive_names is None else case_sensitive_names
        )
        forms: dict[str, dict] = {}
        self.names_by_key: dict[tuple[str, int], str] = {}
        for key, name in names:
            name = _normalise_name(name or "")
            if len(name) < 2:
                continue
            self.names_by_key.setdefault(key, name)
            variants = forms.setdefault(_lower_same_length(name), {})
            spans = _exact_spans(name, case_sensitive)
            variants.setdefault((key, spans), None)
        self._automaton = ahocorasick.Automaton()
        for folded, variants in forms.items():
            self._automaton.add_word(folded, (len(folded), tuple(variants)))
        self.size = len(forms)
        if self.size:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, tuple]]:
        """Non-overlapping (start, end, keys) matches in `text`, leftmost-longest first."""
        if not self.size or not text:
            return []
        exact = text.translate(_NORMALISE)
        folded = _lower_same_length(exact)
        if " " * 2 in folded:
            return self._find_collapsed(text)
        last = len(folded) - 1
        candidates = []
        for end, (length, variants) in self._automaton.iter(folded):
            start = end - length + 1
            if start > 0 and folded[start - 1].isalnum():
                continue
            if end < last and folded[end + 1].isalnum():
                continue
            keys = tuple(
                key
                for key, spans in variants
                if all(exact[start + o : start + o + len(s)] == s for o, s in spans)
            )
            if keys:
                candidates.append((start, end + 1, keys))
        candidates.sort(key=lambda c: (c[0], -c[1]))
        matches, taken_to = [], 0
        for start, end, keys in candidates:
            if start >= taken_to:
                matches.append((start, end, keys))
                taken_to = end
        return matches

    def _find_collapsed(self, text: str) -> list[tuple[int, int, tuple]]:
        # Names are stored with single spaces; squeeze runs of whitespace and map
        # positions back, so "Mark  Esper" still counts.
        kept, positions, previous_space = [], [], False
        for index, char in enumerate(text.translate(_NORMALISE)):
            if char == " " and previous_space:
                continue
            previous_space = char == " "
            kept.append(char)
            positions.append(index)
        positions.append(len(text))
        return [
            (positions[start], positions[end - 1] + 1, keys)
            for start, end, keys in self.find("".join(kept))
        ]


@dataclass(frozen=True)
class Mention:
    """One entity found in a story: how often, where first, and as what text."""

    kind: str  # "person", "organisation" or "country"
    pk: int
    name: str
    count: int
    first: int  # offset of the first mention in the story's visible text
    entity: object = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.pk)

    @property
    def value(self) -> str:
        """How the admin panel names this entity in a form: "person:12"."""
        return f"{self.kind}:{self.pk}"


# --- Visible text --------------------------------------------------------------

# Tags that sit inside a line of text; every other tag separates words.
_INLINE_TAGS = frozenset({"a", "abbr", "b", "em", "i", "span", "strong", "sub", "sup"})
_HIDDEN_TAGS = frozenset({"script", "style", "template"})


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag not in _INLINE_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag not in _INLINE_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The words a reader sees in `html`, single-spaced.

    Unlike `articles.sanitize.plain_text` this does not sanitise first (bodies are
    stored sanitised); it skips script and style text itself and is ten times
    faster, which the benchmark needs.
    """
    collector = _TextCollector()
    collector.feed(html or "")
    collector.close()
    return " ".join("".join(collector.parts).split())


# --- The shared matcher ------------------------------------------------------

_VERSION_KEY = "people:mentions:matcher-version"
_lock = threading.Lock()
_built: tuple[str, Matcher] | None = None


def _names_from_database():
    for pk, name, aliases in Person.objects.values_list("pk", "name", "aliases"):
        for each in [name, *aliases.splitlines()]:
            yield ("person", pk), each
    for pk, name, short_name, aliases in Organisation.objects.values_list(
        "pk", "name", "short_name", "aliases"
    ):
        for each in [name, short_name, *aliases.splitlines()]:
            yield ("organisation", pk), each
    for pk, name, aliases in Country.objects.values_list("pk", "name", "aliases"):
        for each in [name, *aliases.splitlines()]:
            yield ("country", pk), each


def _current_version() -> str:
    version = cache.get(_VERSION_KEY)
    if version is None:
        # Evicted or never set: start a new version, unless another process
        # just did (add() keeps the first).
        cache.add(_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(_VERSION_KEY) or "uncached"
    return version


def _case_sensitive_names() -> frozenset[str]:
    return CASE_SENSITIVE_NAMES | frozenset(
        getattr(settings, "NEWSROOM_MENTIONS_CASE_SENSITIVE_NAMES", ())
    )


def get_matcher() -> Matcher:
    """The matcher for every person, organisation and country, built at most once per change.

    One cache read per call; a rebuild only when `invalidate()` has run since
    this process built its matcher (in any process, with a shared cache).
    """
    global _built
    version = _current_version()
    built = _built
    if built is not None and built[0] == version:
        return built[1]
    with _lock:
        if _built is not None and _built[0] == version:
            return _built[1]
        # The version was read before the rows: a change during the build bumps
        # it again, so a stale matcher is never kept under a newer version.
        matcher = Matcher(_names_from_database(), case_sensitive_names=_case_sensitive_names())
        _built = (version, matcher)
        return matcher


def invalidate() -> None:
    """Make every process rebuild its matcher on next use.

    Signals call this when a person, organisation or country is saved or
    deleted. Code that changes names without signals (`QuerySet.update()`,
    `bulk_create()`, raw SQL) must call it itself.
    """
    cache.set(_VERSION_KEY, uuid.uuid4().hex, None)


def invalidate_on_change(sender, **kwargs):
    # Now, so this process (and a test) sees the change at once; and again on
    # commit, because another process may have rebuilt from the old rows
    # between the first bump and the commit.
    invalidate()
    transaction.on_commit(invalidate)


# --- Detection -----------------------------------------------------------------


def detect_mentions(*texts: str, html: str = "", matcher: Matcher | None = None) -> list[Mention]:
    """Every known entity in `texts` (plain text) and `html` (a story body).

    Positions count from the start of the texts and the body's visible text,
    joined with a new line each. Ordered by first mention.
    """
    matcher = matcher or get_matcher()
    text = "\n".join([*texts, visible_text(html)])
    found: dict[tuple[str, int], list[int]] = {}
    for start, _end, keys in matcher.find(text):
        for key in keys:
            if key in found:
                found[key][0] += 1
            else:
                found[key] = [1, start]
    mentions = [
        Mention(kind, pk, matcher.names_by_key[(kind, pk)], count, first)
        for (kind, pk), (count, first) in found.items()
    ]
    return sorted(mentions, key=lambda m: (m.first, m.kind, m.pk))


def resolve(mentions: Iterable[Mention]) -> list[Mention]:
    """The mentions with `.entity` loaded (one query per kind); vanished entities dropped."""
    models = {"person": Person, "organisation": Organisation, "country": Country}
    mentions = list(mentions)
    loaded = {}
    for kind, model in models.items():
        pks = [m.pk for m in mentions if m.kind == kind]
        if pks:
            for entity in model.objects.filter(pk__in=pks):
                loaded[(kind, entity.pk)] = entity
    return [replace(m, entity=loaded[m.key]) for m in mentions if m.key in loaded]


# --- Linking -------------------------------------------------------------------

# A mention inside these is never linked: it is a link already, or a heading or
# caption, where a link would be noise.
_NO_LINK_TAGS = frozenset({"a", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption"})


class _Linker(HTMLParser):
    def __init__(self, matcher, urls):
        super().__init__(convert_charrefs=True)
        self.matcher, self.urls = matcher, urls
        self.out, self.blocked, self.hidden = [], 0, 0

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag in _NO_LINK_TAGS:
            self.blocked += 1
        elif tag in _HIDDEN_TAGS:
            self.hidden += 1

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in _NO_LINK_TAGS:
            self.blocked = max(0, self.blocked - 1)
        elif tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data):
        if self.blocked or self.hidden or not self.urls:
            self.out.append(escape(data, quote=False))
            return
        done = 0
        for start, end, keys in self.matcher.find(data):
            key = next((k for k in keys if k in self.urls), None)
            if key is None:
                continue
            url = self.urls.pop(key)
            self.out.append(escape(data[done:start], quote=False))
            self.out.append(
                f'<a href="{escape(url)}" class="mention">{escape(data[start:end], quote=False)}</a>'
            )
            done = end
        self.out.append(escape(data[done:], quote=False))


def link_first_mentions(html: str, entities: Iterable, *, matcher: Matcher | None = None) -> str:
    """`html` with the first mention of each of `entities` linked to its page.

    Only mentions in running text are linked, never inside a link, heading or
    figure caption; a mention split by markup ("<b>Mark</b> Esper") is not
    linked. `html` must already be sanitised: tags are copied as they are and
    every piece of text is re-escaped, so the only markup added is
    `<a href class="mention">` around escaped text.
    """
    urls = {entity_key(entity): entity.get_absolute_url() for entity in entities}
    if not html or not urls:
        return html or ""
    linker = _Linker(matcher or get_matcher(), urls)
    linker.feed(html)
    linker.close()
    return "".join(linker.out)


# How long a linked body stays in the cache. Its key changes with anything
# that changes it, so this only bounds how long an unused one takes space.
LINKED_BODY_TIMEOUT = 24 * 60 * 60


def linked_first_mentions(html: str, entities: Iterable) -> str:
    """`link_first_mentions(html, entities)`, remembered in the cache.

    The key holds everything the result depends on: the text, each entity's
    page address, the names that match only as written, and the matcher's
    version (a change to any name, which can change what counts as a mention,
    makes a new one). So a story page links its body once per change, not once
    per view. A change to the linking code itself shows within a day.
    """
    entities = list(entities)
    if not html or not entities:
        return html or ""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(_current_version().encode())
    digest.update(repr(sorted(_case_sensitive_names())).encode())
    for entity in entities:
        digest.update(f"\0{entity_key(entity)}{entity.get_absolute_url()}".encode())
    digest.update(b"\0" + html.encode())
    key = f"people:mentions:linked:{digest.hexdigest()}"
    linked = cache.get(key)
    if linked is None:
        linked = link_first_mentions(html, entities)
        cache.set(key, linked, LINKED_BODY_TIMEOUT)
    return linked
