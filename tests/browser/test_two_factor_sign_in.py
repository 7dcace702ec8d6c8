"""Two-factor sign-in clicked through in Chromium by the demo editor.

The test is the editor's phone: it reads the secret the set-up page shows, as
a person would type it into an app, and works out the codes from it.
"""

import pytest

from articles.demo import entities
from tests.factories import current_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_newsroom"),
]


@pytest.fixture(autouse=True)
def two_factor_required(settings):
    settings.NEWSROOM_REQUIRE_2FA = True


def sign_in_with_password(page, live_server):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", entities.DEMO_PASSWORD)
    page.click("input[type=submit]")


def sign_out(page):
    page.click("#logout-form button")
    page.wait_for_url("**/admin/logout/")


def type_code(page, code):
    page.wait_for_url("**/admin/second-factor/verify/**")
    page.fill("#id_code", code)
    page.click("#second-factor-form input[type=submit]")


def test_an_editor_enrols_an_app_then_signs_in_with_its_code_and_once_with_a_backup_code(
    live_server, page, screenshot
):
    try:
        sign_in_with_password(page, live_server)

        # Sent to set up before anything else.
        page.wait_for_url("**/admin/second-factor/set-up/**")
        qr_code = page.locator("svg.second-factor-qr").bounding_box()
        assert qr_code["width"] >= 150 and qr_code["height"] >= 150
        page.goto(f"{live_server.url}/admin/articles/article/")
        page.wait_for_url("**/admin/second-factor/set-up/**")
        secret = page.inner_text("#second-factor-secret")
        screenshot(page, "two-factor-set-up")
        page.fill("#id_code", current_code(secret))
        page.click("text=Turn on two-factor sign-in")

        backup_codes = page.locator("#second-factor-codes code").all_inner_texts()
        assert len(set(backup_codes)) == 10
        screenshot(page, "two-factor-backup-codes")
        page.click("text=I have kept my codes: continue")
        page.wait_for_url("**/admin/articles/article/")  # the page asked for before
        page.wait_for_selector("#result_list")
        sign_out(page)

        # The app's next code: the one that confirmed it cannot be used twice.
        sign_in_with_password(page, live_server)
        page.wait_for_url("**/admin/second-factor/verify/**")
        screenshot(page, "two-factor-verify")
        type_code(page, current_code(secret, steps_ahead=1))
        page.wait_for_selector("#newsroom-dashboard")
        sign_out(page)

        sign_in_with_password(page, live_server)
        type_code(page, backup_codes[0])
        page.wait_for_selector("#newsroom-dashboard")
        assert "9 backup codes left" in page.inner_text(".messagelist")
        sign_out(page)

        sign_in_with_password(page, live_server)
        type_code(page, backup_codes[0])
        assert "has been used already" in page.inner_text(".errorlist")
        assert page.url.startswith(f"{live_server.url}/admin/second-factor/verify/")
    except Exception:
        screenshot(page, "two-factor-sign-in-failure")
        raise
