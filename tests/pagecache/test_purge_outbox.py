"""Purges reach the cache in front once the change commits; the ones that fail
stay in the outbox (`PurgedKey.sent_at`) until `send_purges` gets them through,
and the editor's change succeeds either way."""

import http.client
import json
import logging
import urllib.error
from datetime import timedelta

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles import workflow
from articles.models import Status
from newsroom.pagecache import backends
from newsroom.pagecache.models import PurgedKey
from newsroom.pagecache.purge import purge
from people.models import Country
from tests.factories import (
    make_article,
    make_journalist,
    make_organisation,
    make_person,
    make_section,
    make_superuser,
)

pytestmark = pytest.mark.django_db

FAKE = "tests.pagecache.test_purge_outbox.FakeCache"


class FakeCache:
    """A cache in front that records what it is sent and can be made to refuse."""

    sent: list[list[str]] = []
    refusals_left = 0

    def send(self, keys):
        if FakeCache.refusals_left:
            FakeCache.refusals_left -= 1
            raise backends.PurgeFailed("the fake cache is down")
        FakeCache.sent.append(list(keys))


@pytest.fixture(autouse=True)
def fake_cache(settings):
    settings.NEWSROOM_PURGE_BACKEND = FAKE
    FakeCache.sent, FakeCache.refusals_left = [], 0
    return FakeCache


def sent_keys():
    return {key for send in FakeCache.sent for key in send}


@pytest.fixture
def new_story(django_capture_on_commit_callbacks):
    """A draft on every kind of list: section, tag, person, organisation, country, author.

    Its own purges (the new people, tags…) are sent as its transaction would
    commit, before the test starts counting.
    """
    with django_capture_on_commit_callbacks(execute=True):
        story = _draft_on_every_list()
    FakeCache.sent.clear()
    return story


def _draft_on_every_list():
    author = make_person("Leila Haddad")
    story = make_article(
        "Second round of talks",
        status=Status.DRAFT,
        section=make_section("Diplomacy"),
        authors=[author],
        people=[make_person("Mark Esper")],
        organisations=[make_organisation("NATO")],
        countries=[Country.objects.get(code="MA")],
        tags=["Morocco"],
    )
    return story


