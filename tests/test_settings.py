"""Settings come from the environment, with defaults that cannot hurt production."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

ROOT = Path(__file__).resolve().parents[1]


def load_settings(**env):
    """Import the settings module in a fresh interpreter with only `env` set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))}
    clean.pop("DATABASE_URL", None)
    clean.pop("REDIS_URL", None)
    script = (
        "import json, newsroom.settings as s;"
        "print(json.dumps({'DEBUG': s.DEBUG, 'ENGINE': s.DATABASES['default']['ENGINE'],"
        "'CACHE': s.CACHES['default']['BACKEND'], 'HOSTS': s.ALLOWED_HOSTS, 'TZ': s.TIME_ZONE,"
        "'CACHE_OPTIONS': s.CACHES['default'].get('OPTIONS', {}),"
        "'CONN_MAX_AGE': s.DATABASES['default']['CONN_MAX_AGE'],"
        "'CONN_HEALTH_CHECKS': s.DATABASES['default']['CONN_HEALTH_CHECKS'],"
        "'REQUIRE_2FA': s.NEWSROOM_REQUIRE_2FA}))"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_without_debug_a_missing_secret_key_is_refused_by_name():
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = load_settings(DJANGO_SECRET_KEY="k")
    assert '"DEBUG": false' in result.stdout
    assert '"HOSTS": []' in result.stdout


def test_two_factor_sign_in_is_required_in_production_and_not_on_a_laptop():
    assert '"REQUIRE_2FA": true' in load_settings(DJANGO_SECRET_KEY="k").stdout
    assert '"REQUIRE_2FA": false' in load_settings(DJANGO_DEBUG="1").stdout


def test_two_factor_sign_in_can_be_turned_off_by_the_environment():
    result = load_settings(DJANGO_SECRET_KEY="k", NEWSROOM_REQUIRE_2FA="0")
    assert '"REQUIRE_2FA": false' in result.stdout


def test_database_and_cache_follow_the_environment():
    result = load_settings(
        DJANGO_SECRET_KEY="k",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom",
        REDIS_URL="redis://127.0.0.1:6379/0",
        NEWSROOM_TIME_ZONE="Africa/Casablanca",
    )
    assert "postgresql" in result.stdout
    assert "RedisCache" in result.stdout
    assert "Africa/Casablanca" in result.stdout


def test_a_redis_cache_survives_an_outage_and_gives_up_on_a_hung_redis_quickly():
    result = load_settings(
        DJANGO_SECRET_KEY="k", REDIS_URL="redis://127.0.0.1:6379/0", REDIS_TIMEOUT="0.2"
    )
    settings = json.loads(result.stdout)
    assert settings["CACHE"] == "newsroom.cache.ResilientRedisCache"
    assert settings["CACHE_OPTIONS"] == {
        "socket_connect_timeout": 0.25,
        "socket_timeout": 0.2,
        "retry_after": 5.0,
    }


def test_the_embedded_default_is_sqlite_with_a_local_memory_cache():
    result = load_settings(DJANGO_DEBUG="1")
    assert "sqlite3" in result.stdout
    assert "LocMemCache" in result.stdout


def test_workers_keep_their_database_connection_and_check_it_before_reuse():
    settings = json.loads(load_settings(DJANGO_DEBUG="1").stdout)
    assert settings["CONN_MAX_AGE"] == 600
    assert settings["CONN_HEALTH_CHECKS"] is True


def test_keeping_connections_can_be_turned_off():
    settings = json.loads(load_settings(DJANGO_DEBUG="1", DATABASE_CONN_MAX_AGE="0").stdout)
    assert settings["CONN_MAX_AGE"] == 0


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_the_cache_round_trips_through_redis():
    cache.set("newsroom-settings-test", {"story": 1}, 30)
    assert cache.get("newsroom-settings-test") == {"story": 1}
    cache.delete("newsroom-settings-test")
