"""Everyday editing on the demo newsroom, clicked through the real admin in Chromium.

Every published demo story is edited and saved by the demo editor, corrected,
withdrawn, brought back and rolled back to an earlier revision; the demo
journalist revises their draft and submits it. Each step goes through the
buttons and forms a person would use, and checks what they would see.
"""

import logging
import re
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from articles import workflow
from articles.demo import entities, stories
from articles.models import Article, ArticleEvent, Status
from articles.sanitize import plain_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_newsroom"),
]

# Typed, not pasted: quotes, dashes, accents, an ampersand and angle brackets are
# where a save, a JSON snapshot or an escaping template would lose characters.
STANDFIRST_ADDITION = " Updated: “Rabat & Algiers” <2030> — café, naïve, 10 000 troops."
SECOND_THOUGHT = " A second thought, soon rolled back."
CORRECTION = "An earlier version said the roadmap runs to 2031; it runs to 2030."
WITHDRAWAL_REASON = "Legal wants the quotes checked again before it goes back up."
DRAFT_ADDITION = "Will Tunisia’s forces take part, & where?"


@pytest.fixture
def log_in(browser, live_server):
    """Log a demo account in, in its own browser; returns the dashboard page."""
    contexts = []

    def log_in(username):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", entities.DEMO_PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#newsroom-dashboard")
        return page

    yield log_in
    for context in contexts:
        context.close()


@contextmanager
def screenshots_on_failure(screenshot, name, **pages):
    try:
        yield
    except BaseException:
        for role, page in pages.items():
            if not page.is_closed() and page.url != "about:blank":
                screenshot(page, f"{name}-{role}")
        raise


def server_error(caplog):
    """The last exception the live server logged, as one line ("" if none)."""
    errors = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    if not errors:
        return ""
    exc = errors[-1].exc_info[1]
    return f"{type(exc).__name__}: {exc}"


def press(page, button, caplog):
    """Click a button that posts a form; a server error fails with its exception."""
    label = button.get_attribute("value") or button.inner_text()
    # The form's own POST, not an autosave of the working copy sent meanwhile.
    with page.expect_response(
        lambda r: r.request.method == "POST" and "/autosave/" not in r.url
    ) as posted:
        button.click()
    page.wait_for_load_state()
    status = posted.value.status
    assert status < 400, (
        f"“{label}” answered {status} at {posted.value.url}: "
        f"{server_error(caplog) or page.inner_text('body')[:300]}"
    )


def success_message(page):
    return page.locator(".messagelist .success").inner_text()


def open_from_story_list(page, live_server, headline):
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.locator("#result_list").get_by_role("link", name=headline, exact=True).click()
    page.wait_for_selector("#workflow")


def wait_for_state(page, state):
    page.wait_for_selector(f'.story-state[data-state="{state}"]')


def type_at_end_of(page, field, text):
    field.click()
    field.press("Control+End")
    field.press_sequentially(text)
    expect(field).to_have_value(re.compile(re.escape(text.strip())))


def public_address(slug):
    return Article.objects.get(slug=slug).get_absolute_url()


def test_every_published_demo_story_is_in_the_editing_journey():
    published = set(Article.objects.published().values_list("slug", flat=True))
    assert published == {story["slug"] for story in stories.STORIES}


