"""Public page speed with N generated stories, the Wagtail anchor's content shape.

Run on demand (not part of the test suite):

    .venv/bin/python bench/pages.py --stories 2000
    .venv/bin/python bench/pages.py --compare 2000,20000
    .venv/bin/python bench/pages.py --stories 2000 --load --duration 10s
    .venv/bin/python bench/pages.py --stories 2000 --against-wagtail --rounds 2
    .venv/bin/python bench/pages.py --stories 2000 --through varnish --rounds 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pages.py
    DATABASE_URL=postgres://… .venv/bin/python bench/pages.py --compare-databases --rounds 3

Each size gets a throwaway database: a SQLite file in a temporary folder, or,
when DATABASE_URL points at PostgreSQL, a fresh `newsroom_bench_<N>` database
on that server, created and dropped here. It is migrated, then filled in bulk
(no signals, no per-story search indexing) with the seed story and N generated
stories drawn exactly as the anchor's `load_news` draws them (same random seed,
headlines, bodies, dates, 5 tags each of 200, 1–2 bylines of 30 authors), plus
people, organisations and countries so topic pages have stories; the search
index is then built once with `rebuild_index()`. Every phase is timed.

In process, with the production settings (DEBUG off, hashed static files
collected into the temporary folder), Django's test Client requests each public
page type through the full middleware stack: after a warm-up, the median and
95th percentile of repeated requests, and the SQL queries of one request.

`--load` also serves the site with gunicorn (2 sync workers, as the anchor's
bench.sh) and runs `wrk -t2 -c16` on every page, with keep-alive and with
`Connection: close`. gunicorn is pip-installed into a throwaway folder, never
into the project; wrk comes from apt-get if missing.

`--compare 2000,20000` builds both sizes first, each database kept until the
end, then measures both in process in `--rounds` alternating rounds, swapping
which goes first each round, so that a noisy neighbour weighs on both. It prints
each size's table (per page, the median across rounds of its medians and p95s),
then per page the ratio of those medians, each round's 20,000/2,000 ratio and
their median, and whether the query counts are equal: a page whose work grows
with the archive shows up here. With `--load`, wrk then runs on each size in
turn (once; its figures are in the size's table, not compared).

`--compare-databases` (with a PostgreSQL DATABASE_URL) builds the same content
on SQLite and on PostgreSQL and measures both the same way, printing per page
each round's PostgreSQL/SQLite ratio and their median.

`--against-wagtail` builds the anchor (../shared/anchors/wagtail/setup.sh, with
the same N, into its own ANCHOR_DATA folder, once), serves both sites with the
same gunicorn settings and runs the same wrk load on the article, home and tag
pages, alternating Newsroom and Wagtail for `--rounds` rounds; it prints req/s
and the Newsroom/Wagtail ratio. The machine is shared: quote ratios, not
absolute figures. Wagtail lives only in the anchor's own virtualenv.

`--through varnish` serves the site as `--load` does but with Varnish caching
(the page cache off, purges sent to Varnish): varnishd on loopback with the
shipped deploy/varnish/newsroom.vcl and a backends.vcl written for the bench's
gunicorn, and nginx serving the article's rendered bytes from disk (the anchor's
configuration). wrk without keep-alive on the article through Varnish, from
nginx and rendered by gunicorn, in turn for `--rounds` rounds: req/s and the
Varnish/nginx ratio. Then the burst: wrk on the home page through Varnish for
`--burst-seconds` while another process publishes a new story a second through
`articles.workflow.publish`; the hit ratio from varnishstat over the burst, and
whether the home page fetched through Varnish after each publish shows the new
headline. nginx and Varnish come from apt-get if missing.
"""

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ANCHOR = ROOT.parent / "shared" / "anchors" / "wagtail"
# The anchor's own pin, so both sites run the same server.
GUNICORN_SPEC = "gunicorn==27.0.1"
WORKERS = 2
WRK_THREADS, WRK_CONNECTIONS = 2, 16
SEARCH_QUERY = "Morocco defence"
TAG = "morocco-diplomacy"

# --- The anchor's content (site/news/management/commands/load_news.py) ----------
# Copied draw for draw: with the same seed both sites hold the same stories.

RANDOM_SEED = 20201003
REGIONS = [
    "Morocco",
    "United States",
    "Algeria",
    "Tunisia",
    "Sahel",
    "Europe",
    "Gulf",
    "Asia-Pacific",
    "Latin America",
    "East Africa",
]
THEMES = [
    "diplomacy",
    "training",
    "exercises",
    "air defence",
    "naval forces",
    "cyber security",
    "procurement",
    "counter-terrorism",
    "border security",
    "peacekeeping",
    "intelligence",
    "logistics",
    "space",
    "drones",
    "armoured vehicles",
    "helicopters",
    "fighter jets",
    "missiles",
    "budget",
    "industry",
]
FIRST = [
    "Amina",
    "Daniel",
    "Leila",
    "Marc",
    "Sofia",
    "Youssef",
    "Claire",
    "Omar",
    "Hannah",
    "Karim",
    "Ines",
    "Peter",
    "Nadia",
    "Samuel",
    "Rania",
    "Tom",
]
LAST = [
    "Benali",
    "Carter",
    "El Idrissi",
    "Fischer",
    "Garcia",
    "Haddad",
    "Jensen",
    "Lamrani",
    "Moreau",
    "Novak",
    "Osei",
    "Park",
    "Rossi",
    "Tazi",
    "Walsh",
]
VERBS = [
    "signs",
    "expands",
    "reviews",
    "announces",
    "debates",
    "tests",
    "delays",
    "funds",
    "renews",
    "outlines",
]
OBJECTS = [
    "defence agreement",
    "training programme",
    "air-defence upgrade",
    "maritime patrol plan",
    "joint exercise",
    "procurement budget",
    "border security pact",
    "drone programme",
    "cyber strategy",
    "logistics hub",
]
SENTENCES = [
    "Officials described the move as part of a longer effort to modernise the armed forces.",
    "The ministry said further details would be published after consultations with partners.",
    "Analysts noted that similar plans have been announced before without firm timetables.",
    "The programme is expected to run over several budget years and will be reviewed annually.",
    "Parliamentary committees have asked for regular reports on costs and delivery dates.",
    "Industry representatives welcomed the decision but warned about supply-chain delays.",
    "The announcement follows months of talks between defence staffs on both sides.",
    "Training for crews and maintenance teams is due to begin before the first deliveries.",
    "Neighbouring governments were briefed on the plan ahead of the public announcement.",
    "Observers said the timing reflects growing concern about security along the border.",
    "A joint working group will meet every quarter to track progress against the plan.",
    "The agreement covers equipment, spare parts, instruction and the exchange of liaison officers.",
    "Officials declined to give a figure for the total cost, citing ongoing negotiations.",
    "Several exercises scheduled for next year will test the new procedures in the field.",
    "The defence minister told reporters that the plan responds to lessons from recent operations.",
    "Opposition members questioned whether the budget allocated is sufficient for the goals set.",
]
TAG_COUNT, TAGS_PER_STORY = 200, 5
SEED_TAGS = [
    "Morocco diplomacy",
    "United States diplomacy",
    "Morocco training",
    "United States exercises",
    "Sahel counter-terrorism",
]
SEED_DATE = date(2020, 10, 3)
FIRST_DAY = date(2021, 1, 1)
# The anchor's seed story runs to about 600 words; ours is topped up to as many.
SEED_WORDS = 600

