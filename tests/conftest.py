import os
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission

from tests.factories import (
    make_article,
    make_editor,
    make_journalist,
    make_section,
)
from tests.redis_databases import redis_database


@pytest.fixture(scope="session", autouse=True)
def each_test_process_has_its_own_redis_database(worker_id):
    """`make test` runs one process per core (pytest-xdist), and each test empties
    the cache, which on Redis empties the whole database (FLUSHDB): the processes
    would empty each other's caches mid-test. Worker n takes REDIS_URL's database
    minus n, and so do the servers its tests start (they read REDIS_URL)."""
    from django.conf import settings
    from django.test import override_settings

    url = os.environ.get("REDIS_URL")
    if not url or worker_id == "master":
        yield
        return
    own = redis_database(url, int(worker_id.removeprefix("gw")))
    os.environ["REDIS_URL"] = own
    caches = {**settings.CACHES}
    caches["default"] = {**caches["default"], "LOCATION": own}
    with override_settings(CACHES=caches):
        yield
    os.environ["REDIS_URL"] = url


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_run_after_commit_in_the_test(settings):
    """The outbox's tasks run where they are queued, after commit: no worker needed.
    tests/webhooks/ runs the real workers (`db_worker`, `rqworker`) in subprocesses."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def client_login_brings_a_request(monkeypatch):
    """The test client's `login()` authenticates without a request, which django-axes
    (first in AUTHENTICATION_BACKENDS) refuses: give it one, as the sign-in form does,
    so that `client.login` still goes through the throttle like a real sign-in."""
    from django.test import Client, RequestFactory

    login = Client.login

    def login_with_a_request(self, **credentials):
        credentials.setdefault("request", RequestFactory().post("/admin/login/"))
        return login(self, **credentials)

    monkeypatch.setattr(Client, "login", login_with_a_request)


@pytest.fixture(autouse=True)
def each_test_starts_with_an_empty_cache():
    """A test's rows are rolled back, never deleted: what a page cached from them
    (the site furniture) must not outlive the test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def search_index_written_at_each_commit_point(request, monkeypatch):
    """Search documents are written after commit, but a test's own transaction is
    rolled back, never committed: write them where each write would commit.

    Tests marked `index_on_commit` keep the real deferral (and run their
    callbacks with `django_capture_on_commit_callbacks`).
    """
    if request.node.get_closest_marker("index_on_commit") is None:
        from articles import search

        monkeypatch.setattr(search, "after_commit", lambda callback: callback())


@pytest.fixture
def section(db):
    return make_section()


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def journalist(db):
    return make_journalist()


@pytest.fixture
def published_story(db):
    return make_article(headline="Morocco and US sign defence roadmap", status="published")


@pytest.fixture
def draft_story(db):
    return make_article(headline="Minister resigns over leaks", status="draft")


@pytest.fixture
def newsroom_roles(transactional_db):
    """The Editors and Journalists groups, for tests whose database was flushed.

    A flush empties what data migrations wrote; this runs that migration's code again.
    """
    migration = import_module("articles.migrations.0003_editor_and_journalist_groups")
    migration.set_up_groups(django_apps)
    library = import_module("articles.migrations.0008_image_library_permissions")
    library.set_up_library_permissions(django_apps)
    # That migration granted them in the articles app, before 0013 moved the
    # library's content types to the images app, where a flushed database has them.
    for name, codenames in [
        ("Editors", library.EDITOR_PERMISSIONS),
        ("Journalists", library.JOURNALIST_PERMISSIONS),
    ]:
        Group.objects.get(name=name).permissions.add(
            *Permission.objects.filter(content_type__app_label="images", codename__in=codenames)
        )
    outbox = import_module("articles.migrations.0018_editors_see_pending_purges")
    outbox.set_up_outbox_permission(django_apps)
    embargo = import_module("articles.migrations.0020_editors_embargo_stories")
    embargo.set_up_embargo_permission(django_apps)
