"""A Redis outage makes public pages slower, never broken, and is logged once.

The cache is configured as `newsroom/settings.py` configures it for a
`REDIS_URL`, pointed at a closed local port (nothing listens on port 1). The
recovery test uses the real Redis on 127.0.0.1:6379 (database 15), when there
is one.
"""

import logging

import pytest
import redis
from django.core.cache import cache

from newsroom import cache as resilient_cache
from newsroom.settings import redis_cache
from tests.factories import (
    country,
    make_article,
    make_author,
    make_journalist,
    make_organisation,
    make_person,
    make_section,
)

pytestmark = pytest.mark.django_db

DOWN = "redis://127.0.0.1:1/0"
REAL = "redis://127.0.0.1:6379/15"
LOGGER = "newsroom.cache"


@pytest.fixture(autouse=True)
def no_outage_remembered(monkeypatch):
    # Outages are remembered per process, across tests: start each test afresh.
    monkeypatch.setattr(resilient_cache, "_HEALTH", {})


def use_cache(settings, url, **options):
    caches = redis_cache(url)
    caches["default"]["OPTIONS"].update(options)
    settings.CACHES = caches


@pytest.fixture
def public_pages():
    """One URL of every public page type, all about one public story."""
    author = make_author(make_journalist(username="samir"))
    person, organisation = make_person("Mark Esper"), make_organisation("NATO")
    story = make_article(
        "Roadmap signed",
        section=make_section("Defence"),
        authors=[author],
        people=[person],
        organisations=[organisation],
        countries=[country("MA")],
        tags=["roadmap"],
    )
    return {
        "home": "/",
        "article": story.get_absolute_url(),
        "section": "/section/defence/",
        "tag": "/tag/roadmap/",
        "person": person.get_absolute_url(),
        "organisation": organisation.get_absolute_url(),
        "country": "/countries/ma/",
        "author": author.get_absolute_url(),
        "search": "/search/?q=roadmap",
        "feed": "/feeds/rss/",
        "sitemap index": "/sitemap.xml",
    }


def outage_records(caplog):
    return [
        record
        for record in caplog.records
        if record.name == LOGGER and record.levelno >= logging.WARNING
    ]


def test_every_public_page_answers_while_the_cache_is_unreachable(client, settings, public_pages):
    use_cache(settings, DOWN)
    answers = {page: client.get(url).status_code for page, url in public_pages.items()}
    assert answers == dict.fromkeys(public_pages, 200)


def test_an_unreachable_cache_is_logged_once_however_many_requests_fail(
    client, settings, public_pages, caplog
):
    use_cache(settings, DOWN, retry_after=0)  # every request tries again, and fails
    caplog.set_level(logging.INFO, logger=LOGGER)
    for url in public_pages.values():
        client.get(url)
    [record] = outage_records(caplog)
    assert "127.0.0.1:1" in record.getMessage()


def test_the_log_names_the_server_without_its_password(settings, caplog):
    use_cache(settings, "redis://:s3cret@127.0.0.1:1/0", retry_after=0)
    caplog.set_level(logging.INFO, logger=LOGGER)
    assert cache.get("anything", "missed") == "missed"
    [record] = outage_records(caplog)
    assert "s3cret" not in record.getMessage()


def test_every_operation_answers_as_a_miss_while_the_cache_is_unreachable(settings):
    use_cache(settings, DOWN, retry_after=0)
    assert cache.get("key", "default") == "default"
    assert cache.add("key", 1) is False
    assert cache.set("key", 1) is None
    assert cache.get_or_set("key", 2) == 2
    assert cache.get_many(["key"]) == {}
    assert cache.set_many({"key": 1}) == ["key"]
    assert cache.has_key("key") is False
    assert cache.touch("key") is False
    assert cache.delete("key") is False
    assert cache.delete_many(["key"]) is None
    with pytest.raises(ValueError):
        cache.incr("key")


def test_after_a_failure_the_cache_rests_before_it_is_tried_again(settings, monkeypatch):
    use_cache(settings, DOWN, retry_after=60)
    tries = []
    original = redis.Redis.execute_command

    def counted(self, *args, **options):
        tries.append(args[0])
        return original(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    for _ in range(5):
        cache.get("key")
    assert tries == ["GET"]


def real_redis():
    try:
        client = redis.Redis.from_url(REAL, socket_connect_timeout=0.5)
        client.ping()
    except redis.exceptions.RedisError:
        return None
    return client


def test_a_recovered_cache_is_logged_once_and_used_again(settings, monkeypatch, caplog):
    client = real_redis()
    if client is None:
        pytest.skip(f"no Redis at {REAL}")
    use_cache(settings, REAL, retry_after=0)
    caplog.set_level(logging.INFO, logger=LOGGER)
    try:
        pools = cache._cache._pools  # the Redis client's connection pools, by server
        down = redis.ConnectionPool.from_url(DOWN)
        monkeypatch.setitem(pools, 0, down)  # the outage: every command refused
        cache.set("newsroom-outage-test", "during")
        assert cache.get("newsroom-outage-test") is None
        monkeypatch.delitem(pools, 0)  # Redis is back: a fresh pool to the real one
        cache.set("newsroom-outage-test", "after")
        assert cache.get("newsroom-outage-test") == "after"
        assert cache.get("newsroom-outage-test") == "after"
        messages = [r.getMessage() for r in caplog.records if r.name == LOGGER]
        assert len(messages) == 2
        assert "unreachable" in messages[0] and "reachable again" in messages[1]
    finally:
        client.delete(cache.make_key("newsroom-outage-test"))
