"""A story's whole journey, driven through Chromium like the newsroom would."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import make_author, make_editor, make_journalist, make_section

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("newsroom_roles"),
]

HEADLINE = "Rabat hosts the first joint naval exercise"


def log_in(browser, live_server, user):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_selector("#newsroom-dashboard")
    return page


def type_into_body(page, text):
    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    editor.press("Control+End")
    editor.press_sequentially(text)
    expect(editor).to_contain_text(text.strip())


def save_and_continue(page):
    page.click("input[name=_continue]")
    page.wait_for_selector("#workflow")


def test_a_story_goes_from_draft_to_the_home_page(browser, live_server, page, screenshot):
    make_section("Defence")
    journalist = make_journalist(first_name="Samir", last_name="Tazi")
    make_author(journalist)
    editor = make_editor(first_name="Helen", last_name="Ashcombe")

    # The journalist writes and submits.
    writer = log_in(browser, live_server, journalist)
    writer.click("text=Write a story")
    writer.fill("#id_headline", HEADLINE)
    writer.click("[aria-labelledby=select2-id_section-container]")
    writer.fill(".select2-search__field", "Defe")
    writer.click(".select2-results__option >> text=Defence")
    type_into_body(writer, "Moroccan and US ships sailed together off Rabat.")
    save_and_continue(writer)
    writer.click("button:has-text('Submit for review')")
    writer.wait_for_selector('.story-state[data-state="in-review"]')

    # The editor finds it awaiting review and sends it back.
    desk = log_in(browser, live_server, editor)
    pile = desk.locator(".dashboard-pile", has_text="Awaiting review")
    pile.get_by_role("link", name=HEADLINE).click()
    desk.fill("#send-back-note", "Say which ships took part.")
    desk.click("button:has-text('Send back')")
    desk.wait_for_selector('.story-state[data-state="draft"]')

    # The journalist sees the note, revises and resubmits.
    writer.reload()
    assert "Say which ships took part." in writer.locator(".sent-back-note").inner_text()
    type_into_body(writer, " The frigate Mohammed VI led the group.")
    save_and_continue(writer)
    writer.click("button:has-text('Submit for review')")
    writer.wait_for_selector('.story-state[data-state="in-review"]')

    # The editor publishes.
    desk.reload()
    desk.click("button:has-text('Publish now')")
    desk.wait_for_selector('.story-state[data-state="published"]')
    screenshot(desk, "workflow-published")

    # A reader finds it on the home page and opens it.
    page.goto(live_server.url)
    page.get_by_role("link", name=HEADLINE).click()
    assert page.get_by_role("heading", level=1).inner_text() == HEADLINE
    assert "The frigate Mohammed VI led the group." in page.inner_text(".story__body")

    story = Article.objects.get(headline=HEADLINE)
    assert list(story.events.values_list("action", flat=True)) == [
        "create",
        "submit",
        "send-back",
        "edit",
        "submit",
        "publish",
    ]
    assert story.revisions.count() == 2
