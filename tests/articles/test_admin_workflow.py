"""The workflow in the admin: state shown, the right buttons, the newsroom dashboard."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.articles.workflow_stories import story_in
from tests.factories import make_author, make_editor, make_journalist
from tests.forms import opened_form

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_page(user, story):
    return (
        logged_in(user)
        .get(reverse("admin:articles_article_change", args=[story.pk]))
        .content.decode()
    )


def buttons(html):
    return {
        name
        for name in [
            "submit",
            "send_back",
            "publish",
            "unschedule",
            "withdraw",
            "redraft",
            "add_correction",
        ]
        if f"/workflow/{name}/" in html
    }


def test_the_story_form_shows_the_state_and_only_the_authors_button():
    author = make_journalist()
    story = story_in("draft", authors=[make_author(author)])
    html = change_page(author, story)
    assert 'data-state="draft"' in html
    assert buttons(html) == {"submit"}


def test_an_editor_sees_review_buttons_on_a_story_in_review():
    html = change_page(make_editor(), story_in("in-review"))
    assert 'data-state="in-review"' in html
    assert buttons(html) == {"send_back", "publish"}
    assert "Europe/London" in html  # the schedule control names the newsroom's zone


def test_an_author_sees_no_buttons_once_the_story_is_in_review():
    author = make_journalist()
    story = story_in("in-review", authors=[make_author(author)])
    assert buttons(change_page(author, story)) == set()


def test_an_editor_sees_correct_and_withdraw_on_a_live_story():
    assert buttons(change_page(make_editor(), story_in("published"))) == {
        "withdraw",
        "add_correction",
    }


def test_the_sent_back_note_is_shown_to_the_author():
    author = make_journalist()
    story = story_in("in-review", authors=[make_author(author)])
    story.send_back(by=make_editor(), note="Please add the minister's reply.")
    assert "Please add the minister&#x27;s reply." in change_page(author, story)


def test_the_sent_back_note_stays_while_the_author_revises_and_goes_once_resubmitted():
    author = make_journalist()
    story = story_in("in-review", authors=[make_author(author)])
    story.send_back(by=make_editor(), note="Please add the minister's reply.")
    client = logged_in(author)
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = {**opened_form(client, url), "standfirst": ["The minister replied on Friday."]}
    assert client.post(url, data).status_code == 302
    assert "Please add the minister&#x27;s reply." in change_page(author, story)
    story.submit(by=author)
    assert "sent-back-note" not in change_page(make_editor(), story)


def test_the_change_list_filters_by_state():
    story_in("scheduled", headline="Going out tomorrow")
    story_in("published", headline="Out already")
    url = reverse("admin:articles_article_changelist")
    html = logged_in(make_editor()).get(url, {"state": "scheduled"}).content.decode()
    assert "Going out tomorrow" in html and "Out already" not in html


def test_the_dashboard_shows_the_four_piles_with_counts():
    editor = make_editor()
    story_in("draft", headline="Editor's own draft", authors=[make_author(editor)])
    story_in("in-review", headline="Waiting one")
    story_in("in-review", headline="Waiting two")
    scheduled = story_in("scheduled", headline="Tomorrow's story")
    story_in("published", headline="This morning's story")
    html = logged_in(editor).get(reverse("admin:index")).content.decode()
    assert 'My drafts <span class="count">(1)</span>' in html
    assert 'Awaiting review <span class="count">(2)</span>' in html
    assert 'Scheduled <span class="count">(1)</span>' in html
    assert 'Recently published <span class="count">(1)</span>' in html
    assert timezone.localtime(scheduled.published_at).strftime("%H:%M") in html


def test_a_journalists_dashboard_holds_only_their_own_stories():
    author = make_journalist()
    story_in("in-review", headline="My submitted story", authors=[make_author(author)])
    story_in("in-review", headline="A colleague's story")
    html = logged_in(author).get(reverse("admin:index")).content.decode()
    assert "My submitted story" in html
    assert "colleague" not in html


def test_the_dashboard_does_not_grow_queries_with_the_number_of_stories(
    django_assert_max_num_queries,
):
    editor = make_editor()
    client = logged_in(editor)
    for _ in range(3):
        story_in("in-review")
    url = reverse("admin:index")
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(12):
        story_in("in-review")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_publish_now_on_a_story_it_cannot_publish_reports_the_refusal_not_a_success():
    editor = make_editor()
    story = story_in("withdrawn")
    response = logged_in(editor).post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [story.pk]},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert not any(text.startswith("Published") for text in texts)
    assert any("withdrawn" in text for text in texts)
