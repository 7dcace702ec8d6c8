from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article, Status
from tests.factories import make_article, make_person

pytestmark = pytest.mark.django_db


def test_story_slug_is_filled_from_the_headline():
    assert make_article("Morocco & US sign roadmap").slug == "morocco-us-sign-roadmap"


def test_story_slug_stays_when_the_headline_changes():
    story = make_article("Morocco and US sign roadmap")
    story.headline = "Morocco and US sign ten-year roadmap"
    story.save()
    story.refresh_from_db()
    assert story.slug == "morocco-and-us-sign-roadmap"


def test_the_body_is_sanitised_on_every_save():
    story = make_article(body='<p onclick="x()">Hi</p><script>alert(1)</script>')
    story.refresh_from_db()
    assert story.body == "<p>Hi</p>"


def test_the_acceptance_payload_is_stored_with_nothing_executable():
    story = make_article(
        body='<script>alert(1)</script><p onclick="x()">Hi</p><a href="javascript:alert(1)">x</a>'
    )
    story.refresh_from_db()
    assert "<script" not in story.body
    assert "onclick" not in story.body
    assert "javascript:" not in story.body
    assert "<p>Hi</p>" in story.body


def test_a_published_story_must_have_a_publication_time():
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=make_article().pk).update(published_at=None)


@pytest.mark.parametrize(
    "status, hours_ago, public",
    [
        (Status.PUBLISHED, 1, True),
        (Status.PUBLISHED, -1, False),  # scheduled
        (Status.DRAFT, None, False),
        (Status.IN_REVIEW, None, False),
        (Status.WITHDRAWN, 1, False),
    ],
)
def test_published_queryset_and_is_published_agree(status, hours_ago, public):
    at = None if hours_ago is None else timezone.now() - timedelta(hours=hours_ago)
    story = make_article(status=status, published_at=at)
    assert Article.objects.published().filter(pk=story.pk).exists() is public
    assert story.is_published() is public


def test_a_scheduled_story_becomes_public_when_its_time_passes():
    at = timezone.now() + timedelta(hours=2)
    story = make_article(status=Status.PUBLISHED, published_at=at)
    assert not Article.objects.published().filter(pk=story.pk).exists()
    later = at + timedelta(seconds=1)
    assert Article.objects.published(at=later).filter(pk=story.pk).exists()
    assert story.is_published(at=later)


def test_bylines_keep_their_order():
    first, second = make_person("Zoe Writer"), make_person("Adam Writer")
    story = make_article(authors=[first, second])
    assert [b.person for b in story.bylines.all()] == [first, second]


def test_search_engine_fields_fall_back_to_headline_and_standfirst():
    story = make_article("Headline", standfirst="Standfirst")
    assert story.title_for_search_engines == "Headline"
    assert story.description_for_search_engines == "Standfirst"


def test_the_story_url_carries_its_publication_date():
    at = timezone.make_aware(timezone.datetime(2020, 10, 2, 12, 0))
    story = make_article("Roadmap signed", published_at=at)
    assert story.get_absolute_url() == "/2020/10/02/roadmap-signed/"
