"""Search latency with 10,000 generated stories, on SQLite and on PostgreSQL.

Run on demand (not part of the test suite):

    DJANGO_DEBUG=1 .venv/bin/python bench/search.py
    DATABASE_URL=postgres://… DJANGO_DEBUG=1 .venv/bin/python bench/search.py

Always measures SQLite; measures PostgreSQL too when DATABASE_URL points at one,
then prints PostgreSQL/SQLite ratios. Each database is a throwaway test
database (Django's `test_` prefix, made by running the migrations, dropped at
the end), filled with `bulk_create` and indexed with `rebuild_index()`.
For about 50 varied queries (common and rare words, names, aliases, several
words, no match, absurd input) it times the search function (count, first
page of ids and their highlights) and the whole `/search/` page, and prints
the median and 95th percentile of each. Exits non-zero only if the page's
p95 exceeds a generous 500 ms.
"""

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

STORIES = 10_000
PAGE_BUDGET_P95_MS = 500.0
ROOT = Path(__file__).resolve().parents[1]

SYLLABLES = "ka lo mi ra ben tor sa vel dun ar is op el qua zi no har mes ut ly".split()
WORDS = (
    "minister talks agreement defence security training exercise intelligence maritime "
    "region capital officials budget election parliament vote treaty border trade port "
    "harbour energy pipeline drought harvest court ruling appeal protest strike union "
    "roadmap cooperation summit visit delegation embassy sanctions reform inflation bank "
    "university hospital vaccine outbreak storm flood wildfire satellite launch navy army"
).split()
QUERIES = [
    "minister",
    "defence",
    "roadmap",
    "harbour",
    "security cooperation",
    "election vote",
    "budget parliament",
    "storm flood",
    "satellite launch",
    "court ruling appeal",
    "treaty",
    "sanctions",
    "roadmaps",
    "officials said",
    "Morocco",
    "France",
    "Germany",
    "Kalomi",
    "Benra",
    "Torsa",
    "Velduno",
    "Quazi",
    "Harmes",
    "Utly",
    "Arisop",
    "Elqua",
    "Zinohar",
    "Mesut",
    "Lyka",
    "Senator Benra",
    "Kalomi Torsa",
    "nonexistentword",
    "zzzzqqq",
    "minister zzzzqqq",
    "the",
    "a",
    "2030",
    "defence roadmap Morocco",
    "training exercise maritime",
    "union strike protest",
    "vaccine outbreak hospital",
    "bank inflation reform",
    "pipeline energy drought",
    '"',
    "NEAR(a b",
    "*",
    "x" * 10_000,
    "'; DROP TABLE articles_article; --",
    "héllo wörld 東京",
    "-minus OR plus AND",
]


def word(rng, parts):
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


class Vocabulary:
    """Made-up words with Zipf frequencies, and the news words (1 token in 20).

    With this mix a news word is in roughly a quarter of the stories and a
    three-word query matches a few per cent, as in a real archive; drawing only
    from the news words would make every word match every story.
    """

    def __init__(self, rng, size=20_000):
        words = {word(rng, rng.randint(2, 4)).lower() for _ in range(size)}
        self.words = sorted(words)
        rng.shuffle(self.words)
        weights, total = [], 0.0
        for rank in range(1, len(self.words) + 1):
            total += 1 / rank
            weights.append(total)
        self.cumulative = weights

    def sentence(self, rng, count):
        common = rng.choices(self.words, cum_weights=self.cumulative, k=count)
        tokens = [rng.choice(WORDS) if rng.random() < 0.05 else w for w in common]
        return " ".join(tokens).capitalize() + "."


