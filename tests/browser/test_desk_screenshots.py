"""The admin screens a journalist and an editor use every day, at phone and desk
widths, saved as screenshots under var/screenshots/ (git-ignored) for a reviewer."""

import pytest

from articles.demo import entities
from articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": 375, "desktop": 1280}


def desk_screens(story):
    """Each screen's address and something only that screen shows."""
    return {
        "dashboard": ("/admin/", "#newsroom-dashboard"),
        "story-list": ("/admin/articles/article/", "#result_list"),
        "story-form": (f"/admin/articles/article/{story.pk}/change/", "#article_form"),
        "image-library": ("/admin/images/image/", "#changelist"),
        "preview": (f"/admin/articles/article/{story.pk}/preview/", "h1"),
    }


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_the_desk_screens_open_and_are_photographed(
    live_server, demo_newsroom, browser, screenshot, role, width
):
    # The journalist's own story: the one screen set both roles may open.
    story = Article.objects.filter(bylines__person__user__username="journalist").first()
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", role)
        page.fill("#id_password", entities.DEMO_PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#newsroom-dashboard")
        for name, (path, landmark) in desk_screens(story).items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, (name, response.status)
            assert page.locator(landmark).count() >= 1, name
            screenshot(page, f"desk-{role}-{name}-{width}")
    finally:
        context.close()
