"""Who and what a story mentions, and attaching them to it.

Detection itself lives in `people.mentions`; this module applies it to stories:
the admin panel and the importer both call it.
"""

from people.mentions import Mention, detect_mentions, resolve

from .models import Article

# Mention.kind → the story's many-to-many field for it.
FIELDS = {"person": "people", "organisation": "organisations", "country": "countries"}


def mentions_in(article: Article) -> list[Mention]:
    """Entities named in the headline, standfirst or body, with `.entity` loaded."""
    return resolve(detect_mentions(article.headline, article.standfirst, html=article.body))


def attached_keys(article: Article) -> set[tuple[str, int]]:
    """(kind, pk) of everything already attached to the story."""
    if article.pk is None:
        return set()
    return {
        (kind, pk)
        for kind, field in FIELDS.items()
        for pk in getattr(article, field).values_list("pk", flat=True)
    }


def unattached_mentions(article: Article) -> list[Mention]:
    """What the story names but is not yet attached to, in order of first mention."""
    attached = attached_keys(article)
    return [mention for mention in mentions_in(article) if mention.key not in attached]


def attach(article: Article, mentions: list[Mention]) -> list[Mention]:
    """Attach the mentioned entities to the story; returns those newly attached."""
    attached = attached_keys(article)
    new = [mention for mention in mentions if mention.key not in attached]
    for kind, field in FIELDS.items():
        entities = [mention.entity for mention in new if mention.kind == kind]
        if entities:
            getattr(article, field).add(*entities)
    return new