# Ours only (the anchor has no people, organisations or countries), drawn from a
# second random stream so the anchor's draws above stay in step.
COUNTRY_POOL = [
    "MA",
    "US",
    "DZ",
    "TN",
    "FR",
    "ES",
    "DE",
    "GB",
    "ML",
    "NE",
    "MR",
    "EG",
    "SA",
    "AE",
    "QA",
    "JP",
    "KR",
    "AU",
    "BR",
    "KE",
]
ORGANISATION_KINDS = [
    "Defence Ministry",
    "Armed Forces",
    "Border Guard",
    "Naval Command",
    "Air Force",
]


def paragraphs(rng, words_target):
    out, words = [], 0
    while words < words_target:
        para = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 5)))
        out.append(para)
        words += len(para.split())
    return out


def rich_text(paras):
    from django.utils.html import escape

    return "".join(f"<p>{escape(p)}</p>" for p in paras)


def tag_names():
    return [f"{region} {theme}" for theme in THEMES for region in REGIONS][:TAG_COUNT]


def author_names():
    return [f"{first} {last}" for first, last in zip(FIRST * 2, LAST + LAST[::-1], strict=False)][
        :30
    ]


# --- Generating (in the child process, Django set up) ---------------------------


class Phases:
    """Times each phase of the build and says what it is doing (on stderr)."""

    def __init__(self):
        self.seconds = {}

    @contextmanager
    def phase(self, name):
        progress(f"  {name}…")
        started = time.perf_counter()
        yield
        self.seconds[name] = round(time.perf_counter() - started, 2)
        progress(f"  {name}: {self.seconds[name]} s")


def progress(message):
    print(message, file=sys.stderr, flush=True)


def at_nine(day):
    return datetime.combine(day, day_time(9, 0), tzinfo=UTC)


def tagged_rows(links):
    """Unsaved rows of `Article.tags.through` for (story id, tag id) pairs.

    Works with taggit's generic TaggedItem (content type and object id) and with
    a concrete through model whose foreign key is `content_object`.
    """
    from django.contrib.contenttypes.models import ContentType

    from articles.models import Article

    through = Article.tags.through
    if any(field.name == "content_type" for field in through._meta.fields):
        content_type = ContentType.objects.get_for_model(Article)
        return [through(content_type=content_type, object_id=a, tag_id=t) for a, t in links]
    return [through(content_object_id=a, tag_id=t) for a, t in links]


def link_rows(relation, field, links):
    """Unsaved rows of a many-to-many through model for (story id, other id) pairs."""
    through = relation.through
    return [through(article_id=a, **{f"{field}_id": b}) for a, b in links]


def build_topics():
    """The demo's sections, countries, organisations and people, and generated ones."""
    from django.utils.text import slugify

    from articles.management.commands.load_demo import DemoBuilder
    from people.models import Country, Organisation, Person

    demo = DemoBuilder()
    countries = demo.countries()
    organisations = demo.organisations(countries)
    people = demo.people(countries, organisations)
    sections = list(demo.sections().values())
    authors = set(author_names())
    generated_people = Person.objects.bulk_create(
        Person(name=name, slug=slugify(name))
        for name in (f"{first} {last}" for last in LAST for first in FIRST)
        if name not in authors
    )
    taken = {organisation.slug for organisation in organisations.values()}
    generated_organisations = Organisation.objects.bulk_create(
        Organisation(name=name, slug=slugify(name))
        for name in (f"{region} {kind}" for region in REGIONS for kind in ORGANISATION_KINDS)
        if slugify(name) not in taken
    )
    return {
        "sections": sections,
        "people": [*people.values(), *generated_people],
        "organisations": [*organisations.values(), *generated_organisations],
        "countries": list(Country.objects.filter(code__in=COUNTRY_POOL)),
    }


def build_authors():
    """The anchor's 30 authors, as our staff journalists (a Person with an account)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils.text import slugify

    from people.models import Person

    User = get_user_model()
    names = author_names()
    users = User.objects.bulk_create(
        User(
            username=slugify(name),
            first_name=name.split(" ", 1)[0],
            last_name=name.split(" ", 1)[1],
            is_staff=True,
            password=make_password(None),
        )
        for name in names
    )
    return Person.objects.bulk_create(
        Person(name=name, slug=slugify(name), user=user, description="Staff writer")
        for name, user in zip(names, users, strict=True)
    )


def build_tags():
    from django.utils.text import slugify
    from taggit.models import Tag

    return Tag.objects.bulk_create(Tag(name=name, slug=slugify(name)) for name in tag_names())


def build_seed_story(*, topics, authors, tags, rng):
    """Our demo's Roadmap story, in the anchor's seed story's place and shape."""
    from articles.demo import stories
    from articles.models import Article, Byline, Correction, Status
    from articles.sanitize import clean_body

    data = next(story for story in stories.STORIES if story["slug"] == stories.MAIN_STORY)
    words = len(data["body"].split())
    extra = paragraphs(rng, SEED_WORDS - words) if words < SEED_WORDS else []
    story = Article.objects.create(
        headline=data["headline"],
        slug=data["slug"],
        standfirst=data["standfirst"],
        body=clean_body(data["body"] + rich_text(extra)),
        section=next(s for s in topics["sections"] if s.slug == data["section"]),
        status=Status.PUBLISHED,
        published_at=at_nine(SEED_DATE),
        home_position=data["home_position"],
    )
    Byline.objects.bulk_create(
        Byline(article=story, person=person, order=order)
        for order, person in enumerate(authors[:2])
    )
    story.people.set(p for p in topics["people"] if p.slug in data["people"])
    story.organisations.set(o for o in topics["organisations"] if o.slug in data["organisations"])
    story.countries.set(c for c in topics["countries"] if str(c.code) in data["countries"])
    Article.tags.through.objects.bulk_create(
        tagged_rows((story.pk, tag.pk) for tag in tags if tag.name in SEED_TAGS)
    )
    correction = data["correction"]
    Correction.objects.create(
        article=story,
        kind=Correction.Kind[correction["kind"]],
        text=correction["text"],
        created_at=at_nine(SEED_DATE) + timedelta(hours=3),
    )
    return story


def draw_stories(count, *, authors, tags, rng):
    """The anchor's N stories: (fields, authors, tags) each, in its draw order."""
    from django.utils.text import slugify

    for i in range(count):
        headline = f"{rng.choice(REGIONS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        paras = paragraphs(rng, rng.randint(450, 700))
        day = FIRST_DAY + timedelta(days=rng.randint(0, 5 * 365))
        yield (
            {
                "headline": headline,
                "slug": f"{slugify(headline)}-{i + 1}",
                "standfirst": paras[0],
                "body": rich_text(paras),
                "published_at": at_nine(day),
            },
            rng.sample(authors, rng.randint(1, 2)),
            rng.sample(tags, TAGS_PER_STORY),
        )


