"""Settings come from the environment, with defaults that cannot hurt production."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

ROOT = Path(__file__).resolve().parents[1]


def clean_environment():
    """This process's environment without any of the newsroom's own variables."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_", "SENTRY_"))
    }
    clean.pop("DATABASE_URL", None)
    clean.pop("REDIS_URL", None)
    return clean


def load_settings(**env):
    """Import the settings module in a fresh interpreter with only `env` set."""
    clean = clean_environment()
    script = (
        "import json, newsroom.settings as s;"
        "print(json.dumps({'DEBUG': s.DEBUG, 'ENGINE': s.DATABASES['default']['ENGINE'],"
        "'CACHE': s.CACHES['default']['BACKEND'], 'HOSTS': s.ALLOWED_HOSTS, 'TZ': s.TIME_ZONE,"
        "'CACHE_OPTIONS': s.CACHES['default'].get('OPTIONS', {}),"
        "'CONN_MAX_AGE': s.DATABASES['default']['CONN_MAX_AGE'],"
        "'CONN_HEALTH_CHECKS': s.DATABASES['default']['CONN_HEALTH_CHECKS'],"
        "'DATABASE_OPTIONS': s.DATABASES['default'].get('OPTIONS', {}),"
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


def test_postgresql_prepares_the_statements_a_connection_runs_again_and_again():
    settings = json.loads(
        load_settings(DJANGO_DEBUG="1", DATABASE_URL="postgres://newsroom@db/newsroom").stdout
    )
    assert settings["DATABASE_OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}


def test_a_pooler_without_prepared_statements_can_have_them_turned_off():
    settings = json.loads(
        load_settings(
            DJANGO_DEBUG="1",
            DATABASE_URL="postgres://newsroom@pgbouncer/newsroom",
            DATABASE_PREPARED_STATEMENTS="0",
        ).stdout
    )
    assert settings["DATABASE_OPTIONS"] == {}


def test_only_postgresql_is_asked_to_prepare_statements():
    settings = json.loads(
        load_settings(DJANGO_DEBUG="1", DATABASE_URL="mysql://newsroom@db/newsroom").stdout
    )
    assert settings["DATABASE_OPTIONS"] == {}


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_the_cache_round_trips_through_redis():
    cache.set("newsroom-settings-test", {"story": 1}, 30)
    assert cache.get("newsroom-settings-test") == {"story": 1}
    cache.delete("newsroom-settings-test")


def load_values(expression, **env):
    """`expression` over the settings module `s`, imported with only `env` set."""
    script = f"import json, newsroom.settings as s; print(json.dumps({expression}))"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean_environment(), "DJANGO_SECRET_KEY": "k", **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


HTTPS_SETTINGS = (
    "[s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
    " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD]"
)


def test_a_newcomer_is_never_held_to_https():
    assert load_values(HTTPS_SETTINGS) == [False, 0, False, False]


def test_https_redirect_and_hsts_follow_the_environment():
    assert load_values(
        HTTPS_SETTINGS,
        DJANGO_SSL_REDIRECT="1",
        DJANGO_HSTS_SECONDS="63072000",
        DJANGO_HSTS_INCLUDE_SUBDOMAINS="1",
        DJANGO_HSTS_PRELOAD="1",
    ) == [True, 63072000, True, True]


def test_pictures_may_come_from_the_media_origin_and_the_listed_sources():
    img_src = 's.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]'
    assert load_values(img_src) == ["'self'"]
    assert load_values(
        img_src,
        DJANGO_MEDIA_URL="https://media.example.org/newsroom/",
        NEWSROOM_CSP_IMG_SRC="https://images.example.net",
    ) == ["'self'", "https://media.example.org", "https://images.example.net"]
