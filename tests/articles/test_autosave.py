"""Autosave's working copies, through the HTTP endpoint the story form's script calls.

A working copy is what one person last typed: never a revision, an audit
event, an email or a change to the story. Saving the form makes the revision
and discards the copy it saved.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from articles.autosave.models import WorkingCopy
from articles.models import Article, ArticleEvent, Revision
from tests.articles.test_permissions import change_form_data
from tests.articles.workflow_stories import row, story_in
from tests.factories import make_author, make_editor, make_journalist

pytestmark = pytest.mark.django_db

TYPED = "<p>The minister’s reply &amp; the “second” source &lt;verbatim&gt;.</p>"


def logged_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def autosave_url(story=None, draft="tab1"):
    if story is None:
        return reverse("admin:articles_article_autosave_new") + f"?draft={draft}"
    return reverse("admin:articles_article_autosave", args=[story.pk])


def autosave(client, story=None, fields=None, base_version=None, draft="tab1"):
    body = {"fields": fields or {"body": [TYPED]}, "base_version": base_version}
    return client.post(
        autosave_url(story, draft), json.dumps(body), content_type="application/json"
    )


@pytest.fixture
def authors_draft():
    author = make_journalist()
    story = story_in("draft", authors=[make_author(author)])
    return author, story


def test_autosave_keeps_a_working_copy_and_adds_no_revision_event_email_or_change(
    authors_draft, mailoutbox
):
    author, story = authors_draft
    before = row(story)
    client = logged_in(author)
    for typed in ["<p>First words</p>", "<p>First words and more</p>", TYPED]:
        response = autosave(client, story, {"body": [typed]}, base_version=story.version)
        assert response.status_code == 200
        assert "saved_at_display" in response.json()

    copy = WorkingCopy.objects.get()
    assert (copy.user, copy.story, copy.fields, copy.base_version) == (
        author,
        story,
        {"body": [TYPED]},
        story.version,
    )
    assert row(story) == before
    assert Revision.objects.count() == 0
    assert ArticleEvent.objects.count() == 0
    assert mailoutbox == []


def test_each_person_has_their_own_working_copy_of_a_story():
    story = story_in("published")
    first, second = make_editor(), make_editor()
    autosave(logged_in(first), story, {"headline": ["Mine"]})
    autosave(logged_in(second), story, {"headline": ["Theirs"]})
    assert {c.user: c.fields["headline"] for c in WorkingCopy.objects.all()} == {
        first: ["Mine"],
        second: ["Theirs"],
    }
    assert Article.objects.get(pk=story.pk).headline == story.headline


def test_a_signed_out_autosave_is_told_so_and_nothing_is_kept(authors_draft):
    _, story = authors_draft
    response = autosave(Client(), story)
    assert response.status_code == 401
    assert response.json()["error"] == "signed_out"
    assert "Sign in again" in response.json()["message"]
    assert not WorkingCopy.objects.exists()


def test_autosave_without_the_csrf_token_is_refused(authors_draft):
    author, story = authors_draft
    response = autosave(logged_in(author, enforce_csrf_checks=True), story)
    assert response.status_code == 403
    assert not WorkingCopy.objects.exists()


def test_a_journalist_cannot_autosave_someone_elses_draft_and_learns_nothing(authors_draft):
    _, story = authors_draft
    response = autosave(logged_in(make_journalist()), story)
    assert response.status_code == 404
    assert not WorkingCopy.objects.exists()


def test_an_author_cannot_autosave_once_the_story_is_in_review():
    author = make_journalist()
    story = story_in("in-review", authors=[make_author(author)])
    response = autosave(logged_in(author), story)
    assert response.status_code == 403
    assert "only an editor can change it" in response.json()["message"]
    assert not WorkingCopy.objects.exists()


@pytest.mark.parametrize(
    "body",
    ["not json", json.dumps({"fields": "body"}), json.dumps({"fields": {"body": "x"}})],
)
def test_a_malformed_working_copy_is_refused_with_a_reason(authors_draft, body):
    author, story = authors_draft
    response = logged_in(author).post(autosave_url(story), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["message"].startswith("The working copy was not kept:")
    assert not WorkingCopy.objects.exists()


def test_only_post_and_delete_are_answered(authors_draft):
    author, story = authors_draft
    assert logged_in(author).get(autosave_url(story)).status_code == 405


def test_discarding_forgets_the_working_copy(authors_draft):
    author, story = authors_draft
    client = logged_in(author)
    autosave(client, story)
    assert client.delete(autosave_url(story)).status_code == 200
    assert not WorkingCopy.objects.exists()


def test_the_story_form_hands_the_working_copy_to_its_script(authors_draft):
    author, story = authors_draft
    client = logged_in(author)
    autosave(client, story, {"body": [TYPED]}, base_version=story.version)
    response = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    settings = response.context["autosave"]
    assert settings["url"] == autosave_url(story)
    assert [copy["fields"] for copy in settings["copies"]] == [{"body": [TYPED]}]
    assert settings["version"] == story.version
    html = response.content.decode()
    assert 'id="autosave-settings" type="application/json"' in html
    assert "articles/admin/autosave.js" in html


def test_no_autosave_on_a_story_the_user_may_only_read():
    author = make_journalist()
    story = story_in("in-review", authors=[make_author(author)])
    response = logged_in(author).get(reverse("admin:articles_article_change", args=[story.pk]))
    assert response.status_code == 200
    assert "autosave-settings" not in response.content.decode()


def test_saving_the_form_turns_the_working_copy_into_a_revision_and_discards_it(
    authors_draft,
):
    author, story = authors_draft
    client = logged_in(author)
    data = change_form_data(story, body=TYPED)
    autosave(client, story, {"body": [TYPED], "headline": [story.headline]})
    response = client.post(reverse("admin:articles_article_change", args=[story.pk]), data)
    assert response.status_code == 302
    assert not WorkingCopy.objects.exists()
    assert Revision.objects.get().snapshot["body"] == TYPED


def test_a_save_keeps_a_working_copy_holding_other_text(authors_draft):
    """Typed in a second tab: it is offered next time, not thrown away by the first tab's save."""
    author, story = authors_draft
    client = logged_in(author)
    autosave(client, story, {"body": ["<p>From the other tab</p>"]})
    client.post(
        reverse("admin:articles_article_change", args=[story.pk]),
        change_form_data(story, body=TYPED),
    )
    assert WorkingCopy.objects.get().fields == {"body": ["<p>From the other tab</p>"]}