def build_stories(count, *, topics, authors, tags, rng, ours, chunk=2_000):
    """Bulk-insert the stories, their bylines, tags and topics, `chunk` at a time."""
    from articles.models import Article, Byline, Status

    drawn = draw_stories(count, authors=authors, tags=tags, rng=rng)
    done = 0
    while done < count:
        batch = [next(drawn) for _ in range(min(chunk, count - done))]
        stories = Article.objects.bulk_create(
            (
                Article(
                    **fields,
                    section=ours.choice(topics["sections"]),
                    status=Status.PUBLISHED,
                    language="en",
                )
                for fields, _, _ in batch
            ),
            batch_size=500,
        )
        Byline.objects.bulk_create(
            Byline(article=story, person=person, order=order)
            for story, (_, bylines, _) in zip(stories, batch, strict=True)
            for order, person in enumerate(bylines)
        )
        Article.tags.through.objects.bulk_create(
            tagged_rows(
                (story.pk, tag.pk)
                for story, (_, _, story_tags) in zip(stories, batch, strict=True)
                for tag in story_tags
            ),
            batch_size=1_000,
        )
        link_topics(stories, topics, ours)
        done += len(batch)
        progress(f"    {done:,} / {count:,} stories")


def link_topics(stories, topics, rng):
    """0–3 people, 0–2 organisations and 1–2 countries on each story."""
    from articles.models import Article

    for relation, field, pool, low, high in [
        (Article.people, "person", topics["people"], 0, 3),
        (Article.organisations, "organisation", topics["organisations"], 0, 2),
        (Article.countries, "country", topics["countries"], 1, 2),
    ]:
        links = [
            (story.pk, other.pk)
            for story in stories
            for other in rng.sample(pool, rng.randint(low, high))
        ]
        relation.through.objects.bulk_create(link_rows(relation, field, links), batch_size=1_000)


def generate(count):
    """The seed story and `count` generated stories, in bulk; returns the phase times."""
    from django.db import transaction
    from django.db.models import F

    from articles import search
    from articles.models import Article

    phases = Phases()
    anchor_rng, ours = random.Random(RANDOM_SEED), random.Random(RANDOM_SEED + 1)
    with transaction.atomic():
        with phases.phase("topics, authors and tags"):
            topics = build_topics()
            authors = build_authors()
            tags = build_tags()
        with phases.phase("seed story"):
            seed = build_seed_story(topics=topics, authors=authors, tags=tags, rng=ours)
        with phases.phase(f"{count:,} stories"):
            build_stories(
                count, topics=topics, authors=authors, tags=tags, rng=anchor_rng, ours=ours
            )
        with phases.phase("timestamps"):
            # bulk_create stamps every row "now"; the anchor's pages were last
            # changed when published, and so are ours, or every story shows "Updated".
            Article.objects.update(created_at=F("published_at"), updated_at=F("published_at"))
    with phases.phase("search index"):
        search.rebuild_index()
    with phases.phase("statistics"):
        analyze()
    return seed, phases.seconds


# --- Measuring in process ---------------------------------------------------------


def biggest(queryset):
    from django.db.models import Count

    return queryset.annotate(stories=Count("articles")).order_by("-stories", "pk").first()


def page_urls(seed):
    """Name and address of one page of each public type."""
    from django.urls import reverse

    from people.models import Country, Organisation, Person

    author = seed.bylines.first().person
    return {
        "home": reverse("articles:home"),
        "article": seed.get_absolute_url(),
        "section": seed.section.get_absolute_url(),
        "tag": reverse("articles:tag", args=[TAG]),
        "author": author.get_absolute_url(),
        # Of those with a picture: the page in its richest form, and the same form at
        # every size (a tie among the busiest may fall either way).
        "person": biggest(Person.objects.not_authors().exclude(photo=None)).get_absolute_url(),
        "organisation": biggest(Organisation.objects.exclude(logo=None)).get_absolute_url(),
        "country": biggest(Country.objects.all()).get_absolute_url(),
        "search": f"{reverse('articles:search')}?q={SEARCH_QUERY.replace(' ', '+')}",
        "rss": reverse("articles:feed-site-rss"),
        "sitemap index": reverse("sitemap-index"),
        "story sitemap": reverse("sitemap", kwargs={"section": "stories"}),
        # The read API (docs/api.md): the story list's first page, and one story.
        "api stories": reverse("api:story-list"),
        "api story": reverse("api:story-detail", args=[seed.pk]),
    }


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_page(client, url, *, warmup, repeats, budget):
    """Median and p95 (ms) of `repeats` GETs after `warmup`, and one GET's query count.

    Warm-up and timing each stop early after `budget` seconds (with at least
    1 and 3 requests): a slow page at 20,000 stories should not take minutes.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    for done in range(warmup):
        if done and time.perf_counter() - started > budget:
            break
        client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Read now: the next request clears the connection's query log.
    query_count = len(queries)
    assert response.status_code == 200, (url, response.status_code)
    samples, started = [], time.perf_counter()
    while len(samples) < repeats and (len(samples) < 3 or time.perf_counter() - started < budget):
        began = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - began) * 1000)
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
        "samples": len(samples),
        "queries": query_count,
        "kb": round(len(response.content) / 1024, 1),
    }


def measure_in_process(urls, *, warmup, repeats, budget):
    from django.test import Client

    client = Client()
    pages = {}
    for name, url in urls.items():
        timing = time_page(client, url, warmup=warmup, repeats=repeats, budget=budget)
        pages[name] = {"url": url, **timing}
        progress(f"  {name:<14} {pages[name]['median_ms']:>8} ms  {pages[name]['queries']} queries")
    return pages


# The lists whose plans decide whether a page stays flat as the archive grows.
EXPLAINED_PAGES = ("home", "section", "tag")


def explain_pages(urls):
    """Print (on stderr) the plan of every query on the stories table that each
    of `urls` runs: PostgreSQL's EXPLAIN, SQLite's EXPLAIN QUERY PLAN."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        story_queries = [
            query["sql"]
            for query in queries.captured_queries
            if query["sql"].startswith("SELECT") and '"articles_article"' in query["sql"]
        ]
        for sql in story_queries:
            with connection.cursor() as cursor:
                # The logged SQL has its parameters inlined, as a plan needs.
                cursor.execute(f"{explain} {sql}")
                plan = "\n".join("    " + " ".join(map(str, row)) for row in cursor.fetchall())
            progress(f"  {name}: {sql[:160]}…\n{plan}")


def analyze():
    """The state autovacuum would soon leave PostgreSQL in after the bulk load: fresh
    planner statistics, and the visibility map that lets counts read an index
    alone. SQLite is left as a site runs it (no ANALYZE)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # VACUUM cannot run in a transaction (the bench's smoke test runs in one).
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def child(args):
    """Migrate, fill and measure the database of DATABASE_URL; print one JSON line."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from articles.models import Article

    if args.only == "measure":
        from articles.demo.stories import MAIN_STORY

        seed, phases = Article.objects.get(slug=MAIN_STORY), {}
    else:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = round(time.perf_counter() - started, 2)
        progress(f"  migrations: {migrated} s")
        seed, phases = generate(args.stories)
        phases = {"migrations": migrated, **phases}
    if args.only == "build":
        print(json.dumps({"stories": args.stories, "vendor": connection.vendor, "phases": phases}))
        return
    # The test Client needs Django's test environment (response.context, testserver).
    setup_test_environment()
    urls = page_urls(seed)
    pages = measure_in_process(urls, warmup=args.warmup, repeats=args.repeats, budget=args.budget)
    if args.explain:
        explain_pages({name: urls[name] for name in EXPLAINED_PAGES})
    tagged = Article.objects.filter(tags__slug=TAG).count()
    print(
        json.dumps(
            {
                "stories": args.stories,
                "vendor": connection.vendor,
                "phases": phases,
                "pages": pages,
                "tag_stories": tagged,
            }
        )
    )


