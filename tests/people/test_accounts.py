"""Staff accounts that acted in the newsroom are deactivated, never deleted."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from articles.models import ArticleEvent, Revision
from people import accounts
from tests.articles.workflow_stories import story_in
from tests.factories import (
    make_article,
    make_author,
    make_image,
    make_journalist,
    make_person,
    make_user,
)
from tests.people.test_deleting import bulk_delete, delete_page, still_there

pytestmark = pytest.mark.django_db
User = get_user_model()


def started_a_story(user):
    make_article(status="draft", created_by=user)


def has_a_byline(user):
    make_article(status="draft", authors=[make_author(user)])


def moved_a_story(user):
    story = story_in("draft")
    ArticleEvent.objects.create(
        article=story, action="submit", from_state="draft", to_state="in-review", by=user
    )


def saved_a_revision(user):
    Revision.objects.create(article=story_in("draft"), version=1, snapshot={}, created_by=user)


def uploaded_a_picture(user):
    make_image(uploaded_by=user)


def changed_something_in_the_admin(user):
    person = make_person()
    LogEntry.objects.log_actions(user.pk, [person], CHANGE, change_message="Changed name.")


ACTS = {
    "started 1 story": started_a_story,
    "has a byline on 1 story": has_a_byline,
    "appears once in story histories": moved_a_story,
    "saved 1 revision": saved_a_revision,
    "uploaded 1 library picture": uploaded_a_picture,
    "has 1 entry in the admin log": changed_something_in_the_admin,
}


@pytest.mark.parametrize("trace", ACTS)
def test_an_account_that_acted_in_the_newsroom_has_traces(trace):
    user = make_journalist()
    ACTS[trace](user)

    assert accounts.traces(user) == [trace]


def test_an_account_that_never_acted_has_no_traces():
    make_article(status="published", created_by=make_journalist())

    assert accounts.traces(make_journalist()) == []


@pytest.mark.parametrize("trace", ACTS)
def test_the_admin_refuses_to_delete_an_account_that_acted_and_says_why(admin_client, trace):
    user = make_journalist("rowena")
    ACTS[trace](user)

    page = admin_client.get(delete_page(user))
    admin_client.post(delete_page(user), {"post": "yes"})

    html = page.content.decode()
    assert "cannot be deleted" in html
    assert f"rowena: {trace}" in html
    assert "Deactivate instead" in html
    assert still_there(user)
    user.refresh_from_db()
    assert user.is_active


def test_the_admin_deletes_an_account_that_never_acted(admin_client):
    user = make_user("typo")

    page = admin_client.get(delete_page(user))
    response = admin_client.post(delete_page(user), {"post": "yes"})

    assert "Are you sure" in page.content.decode()
    assert response.status_code == 302
    assert not still_there(user)


def test_deleting_selected_accounts_refuses_all_when_one_acted(admin_client):
    acted, mistake = make_journalist("rowena"), make_user("typo")
    started_a_story(acted)

    response = bulk_delete(admin_client, User, [acted, mistake])

    html = response.content.decode()
    assert "Nothing was deleted" in html
    assert "rowena: started 1 story" in html
    assert "typo:" not in html
    assert 'value="deactivate_users"' in html
    assert still_there(acted) and still_there(mistake)


def test_deleting_selected_accounts_that_never_acted_still_works(admin_client):
    mistakes = [make_user("typo"), make_user("typo2")]

    bulk_delete(admin_client, User, mistakes)

    assert not any(still_there(user) for user in mistakes)


def deactivate(client, users):
    return client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate_users", "_selected_action": [u.pk for u in users]},
        follow=True,
    )


def test_deactivating_selected_users_ends_their_sessions_and_logs_it(admin_client, admin_user):
    journalist = make_journalist("rowena")
    their_browser = Client()
    their_browser.force_login(journalist)
    assert their_browser.get(reverse("admin:index")).status_code == 200

    response = deactivate(admin_client, [journalist])

    journalist.refresh_from_db()
    assert not journalist.is_active
    assert "Deactivated rowena" in response.content.decode()
    assert their_browser.get(reverse("admin:index")).status_code == 302
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(User), object_id=str(journalist.pk)
    )
    assert (entry.user, entry.change_message) == (admin_user, "Deactivated.")


def test_an_administrator_cannot_deactivate_their_own_account(admin_client, admin_user):
    response = deactivate(admin_client, [admin_user])

    assert "You cannot deactivate your own account." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_the_refusal_page_deactivates_the_account_with_one_button(admin_client):
    user = make_journalist("rowena")
    started_a_story(user)
    html = admin_client.get(delete_page(user)).content.decode()
    assert f'name="_selected_action" value="{user.pk}"' in html

    deactivate(admin_client, [user])

    user.refresh_from_db()
    assert not user.is_active


def test_the_account_form_says_unticking_active_is_how_to_remove_someone(admin_client):
    user = make_journalist()

    html = admin_client.get(reverse("admin:auth_user_change", args=[user.pk])).content.decode()

    assert "Untick to remove someone from the newsroom" in html


def test_a_deactivated_journalist_keeps_their_author_page_and_bylines(admin_client, client):
    journalist = make_journalist(first_name="Rowena", last_name="Rival")
    author = make_author(journalist)
    story = make_article("Roadmap signed", authors=[author])

    deactivate(admin_client, [journalist])

    journalist.refresh_from_db()
    assert not journalist.is_active
    page = client.get(reverse("people:author", args=[author.slug]))
    assert page.status_code == 200
    assert "Roadmap signed" in page.content.decode()
    assert "Rowena Rival" in client.get(story.get_absolute_url()).content.decode()


def test_an_editor_sees_a_persons_staff_account_but_cannot_change_it(client):
    from django.urls import reverse

    from tests.factories import make_editor, make_journalist, make_person

    person = make_person("Samir Tazi", user=make_journalist("samir"))
    client.force_login(make_editor())
    html = client.get(reverse("admin:people_person_change", args=[person.pk])).content.decode()
    assert "samir" in html
    assert 'name="user"' not in html  # the account picker would answer an editor 403
