"""The plain-text importer: `manage.py import_story` and articles/importer.py."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles import importer
from articles.models import Article, ArticleEvent, Revision, Status
from articles.workflow import TransitionNotAllowed
from people import mentions
from tests.factories import (
    country,
    make_author,
    make_editor,
    make_journalist,
    make_organisation,
    make_person,
    make_section,
    make_user,
)

pytestmark = pytest.mark.django_db

# In CI the repository is cloned beside a copy of shared/.
SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seed"
needs_seed = pytest.mark.skipif(
    not (SEED / "morocco-us-roadmap.txt").exists(),
    reason=f"the shared seed folder is not beside the repository ({SEED.resolve()})",
)

STORY = (
    "Minister visits Rabat\n"
    "\n"
    "Mark Esper arrived in Morocco on Friday.\n"
    "He said: “We will keep working together.”\n"
    "\n"
    "Follow Our Paper on Google News.\n"
    "\n"
    "Talks continue next week.\n"
)


@pytest.fixture(autouse=True)
def fresh_matcher():
    mentions.invalidate()


@pytest.fixture
def news(db):
    return make_section("News", slug="news")


def write(tmp_path, content, name="story.txt"):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def run(*args, **options):
    out = io.StringIO()
    call_command("import_story", *map(str, args), stdout=out, **options)
    return out.getvalue()


# --- Turning text into a story -------------------------------------------------------


def test_a_plain_text_file_becomes_a_draft_with_one_paragraph_per_line(tmp_path, news):
    run(write(tmp_path, STORY))
    story = Article.objects.get()
    assert (story.headline, story.status, story.section) == (
        "Minister visits Rabat",
        Status.DRAFT,
        news,
    )
    assert story.body == (
        "<p>Mark Esper arrived in Morocco on Friday.</p>"
        "<p>He said: “We will keep working together.”</p>"
        "<p>Talks continue next week.</p>"
    )


def test_quotes_stay_inside_their_paragraph(tmp_path, news):
    run(write(tmp_path, 'Headline\n\nHe said "yes, and no" twice.\n'))
    assert Article.objects.get().body == '<p>He said "yes, and no" twice.</p>'


def test_markup_in_the_text_is_escaped_not_obeyed(tmp_path, news):
    run(write(tmp_path, "Headline <b>\n\nUse <script>alert(1)</script> & co.\n"))
    story = Article.objects.get()
    assert story.headline == "Headline <b>"
    assert story.body == "<p>Use &lt;script&gt;alert(1)&lt;/script&gt; &amp; co.</p>"


def test_the_google_news_follow_line_is_dropped(tmp_path, news):
    run(write(tmp_path, STORY))
    assert "Google News" not in Article.objects.get().body


def test_a_trailing_our_partners_and_what_follows_it_are_dropped(tmp_path, news):
    run(write(tmp_path, "Headline\n\nThe story.\n\nOur partners\nSome Partner Ltd\n"))
    assert Article.objects.get().body == "<p>The story.</p>"


def test_furniture_lines_are_a_setting(tmp_path, news, settings):
    settings.NEWSROOM_IMPORT_FURNITURE_LINES = [r"Read more at .+"]
    run(write(tmp_path, "Headline\n\nThe story.\nRead more at example.org\n"))
    assert Article.objects.get().body == "<p>The story.</p>"


def test_mentions_are_detected_and_attached(tmp_path, news):
    esper = make_person("Mark Esper")
    run(write(tmp_path, STORY))
    story = Article.objects.get()
    assert list(story.people.all()) == [esper]
    assert list(story.countries.all()) == [country("MA")]


@pytest.mark.index_on_commit
def test_importing_a_story_indexes_it_for_search_exactly_once(
    tmp_path, news, monkeypatch, django_capture_on_commit_callbacks
):
    from articles import search

    make_person("Mark Esper")
    author = make_person("Samir Tazi", user=make_journalist("samir"))
    written = []
    real = search.write_documents
    monkeypatch.setattr(
        search, "write_documents", lambda ids: (written.append(list(ids)), real(ids))
    )
    with django_capture_on_commit_callbacks(execute=True):
        run(write(tmp_path, STORY), author=author.slug, status="in-review")
    story = Article.objects.get()
    assert written == [[story.pk]]
    assert story.search_document.names  # the attached people and countries are in it


def test_section_author_and_status_can_be_chosen(tmp_path, news):
    analysis = make_section("Analysis", slug="analysis")
    user = make_journalist("samir")
    samir = make_person("Samir Tazi", user=user)
    run(write(tmp_path, STORY), section="Analysis", author="samir", status="in-review")
    story = Article.objects.get()
    assert (story.section, story.status, story.created_by) == (analysis, Status.IN_REVIEW, user)
    assert [byline.person for byline in story.bylines.all()] == [samir]


def test_the_author_may_be_a_person_slug(tmp_path, news):
    person = make_person("Helen Ashcombe")
    run(write(tmp_path, STORY), author=person.slug)
    assert Article.objects.get().bylines.get().person == person


def test_an_unknown_section_is_refused_naming_the_sections(tmp_path, news):
    with pytest.raises(CommandError, match="No section “sport”. Sections: news"):
        run(write(tmp_path, STORY), section="sport")
    assert not Article.objects.exists()


def test_an_unknown_author_is_refused(tmp_path, news):
    with pytest.raises(CommandError, match="nobody"):
        run(write(tmp_path, STORY), author="nobody")
    assert not Article.objects.exists()


def test_importing_as_published_is_not_offered(tmp_path, news):
    with pytest.raises(CommandError, match="published"):
        run(write(tmp_path, STORY), "--status=published")
    assert not Article.objects.exists()


# --- The workflow: an import is recorded, and "in review" is a real submit -------------------


@pytest.fixture
def samir(db):
    """A journalist with a byline-able person, as `--author samir` names them."""
    return make_journalist("samir", first_name="Samir", last_name="Tazi")


def test_an_import_records_one_import_event_naming_the_file(tmp_path, news, samir):
    make_author(samir)
    run(write(tmp_path, STORY, "rabat-visit.txt"), author="samir")
    (event,) = Article.objects.get().events.all()
    assert (event.action, event.by, event.to_state) == (ArticleEvent.Action.IMPORT, samir, "draft")
    assert "rabat-visit.txt" in event.note


def test_an_import_without_an_author_is_recorded_as_the_newsroom_s(tmp_path, news):
    run(write(tmp_path, STORY))
    (event,) = Article.objects.get().events.all()
    assert event.action == ArticleEvent.Action.IMPORT and event.by is None


def test_an_import_records_the_first_revision_with_bylines_and_mentions(tmp_path, news, samir):
    make_author(samir)
    make_person("Mark Esper")
    run(write(tmp_path, STORY), author="samir")
    story = Article.objects.get()
    (revision,) = story.revisions.all()
    assert (revision.version, revision.created_by) == (story.version, samir)
    assert revision.snapshot["headline"] == "Minister visits Rabat"
    assert revision.snapshot["body"] == story.body
    assert [b["name"] for b in revision.snapshot["bylines"]] == ["Samir Tazi"]
    assert [p["name"] for p in revision.snapshot["people"]] == ["Mark Esper"]
    assert [c["name"] for c in revision.snapshot["countries"]] == ["Morocco"]


def test_importing_in_review_submits_the_draft_as_its_author_would(tmp_path, news, samir):
    make_author(samir)
    run(write(tmp_path, STORY), author="samir", status="in-review")
    story = Article.objects.get()
    assert story.status == Status.IN_REVIEW
    assert [(e.action, e.by, e.from_state, e.to_state) for e in story.events.all()] == [
        (ArticleEvent.Action.IMPORT, samir, "", "draft"),
        (ArticleEvent.Action.SUBMIT, samir, "draft", "in-review"),
    ]
    assert story.revisions.count() == 1


def test_editors_are_emailed_once_an_import_in_review_has_committed(
    tmp_path, news, samir, mailoutbox, django_capture_on_commit_callbacks
):
    make_author(samir)
    make_editor(email="helen@newsroom.test")
    with django_capture_on_commit_callbacks(execute=True):
        run(write(tmp_path, STORY), author="samir", status="in-review")
        assert mailoutbox == []
    (mail,) = mailoutbox
    assert mail.to == ["helen@newsroom.test"]
    assert mail.subject == "For review: Minister visits Rabat"


def test_in_review_without_an_author_is_refused_before_anything_is_created(tmp_path, news):
    with pytest.raises(CommandError, match="in-review.*--author"):
        run(write(tmp_path, STORY), status="in-review")
    assert not Article.objects.exists()


def test_in_review_for_a_person_without_an_account_is_refused(tmp_path, news):
    person = make_person("Helen Ashcombe")
    with pytest.raises(CommandError, match="Helen Ashcombe has no newsroom account"):
        run(write(tmp_path, STORY), author=person.slug, status="in-review")
    assert not Article.objects.exists()


def test_in_review_for_an_account_that_may_not_submit_is_refused(tmp_path, news):
    make_person("Samir Tazi", user=make_user("samir"))  # not staff: no newsroom login
    with pytest.raises(CommandError, match="“samir” may not submit stories"):
        run(write(tmp_path, STORY), author="samir", status="in-review")
    assert not Article.objects.exists()


def test_a_refused_submit_leaves_no_half_imported_story(tmp_path, news, samir, monkeypatch):
    def refuse(article, *, by):
        raise TransitionNotAllowed("The story is locked.")

    monkeypatch.setattr("articles.workflow.submit", refuse)
    result = importer.import_file(
        write(tmp_path, STORY),
        section=news,
        author=make_author(samir),
        status=Status.IN_REVIEW,
        by=samir,
    )
    assert (result.outcome, result.message) == ("refused", "The story is locked.")
    assert not Article.objects.exists()
    assert not ArticleEvent.objects.exists() and not Revision.objects.exists()


def test_importing_in_review_again_records_nothing_new(tmp_path, news, samir):
    make_author(samir)
    path = write(tmp_path, STORY)
    run(path, author="samir", status="in-review")
    assert "already imported" in run(path, author="samir", status="in-review")
    assert ArticleEvent.objects.count() == 2 and Revision.objects.count() == 1


# --- Encodings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoded",
    [
        "Café owners meet\n\nThe café reopened.\n".encode("utf-8-sig"),
        "Café owners meet\n\nThe café reopened.\n".encode("utf-16"),
        "Café owners meet\r\n\r\nThe café reopened.\r\n".encode("cp1252"),
    ],
    ids=["utf-8 with BOM", "utf-16 with BOM", "windows-1252 with CRLF"],
)
def test_common_encodings_are_read(tmp_path, news, encoded):
    run(write(tmp_path, encoded))
    story = Article.objects.get()
    assert (story.headline, story.body) == ("Café owners meet", "<p>The café reopened.</p>")


# --- Refusals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty"),
        (b"  \n\n \t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"Headline\n\nText \x81\x8d\x01 more\n", "not readable as text"),
        (b"Just a headline\n\n", "headline only"),
        (b"Headline\n\nFollow Us on Google News.\nOur partners\n", "headline only"),
        (("x" * 301 + "\n\nText\n").encode(), "301 characters"),
    ],
    ids=[
        "empty",
        "blank",
        "binary",
        "undecodable",
        "headline only",
        "furniture only",
        "long headline",
    ],
)
def test_unusable_files_are_refused_with_a_reason_and_create_nothing(
    tmp_path, news, content, reason
):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_story", str(write(tmp_path, content)), stdout=out)
    assert reason in out.getvalue()
    assert not Article.objects.exists()


def test_a_file_over_the_size_limit_is_refused(tmp_path, news, settings):
    settings.NEWSROOM_IMPORT_MAX_BYTES = 100
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_story", str(write(tmp_path, STORY * 2)), stdout=out)
    assert "too large" in out.getvalue()
    assert not Article.objects.exists()


def test_a_missing_path_is_refused(tmp_path, news):
    with pytest.raises(CommandError, match="does not exist"):
        run(tmp_path / "nope.txt")


def test_nothing_is_created_when_attaching_fails(tmp_path, news, monkeypatch):
    def broken(article, found):
        raise RuntimeError("database went away")

    monkeypatch.setattr("articles.importer.attach", broken)
    with pytest.raises(RuntimeError):
        run(write(tmp_path, STORY))
    assert not Article.objects.exists()


# --- Duplicates and folders -------------------------------------------------------------


def test_importing_the_same_file_again_reports_it_and_creates_nothing(tmp_path, news):
    path = write(tmp_path, STORY)
    run(path)
    first = Article.objects.get()
    output = run(path)
    assert f"already imported: {path} is story #{first.pk}" in output
    assert list(Article.objects.all()) == [first]


def test_the_same_text_with_other_line_endings_is_still_a_duplicate(tmp_path, news):
    run(write(tmp_path, STORY))
    output = run(write(tmp_path, STORY.replace("\n", "\r\n").encode("utf-8-sig"), "copy.txt"))
    assert "already imported" in output
    assert Article.objects.count() == 1


def test_a_folder_imports_every_txt_file_with_a_line_each_and_a_summary(tmp_path, news):
    write(tmp_path, STORY, "a.txt")
    write(tmp_path, "Second story\n\nAnother text.\n", "b.TXT")
    write(tmp_path, "", "c.txt")
    write(tmp_path, "Not a story\n\nIgnored.\n", "notes.md")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 of 3 refused"):
        call_command("import_story", str(tmp_path), stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == ["imported", "imported", "refused"]
    assert lines[3] == "3 files: 2 imported, 0 already imported, 1 refused."
    assert set(Article.objects.values_list("headline", flat=True)) == {
        "Minister visits Rabat",
        "Second story",
    }


def test_a_folder_imported_twice_creates_nothing_the_second_time(tmp_path, news):
    write(tmp_path, STORY, "a.txt")
    run(tmp_path)
    assert run(tmp_path).splitlines()[-1] == "1 file: 0 imported, 1 already imported, 0 refused."
    assert Article.objects.count() == 1


def test_a_folder_without_txt_files_is_refused(tmp_path, news):
    with pytest.raises(CommandError, match="no .txt files"):
        run(tmp_path)


# --- The seed story, with the demo newsroom loaded ----------------------------------------


@needs_seed
def test_the_seed_story_imports_as_one_clean_draft_about_exactly_whom_it_names(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    before = Article.objects.count()
    facts = json.loads((SEED / "entities.json").read_text(encoding="utf-8"))
    expected = facts["expected_mentions_in_seed"]

    run(SEED / "morocco-us-roadmap.txt")

    assert Article.objects.count() == before + 1
    story = Article.objects.get(headline="Morocco & US Sign ‘Roadmap for Defence Cooperation’")
    assert story.status == Status.DRAFT
    for furniture in [
        facts["publication"]["follow_line"],
        facts["publication"]["partners_heading"],
    ]:
        assert furniture not in story.body
    assert "Google News" not in story.body
    assert sorted(story.people.values_list("name", flat=True)) == sorted(expected["people"])
    assert sorted(story.organisations.values_list("name", flat=True)) == sorted(
        expected["organisations"]
    )
    assert sorted(story.countries.values_list("code", flat=True)) == sorted(expected["countries"])


@needs_seed
def test_the_seed_story_is_not_imported_twice(settings, news):
    run(SEED / "morocco-us-roadmap.txt")
    assert "already imported" in run(SEED / "morocco-us-roadmap.txt")
    assert Article.objects.count() == 1


def test_an_organisation_is_found_by_its_short_name(tmp_path, news):
    far = make_organisation("Royal Moroccan Armed Forces", short_name="FAR")
    run(write(tmp_path, "Drills planned\n\nThe FAR will train far from home.\n"))
    assert list(Article.objects.get().organisations.all()) == [far]