# --- Databases and environment ---------------------------------------------------


@contextmanager
def throwaway_database(stories, folder, base=None, keep=False):
    """The URL of an empty database for `stories`, dropped afterwards unless `keep`
    (to profile a page on it): on the PostgreSQL server of `base` (default:
    DATABASE_URL) if it names one, else SQLite."""
    base = os.environ.get("DATABASE_URL", "") if base is None else base
    if not base.startswith("postgres"):
        path = Path(folder) / f"bench-{stories}.sqlite3"
        try:
            yield f"sqlite:///{path}"
        finally:
            if not keep:
                path.unlink(missing_ok=True)
        return
    name = f"newsroom_bench_{stories}"
    postgres_command(base, f'DROP DATABASE IF EXISTS "{name}"')
    postgres_command(base, f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(base)._replace(path=f"/{name}"))
    finally:
        if not keep:
            postgres_command(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_command(url, sql):
    """Run `sql` on the server of `url`, outside any database we are about to drop."""
    import psycopg

    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql)


def site_environment(database_url, folder):
    """Production settings (DEBUG off) on the bench database, files in `folder`."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(Path(folder) / "static"),
        "NEWSROOM_VAR_DIR": str(folder),
        "DJANGO_LOG_LEVEL": "WARNING",
        # Rendered pages unless asked (`--page-cache`): what the archive's size costs.
        "NEWSROOM_PAGE_CACHE": os.environ.get("NEWSROOM_PAGE_CACHE", "0"),
        # The bench asks the API far more often than a reader may.
        "NEWSROOM_API_ANON_RATE": "1000000/min",
    }


def collect_static(folder):
    """Production serves hashed static names, so the manifest must exist."""
    env = site_environment(f"sqlite:///{Path(folder) / 'unused.sqlite3'}", folder)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def run_child(stories, database_url, folder, args, only=None):
    """The child's JSON line; `only` "build" fills the database, "measure" times a filled one."""
    command = [
        sys.executable,
        __file__,
        "--child",
        *(["--only", only] if only else []),
        "--stories",
        str(stories),
        "--repeats",
        str(args.repeats),
        "--warmup",
        str(args.warmup),
        "--budget",
        str(args.budget),
        *(["--explain"] if args.explain and only != "build" else []),
    ]
    done = subprocess.run(
        command, env=site_environment(database_url, folder), stdout=subprocess.PIPE, text=True
    )
    if done.returncode:
        sys.exit(f"the {stories:,}-story run failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextmanager
def alternating_rounds(sides, folder, args):
    """Build every side ({name: (stories, base)}, `base` as throwaway_database takes it)
    once, each database kept until the end, then measure them in process in `--rounds`
    rounds, the order reversing each round, so that a noisy neighbour weighs on every
    side alike. Yields ({name: database URL}, {name: build}, rounds), the databases
    still there; each round is {name: measured run}."""
    with ExitStack() as databases:
        urls = {
            name: databases.enter_context(throwaway_database(stories, folder, base=base))
            for name, (stories, base) in sides.items()
        }
        builds = {}
        for name, (stories, _) in sides.items():
            progress(f"{name}: building")
            builds[name] = run_child(stories, urls[name], folder, args, only="build")
        rounds = []
        for number in range(args.rounds):
            order = list(sides) if number % 2 == 0 else list(reversed(sides))
            measured = {}
            for name in order:
                progress(f"round {number + 1}, {name}:")
                measured[name] = run_child(sides[name][0], urls[name], folder, args, "measure")
            rounds.append(measured)
        yield urls, builds, rounds


def compare_databases(folder, args):
    """The same content on SQLite and on DATABASE_URL's PostgreSQL, in alternating
    rounds: ({vendor: build}, rounds)."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("--compare-databases needs DATABASE_URL=postgres://… (SQLite is the other side)")
    sides = {"sqlite": (args.stories, ""), "postgresql": (args.stories, base)}
    with alternating_rounds(sides, folder, args) as (_, builds, rounds):
        return builds, rounds


def compare_sizes(sizes, folder, args):
    """Both sizes on DATABASE_URL's server (or SQLite), in alternating rounds, then
    with `--load` wrk on each in turn while both databases are still there: one run
    per size, its pages the medians across rounds (see rounds_run)."""
    sides = {f"{stories:,} stories": (stories, None) for stories in sizes}
    with alternating_rounds(sides, folder, args) as (urls, builds, rounds):
        runs = [rounds_run(builds[name], [measured[name] for measured in rounds]) for name in sides]
        if args.load:
            for name, run in zip(sides, runs, strict=True):
                progress(f"{name} under load:")
                measure_under_load(run, urls[name], folder, args)
    return runs


def rounds_run(build, measured):
    """One side's rounds as one run: per page, the median across rounds of the
    median and of the p95; each round's pages under "rounds"."""

    def median(name, key):
        return round(statistics.median(run["pages"][name][key] for run in measured), 2)

    pages = {
        name: {**page, "median_ms": median(name, "median_ms"), "p95_ms": median(name, "p95_ms")}
        for name, page in measured[0]["pages"].items()
    }
    return {
        **build,
        "pages": pages,
        "tag_stories": measured[0]["tag_stories"],
        "rounds": [run["pages"] for run in measured],
    }


# --- Serving under load -----------------------------------------------------------

REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status + e.connect + e.read + e.write + e.timeout))
end
"""


def program(name):
    """The path of `name`, also where root's programs live when /usr/sbin is not on PATH."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")


def ensure_installed(name, *packages):
    """apt-get install `packages` (default: `name`) when the program `name` is missing."""
    if program(name):
        return
    packages = packages or (name,)
    progress(f"{name} is missing: apt-get install {' '.join(packages)}")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", *packages],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def ensure_wrk():
    ensure_installed("wrk")


def gunicorn_path():
    """A folder to put on PYTHONPATH for gunicorn, or None if the venv already has it.

    gunicorn is not a project dependency: it goes into a throwaway folder.
    """
    try:
        import gunicorn  # noqa: F401

        return None
    except ImportError:
        pass
    folder = Path(tempfile.gettempdir()) / "newsroom-bench-gunicorn"
    if not (folder / "gunicorn").is_dir():
        progress(f"pip install {GUNICORN_SPEC} into {folder}")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--target",
                str(folder),
                GUNICORN_SPEC,
            ],
            check=True,
        )
    return str(folder)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            # A worker's first page (imports, templates) takes seconds on a busy machine.
            with urllib.request.urlopen(url, timeout=seconds) as response:
                if response.status == 200:
                    return
        except OSError:  # refused while gunicorn starts, or timed out
            time.sleep(0.2)
    raise RuntimeError(f"no 200 from {url} within {seconds} s")


