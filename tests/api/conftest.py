import pytest

from tests.factories import country, make_article, make_author, make_journalist, make_person


@pytest.fixture
def public_story(db):
    """A public story with a byline, a tag, a person and a country."""
    return make_article(
        "Morocco and US sign defence roadmap",
        authors=[make_author(make_journalist(username="samir"))],
        people=[make_person("Mark Esper", same_as="https://www.wikidata.org/wiki/Q7769984")],
        countries=[country("MA")],
        tags=["defence"],
    )
