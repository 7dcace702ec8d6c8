"""Who may do what: every role × every transition, in code and through crafted POSTs."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import PreviewLink, Status
from articles.workflow import TransitionNotAllowed
from tests.articles.workflow_stories import row, story_in
from tests.factories import make_author, make_editor, make_journalist, make_superuser, make_user

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "author", "other_journalist", "editor", "superuser"]
# transition: (state it starts from, arguments, roles allowed)
MATRIX = {
    "submit": ("draft", {}, {"author", "editor", "superuser"}),
    "send_back": ("in-review", {"note": "Check the figures"}, {"editor", "superuser"}),
    "publish": ("in-review", {}, {"editor", "superuser"}),
    "schedule": ("in-review", {"at": "future"}, {"editor", "superuser"}),
    "unschedule": ("scheduled", {}, {"editor", "superuser"}),
    "withdraw": ("published", {"reason": "Legal advice"}, {"editor", "superuser"}),
    "redraft": ("withdrawn", {}, {"editor", "superuser"}),
    "add_correction": ("published", {"text": "A date was wrong."}, {"editor", "superuser"}),
    "mark_updated": ("published", {}, {"editor", "superuser"}),
}


def user_for(role):
    return {
        "anonymous": lambda: AnonymousUser(),
        "reader": lambda: make_user(),
        "author": lambda: make_journalist(),
        "other_journalist": lambda: make_journalist(),
        "editor": lambda: make_editor(),
        "superuser": lambda: make_superuser(),
    }[role]()


def setup(role, transition):
    state, kwargs, allowed = MATRIX[transition]
    user = user_for(role)
    author = user if role == "author" else make_journalist()
    story = story_in(state, authors=[make_author(author)], created_by=author)
    kwargs = dict(kwargs)
    if kwargs.get("at") == "future":
        kwargs["at"] = timezone.now() + timedelta(days=1)
    name = "publish" if transition == "schedule" else transition
    return user, story, name, kwargs, role in allowed


@pytest.mark.parametrize("transition", MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_in_code(role, transition):
    user, story, name, kwargs, allowed = setup(role, transition)
    before = row(story)
    assert (name in workflow.allowed_transitions(user, story)) == allowed
    if allowed:
        getattr(workflow, name)(story, by=user, **kwargs)
        assert story.events.count() == 1
    else:
        with pytest.raises(TransitionNotAllowed):
            getattr(workflow, name)(story, by=user, **kwargs)
        assert row(story) == before


def post_data(kwargs):
    data = dict(kwargs)
    if "at" in data:
        data["at"] = timezone.localtime(data["at"]).strftime("%Y-%m-%dT%H:%M")
    return data


@pytest.mark.parametrize("transition", MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_through_crafted_posts(role, transition):
    user, story, name, kwargs, allowed = setup(role, transition)
    client = Client()
    if role != "anonymous":
        client.force_login(user)
    before = row(story)
    url = reverse("admin:articles_article_transition", args=[story.pk, name])
    response = client.post(url, post_data(kwargs))
    if allowed:
        assert response.status_code == 302
        assert story.events.count() == 1
    else:
        # Not logged in or not staff: the admin login; staff who may not: 403 or 404.
        assert response.status_code in (302, 403, 404)
        if response.status_code == 302:
            assert "/login/" in response["Location"]
        assert row(story) == before


def test_a_journalist_who_may_not_see_the_story_gets_404_from_the_transition_url():
    story = story_in("in-review")
    client = Client()
    client.force_login(make_journalist())
    url = reverse("admin:articles_article_transition", args=[story.pk, "publish"])
    assert client.post(url).status_code == 404


def test_an_author_pressing_publish_on_their_own_story_gets_403():
    author = make_journalist()
    story = story_in("in-review", authors=[make_author(author)])
    client = Client()
    client.force_login(author)
    before = row(story)
    url = reverse("admin:articles_article_transition", args=[story.pk, "publish"])
    assert client.post(url).status_code == 403
    assert row(story) == before


def test_transition_endpoints_refuse_get():
    editor = make_editor()
    story = story_in("in-review")
    client = Client()
    client.force_login(editor)
    before = row(story)
    for name in workflow.TRANSITIONS:
        url = reverse("admin:articles_article_transition", args=[story.pk, name])
        assert client.get(url).status_code == 405
    assert row(story) == before


def test_transition_endpoints_refuse_posts_without_a_csrf_token():
    story = story_in("in-review")
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_editor())
    before = row(story)
    url = reverse("admin:articles_article_transition", args=[story.pk, "publish"])
    assert client.post(url).status_code == 403
    assert row(story) == before


def test_restore_and_share_endpoints_refuse_get_and_missing_csrf():
    editor = make_editor()
    story = story_in("draft")
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    share = reverse("admin:articles_article_share", args=[story.pk])
    assert client.get(share).status_code == 405
    assert client.post(share).status_code == 403
    assert not PreviewLink.objects.filter(article=story).exists()


def test_an_unknown_transition_name_is_404():
    client = Client()
    client.force_login(make_editor())
    story = story_in("draft")
    url = reverse("admin:articles_article_transition", args=[story.pk, "delete"])
    assert client.post(url).status_code == 404


# --- The story form ----------------------------------------------------------------


def change_form_data(story, **overrides):
    data = {
        "headline": story.headline,
        "slug": story.slug,
        "standfirst": story.standfirst,
        "body": story.body,
        "section": story.section_id,
        "type_of_work": story.type_of_work,
        "credit": "",
        "language": "en",
        "tags": "",
        "base_version": story.version,
        "bylines-TOTAL_FORMS": 0,
        "bylines-INITIAL_FORMS": 0,
        "corrections-TOTAL_FORMS": 0,
        "corrections-INITIAL_FORMS": 0,
    }
    for i, byline in enumerate(story.bylines.all()):
        data.update(
            {
                f"bylines-{i}-id": byline.pk,
                f"bylines-{i}-article": story.pk,
                f"bylines-{i}-person": byline.person_id,
                f"bylines-{i}-order": byline.order,
            }
        )
        data["bylines-TOTAL_FORMS"] = data["bylines-INITIAL_FORMS"] = i + 1
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "crafted",
    [
        {"status": Status.PUBLISHED},
        {"published_at_0": "2020-01-01", "published_at_1": "10:00"},
        {"published_at": "2020-01-01 10:00"},
    ],
)
def test_a_crafted_form_post_that_sets_status_or_publication_time_is_refused(crafted):
    editor = make_editor()
    story = story_in("in-review")
    client = Client()
    client.force_login(editor)
    before = row(story)
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = change_form_data(story, headline="Changed", **crafted)
    if "published_at_0" in crafted:
        data["published_at"] = "x"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "only through the workflow buttons" in response.content.decode()
    assert row(story) == before
    assert story.headline != "Changed"


def test_an_author_edits_their_own_draft():
    author = make_journalist()
    story = story_in("draft", authors=[make_author(author)])
    client = Client()
    client.force_login(author)
    url = reverse("admin:articles_article_change", args=[story.pk])
    response = client.post(url, change_form_data(story, headline="Sharper headline"))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Sharper headline"


@pytest.mark.parametrize("state", ["in-review", "scheduled", "published", "withdrawn"])
def test_an_author_cannot_edit_their_story_once_it_left_draft(state):
    author = make_journalist()
    story = story_in(state, authors=[make_author(author)])
    client = Client()
    client.force_login(author)
    before = (row(story), story.headline)
    url = reverse("admin:articles_article_change", args=[story.pk])
    response = client.post(url, change_form_data(story, headline="Sneaky"))
    # Refused with their text shown back (see test_conflicts.py), never saved.
    assert response.status_code == 200
    assert "only an editor can change it" in response.content.decode()
    story.refresh_from_db()
    assert (row(story), story.headline, story.revisions.count()) == (*before, 0)
    # They can still read it.
    assert client.get(url).status_code == 200


def test_a_journalist_cannot_open_or_edit_someone_elses_draft():
    story = story_in("draft", authors=[make_author(make_journalist())])
    client = Client()
    client.force_login(make_journalist())
    url = reverse("admin:articles_article_change", args=[story.pk])
    assert client.get(url).status_code == 302  # the admin's "doesn't exist" redirect
    response = client.post(url, change_form_data(story, headline="Sneaky"))
    story.refresh_from_db()
    assert story.headline != "Sneaky"
    assert response.status_code in (302, 403)


def test_a_co_bylined_journalist_may_edit_the_draft():
    first, second = make_journalist(), make_journalist()
    story = story_in("draft", authors=[make_author(first), make_author(second)])
    assert workflow.can_edit(second, story)


def test_the_change_list_shows_a_journalist_only_their_own_stories():
    author = make_journalist()
    mine = story_in("draft", headline="Mine", authors=[make_author(author)])
    story_in("draft", headline="Someone else's draft")
    client = Client()
    client.force_login(author)
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert mine.headline in html
    assert "Someone else&#x27;s draft" not in html and "Someone else's draft" not in html


def test_journalists_cannot_delete_stories():
    author = make_journalist()
    story = story_in("draft", authors=[make_author(author)])
    client = Client()
    client.force_login(author)
    url = reverse("admin:articles_article_delete", args=[story.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert story.__class__.objects.filter(pk=story.pk).exists()


def test_a_journalist_may_start_a_story():
    journalist = make_journalist()
    client = Client()
    client.force_login(journalist)
    assert client.get(reverse("admin:articles_article_add")).status_code == 200


def test_the_publish_now_action_is_only_offered_to_editors():
    author = make_journalist()
    story = story_in("draft", authors=[make_author(author)])
    client = Client()
    client.force_login(author)
    url = reverse("admin:articles_article_changelist")
    assert "publish_now" not in client.get(url).content.decode()
    before = row(story)
    client.post(url, {"action": "publish_now", "_selected_action": [story.pk]})
    assert row(story) == before


def test_the_publish_now_action_goes_through_the_workflow():
    story = story_in("in-review")
    client = Client()
    client.force_login(make_editor())
    url = reverse("admin:articles_article_changelist")
    client.post(url, {"action": "publish_now", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.is_published()
    assert story.events.get().action == "publish"


# --- The roles the data migration creates -----------------------------------------------

WORKFLOW_PERMISSIONS = [
    "articles.publish_article",
    "articles.withdraw_article",
    "articles.correct_article",
    "articles.edit_any_article",
    "articles.embargo_article",
]


def test_editors_hold_every_workflow_permission_and_the_knowledge_base():
    editor = make_editor()
    assert all(editor.has_perm(p) for p in WORKFLOW_PERMISSIONS)
    assert editor.has_perm("people.change_person") and editor.has_perm("taggit.change_tag")
    assert not editor.has_perm("auth.change_user")


def test_journalists_write_stories_but_hold_no_workflow_permission():
    journalist = make_journalist()
    assert journalist.has_perm("articles.add_article")
    assert not any(journalist.has_perm(p) for p in WORKFLOW_PERMISSIONS)
    assert not journalist.has_perm("articles.delete_article")
    assert not journalist.has_perm("people.change_person")


def test_the_demo_accounts_use_the_migrations_groups(settings):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("load_demo", stdout=__import__("io").StringIO())
    users = get_user_model().objects
    assert users.get(username="editor").has_perm("articles.publish_article")
    journalist = users.get(username="journalist")
    assert journalist.has_perm("articles.add_article")
    assert not journalist.has_perm("articles.publish_article")


def test_only_editors_choose_the_front_page(client, journalist, editor):
    from django.contrib import admin as django_admin
    from django.test import RequestFactory

    from articles.models import Article

    model_admin = django_admin.site._registry[Article]
    request = RequestFactory().get("/")
    request.user = journalist
    assert "home_position" in model_admin.get_readonly_fields(request)
    request.user = editor
    assert "home_position" not in model_admin.get_readonly_fields(request)
