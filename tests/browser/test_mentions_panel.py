import pytest

from articles.models import Status
from people import mentions
from tests.factories import make_article, make_organisation, make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story_in_admin(live_server, page):
    mentions.invalidate()
    make_user("chief", is_staff=True, is_superuser=True)
    esper = make_person("Mark Esper", aliases="Esper")
    make_organisation("Royal Moroccan Armed Forces", short_name="FAR")
    story = make_article(
        "Roadmap signed",
        status=Status.DRAFT,
        body="<p>Mark Esper met the FAR in Morocco.</p>",
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    return story, esper


def test_a_journalist_attaches_one_mention_with_one_click(story_in_admin, page, screenshot):
    story, esper = story_in_admin
    panel = page.locator(".mentions-panel")
    screenshot(page, "mentions-panel")
    panel.locator("li", has_text="Mark Esper").get_by_role("button", name="Attach").click()
    page.wait_for_load_state()
    assert "Attached Mark Esper to the story." in page.content()
    assert "Mark Esper" not in page.locator(".mentions-panel").inner_text()
    assert list(story.people.all()) == [esper]


def test_pressing_enter_in_the_headline_saves_without_attaching(story_in_admin, page):
    story, _ = story_in_admin
    page.fill("#id_headline", "Roadmap signed in Rabat")
    page.press("#id_headline", "Enter")
    page.wait_for_url("**/admin/articles/article/")
    story.refresh_from_db()
    assert story.headline == "Roadmap signed in Rabat"
    assert not story.people.exists() and not story.organisations.exists()
    assert not story.countries.exists()