@contextmanager
def gunicorn(command, *, cwd, env, log):
    """Run `command` (a gunicorn with --bind on a free port) and yield its base URL."""
    port = free_port()
    command = [
        *command,
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    server = subprocess.Popen(command, cwd=cwd, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def newsroom_server(database_url, folder, **overrides):
    env = {**site_environment(database_url, folder), **overrides}
    extra = gunicorn_path()
    if extra:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [extra, env.get("PYTHONPATH")]))
    return gunicorn(
        [sys.executable, "-m", "gunicorn", "newsroom.wsgi:application"],
        cwd=ROOT,
        env=env,
        log=Path(folder) / "gunicorn-newsroom.log",
    )


def drain(url):
    """Wait until the server has answered what wrk left queued when it stopped.

    Sync workers go on serving the requests of connections wrk has closed; on
    a slow page that backlog would otherwise eat into the next run.
    """
    with urllib.request.urlopen(url, timeout=120) as response:
        response.read()


def wrk_command(*, close):
    headers = ["-H", "Connection: close"] if close else []
    # wrk's default 2 s timeout would drop, not count, a slow page's responses.
    return ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", "--timeout", "30s", *headers]


def wrk_result(output):
    """The figures our report script printed: rps, p50_ms, p99_ms, max_ms, errors."""
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    values = dict(pair.split("=") for pair in line.split()[1:])
    return {key: float(value) for key, value in values.items()}


def wrk(url, *, duration, warmup, script, close=False):
    """req/s, p50 and p99 (ms) of `wrk -t2 -c16` on `url`, after a warm-up run."""
    base = wrk_command(close=close)
    subprocess.run([*base, f"-d{warmup}", url], check=True, stdout=subprocess.DEVNULL)
    drain(url)
    done = subprocess.run(
        [*base, f"-d{duration}", "--latency", "-s", str(script), url],
        check=True,
        capture_output=True,
        text=True,
    )
    drain(url)
    return wrk_result(done.stdout)


def measure_under_load(run, database_url, folder, args):
    """wrk on every page of `run`, with and without keep-alive; adds `load` to each page."""
    script = write_report_script(folder)
    with newsroom_server(database_url, folder) as base:
        for name, page in run["pages"].items():
            page["load"] = {
                mode: wrk(
                    f"{base}{page['url']}",
                    duration=args.duration,
                    warmup=args.wrk_warmup,
                    script=script,
                    close=mode == "close",
                )
                for mode in ("keep-alive", "close")
            }
            progress(f"  {name:<14} {page['load']['keep-alive']['rps']:>8} req/s")


def write_report_script(folder):
    script = Path(folder) / "report.lua"
    script.write_text(REPORT_LUA)
    return script


# --- Against the Wagtail anchor ------------------------------------------------------

WAGTAIL_PAGES = {
    "article": "/morocco-us-sign-roadmap-for-defence-cooperation/",
    "home": "/",
    "tag": f"/tag/{TAG}/",
}


def ensure_anchor(anchor, stories, data):
    """Build the anchor (venv, Wagtail, `stories` articles) into `data`, once."""
    built = (data / "venv" / "bin" / "gunicorn").exists() and (data / "static").is_dir()
    if built and (data / "db.sqlite3").exists():
        progress(f"Wagtail anchor already built in {data}")
        return
    progress(f"building the Wagtail anchor with {stories:,} articles in {data}")
    started = time.perf_counter()
    subprocess.run(
        ["bash", str(anchor / "setup.sh"), str(stories)],
        env={**os.environ, "ANCHOR_DATA": str(data)},
        check=True,
    )
    progress(f"  built in {time.perf_counter() - started:.0f} s")


def wagtail_server(anchor, data, folder):
    env = {
        **os.environ,
        "ANCHOR_DATA": str(data),
        "PYTHONPYCACHEPREFIX": str(data / "pycache"),
        "DJANGO_SETTINGS_MODULE": "anchorsite.settings",
    }
    env.pop("DATABASE_URL", None)
    return gunicorn(
        [str(data / "venv" / "bin" / "gunicorn"), "anchorsite.wsgi:application"],
        cwd=anchor / "site",
        env=env,
        log=Path(folder) / "gunicorn-wagtail.log",
    )


def against_wagtail(run, database_url, folder, args):
    """The same wrk load on both sites, alternating: {page: {"ours": [...], "theirs": [...]}}."""
    anchor = Path(args.wagtail_anchor).resolve()
    default_data = Path(tempfile.gettempdir()) / f"newsroom-bench-wagtail-{args.stories}"
    data = Path(args.wagtail_data or default_data)
    ensure_anchor(anchor, args.stories, data)
    script = write_report_script(folder)
    results = {page: {"ours": [], "theirs": []} for page in WAGTAIL_PAGES}
    with (
        newsroom_server(database_url, folder) as ours,
        wagtail_server(anchor, data, folder) as theirs,
    ):
        for page, their_path in WAGTAIL_PAGES.items():
            for round_ in range(1, args.rounds + 1):
                urls = {"ours": ours + run["pages"][page]["url"], "theirs": theirs + their_path}
                for side, url in urls.items():
                    result = wrk(url, duration=args.duration, warmup=args.wrk_warmup, script=script)
                    results[page][side].append(result)
                    progress(f"  {page} round {round_} {side}: {result['rps']} req/s")
    return results


# --- Through a cache in front (--through varnish) -------------------------------------

VARNISH_DEPLOY = ROOT / "deploy" / "varnish"
VARNISH_STORAGE = "malloc,256m"
NGINX_WORKERS = WORKERS
# The seconds between two publishes in the burst, and how the publisher says
# one has committed (on stdout, where nothing else should be, but may).
PUBLISH_EVERY = 1.0
PUBLISHED = "PUBLISHED "

# The shipped backends.vcl's shape (health probe, round-robin director) with one
# server, the bench's gunicorn: what Varnish does in production, on loopback.
BACKENDS_VCL = """\
# Written by bench/pages.py: the bench's gunicorn, in the shape of
# deploy/varnish/backends.vcl.

import directors;

probe newsroom_up {{
    .url = "/robots.txt";
    .interval = 5s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
}}

backend app1 {{
    .host = "127.0.0.1";
    .port = "{port}";
    .probe = newsroom_up;
}}

sub vcl_init {{
    new newsroom = directors.round_robin();
    newsroom.add_backend(app1);
}}

sub vcl_recv {{
    set req.backend_hint = newsroom.backend();
}}
"""

# The anchor's nginx (../shared/anchors/wagtail/bench.sh), without keep-alive.
NGINX_CONF = """\
worker_processes {workers};
daemon off;
pid {here}/nginx.pid;
error_log {here}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    types {{ text/html html; }}
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {here}/body;
    proxy_temp_path {here}/proxy;
    fastcgi_temp_path {here}/fastcgi;
    uwsgi_temp_path {here}/uwsgi;
    scgi_temp_path {here}/scgi;
    # one connection per request, as wrk asks with Connection: close
    server {{ listen 127.0.0.1:{port}; root {here}/www; keepalive_timeout 0; }}
}}
"""


