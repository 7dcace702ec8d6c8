"""Turn plain-text stories (wire copy, contributors, archives) into drafts.

The text format: the headline on the first non-empty line, then paragraphs
separated by blank lines or single line breaks (every non-empty line is a
paragraph). Lines that are site furniture (NEWSROOM_IMPORT_FURNITURE_LINES) are
dropped; a line matching NEWSROOM_IMPORT_END_LINES ends the story. Mentions are
detected and attached.

Each import is recorded as a journalist's work is: the story's first revision
and an "Imported" event. Importing "in review" then submits the draft through
`workflow.submit`, as the author's button does (event, editors' email after
commit), so it needs the account of the person submitting.

Refused, with nothing created: empty files, binary files, text in no encoding
we know, files over NEWSROOM_IMPORT_MAX_BYTES and files with a headline but no
story. The same text imported twice is reported, not duplicated: each import
stores a SHA-256 of the normalised headline and paragraphs in
`Article.source_hash`, so a copy with other line endings or a BOM is the same.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from . import revisions, workflow
from .mentions import attach, mentions_in
from .models import Article, ArticleEvent, Byline, Section, Status

# Publishing goes through the editorial workflow, never through an import.
IMPORT_STATUSES = [Status.DRAFT, Status.IN_REVIEW]

HEADLINE_MAX = Article._meta.get_field("headline").max_length

# Text files hold no control characters but tab, line breaks and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


class ImportRefused(Exception):
    """The file cannot become a story; the message says why, for the journalist."""


@dataclass
class ParsedStory:
    headline: str
    paragraphs: list[str]
    source_hash: str = field(init=False)

    def __post_init__(self):
        text = "\n".join([self.headline, *self.paragraphs])
        self.source_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def body(self) -> str:
        return "".join(f"<p>{escape(paragraph, quote=False)}</p>" for paragraph in self.paragraphs)


@dataclass
class ImportResult:
    path: Path
    outcome: str  # "imported", "already imported" or "refused"
    article: Article | None = None
    message: str = ""


def decode(data: bytes) -> str:
    """`data` as text: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1252, Latin-1.

    Refuses NUL bytes and control characters: they mean a binary file (or
    UTF-16 without a BOM), and a guessed decoding would make garbage.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in data:
        raise ImportRefused("binary file (it contains NUL bytes), not plain text")
    else:
        candidates = ["utf-8-sig", "cp1252", "latin-1"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(text):
            return text.lstrip("\ufeff")
    raise ImportRefused(
        "not readable as text: it is binary, or in an encoding other than "
        "UTF-8, UTF-16, Windows-1252 or Latin-1"
    )


def _matches_any(patterns, line):
    return any(re.fullmatch(pattern, line, flags=re.IGNORECASE) for pattern in patterns)


def parse(text: str) -> ParsedStory:
    """Headline and paragraphs of a plain-text story, furniture removed."""
    text = unicodedata.normalize("NFC", text)
    # No-break spaces and tabs from web copy are just spaces in a paragraph.
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise ImportRefused("empty: there is no text in it")
    headline, paragraphs = lines[0], []
    for line in lines[1:]:
        if _matches_any(settings.NEWSROOM_IMPORT_END_LINES, line):
            break
        if not _matches_any(settings.NEWSROOM_IMPORT_FURNITURE_LINES, line):
            paragraphs.append(line)
    if len(headline) > HEADLINE_MAX:
        raise ImportRefused(
            f"the first line is {len(headline)} characters long; a headline may have "
            f"at most {HEADLINE_MAX}. Put the headline alone on the first line."
        )
    if not paragraphs:
        raise ImportRefused("headline only: there is no story under it")
    return ParsedStory(headline, paragraphs)


def read(path: Path) -> ParsedStory:
    """Read, check and parse one file."""
    size = path.stat().st_size
    limit = settings.NEWSROOM_IMPORT_MAX_BYTES
    if size > limit:
        raise ImportRefused(f"too large: {size:,} bytes, the limit is {limit:,}")
    if size == 0:
        raise ImportRefused("empty: the file has no content")
    return parse(decode(path.read_bytes()))


def import_file(
    path: Path, *, section: Section, author=None, status: str = Status.DRAFT, by=None
) -> ImportResult:
    """Import one file as a story, or say why not. Never raises ImportRefused.

    `author` (a Person) gets the byline; `by` (a user) is recorded as creator
    and, for `status` in review, submits the draft, which the workflow may
    refuse. The story, its byline, mentions, first revision, "Imported" event
    and submission are one transaction: a refused file leaves nothing.
    """
    if status not in IMPORT_STATUSES:
        raise ValueError(f"Imported stories are drafts or in review, not {status!r}.")
    if status == Status.IN_REVIEW and by is None:
        raise ValueError("Submitting an imported story for review needs the user who submits.")
    try:
        story = read(path)
    except ImportRefused as refusal:
        return ImportResult(path, "refused", message=str(refusal))
    existing = Article.objects.filter(source_hash=story.source_hash).first()
    if existing is not None:
        return ImportResult(path, "already imported", existing)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                headline=story.headline,
                body=story.body,
                section=section,
                status=Status.DRAFT,
                source_hash=story.source_hash,
                created_by=by,
            )
            if author is not None:
                Byline.objects.create(article=article, person=author)
            attach(article, mentions_in(article))
            revisions.record_revision(article, by=by)
            workflow.record_event(
                article,
                ArticleEvent.Action.IMPORT,
                by=by,
                before="",
                note=f"Imported from {path.name}",
            )
            if status == Status.IN_REVIEW:
                workflow.submit(article, by=by)
    except workflow.TransitionNotAllowed as refusal:
        return ImportResult(path, "refused", message=str(refusal))
    except IntegrityError:
        # Another import of the same text won the race.
        existing = Article.objects.filter(source_hash=story.source_hash).first()
        if existing is None:
            raise
        return ImportResult(path, "already imported", existing)
    return ImportResult(path, "imported", article)


def story_files(path: Path) -> list[Path]:
    """`path` itself, or the .txt files directly inside it, by name."""
    if path.is_dir():
        return sorted(
            child for child in path.iterdir() if child.is_file() and child.suffix.lower() == ".txt"
        )
    return [path]
