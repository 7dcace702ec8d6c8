"""Everyday editing on the demo newsroom: open a story, change it, press Save.

Every test here drives the real admin with what a browser posts (the form as
the page shows it), on the demo's stories: published, with countries, people,
organisations, tags, bylines and related stories.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from articles import editing, revisions
from articles.admin_mentions import ATTACH, ATTACH_ALL
from articles.demo import stories
from articles.models import Article, ArticleEvent, DeletedStory, Status
from people.models import Country, Person
from tests.articles.workflow_stories import row
from tests.factories import make_article, make_author, make_journalist, signed_in
from tests.forms import opened_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(demo):
    return signed_in("editor")


@pytest.fixture
def journalist(demo):
    return signed_in("journalist")


@pytest.fixture
def main_story(demo):
    return Article.objects.get(slug=stories.MAIN_STORY)


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def save(client, story, **changes):
    """Open the story's form, change what `changes` says, press Save."""
    data = opened_form(client, change_url(story))
    data.update(
        {name: value if isinstance(value, list) else [value] for name, value in changes.items()}
    )
    return client.post(change_url(story), data)


def everything(story):
    story.refresh_from_db()
    return (row(story), revisions.snapshot(story), story.revisions.count())


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


# --- 1. Stories that name countries ------------------------------------------------


def test_every_published_demo_story_saves_unchanged_without_an_error(editor, demo):
    for story in Article.objects.published():
        assert story.countries.exists()
        before = everything(story)
        response = save(editor, story)
        assert response.status_code == 302, story
        assert everything(story) == before, story


def test_a_revision_keeps_the_countries_as_iso_codes(editor, main_story):
    save(editor, main_story, standfirst="A sharper standfirst.")
    snapshot = main_story.revisions.latest("version").snapshot
    codes = {country["id"] for country in snapshot["countries"]}
    assert codes == {str(c.code) for c in main_story.countries.all()} and "MA" in codes


def test_a_revision_of_a_story_with_countries_can_be_compared_previewed_and_restored(
    editor, main_story
):
    save(editor, main_story, standfirst="First rewrite.")
    first = main_story.revisions.latest("version").version
    united_states = str(Country.objects.get(code="US").pk)
    save(editor, main_story, standfirst="Second rewrite.", countries=[united_states])
    args = [main_story.pk, first]

    page = editor.get(reverse("admin:articles_article_revision", args=args))
    assert page.status_code == 200
    assert "Morocco" in page.content.decode()  # removed since that version
    preview = editor.get(reverse("admin:articles_article_revision_preview", args=args))
    assert preview.status_code == 200 and "First rewrite." in preview.content.decode()
    assert editor.post(reverse("admin:articles_article_restore", args=args)).status_code == 302

    main_story.refresh_from_db()
    assert main_story.standfirst == "First rewrite."
    assert "MA" in {str(c.code) for c in main_story.countries.all()}


# --- 2. Every field of the form is saved -----------------------------------------


def test_an_editor_moves_a_published_story_on_the_front_page(editor, main_story):
    response = save(editor, main_story, home_position="3")
    assert response.status_code == 302
    main_story.refresh_from_db()
    assert main_story.home_position == 3


def test_an_editor_turns_off_mention_links_on_a_published_story(editor, main_story):
    assert main_story.link_mentions
    data = opened_form(editor, change_url(main_story))
    del data["link_mentions"]  # an unticked box is not sent
    assert editor.post(change_url(main_story), data).status_code == 302
    main_story.refresh_from_db()
    assert not main_story.link_mentions


NEW_VALUES = {
    "headline": "A headline nobody had written",
    "slug": "a-brand-new-address",
    "standfirst": "A standfirst nobody had written.",
    "body": "<p>A body nobody had written.</p>",
    "type_of_work": "analysis",
    "credit": "With agencies",
    "language": "fr",
    "home_position": "4",
    "seo_title": "An SEO title",
    "seo_description": "An SEO description",
}


@pytest.mark.parametrize("name", sorted(NEW_VALUES))
def test_each_field_of_the_story_form_is_saved_when_an_editor_changes_it(editor, main_story, name):
    response = save(editor, main_story, **{name: NEW_VALUES[name]})
    assert response.status_code == 302
    assert any("was changed successfully" in m for m in messages_of(response))
    main_story.refresh_from_db()
    value = Article._meta.get_field(name).value_from_object(main_story)
    assert str(value) == NEW_VALUES[name]


def test_the_field_list_above_covers_every_column_the_form_edits():
    edited = {f.name for f in Article.edited_fields() if not f.is_relation}
    # link_mentions is the checkbox test; section and lead image are pickers.
    assert edited - set(NEW_VALUES) == {"link_mentions"}