def test_publishing_a_new_story_sends_its_page_and_every_list_it_joins(
    new_story, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(new_story, by=editor)
    person, organisation = new_story.people.get(), new_story.organisations.get()
    assert sent_keys() == {
        f"story-{new_story.pk}",
        "home",
        "feeds",
        "sitemaps",
        "search",
        f"list-section-{new_story.section_id}",
        f"list-tag-{new_story.tags.get().pk}",
        f"list-person-{person.pk}",
        f"list-author-{new_story.bylines.get().person_id}",
        f"list-organisation-{organisation.pk}",
        f"list-country-{new_story.countries.get().pk}",
    }
    assert not PurgedKey.objects.filter(key__in=sent_keys()).due().exists()


def test_nothing_is_sent_before_the_change_commits(new_story, editor):
    workflow.publish(new_story, by=editor)  # the test's transaction never commits
    assert FakeCache.sent == []
    assert PurgedKey.objects.filter(key="home").due().exists()


def test_a_failed_send_leaves_the_keys_due_and_the_editors_publish_succeeds(
    new_story, editor, django_capture_on_commit_callbacks, caplog
):
    FakeCache.refusals_left = 1
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        workflow.publish(new_story, by=editor)
    new_story.refresh_from_db()
    assert new_story.status == Status.PUBLISHED
    assert FakeCache.sent == []
    assert PurgedKey.objects.filter(key__in=["home", f"story-{new_story.pk}"]).due().count() == 2
    assert "the fake cache is down" in caplog.text


def test_send_purges_retries_the_keys_a_failed_send_left_due(
    new_story, editor, django_capture_on_commit_callbacks
):
    FakeCache.refusals_left = 1
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(new_story, by=editor)
    FakeCache.refusals_left = 1  # still down for the first try of the cron run
    call_command("send_purges", wait=0, stdout=open("/dev/null", "w"))
    assert {"home", f"story-{new_story.pk}"} <= sent_keys()
    assert not PurgedKey.objects.due().exists()


def test_send_purges_fails_loudly_when_the_cache_stays_down_and_keeps_the_keys(new_story):
    purge(["home"])
    FakeCache.refusals_left = 3
    with pytest.raises(CommandError, match="stay due"):
        call_command("send_purges", attempts=3, wait=0, stdout=open("/dev/null", "w"))
    assert PurgedKey.objects.get(key="home").is_due


def test_send_purges_sends_nothing_when_nothing_is_due():
    purge(["home"])  # in the test's transaction: left for the cron run
    call_command("send_purges", wait=0, stdout=open("/dev/null", "w"))
    FakeCache.sent = []
    call_command("send_purges", wait=0, stdout=open("/dev/null", "w"))
    assert FakeCache.sent == []


def test_a_key_purged_again_after_it_was_sent_is_due_again():
    PurgedKey.objects.create(
        key="home", purged_at=timezone.now() - timedelta(minutes=2), sent_at=timezone.now()
    )
    assert not PurgedKey.objects.get(key="home").is_due
    purge(["home"])
    assert PurgedKey.objects.get(key="home").is_due


def test_a_purge_is_idempotent_one_row_per_key():
    purge(["home", "feeds"])
    purge(["home", "feeds"])
    assert PurgedKey.objects.filter(key__in=["home", "feeds"]).count() == 2


def test_due_and_is_due_agree():
    now = timezone.now()
    rows = [
        PurgedKey(key="never-sent", purged_at=now),
        PurgedKey(key="sent-before-purge", purged_at=now, sent_at=now - timedelta(seconds=1)),
        PurgedKey(key="sent-after-purge", purged_at=now, sent_at=now + timedelta(seconds=1)),
        PurgedKey(key="sent-at-purge", purged_at=now, sent_at=now),
    ]
    PurgedKey.objects.bulk_create(rows)
    due = set(PurgedKey.objects.due().values_list("key", flat=True))
    assert due == {row.key for row in PurgedKey.objects.all() if row.is_due}
    assert due == {"never-sent", "sent-before-purge"}


# --- The backends, their requests captured --------------------------------------


@pytest.fixture
def requests_made(monkeypatch):
    made = []

    class Answer:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            return b""

    def urlopen(request, timeout):
        made.append((request, timeout))
        return Answer()

    monkeypatch.setattr(backends.urllib.request, "urlopen", urlopen)
    return made


def test_varnish_gets_an_xkey_purge_on_every_host(settings, requests_made):
    settings.NEWSROOM_PURGE_BACKEND = "varnish"
    settings.NEWSROOM_VARNISH_URLS = ["http://10.0.0.5:6081/", "http://10.0.0.6:6081/"]
    backends.backend().send(["home", "story-12"])
    assert [(r.get_method(), r.full_url, r.get_header("Xkey-purge")) for r, _ in requests_made] == [
        ("PURGE", "http://10.0.0.5:6081/", "home story-12"),
        ("PURGE", "http://10.0.0.6:6081/", "home story-12"),
    ]
    assert all(timeout == settings.NEWSROOM_PURGE_TIMEOUT for _, timeout in requests_made)


def test_fastly_gets_a_surrogate_key_purge_for_the_service(settings, requests_made):
    settings.NEWSROOM_PURGE_BACKEND = "fastly"
    settings.NEWSROOM_FASTLY_SERVICE_ID = "SU1Z0isxPaozGVKXdv0eY"
    settings.NEWSROOM_FASTLY_API_TOKEN = "fastly-token"
    backends.backend().send(["home", "story-12"])
    [(request, _)] = requests_made
    assert (request.get_method(), request.full_url) == (
        "POST",
        "https://api.fastly.com/service/SU1Z0isxPaozGVKXdv0eY/purge",
    )
    assert request.get_header("Surrogate-key") == "home story-12"
    assert request.get_header("Fastly-key") == "fastly-token"


def test_cloudflare_gets_a_purge_by_tag_thirty_tags_at_a_time(settings, requests_made):
    settings.NEWSROOM_PURGE_BACKEND = "cloudflare"
    settings.NEWSROOM_CLOUDFLARE_ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
    settings.NEWSROOM_CLOUDFLARE_API_TOKEN = "cloudflare-token"
    keys = [f"story-{n}" for n in range(31)]
    backends.backend().send(keys)
    assert [json.loads(r.data)["tags"] for r, _ in requests_made] == [keys[:30], keys[30:]]
    request = requests_made[0][0]
    assert request.full_url == (
        "https://api.cloudflare.com/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache"
    )
    assert request.get_header("Authorization") == "Bearer cloudflare-token"


@pytest.mark.parametrize(
    "failure",
    [
        urllib.error.HTTPError("http://10.0.0.5/", 403, "Forbidden", {}, None),
        urllib.error.URLError(ConnectionRefusedError()),
        TimeoutError(),
        http.client.BadStatusLine("SSH-2.0-OpenSSH_9.2"),
    ],
)
def test_a_cache_that_refuses_or_does_not_answer_is_a_failed_purge(settings, monkeypatch, failure):
    settings.NEWSROOM_PURGE_BACKEND = "varnish"
    settings.NEWSROOM_VARNISH_URLS = ["http://10.0.0.5:6081/"]

    def urlopen(request, timeout):
        raise failure

    monkeypatch.setattr(backends.urllib.request, "urlopen", urlopen)
    with pytest.raises(backends.PurgeFailed):
        backends.backend().send(["home"])


def test_the_default_backend_only_logs(settings, caplog):
    settings.NEWSROOM_PURGE_BACKEND = "log"
    with caplog.at_level(logging.INFO, logger="newsroom.pagecache.backends"):
        backends.backend().send(["home", "feeds"])
    assert "purge home feeds" in caplog.text


@pytest.mark.parametrize("urls", [[], ["varnish1:6081"]])
def test_a_backend_missing_its_settings_fails_the_system_check(settings, urls):
    settings.NEWSROOM_PURGE_BACKEND = "varnish"
    settings.NEWSROOM_VARNISH_URLS = urls
    errors = [error for error in run_checks() if error.id == "pagecache.E001"]
    assert errors and "NEWSROOM_VARNISH_URLS" in errors[0].msg


# --- The outbox in the admin ------------------------------------------------------


def test_an_editor_sees_what_the_cache_in_front_has_not_been_told(client, editor):
    PurgedKey.objects.create(key="home", purged_at=timezone.now())
    PurgedKey.objects.create(key="feeds", purged_at=timezone.now(), sent_at=timezone.now())
    client.force_login(editor)
    response = client.get("/admin/pagecache/purgedkey/?sent=no")
    assert response.status_code == 200
    assert [row.key for row in response.context["cl"].result_list] == ["home"]


def test_the_outbox_is_read_only_even_for_a_superuser(client):
    PurgedKey.objects.create(key="home", purged_at=timezone.now())
    client.force_login(make_superuser())
    assert client.get("/admin/pagecache/purgedkey/home/change/").status_code == 200
    assert client.get("/admin/pagecache/purgedkey/add/").status_code == 403
    response = client.post("/admin/pagecache/purgedkey/home/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert PurgedKey.objects.filter(key="home").exists()


def test_a_journalist_cannot_see_the_outbox(client):
    client.force_login(make_journalist())
    assert client.get("/admin/pagecache/purgedkey/").status_code == 403


def test_one_change_is_one_send_however_many_rows_it_touched(
    new_story, editor, django_capture_on_commit_callbacks
):
    """Publishing saves the story, its links and an event, each purging: the cache
    in front hears about them once, after the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(new_story, by=editor)
        new_story.tags.add("Sahel")
    assert len(FakeCache.sent) == 1
    assert "list-tag-" + str(new_story.tags.get(name="Sahel").pk) in FakeCache.sent[0]


def test_a_second_change_after_the_first_was_sent_is_sent_too(
    new_story, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(new_story, by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        new_story.headline = "Talks resume in Rabat"
        new_story.save()
    assert len(FakeCache.sent) == 2
    assert f"story-{new_story.pk}" in FakeCache.sent[1]


def test_with_a_worker_the_editors_request_only_queues_the_send(
    new_story, editor, settings, django_capture_on_commit_callbacks
):
    """The editor's publish waits on no cache in front: the worker tells it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(new_story, by=editor)
    assert FakeCache.sent == []
    assert PurgedKey.objects.filter(key="home").due().exists()

    # What the worker runs (`db_worker` itself closes the test's connection):
    # tests/webhooks/test_worker.py runs the real one in its own process.
    from django_tasks_db.models import DBTaskResult

    (queued,) = DBTaskResult.objects.filter(task_path__endswith="send_purges")
    queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])

    assert "home" in sent_keys()
    assert not PurgedKey.objects.filter(key="home").due().exists()


def test_with_no_cache_in_front_a_purge_queues_no_task(
    new_story, editor, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NEWSROOM_PURGE_BACKEND = "log"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(new_story, by=editor)
    assert not DBTaskResult.objects.filter(task_path__endswith="send_purges").exists()
    assert not PurgedKey.objects.filter(key="home").due().exists()