def new_story_data(section, **fields):
    return {
        "headline": "Ports reopen",
        "slug": "ports-reopen",
        "standfirst": "",
        "body": TYPED,
        "section": section.pk,
        "type_of_work": "news",
        "language": "en",
        "tags": "",
        "bylines-TOTAL_FORMS": 0,
        "bylines-INITIAL_FORMS": 0,
        "corrections-TOTAL_FORMS": 0,
        "corrections-INITIAL_FORMS": 0,
        **fields,
    }


def test_each_new_story_tab_has_its_own_working_copy(section):
    journalist = make_journalist()
    client = logged_in(journalist)
    assert autosave(client, None, {"headline": ["Ports reopen"]}, draft="tab1").status_code == 200
    assert autosave(client, None, {"headline": ["Ports close"]}, draft="tab2").status_code == 200
    assert autosave(client, None, {"headline": ["Ports reopen!"]}, draft="tab1").status_code == 200
    copies = client.get(reverse("admin:articles_article_add")).context["autosave"]["copies"]
    assert {copy["draft"]: copy["fields"]["headline"] for copy in copies} == {
        "tab1": ["Ports reopen!"],
        "tab2": ["Ports close"],
    }
    assert all(copy.story is None for copy in WorkingCopy.objects.all())


def test_a_new_story_copy_needs_the_name_of_its_draft():
    client = logged_in(make_journalist())
    response = autosave(client, None, draft="not a name!")
    assert response.status_code == 400
    assert "name of its draft" in response.json()["message"]
    assert not WorkingCopy.objects.exists()


def test_adding_the_story_discards_its_tabs_copy_and_no_other(section):
    client = logged_in(make_journalist())
    data = new_story_data(section)
    autosave(client, None, {name: [str(value)] for name, value in data.items()}, draft="tab1")
    autosave(client, None, {"headline": ["Another story"]}, draft="tab2")
    response = client.post(
        reverse("admin:articles_article_add"), {**data, "autosave_draft": "tab1"}
    )
    assert response.status_code == 302
    assert Article.objects.get(slug="ports-reopen").body == TYPED
    assert [copy.draft for copy in WorkingCopy.objects.all()] == ["tab2"]


def test_an_edit_conflict_shows_what_differs_from_the_saved_version():
    story = story_in("draft", standfirst="As it was.")
    url = reverse("admin:articles_article_change", args=[story.pk])
    opened_at = change_form_data(story)
    logged_in(make_editor()).post(url, {**opened_at, "standfirst": "Theirs, saved first."})
    response = logged_in(make_editor()).post(url, {**opened_at, "standfirst": "Mine, typed later."})
    changes = {change.label: change.segments for change in response.context["conflict_changes"]}
    assert changes["Standfirst"] == [
        ("delete", "Theirs, saved first."),
        ("insert", "Mine, typed later."),
    ]
    assert 'id="conflict-changes"' in response.content.decode()
