"""Edit-conflict protection: a save from a stale version is refused and loses nothing."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles import workflow
from articles.models import Article, ArticleEvent
from articles.workflow import TransitionNotAllowed
from tests.articles.test_permissions import change_form_data
from tests.articles.workflow_stories import story_in
from tests.factories import make_editor, make_user

needs_row_locks = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="SQLite has no row locks and lets one writer at a time: "
    "concurrent saves need PostgreSQL (set DATABASE_URL)",
)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_second_of_two_saves_from_the_same_version_is_refused_and_keeps_its_text():
    first = make_editor(first_name="Helen", last_name="Ashcombe")
    second = make_editor()
    story = story_in("draft", headline="Original headline")
    url = reverse("admin:articles_article_change", args=[story.pk])
    opened_at = change_form_data(story)  # both open the form at the same version

    response = logged_in(first).post(url, {**opened_at, "headline": "First editor's headline"})
    assert response.status_code == 302
    response = logged_in(second).post(
        url, {**opened_at, "headline": "Second editor's headline", "standfirst": "Typed with care."}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Helen Ashcombe saved this story at" in html
    assert reverse("admin:articles_article_revision", args=[story.pk, 2]) in html
    assert 'value="Second editor&#x27;s headline"' in html
    assert "Typed with care." in html
    story.refresh_from_db()
    assert (story.headline, story.version) == ("First editor's headline", 2)
    assert story.revisions.count() == 1


@pytest.mark.django_db
def test_after_a_conflict_saving_again_deliberately_replaces_the_other_version():
    story = story_in("draft")
    url = reverse("admin:articles_article_change", args=[story.pk])
    opened_at = change_form_data(story)
    logged_in(make_editor()).post(url, {**opened_at, "headline": "Theirs"})
    second = logged_in(make_editor())
    refused = second.post(url, {**opened_at, "headline": "Mine"})
    form = refused.context["adminform"].form
    resubmitted = {**opened_at, "headline": "Mine", "base_version": form["base_version"].value()}
    assert second.post(url, resubmitted).status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.version) == ("Mine", 3)


@pytest.mark.django_db
def test_a_save_from_before_a_restore_is_refused():
    editor = make_editor()
    story = story_in("draft")
    client = logged_in(editor)
    url = reverse("admin:articles_article_change", args=[story.pk])
    client.post(url, {**change_form_data(story), "headline": "Version two"})
    story.refresh_from_db()
    client.post(url, {**change_form_data(story), "headline": "Version three"})
    story.refresh_from_db()
    opened_at = change_form_data(story)
    from articles import editing

    editing.restore(story.revisions.get(version=2), by=make_editor())
    response = client.post(url, {**opened_at, "headline": "Stale"})
    assert response.status_code == 200
    story.refresh_from_db()
    assert story.headline == "Version two"


def _run_together(count, work):
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@needs_row_locks
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("newsroom_roles")
def test_twenty_simultaneous_saves_from_one_version_let_exactly_one_through():
    editors = [make_editor() for _ in range(20)]
    story = story_in("draft", headline="Base")
    url = reverse("admin:articles_article_change", args=[story.pk])
    opened_at = change_form_data(story)
    clients = [logged_in(editor) for editor in editors]

    def save(i):
        response = clients[i].post(
            url,
            {
                **opened_at,
                "headline": f"Headline {i}",
                "standfirst": f"Standfirst {i}",
                "credit": f"Credit {i}",
                "tags": f"topic-{i}",
            },
        )
        return response.status_code

    codes = _run_together(20, save)

    assert sorted(codes) == [200] * 19 + [302]
    story.refresh_from_db()
    winner = int(story.headline.split()[-1])
    assert story.standfirst == f"Standfirst {winner}"
    assert story.credit == f"Credit {winner}"
    assert list(story.tags.names()) == [f"topic-{winner}"]
    assert story.version == 2
    assert story.revisions.get().created_by == editors[winner]


@needs_row_locks
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("newsroom_roles")
def test_two_editors_pressing_publish_at_once_leave_one_event():
    editors = [make_editor() for _ in range(5)]
    story = story_in("in-review")

    def publish(i):
        try:
            workflow.publish(Article.objects.get(pk=story.pk), by=editors[i])
        except TransitionNotAllowed:
            return "refused"
        return "published"

    results = _run_together(5, publish)
    assert sorted(results) == ["published"] + ["refused"] * 4
    assert ArticleEvent.objects.filter(article=story).count() == 1


@pytest.mark.django_db
def test_a_transition_after_another_on_the_same_story_is_refused_not_doubled():
    first, second = make_editor(), make_editor()
    story = story_in("in-review")
    stale = Article.objects.get(pk=story.pk)
    story.publish(by=first)
    with pytest.raises(TransitionNotAllowed, match="published"):
        stale.publish(by=second)
    assert story.events.count() == 1


def test_plain_users_are_never_editors(db):
    assert not workflow.is_editor(make_user())
