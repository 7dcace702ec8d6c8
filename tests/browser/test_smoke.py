import pytest

from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_opens_a_story_from_the_home_page(live_server, page):
    story = make_article("Morocco and US sign defence roadmap")
    page.goto(live_server.url)
    page.get_by_role("link", name=story.headline).click()
    assert page.get_by_role("heading", level=1).inner_text() == story.headline