def write_vcl(folder, port):
    """The shipped newsroom.vcl, unchanged, beside a backends.vcl for a gunicorn
    on `port`, in `folder`; returns the backends.vcl.

    A copy, not vcl_path: `varnishd -C` finds an include next to the including
    file before it looks on vcl_path, and would compile the shipped backends.
    """
    folder = Path(folder)
    shutil.copyfile(VARNISH_DEPLOY / "newsroom.vcl", folder / "newsroom.vcl")
    path = folder / "backends.vcl"
    path.write_text(BACKENDS_VCL.format(port=port))
    return path


def varnishd_command(folder, *extra):
    """varnishd with the VCL that `write_vcl` put in `folder`, its state in `folder`/work."""
    return [
        program("varnishd") or "varnishd",
        *extra,
        # No privilege separation: the jail's user could not read a private folder.
        "-j",
        "none",
        "-f",
        str(Path(folder) / "newsroom.vcl"),
        "-n",
        str(Path(folder) / "work"),
        "-p",
        f"vcl_path={folder}",
    ]


def compile_vcl(folder):
    """Compile newsroom.vcl with the backends.vcl in `folder` (varnishd -C); the
    compiler's message on failure, None when it compiles."""
    done = subprocess.run(varnishd_command(folder, "-C"), capture_output=True, text=True)
    return None if done.returncode == 0 else done.stderr.strip()