def test_an_unchanged_save_says_nothing_changed_and_writes_nothing(editor, main_story):
    before = everything(main_story)
    events = ArticleEvent.objects.count()
    response = save(editor, main_story)
    assert response.status_code == 302
    assert not any("changed successfully" in m for m in messages_of(response))
    assert any("Nothing to save" in m for m in messages_of(response))
    assert everything(main_story) == before
    assert ArticleEvent.objects.count() == events


# --- 3. A revision is what the request saved ----------------------------------------


def test_each_edit_records_one_revision_equal_to_the_saved_story_and_one_event(editor, main_story):
    revisions_before, events_before = main_story.revisions.count(), main_story.events.count()
    save(editor, main_story, standfirst="A new standfirst.", tags="defence, Morocco")
    main_story.refresh_from_db()
    assert main_story.revisions.count() == revisions_before + 1
    assert main_story.revisions.latest("version").snapshot == revisions.snapshot(main_story)
    assert main_story.events.count() == events_before + 1
    event = main_story.events.latest("at", "pk")
    assert event.action == ArticleEvent.Action.EDIT
    assert "standfirst" in event.note and "tags" in event.note


def test_what_attach_adds_is_in_the_revision_of_that_save(editor, main_story):
    main_story.people.clear()
    main_story.save()
    response = save(editor, main_story, **{ATTACH: ATTACH_ALL})
    assert response.status_code == 302
    main_story.refresh_from_db()
    attached = set(main_story.people.values_list("slug", flat=True))
    assert set(stories.EVERYONE_IN_RABAT) <= attached
    snapshot = main_story.revisions.latest("version").snapshot
    assert snapshot == revisions.snapshot(main_story)
    assert {p["id"] for p in snapshot["people"]} == set(
        main_story.people.values_list("pk", flat=True)
    )


def test_a_new_story_starts_as_version_one_with_one_revision_and_a_started_event(journalist):
    data = opened_form(journalist, reverse("admin:articles_article_add"))
    data.update(
        headline=["Sahel talks open in Nouakchott"],
        slug=["sahel-talks-open-in-nouakchott"],
        section=[str(Article.objects.first().section_id)],
        countries=[str(Country.objects.get(code="MR").pk)],
    )
    assert journalist.post(reverse("admin:articles_article_add"), data).status_code == 302
    story = Article.objects.get(slug="sahel-talks-open-in-nouakchott")
    assert (story.version, story.revisions.get().version) == (1, 1)
    assert story.revisions.get().snapshot["countries"] == [{"id": "MR", "name": "Mauritania"}]
    assert list(story.events.values_list("action", flat=True)) == [ArticleEvent.Action.CREATE]


def test_a_restore_is_one_revision_and_one_restore_event(editor, main_story):
    save(editor, main_story, standfirst="One.")
    old = main_story.revisions.latest("version")
    save(editor, main_story, standfirst="Two.")
    edit = editing.restore(old, by=get_user_model().objects.get(username="editor"))
    main_story.refresh_from_db()
    assert edit.revision.snapshot == revisions.snapshot(main_story)
    assert main_story.events.latest("at", "pk").action == ArticleEvent.Action.RESTORE


# --- 5. Related stories a journalist may not open ---------------------------------


@pytest.fixture
def someone_elses_draft(demo):
    return make_article(
        "Kept quiet: the base deal nobody announced",
        status=Status.DRAFT,
        created_by=make_journalist(),
    )


@pytest.fixture
def journalists_draft(demo):
    return Article.objects.get(slug=stories.DRAFT_STORY["slug"])


def test_a_journalist_never_sees_the_headline_of_a_draft_linked_as_related(
    journalist, journalists_draft, someone_elses_draft
):
    journalists_draft.related.add(someone_elses_draft)
    html = journalist.get(change_url(journalists_draft)).content.decode()
    assert "nobody announced" not in html


def test_saving_keeps_the_related_stories_a_journalist_cannot_see(
    journalist, journalists_draft, someone_elses_draft
):
    journalists_draft.related.add(someone_elses_draft)
    response = save(journalist, journalists_draft, standfirst="Planners want more troops.")
    assert response.status_code == 302
    assert someone_elses_draft in journalists_draft.related.all()


def test_a_journalist_cannot_link_a_draft_they_may_not_open(
    journalist, journalists_draft, someone_elses_draft
):
    response = save(journalist, journalists_draft, related=[str(someone_elses_draft.pk)])
    assert response.status_code == 200  # the form comes back with an error
    assert "nobody announced" not in response.content.decode()
    assert someone_elses_draft not in journalists_draft.related.all()


