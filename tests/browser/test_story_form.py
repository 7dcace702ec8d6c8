"""The story form as a journalist meets it in Chromium, at 1280 px."""

import pytest

from articles.models import Article
from tests.factories import make_author, make_journalist, make_section

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("newsroom_roles"),
]


@pytest.fixture
def writer_at_new_story(live_server, page):
    make_section("Defence")
    journalist = make_journalist("samir", first_name="Samir", last_name="Tazi")
    author = make_author(journalist)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "samir")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_selector("#newsroom-dashboard")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.wait_for_selector(".ProseMirror[contenteditable=true]")
    return page, author


def test_a_new_story_opens_with_the_writers_byline_save_on_screen_and_the_desk_beside_it(
    writer_at_new_story, screenshot
):
    page, author = writer_at_new_story
    assert (
        page.locator("#select2-id_bylines-0-person-container")
        .inner_text()
        .strip()
        .endswith("Samir Tazi")
    )
    save = page.locator("input[name=_save]").first
    assert save.bounding_box()["y"] < 900  # above the fold, no scrolling
    main = page.locator(".story-main").bounding_box()
    side = page.locator(".story-side").bounding_box()
    assert side["x"] >= main["x"] + main["width"]  # a column of its own, to the right
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # no sideways scroll
    screenshot(page, "admin-story-form-new-1280")

    page.fill("#id_headline", "Rabat hosts a naval exercise")
    page.click("[aria-labelledby=select2-id_section-container]")
    page.click(".select2-results__option >> text=Defence")
    save.click()
    page.wait_for_url("**/admin/articles/article/")
    story = Article.objects.get(headline="Rabat hosts a naval exercise")
    assert [byline.person for byline in story.bylines.all()] == [author]


def test_the_body_is_spellchecked_and_its_toolbar_draws_no_missing_glyph(writer_at_new_story):
    page, _ = writer_at_new_story
    assert page.locator(".ProseMirror[contenteditable=true]").get_attribute("spellcheck") == "true"
    # The block-type menu's arrow: django-prose-editor writes U+23F7, which no
    # font Debian or the project ships draws; ours is drawn with borders.
    arrows = page.evaluate(
        """() => [...document.querySelectorAll('.prose-menubar__selected')].map(
            (element) => getComputedStyle(element, '::after').content)"""
    )
    assert arrows and all(content in ('""', "none") for content in arrows), arrows


def test_a_picture_pasted_from_another_site_is_refused_with_a_message_and_the_text_kept(
    writer_at_new_story,
):
    page, _ = writer_at_new_story
    page.fill("#id_headline", "Rabat hosts a naval exercise")
    page.click("[aria-labelledby=select2-id_section-container]")
    page.click(".select2-results__option >> text=Defence")
    body = page.locator(".ProseMirror[contenteditable=true]")
    body.click()
    body.type("Ships from nine navies arrived on Monday.")
    # What a copy from another site's page puts on the clipboard.
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.setData("text/html",
                '<p>The flagship:</p><img src="https://elsewhere.example/ship.jpg">');
            const editor = document.querySelector(".ProseMirror[contenteditable=true]");
            editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
        }"""
    )
    page.locator("input[name=_save]").first.click()
    page.wait_for_selector(".errornote")
    errors = page.locator(".errorlist").all_inner_texts()
    assert any("elsewhere.example/ship.jpg" in error for error in errors), errors
    assert "Ships from nine navies arrived on Monday." in body.inner_text()
    assert not Article.objects.filter(headline="Rabat hosts a naval exercise").exists()