@contextmanager
def varnishd(folder, *, port, backend_port):
    """varnishd on 127.0.0.1:`port` in front of the gunicorn on `backend_port`;
    yields its work folder (for varnishstat) once it answers through the backend."""
    folder = Path(folder)
    folder.mkdir(exist_ok=True)
    write_vcl(folder, backend_port)
    if problem := compile_vcl(folder):
        raise RuntimeError(f"newsroom.vcl does not compile with the bench's backend:\n{problem}")
    command = varnishd_command(
        folder,
        "-F",
        "-a",
        f"127.0.0.1:{port}",
        "-T",
        "none",
        "-s",
        VARNISH_STORAGE,
    )
    with open(folder / "varnishd.log", "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        # 503 until the health probe has seen the backend answer.
        wait_for(f"http://127.0.0.1:{port}/robots.txt")
        yield folder / "work"
    finally:
        process.terminate()
        process.wait(timeout=30)


def varnish_counters(work):
    """MAIN.cache_hit and MAIN.cache_miss of the varnishd whose state is in `work`."""
    done = subprocess.run(
        ["varnishstat", "-n", str(work), "-1", "-f", "MAIN.cache_hit", "-f", "MAIN.cache_miss"],
        check=True,
        capture_output=True,
        text=True,
    )
    counters = {}
    for line in done.stdout.splitlines():
        name, value, *_ = line.split()
        counters[name.removeprefix("MAIN.")] = int(value)
    return counters


def hit_ratio(before, after):
    hits = after["cache_hit"] - before["cache_hit"]
    misses = after["cache_miss"] - before["cache_miss"]
    return {
        "hits": hits,
        "misses": misses,
        "ratio": hits / (hits + misses) if hits + misses else 0.0,
    }


@contextmanager
def nginx_serving(html):
    """nginx (the anchor's configuration) serving `html` as /article.html; yields its URL.

    Its own folder, readable by everyone: nginx's workers drop root's rights,
    and the bench's folder is private.
    """
    here = Path(tempfile.mkdtemp(prefix="newsroom-bench-nginx-"))
    here.chmod(0o755)
    (here / "www").mkdir(mode=0o755)
    (here / "www" / "article.html").write_bytes(html)
    port = free_port()
    (here / "nginx.conf").write_text(NGINX_CONF.format(workers=NGINX_WORKERS, here=here, port=port))
    nginx = program("nginx") or "nginx"
    command = [
        nginx,
        "-c",
        str(here / "nginx.conf"),
        "-p",
        f"{here}/",
        "-e",
        str(here / "error.log"),
    ]
    server = subprocess.Popen(command)
    url = f"http://127.0.0.1:{port}/article.html"
    try:
        wait_for(url)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(here, ignore_errors=True)


def fetch(url):
    """One anonymous GET without keep-alive: (status, headers, body bytes)."""
    request = urllib.request.Request(url, headers={"Connection": "close"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def purging_environment(varnish_port):
    """Varnish is what caches: the page cache off, every purge sent to it."""
    return {
        "NEWSROOM_PAGE_CACHE": "0",
        "NEWSROOM_PURGE_BACKEND": "varnish",
        "NEWSROOM_VARNISH_URLS": f"http://127.0.0.1:{varnish_port}/",
    }


def through_varnish(run, database_url, folder, args):
    """The cached article through Varnish against nginx serving its bytes, in turn
    for `--rounds` rounds (and rendered, for reference), then the publishing burst."""
    script = write_report_script(folder)
    varnish_port = free_port()
    purging = purging_environment(varnish_port)
    article, home = run["pages"]["article"]["url"], run["pages"]["home"]["url"]
    results = {"rounds": []}
    with (
        newsroom_server(database_url, folder, **purging) as direct,
        varnishd(
            Path(folder) / "varnish", port=varnish_port, backend_port=urlsplit(direct).port
        ) as work,
    ):
        front = f"http://127.0.0.1:{varnish_port}"
        status, _, html = fetch(direct + article)
        assert status == 200, (article, status)
        with nginx_serving(html) as static:
            urls = {"varnish": front + article, "nginx": static, "rendered": direct + article}
            for round_ in range(1, args.rounds + 1):
                figures = {}
                for side, url in urls.items():
                    figures[side] = wrk(
                        url,
                        duration=args.duration,
                        warmup=args.wrk_warmup,
                        script=script,
                        close=True,
                    )
                    progress(f"  article round {round_} {side}: {figures[side]['rps']} req/s")
                results["rounds"].append(figures)
        results["kb"] = round(len(html) / 1024, 1)
        results["burst"] = publishing_burst(
            front + home,
            direct + home,
            work,
            database_url,
            folder,
            args,
            script=script,
            purging=purging,
        )
    return results


def publishing_burst(home, direct_home, work, database_url, folder, args, *, script, purging):
    """wrk on the home page through Varnish for `--burst-seconds` while a separate
    process publishes a new story a second; after each publish has committed,
    a separate client must see its headline on the home page through Varnish."""
    publisher = subprocess.Popen(
        [sys.executable, __file__, "--publisher", "--burst-seconds", str(args.burst_seconds)],
        env={
            **site_environment(database_url, folder),
            **purging,
            # Nobody to tell; the console backend would write to our stdout.
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        },
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert publisher.stdout.readline().strip() == "READY", "the publisher did not start"
        assert fetch(home)[0] == 200
        before = varnish_counters(work)
        load = subprocess.Popen(
            [
                *wrk_command(close=True),
                f"-d{args.burst_seconds}s",
                "--latency",
                "-s",
                str(script),
                home,
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        publisher.stdin.write("go\n")
        publisher.stdin.flush()
        checks = [
            check_fresh(home, direct_home, line.removeprefix(PUBLISHED))
            for line in publisher.stdout
            if line.startswith(PUBLISHED)
        ]
        load_output, _ = load.communicate()
        after = varnish_counters(work)
    finally:
        publisher.wait(timeout=60)
    if publisher.returncode:
        sys.exit("the publisher failed")
    stale = [check for check in checks if not check["fresh"]]
    for previous, check in zip([None, *checks], checks, strict=False):
        if not check["fresh"]:
            # How soon after the previous publish's purge this one committed: a
            # render that purge started may still have been running.
            gap = check["committed"] - previous["committed"] if previous else None
            progress(f"  STALE after publishing ({gap=:.3f} s): {check}")
    return {
        "load": wrk_result(load_output),
        **hit_ratio(before, after),
        "published": len(checks),
        "stale": len(stale),
        "check_hits": sum(check["hit"] for check in checks),
    }


def shows(url, headline):
    status, headers, body = fetch(url)
    return status == 200 and headline.encode() in body, headers


def check_fresh(home, direct_home, line):
    """The home page through Varnish, fetched once the publish on `line` has
    committed (and purged): does it show the new headline?

    When it does not, says where the old page came from: rendered again by
    Newsroom now (direct), and through Varnish once more.
    """
    published = json.loads(line)
    headline = published["headline"]
    fresh, headers = shows(home, headline)
    check = {
        **published,
        "fresh": fresh,
        "hit": headers.get("X-Cache") == "hit",
        "x_varnish": headers.get("X-Varnish"),
        "age": headers.get("Age"),
    }
    if not fresh:
        check["rendered_now_shows_it"] = shows(direct_home, headline)[0]
        check["varnish_again_shows_it"] = shows(home, headline)[0]
    return check


def publish_stories(args):
    """Publish a new story a second, through the workflow, for `--burst-seconds`:
    prints READY, waits for a line on stdin, then one JSON line per committed publish."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import Group, User

    from articles import workflow
    from articles.models import Article, Section, Status

    editor, _ = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
    editor.groups.add(Group.objects.get(name="Editors"))
    section = Section.objects.order_by("pk").first()
    print("READY", flush=True)
    sys.stdin.readline()
    started = time.monotonic()
    count = int(args.burst_seconds / PUBLISH_EVERY)
    for number in range(1, count + 1):
        headline = f"Burst story {number} of {count}"
        began = time.time()
        draft = Article.objects.create(
            headline=headline,
            standfirst="Published by the bench while readers load the home page.",
            body="<p>One paragraph.</p>",
            section=section,
            status=Status.DRAFT,
        )
        # Returns once committed, the purge sent to Varnish (after commit).
        workflow.publish(draft, by=editor)
        done = {"headline": headline, "began": began, "committed": time.time()}
        print(PUBLISHED + json.dumps(done), flush=True)
        # On the beat: a slow publish shortens the wait, it does not shift the rest.
        time.sleep(max(0.0, started + number * PUBLISH_EVERY - time.monotonic()))


# --- Printing -------------------------------------------------------------------------


def table(headers, rows):
    rows = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    print(line(headers))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line(row))
    print()


def print_run(run):
    phases = ", ".join(f"{name} {seconds} s" for name, seconds in run["phases"].items())
    rounds = f"; each figure the median of {len(run['rounds'])} rounds" if "rounds" in run else ""
    print(
        f"\n{run['stories']:,} stories on {run['vendor']} ({phases}); "
        f"tag {TAG!r} has {run['tag_stories']} stories{rounds}\n"
    )
    loaded = all("load" in page for page in run["pages"].values())
    headers = ["page", "URL", "median ms", "p95 ms", "queries", "KB"]
    if loaded:
        headers += ["req/s", "p50 ms", "p99 ms", "req/s close", "p50 close", "p99 close"]
        # The slowest single request of both runs: the "none over 2 s" bound.
        headers += ["max ms", "errors"]
    rows = []
    for name, page in run["pages"].items():
        row = [name, page["url"], page["median_ms"], page["p95_ms"], page["queries"], page["kb"]]
        if loaded:
            for mode in ("keep-alive", "close"):
                load = page["load"][mode]
                row += [load["rps"], load["p50_ms"], load["p99_ms"]]
            runs = [page["load"]["keep-alive"], page["load"]["close"]]
            row.append(max(run["max_ms"] for run in runs))
            row.append(int(sum(run["errors"] for run in runs)))
        rows.append(row)
    table(headers, rows)


def round_ratios(tops, bottoms):
    """Each round's ratio of one page's medians, `tops` over `bottoms` (its pages by round)."""
    return [
        top["median_ms"] / bottom["median_ms"] for top, bottom in zip(tops, bottoms, strict=True)
    ]


def print_comparison(small, large):
    print(
        f"{large['stories']:,} / {small['stories']:,} stories, in process, "
        f"{len(small['rounds'])} rounds alternating (median of each round's medians; "
        f"ratio per round):\n"
    )
    rows = []
    for name, page in small["pages"].items():
        other = large["pages"][name]
        ratios = round_ratios(
            [pages[name] for pages in large["rounds"]], [pages[name] for pages in small["rounds"]]
        )
        rows.append(
            [
                name,
                page["median_ms"],
                other["median_ms"],
                f"{other['median_ms'] / page['median_ms']:.2f}×",
                " ".join(f"{ratio:.2f}" for ratio in ratios),
                f"{statistics.median(ratios):.2f}×",
                page["queries"],
                other["queries"],
                "yes" if page["queries"] == other["queries"] else "NO",
            ]
        )
    table(
        [
            "page",
            f"median ms {small['stories']:,}",
            f"median ms {large['stories']:,}",
            "ratio of medians",
            "ratio each round",
            "median ratio",
            f"queries {small['stories']:,}",
            f"queries {large['stories']:,}",
            "same queries",
        ],
        rows,
    )


def print_against_wagtail(results, args):
    print(
        f"Newsroom vs Wagtail, {args.stories:,} stories, gunicorn {WORKERS} sync workers, "
        f"wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{args.duration}, alternating:\n"
    )
    rows = []
    for page, sides in results.items():
        for round_, (ours, theirs) in enumerate(
            zip(sides["ours"], sides["theirs"], strict=False), 1
        ):
            ratio = f"{ours['rps'] / theirs['rps']:.2f}×"
            rows.append(
                [page, round_, ours["rps"], theirs["rps"], ratio, ours["p99_ms"], theirs["p99_ms"]]
            )
        ours = round(statistics.median(r["rps"] for r in sides["ours"]), 1)
        theirs = round(statistics.median(r["rps"] for r in sides["theirs"]), 1)
        rows.append([page, "median", ours, theirs, f"{ours / theirs:.2f}×", "", ""])
    table(
        [
            "page",
            "round",
            "Newsroom req/s",
            "Wagtail req/s",
            "Newsroom/Wagtail",
            "Newsroom p99 ms",
            "Wagtail p99 ms",
        ],
        rows,
    )


def print_database_comparison(builds, rounds, args):
    for vendor, build in builds.items():
        phases = ", ".join(f"{name} {seconds} s" for name, seconds in build["phases"].items())
        print(f"{args.stories:,} stories on {vendor}: {phases}")
    print(
        f"\nPostgreSQL / SQLite, in process, {args.stories:,} stories, {len(rounds)} rounds "
        f"alternating (median of each round's medians; ratio per round):\n"
    )
    rows = []
    for name in rounds[0]["sqlite"]["pages"]:
        sqlite = [measured["sqlite"]["pages"][name] for measured in rounds]
        postgres = [measured["postgresql"]["pages"][name] for measured in rounds]
        ratios = round_ratios(postgres, sqlite)
        rows.append(
            [
                name,
                round(statistics.median(page["median_ms"] for page in sqlite), 1),
                round(statistics.median(page["median_ms"] for page in postgres), 1),
                " ".join(f"{ratio:.2f}" for ratio in ratios),
                f"{statistics.median(ratios):.2f}×",
                f"{sqlite[0]['queries']} / {postgres[0]['queries']}",
            ]
        )
    table(
        ["page", "SQLite ms", "PostgreSQL ms", "ratio each round", "median ratio", "queries"],
        rows,
    )


def print_through_varnish(results, args):
    print(
        f"The article ({results['kb']} KB), cached by Varnish ({VARNISH_STORAGE}) against "
        f"nginx serving the same bytes from disk ({NGINX_WORKERS} workers), and rendered by "
        f"gunicorn ({WORKERS} sync workers); wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} "
        f"-d{args.duration} -H 'Connection: close', in turn:\n"
    )
    sides = ("varnish", "nginx", "rendered")
    rows = []
    for round_, figures in enumerate(results["rounds"], 1):
        varnish, nginx, rendered = (figures[side] for side in sides)
        rows.append(
            [
                round_,
                varnish["rps"],
                nginx["rps"],
                f"{varnish['rps'] / nginx['rps']:.0%}",
                rendered["rps"],
                int(sum(figures[side]["errors"] for side in sides)),
            ]
        )
    medians = {
        side: round(statistics.median(figures[side]["rps"] for figures in results["rounds"]), 1)
        for side in sides
    }
    ratio = medians["varnish"] / medians["nginx"]
    rows.append(
        ["median", *(medians[side] for side in sides[:2]), f"{ratio:.0%}", medians["rendered"], ""]
    )
    table(
        ["round", "Varnish req/s", "nginx req/s", "Varnish/nginx", "rendered req/s", "errors"],
        rows,
    )
    burst = results["burst"]
    print(
        f"Burst: wrk on the home page through Varnish for {args.burst_seconds} s "
        f"({burst['load']['rps']} req/s, p99 {burst['load']['p99_ms']} ms, "
        f"{int(burst['load']['errors'])} errors) while {burst['published']} stories were "
        f"published, one a second:\n"
        f"  hit ratio {burst['ratio']:.2%} ({burst['hits']:,} hits, {burst['misses']:,} misses; "
        f"acceptance >= 95%)\n"
        f"  stale home pages after a publish: {burst['stale']} of {burst['published']} "
        f"(acceptance: none; {burst['check_hits']} of the checks were hits of a fresh copy)\n"
        f"  Varnish/nginx on the article: {ratio:.0%} (acceptance >= 50%)\n"
    )


# --- Main ---------------------------------------------------------------------------------


def arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--stories", type=int, default=2000, help="generated stories (default 2000)"
    )
    parser.add_argument(
        "--compare",
        help="two sizes, e.g. 2000,20000, alternating --rounds rounds in process: "
        "the larger/smaller ratio per page",
    )
    parser.add_argument("--repeats", type=int, default=20, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    parser.add_argument(
        "--budget",
        type=float,
        default=10.0,
        help="seconds of warm-up, then of timing, per page at most (default 10)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the database's plan of each story query of " + ", ".join(EXPLAINED_PAGES),
    )
    parser.add_argument("--load", action="store_true", help="also gunicorn + wrk on every page")
    parser.add_argument("--duration", default="10s", help="wrk run per page (default 10s)")
    parser.add_argument("--wrk-warmup", default="3s", help="wrk warm-up run per page (default 3s)")
    parser.add_argument(
        "--against-wagtail",
        action="store_true",
        help="same wrk load on the Wagtail anchor: article, home, tag",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="alternations per page against Wagtail, of the sides --through compares, "
        "or in process of the sizes --compare or the databases --compare-databases "
        "compares (default 2)",
    )
    parser.add_argument("--wagtail-anchor", default=str(DEFAULT_ANCHOR), help="the anchor's folder")
    parser.add_argument(
        "--wagtail-data", help="the anchor's ANCHOR_DATA (default: a temp folder per N)"
    )
    parser.add_argument(
        "--page-cache",
        action="store_true",
        help="serve anonymous pages from the embedded page cache (production's default)",
    )
    parser.add_argument(
        "--through",
        choices=["varnish"],
        help="the cached article through Varnish against nginx, then a publishing burst",
    )
    parser.add_argument(
        "--burst-seconds",
        type=int,
        default=60,
        help="--through: seconds of load on the home page, one publish a second (default 60)",
    )
    parser.add_argument(
        "--compare-databases",
        action="store_true",
        help="the same content on SQLite and DATABASE_URL's PostgreSQL, alternating "
        "--rounds rounds in process: PostgreSQL/SQLite per page",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary folder and the database (on PostgreSQL newsroom_bench_N), to profile on",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=["build", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--publisher", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(args):
    sizes = sorted(int(size) for size in args.compare.split(",")) if args.compare else []
    if (args.against_wagtail or args.through or args.compare_databases) and args.compare:
        sys.exit("--against-wagtail, --through and --compare-databases take one size (--stories)")
    if args.compare and (len(sizes) != 2 or sizes[0] == sizes[1]):
        sys.exit("--compare takes two different sizes, e.g. 2000,20000")
    if args.compare_databases and (args.load or args.against_wagtail or args.through):
        sys.exit("--compare-databases measures in process only")
    if args.load or args.against_wagtail or args.through:
        ensure_wrk()
    if args.through == "varnish":
        ensure_installed("nginx")
        ensure_installed("varnishd", "varnish", "varnish-modules")
    os.environ["NEWSROOM_PAGE_CACHE"] = "1" if args.page_cache else "0"
    folder = tempfile.mkdtemp(prefix="newsroom-bench-")
    try:
        progress(f"collectstatic into {folder}")
        collect_static(folder)
        if args.compare_databases:
            print_database_comparison(*compare_databases(folder, args), args)
            return
        if args.compare:
            runs = compare_sizes(sizes, folder, args)
            for run in runs:
                print_run(run)
            print_comparison(*runs)
            return
        with throwaway_database(args.stories, folder, keep=args.keep) as database_url:
            progress(f"{args.stories:,} stories:")
            run = run_child(args.stories, database_url, folder, args)
            if args.load:
                measure_under_load(run, database_url, folder, args)
            versus = cached = None
            if args.against_wagtail:
                versus = against_wagtail(run, database_url, folder, args)
            if args.through == "varnish":
                cached = through_varnish(run, database_url, folder, args)
        print_run(run)
        if versus:
            print_against_wagtail(versus, args)
        if cached:
            print_through_varnish(cached, args)
    finally:
        if args.keep:
            progress(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    options = arguments()
    if options.child:
        child(options)
    elif options.publisher:
        publish_stories(options)
    else:
        main(options)
