import pytest

from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_a_tag_suggests_existing_ones(live_server, page, admin_user):
    make_article("Roadmap signed", tags=["defence cooperation", "North Africa"])
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    # Not this test's concern: an autosave sent after the last assertion was still
    # writing when the test's database was flushed, which deadlocked on PostgreSQL.
    page.route("**/autosave*.js", lambda route: route.abort())
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_tags", "North Africa, defe")
    page.locator("#id_tags").dispatch_event("input")
    options = page.locator("#id_tags-suggestions option")
    options.first.wait_for(state="attached")
    assert options.evaluate_all("els => els.map(e => e.value)") == [
        "North Africa, defence cooperation"
    ]