def generate(rng):
    """10,000 stories with people, organisations, countries and tags, in bulk."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from articles.models import Article, Byline, Section, Status, TypeOfWork
    from people.models import Country, Organisation, Person

    sections = Section.objects.bulk_create(
        Section(name=name, slug=name.lower(), order=i)
        for i, name in enumerate(["News", "World", "Business", "Defence", "Culture", "Opinion"])
    )
    people = Person.objects.bulk_create(
        Person(
            name=f"{word(rng, 2)} {word(rng, 2)}-{i}",
            slug=f"person-{i}",
            aliases=f"Senator {word(rng, 2)}\n{word(rng, 3)}",
        )
        for i in range(500)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"{word(rng, 2)} Ministry {i}", slug=f"org-{i}", aliases=word(rng, 2))
        for i in range(100)
    )
    countries = list(Country.objects.all())
    vocabulary = Vocabulary(rng)
    sentence = vocabulary.sentence
    tags = Tag.objects.bulk_create(
        Tag(name=f"{w} {i}", slug=f"tag-{i}") for i, w in enumerate(WORDS)
    )
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(
            headline=sentence(rng, rng.randint(6, 10))[:-1],
            slug=f"story-{i}",
            standfirst=sentence(rng, rng.randint(15, 25)),
            body="".join(f"<p>{sentence(rng, rng.randint(40, 80))}</p>" for _ in range(6)),
            section=rng.choice(sections),
            type_of_work=rng.choice(TypeOfWork.values),
            status=Status.DRAFT if i % 20 == 0 else Status.PUBLISHED,
            published_at=None if i % 20 == 0 else now - timedelta(hours=rng.randint(1, 5 * 8760)),
        )
        for i in range(STORIES)
    )
    through = Article.people.through
    links = {(a.pk, p.pk) for a in articles for p in rng.sample(people, rng.randint(0, 3))}
    through.objects.bulk_create(through(article_id=a, person_id=p) for a, p in links)
    through = Article.organisations.through
    links = {(a.pk, o.pk) for a in articles for o in rng.sample(organisations, rng.randint(0, 2))}
    through.objects.bulk_create(through(article_id=a, organisation_id=o) for a, o in links)
    through = Article.countries.through
    links = {(a.pk, c.pk) for a in articles for c in rng.sample(countries, rng.randint(0, 2))}
    through.objects.bulk_create(through(article_id=a, country_id=c) for a, c in links)
    content_type = ContentType.objects.get_for_model(Article)
    links = {(a.pk, t.pk) for a in articles for t in rng.sample(tags, rng.randint(0, 3))}
    TaggedItem.objects.bulk_create(
        TaggedItem(content_type=content_type, object_id=a, tag_id=t) for a, t in links
    )
    Byline.objects.bulk_create(Byline(article=a, person=rng.choice(people[:40])) for a in articles)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_one_database():
    """Set up a throwaway database, fill it, time the queries; print one JSON line."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    import django
    from django.conf import settings

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from articles import search
    from articles.models import Article

    settings.ALLOWED_HOSTS = ["*"]
    setup_test_environment()
    if connection.vendor == "sqlite":
        # A file, not memory: closer to the embedded default in production.
        folder = tempfile.mkdtemp()
        connection.settings_dict["TEST"]["NAME"] = str(Path(folder) / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rng = random.Random(7)
        started = time.perf_counter()
        generate(rng)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        count = search.rebuild_index()
        indexed = time.perf_counter() - started

        def run_function(query):
            results = search.search(query, Article.objects.published())
            total = results.count()
            ids = results[:20]
            search.highlights(query, ids)
            return total

        client = Client()
        url = reverse("articles:search")
        for query in QUERIES[:5]:  # warm caches and connections
            run_function(query)
            client.get(url, {"q": query})
        function_ms, page_ms, hits = [], [], {}
        for query in QUERIES:
            started = time.perf_counter()
            hits[query[:40]] = run_function(query)
            function_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            response = client.get(url, {"q": query})
            page_ms.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, query
        print(
            json.dumps(
                {
                    "vendor": connection.vendor,
                    "stories": count,
                    "generate_s": round(generated, 2),
                    "index_s": round(indexed, 2),
                    "queries": len(QUERIES),
                    "function_median_ms": round(statistics.median(function_ms), 2),
                    "function_p95_ms": round(percentile(function_ms, 0.95), 2),
                    "page_median_ms": round(statistics.median(page_ms), 2),
                    "page_p95_ms": round(percentile(page_ms, 0.95), 2),
                    "slowest": max(zip(function_ms, QUERIES, strict=True))[1][:40],
                    "hits": dict(list(hits.items())[:6]),
                }
            )
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main():
    runs = {}
    databases = {"sqlite": {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}}
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        databases["postgresql"] = dict(os.environ)
    for vendor, env in databases.items():
        print(f"{vendor}: generating {STORIES:,} stories and timing {len(QUERIES)} queries…")
        done = subprocess.run(
            [sys.executable, __file__, "--one"], env=env, capture_output=True, text=True
        )
        if done.returncode:
            print(done.stdout, done.stderr, file=sys.stderr)
            sys.exit(done.returncode)
        runs[vendor] = json.loads(done.stdout.strip().splitlines()[-1])
        r = runs[vendor]
        print(
            f"  {r['stories']:,} stories, generated in {r['generate_s']} s, "
            f"indexed in {r['index_s']} s\n"
            f"  search function: median {r['function_median_ms']} ms, "
            f"p95 {r['function_p95_ms']} ms (slowest: {r['slowest']!r})\n"
            f"  /search/ page:   median {r['page_median_ms']} ms, p95 {r['page_p95_ms']} ms"
        )
    if len(runs) == 2:
        pg, lite = runs["postgresql"], runs["sqlite"]
        print("PostgreSQL / SQLite:")
        for key in ["function_median_ms", "function_p95_ms", "page_median_ms", "page_p95_ms"]:
            print(f"  {key}: {pg[key] / lite[key]:.2f}×")
    worst = max(r["page_p95_ms"] for r in runs.values())
    verdict = "within" if worst <= PAGE_BUDGET_P95_MS else "OVER"
    print(f"Page p95 {worst} ms: {verdict} the {PAGE_BUDGET_P95_MS:.0f} ms budget.")
    if worst > PAGE_BUDGET_P95_MS:
        sys.exit(1)


if __name__ == "__main__":
    if "--one" in sys.argv:
        measure_one_database()
    else:
        main()