@pytest.mark.parametrize("slug", [story["slug"] for story in stories.STORIES])
def test_the_editor_edits_corrects_withdraws_restores_and_rolls_back_a_demo_story(
    slug, browser, live_server, log_in, page, screenshot, caplog
):
    caplog.set_level(logging.ERROR, logger="django.request")
    story = Article.objects.get(slug=slug)
    headline, first_address = story.headline, story.get_absolute_url()
    edited = story.standfirst + STANDFIRST_ADDITION
    corrections = [*story.corrections.values_list("text", flat=True), CORRECTION]
    desk = log_in("editor")

    with screenshots_on_failure(screenshot, f"demo-editing-{slug}", desk=desk, reader=page):
        # The editor opens the story from the list, adds to the standfirst and saves.
        open_from_story_list(desk, live_server, headline)
        type_at_end_of(desk, desk.locator("#id_standfirst"), STANDFIRST_ADDITION)
        press(desk, desk.locator("input[name=_save]").last, caplog)
        assert "was changed successfully" in success_message(desk)

        page.goto(live_server.url + first_address)
        assert page.locator(".story__standfirst").inner_text() == edited

        # A correction from the workflow panel appears under the story.
        open_from_story_list(desk, live_server, headline)
        desk.select_option("#correction-kind", label="Correction")
        desk.fill("#correction-text", CORRECTION)
        press(desk, desk.get_by_role("button", name="Add to story"), caplog)
        assert "correction added" in success_message(desk)

        page.reload()
        assert CORRECTION in page.locator(".story__corrections").inner_text()

        # Withdrawn with a reason: readers get 410 Gone and a notice.
        desk.fill("#withdraw-reason", WITHDRAWAL_REASON)
        press(desk, desk.get_by_role("button", name="Withdraw", exact=True), caplog)
        wait_for_state(desk, "withdrawn")
        assert WITHDRAWAL_REASON in desk.locator(".workflow-events").inner_text()

        gone = page.goto(live_server.url + first_address)
        assert gone.status == 410
        assert page.get_by_role("heading", level=1).inner_text() == "This story has been withdrawn"
        assert WITHDRAWAL_REASON in page.locator(".notice").inner_text()

        # Back to draft, then published again: readers' old links lead to it.
        press(desk, desk.get_by_role("button", name="Return to draft").first, caplog)
        wait_for_state(desk, "draft")
        press(desk, desk.get_by_role("button", name="Publish now").first, caplog)
        wait_for_state(desk, "published")

        back = page.goto(live_server.url + first_address)
        assert back.status == 200
        assert page.get_by_role("heading", level=1).inner_text() == headline
        assert page.locator(".story__standfirst").inner_text() == edited
        assert CORRECTION in page.locator(".story__corrections").inner_text()

        # A second thought, saved, then rolled back from the story's history.
        type_at_end_of(desk, desk.locator("#id_standfirst"), SECOND_THOUGHT)
        press(desk, desk.locator("input[name=_continue]").last, caplog)
        assert "was changed successfully" in success_message(desk)
        previous = Article.objects.get(slug=slug).version - 1
        desk.get_by_role("link", name="History and revisions").click()
        desk.locator("#content-main").get_by_role(
            "link", name=f"Version {previous}", exact=True
        ).click()
        change = desk.locator(".diff", has=desk.get_by_role("heading", name="Standfirst"))
        assert change.locator("ins").inner_text() == SECOND_THOUGHT.strip()
        press(desk, desk.get_by_role("button", name=f"Restore version {previous}"), caplog)
        assert f"Version {previous} restored" in success_message(desk)
        assert desk.locator("#id_standfirst").input_value() == edited

        page.goto(live_server.url + public_address(slug))
        assert page.locator(".story__standfirst").inner_text() == edited

    story.refresh_from_db()
    assert story.standfirst == edited
    assert story.is_published()
    assert list(story.corrections.values_list("text", flat=True)) == corrections
    withdrawal = story.events.get(action=ArticleEvent.Action.WITHDRAW)
    assert withdrawal.note == WITHDRAWAL_REASON
    assert story.revisions.first().snapshot["standfirst"] == edited


def test_a_reader_who_found_a_story_withdrawn_sees_it_once_it_is_back(live_server, page):
    editor = get_user_model().objects.get(username="editor")
    story = Article.objects.get(slug=stories.MAIN_STORY)
    address = live_server.url + story.get_absolute_url()
    workflow.withdraw(story, by=editor, reason=WITHDRAWAL_REASON)
    assert page.goto(address).status == 410

    workflow.redraft(story, by=editor)
    workflow.publish(story, by=editor)
    assert page.goto(address).status == 200


def test_the_journalist_revises_their_demo_draft_and_submits_it(
    live_server, log_in, screenshot, caplog
):
    caplog.set_level(logging.ERROR, logger="django.request")
    journalist = get_user_model().objects.get(username="journalist")
    draft = Article.objects.get(slug=stories.DRAFT_STORY["slug"])
    assert draft.status == Status.DRAFT and draft.created_by == journalist
    writer = log_in("journalist")

    with screenshots_on_failure(screenshot, "demo-editing-draft", writer=writer):
        open_from_story_list(writer, live_server, draft.headline)
        body = writer.locator(".ProseMirror[contenteditable=true]")
        body.click()
        body.press("Control+End")
        body.press("Enter")  # a new item at the end of the list of questions
        body.press_sequentially(DRAFT_ADDITION)
        expect(body).to_contain_text(DRAFT_ADDITION)
        press(writer, writer.locator("input[name=_continue]").last, caplog)
        assert "was changed successfully" in success_message(writer)
        assert DRAFT_ADDITION in body.inner_text()

        press(writer, writer.get_by_role("button", name="Submit for review").first, caplog)
        wait_for_state(writer, "in-review")
        assert "submitted for review" in success_message(writer)

    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert DRAFT_ADDITION in plain_text(draft.body)
    assert "Will the exercise use the same areas of southern Morocco" in plain_text(draft.body)
