"""The page benchmark's generator, at a size a test can afford (bench/pages.py)."""

import importlib.util
from pathlib import Path

import pytest

from articles.models import Article

BENCH = Path(__file__).resolve().parents[1] / "bench" / "pages.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_pages", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def seed_story(bench, db):
    seed, _ = bench.generate(20)
    return seed


def test_bench_builds_the_seed_story_and_twenty_stories_of_the_anchors_shape(seed_story):
    stories = Article.objects.published()
    assert stories.count() == 21
    for story in stories.prefetch_related("tags", "bylines"):
        assert len(story.tags.all()) == 5
        assert 1 <= len(story.bylines.all()) <= 2
    assert seed_story.tags.filter(slug="morocco-diplomacy").exists()


def test_every_page_the_bench_measures_answers(bench, seed_story, client):
    for name, url in bench.page_urls(seed_story).items():
        assert client.get(url).status_code == 200, name
