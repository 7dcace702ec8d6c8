"""The Content-Security-Policy holds on every page a reader or the demo staff open.

Chromium enforces the policy each page is sent; an init script reports every
`securitypolicyviolation` event back to the test, and console messages naming
the policy are kept too, so a blocked script, style, picture or import map
anywhere on a page (or in the image picker's popup) fails the test with what was
refused. Public pages are opened twice with the page cache on: the second copy,
served from the cache, must carry the same headers and no nonce.
"""

import pytest
from playwright.sync_api import expect

from articles.demo import entities
from articles.images.models import Image
from articles.models import Article
from people.models import Organisation, Person
from tests.browser.picker import choose
from tests.demo_pages import PUBLIC_PAGES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.browser.urls_with_media"),
    pytest.mark.usefixtures("demo_newsroom"),
]


REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation({
    page: document.location.pathname,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    sample: event.sample,
    source: `${event.sourceFile}:${event.lineNumber}`,
  });
});
"""


class Watch:
    """Everything a browser context refused because of the policy."""

    def __init__(self, context):
        self.violations = []
        context.expose_function("reportCspViolation", self.on_violation)
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("page", self.listen)

    def on_violation(self, report):
        self.violations.append(report)

    def listen(self, page):
        page.on("console", self.on_console)

    def on_console(self, message):
        if "Content Security Policy" in message.text:
            self.violations.append({"console": message.text})


@pytest.fixture
def open_context(browser):
    contexts = []

    def open_context():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        watch = Watch(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        # A first visit makes the pictures' renditions, slow on a busy machine.
        page.set_default_navigation_timeout(60_000)
        contexts.append(context)
        return page, watch

    yield open_context
    for context in contexts:
        context.close()


def visit(page, url):
    """Open `url` and wait until its scripts have run; the response, which must be
    a page sent with the policy."""
    response = page.goto(url)
    page.wait_for_load_state("networkidle", timeout=60_000)
    assert response.status == 200, url
    assert "default-src 'self'" in response.headers["content-security-policy"], url
    return response


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", entities.DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#newsroom-dashboard")


def test_public_pages_and_their_cached_copies_keep_the_policy_without_a_nonce(
    live_server, open_context, settings
):
    settings.NEWSROOM_PAGE_CACHE = True
    page, watch = open_context()
    for name, path in PUBLIC_PAGES.items():
        # The first visit may make a picture's renditions, which purges the page:
        # the third is served from the cache.
        for visit_number in (1, 2, 3):
            response = visit(page, live_server.url + path)
            policy = response.headers["content-security-policy"]
            assert "nonce-" not in policy, (name, visit_number)
            assert "nonce=" not in page.content(), (name, visit_number)
            assert response.headers["permissions-policy"].startswith("accelerometer=()")
        assert response.headers["x-page-cache"] == "hit", name
    assert watch.violations == []


def test_the_editors_admin_pages_run_under_the_policy(live_server, open_context, screenshot):
    page, watch = open_context()
    sign_in(page, live_server, "editor")
    story = Article.objects.published().order_by("pk").first()
    person = Person.objects.order_by("pk").first()
    organisation = Organisation.objects.order_by("pk").first()
    picture = Image.objects.order_by("pk").first()
    admin = f"{live_server.url}/admin"

    visit(page, f"{admin}/")
    visit(page, f"{admin}/articles/article/")
    visit(page, f"{admin}/people/person/{person.pk}/change/")
    visit(page, f"{admin}/people/organisation/{organisation.pk}/change/")
    visit(page, f"{admin}/images/image/")
    visit(page, f"{admin}/images/image/picker/?CKEditorFuncNum=1")

    # The focal-point picker: a click on the picture moves the marker.
    visit(page, f"{admin}/images/image/{picture.pk}/change/")
    image = page.locator(".focal-point__image")
    box = image.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.6)
    assert abs(float(page.input_value("#id_focal_x")) - 0.3) < 0.02

    # The story editor: type in the body, make a word bold, insert a picture
    # from the library through the picker's popup, save.
    visit(page, f"{admin}/articles/article/{story.pk}/change/")
    body = page.locator(".tiptap.ProseMirror")
    body.click()
    body.press("Control+End")
    body.press_sequentially(" Typed under the policy.")
    expect(body).to_contain_text("Typed under the policy.")
    page.locator(
        ".prose-menubar__button[title='figure'], .prose-menubar__button:has-text('image')"
    ).first.click()
    dialog = page.locator("dialog[open]")
    with page.expect_popup() as opened:
        dialog.get_by_text("Browse...").click()
    picker = opened.value
    picker.wait_for_load_state("networkidle")
    choose(picker, picker.locator(".image-picker__choice").first)
    dialog.locator("button[type=submit], button:has-text('Insert')").first.click()
    page.locator(".tiptap img[data-file]").first.wait_for()
    # An autocomplete (select2) list of people, as when adding one to the story.
    page.locator(".field-people .select2-selection").click()
    page.locator(".field-people .select2-search__field").press_sequentially("Es")
    page.locator(".select2-results__option").first.wait_for()
    page.keyboard.press("Escape")
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()
    screenshot(page, "csp-story-editor")
    story.refresh_from_db()
    assert "Typed under the policy" in story.body

    # The story's history and one of its revisions, with the differences marked.
    page.locator(".workflow-revisions a").first.click()
    page.wait_for_load_state("networkidle")
    page.go_back()
    page.get_by_role("link", name="History and revisions").click()
    page.wait_for_load_state("networkidle")
    page.go_back()

    with page.expect_popup() as opened:
        page.get_by_role("link", name="Preview").click()
    preview = opened.value
    preview.wait_for_load_state("networkidle")
    preview.locator(".preview-banner").wait_for()
    assert watch.violations == []


def test_the_journalists_new_story_runs_under_the_policy(live_server, open_context):
    page, watch = open_context()
    sign_in(page, live_server, "journalist")
    response = visit(page, f"{live_server.url}/admin/articles/article/add/")
    # The rich-text editor's import map is inline: it runs with this page's nonce.
    assert "'nonce-" in response.headers["content-security-policy"]
    body = page.locator(".tiptap.ProseMirror")
    body.click()
    body.press_sequentially("A first paragraph, typed under the policy.")
    assert "typed under the policy" in body.inner_text()
    visit(page, f"{live_server.url}/admin/")
    assert watch.violations == []
