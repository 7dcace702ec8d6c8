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


# --- `--through varnish`: only what runs without a load (no timings here) ----------


@pytest.fixture
def varnish_compiler(bench):
    """varnishd and the xkey vmod newsroom.vcl imports (Debian's varnish-modules)."""
    xkey = [*Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so")]
    xkey += [*Path("/usr/lib/varnish/vmods").glob("libvmod_xkey.so")]
    if not (bench.program("varnishd") and xkey):
        pytest.skip("Varnish with xkey is not installed (apt-get install varnish varnish-modules)")


def test_bench_takes_through_varnish_with_a_burst_of_sixty_seconds_by_default(bench):
    args = bench.arguments(["--through", "varnish"])
    assert (args.through, args.burst_seconds) == ("varnish", 60)
    assert bench.arguments(["--through", "varnish", "--burst-seconds", "5"]).burst_seconds == 5


def test_bench_refuses_a_cache_it_does_not_know(bench):
    with pytest.raises(SystemExit):
        bench.arguments(["--through", "squid"])


def test_bench_points_the_generated_backend_at_its_gunicorn(bench, tmp_path):
    backends = bench.write_vcl(tmp_path, 18123).read_text()
    assert '.host = "127.0.0.1";' in backends
    assert '.port = "18123";' in backends
    # The shipped VCL, unchanged, beside it.
    shipped = bench.VARNISH_DEPLOY / "newsroom.vcl"
    assert (tmp_path / "newsroom.vcl").read_text() == shipped.read_text()


def test_shipped_vcl_compiles_with_the_benchs_backend(bench, varnish_compiler, tmp_path):
    bench.write_vcl(tmp_path, 18123)
    assert bench.compile_vcl(tmp_path) is None


def test_a_broken_backend_fails_the_compile_so_the_benchs_own_is_the_one_used(
    bench, varnish_compiler, tmp_path
):
    bench.write_vcl(tmp_path, 18123).write_text("backend app1 { .host = ; }\n")
    assert "backends.vcl" in bench.compile_vcl(tmp_path)


def test_hit_ratio_counts_only_what_happened_between_the_two_readings(bench):
    before = {"cache_hit": 100, "cache_miss": 10}
    after = {"cache_hit": 1_090, "cache_miss": 20}
    assert bench.hit_ratio(before, after) == {"hits": 990, "misses": 10, "ratio": 0.99}


# --- `--compare-databases`: what it refuses (no timings here) ---------------------


def test_comparing_databases_needs_a_postgresql_database_url(bench, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bench.sqlite3'}")
    with pytest.raises(SystemExit, match="needs DATABASE_URL=postgres"):
        bench.compare_databases(tmp_path, bench.arguments(["--compare-databases"]))


def test_comparing_databases_takes_one_size_and_no_load(bench):
    for extra in (["--compare", "2000,20000"], ["--load"], ["--against-wagtail"]):
        with pytest.raises(SystemExit):
            bench.main(bench.arguments(["--compare-databases", *extra]))


# --- `--compare`: what it refuses (no timings here) -----------------------------------


def test_comparing_sizes_takes_two_different_sizes(bench):
    for sizes in ("2000", "2000,2000", "2000,20000,200000"):
        with pytest.raises(SystemExit, match="two different sizes"):
            bench.main(bench.arguments(["--compare", sizes]))