def test_the_related_picker_offers_a_journalist_public_stories_and_their_own(
    journalist, journalists_draft, someone_elses_draft, main_story
):
    response = journalist.get(
        reverse("admin:autocomplete"),
        {"term": "", "app_label": "articles", "model_name": "article", "field_name": "related"},
    )
    offered = {int(result["id"]) for result in response.json()["results"]}
    assert {main_story.pk, journalists_draft.pk} <= offered
    assert someone_elses_draft.pk not in offered


# --- 13. A save refused after the story left draft ------------------------------


def test_a_journalist_who_submitted_in_another_tab_keeps_what_they_typed(
    journalist, journalists_draft
):
    data = opened_form(journalist, change_url(journalists_draft))  # tab two, opened earlier
    journalists_draft.submit(by=get_user_model().objects.get(username="journalist"))  # tab one
    before = everything(journalists_draft)
    data["standfirst"] = ["Typed in the second tab, every word of it."]

    response = journalist.post(change_url(journalists_draft), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "in review now, so only an editor can change it" in html
    assert "Typed in the second tab, every word of it." in html
    assert everything(journalists_draft) == before


def test_a_story_that_left_draft_is_only_read_by_its_author_when_opened_afresh(
    journalist, journalists_draft
):
    journalists_draft.submit(by=get_user_model().objects.get(username="journalist"))
    html = journalist.get(change_url(journalists_draft)).content.decode()
    assert 'name="standfirst"' not in html


# --- 7. Share links --------------------------------------------------------------


def test_withdrawing_a_story_kills_its_share_link_for_good(demo, journalists_draft):
    from articles import previews

    editor_user = get_user_model().objects.get(username="editor")
    link = previews.share(journalists_draft, by=editor_user)
    url = previews.share_url(link).removeprefix("http://127.0.0.1:8000")
    reader = Client()
    assert reader.get(url).status_code == 200
    journalists_draft.publish(by=editor_user)
    journalists_draft.withdraw(by=editor_user, reason="Legal")
    journalists_draft.redraft(by=editor_user)
    assert reader.get(url).status_code == 404


def test_a_story_bylined_to_a_journalist_is_editable_by_them_as_a_draft(demo):
    """The second journalist of the role grid: co-bylined drafts are theirs too."""
    colleague = make_journalist()
    story = make_article("Co-written draft", status=Status.DRAFT, authors=[make_author(colleague)])
    client = Client()
    client.force_login(colleague)
    assert save(client, story, standfirst="Ours.").status_code == 302
    assert Person.objects.filter(user=colleague).exists()


# --- 6. Deleting a story -----------------------------------------------------------


def test_an_editor_cannot_delete_a_published_story_and_is_told_to_withdraw_it(editor, main_story):
    url = reverse("admin:articles_article_delete", args=[main_story.pk])
    response = editor.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "withdraw it instead" in response.content.decode()
    assert Article.objects.filter(pk=main_story.pk).exists()


def test_the_bulk_delete_action_refuses_published_stories_too(
    editor, main_story, journalists_draft
):
    response = editor.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [main_story.pk, journalists_draft.pk],
            "post": "yes",
        },
    )
    assert "withdraw it instead" in response.content.decode()
    assert Article.objects.filter(pk__in=[main_story.pk, journalists_draft.pk]).count() == 2


def test_a_story_withdrawn_and_returned_to_draft_still_cannot_be_deleted(demo, main_story):
    editor_user = get_user_model().objects.get(username="editor")
    main_story.withdraw(by=editor_user, reason="Legal request")
    main_story.redraft(by=editor_user)
    with pytest.raises(editing.workflow.TransitionNotAllowed):
        editing.delete_story(main_story, by=editor_user)
    assert Article.objects.filter(pk=main_story.pk).exists()


def test_deleting_a_never_published_draft_keeps_a_record_of_who_deleted_what(
    editor, journalists_draft
):
    headline = journalists_draft.headline
    url = reverse("admin:articles_article_delete", args=[journalists_draft.pk])
    assert editor.post(url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=journalists_draft.pk).exists()
    record = DeletedStory.objects.get()
    assert (record.story_id, record.headline, record.deleted_by.username) == (
        journalists_draft.pk,
        headline,
        "editor",
    )
    assert record.snapshot["headline"] == headline
    listing = editor.get(reverse("admin:articles_deletedstory_changelist")).content.decode()
    assert headline in listing


def test_journalists_do_not_see_the_record_of_deleted_stories(journalist):
    url = reverse("admin:articles_deletedstory_changelist")
    assert journalist.get(url).status_code == 403
