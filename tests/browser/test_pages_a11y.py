"""Every public page type of the demo newsroom, at phone and desktop widths, through axe-core.

axe-core comes inside the axe-playwright-python wheel (pyproject's test extra):
nothing is fetched from a CDN. Screenshots land in var/screenshots/ (git-ignored).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.demo_pages import PUBLIC_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": 375, "desktop": 1280}
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_demo_page_has_no_serious_accessibility_violations(
    live_server, demo_newsroom, browser, axe, screenshot, name, width
):
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900})
    page = context.new_page()
    try:
        response = page.goto(live_server.url + PUBLIC_PAGES[name])
        assert response.status == 200
        screenshot(page, f"{name}-{width}")
        violations = axe.run(page).response["violations"]
    finally:
        context.close()
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert blocking == []


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_demo_page_does_not_scroll_sideways_on_a_320px_phone(
    live_server, demo_newsroom, browser, name
):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        page.goto(live_server.url + PUBLIC_PAGES[name])
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    finally:
        context.close()
    assert overflow <= 0
