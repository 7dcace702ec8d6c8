"""Server errors reach the people configured to hear of them, once per interval,
and the 500 page says only what is true of the configuration."""

import json
import subprocess
import sys

import pytest
from django.test import Client

from articles.views import HomeView, SectionView
from newsroom.errors import server_error
from tests.factories import make_section
from tests.test_settings import ROOT, clean_environment

pytestmark = pytest.mark.django_db

NIGHT_DESK = ("Night desk", "night@example.org")


@pytest.fixture
def reader():
    """A reader's browser: a server error comes back as the 500 page, as in production."""
    return Client(raise_request_exception=False)


@pytest.fixture
def broken_home_page(monkeypatch):
    def fail(self, **kwargs):
        raise RuntimeError("the front page query failed")

    monkeypatch.setattr(HomeView, "get_context_data", fail)


@pytest.fixture
def broken_section_page(monkeypatch):
    def fail(self, **kwargs):
        raise LookupError("the section page failed")

    monkeypatch.setattr(SectionView, "get_context_data", fail)


@pytest.fixture
def admins(settings):
    settings.ADMINS = [NIGHT_DESK]
    settings.NEWSROOM_ERROR_MAIL_MINUTES = 15


def test_a_server_error_is_mailed_to_the_admins(reader, broken_home_page, admins, mailoutbox):
    response = reader.get("/")
    assert response.status_code == 500
    [mail] = mailoutbox
    assert mail.to == ["night@example.org"]
    assert "Internal Server Error: /" in mail.subject
    assert "the front page query failed" in mail.body


def test_the_same_error_again_is_not_mailed_again_within_the_interval(
    reader, broken_home_page, admins, mailoutbox
):
    for _ in range(5):
        assert reader.get("/").status_code == 500
    assert len(mailoutbox) == 1


def test_a_different_error_is_mailed_even_within_the_interval(
    reader, broken_home_page, broken_section_page, admins, mailoutbox
):
    make_section("News")
    reader.get("/")
    reader.get("/")
    reader.get("/section/news/")
    assert [("front page" in m.body, "section page" in m.body) for m in mailoutbox] == [
        (True, False),
        (False, True),
    ]


def test_with_no_interval_every_error_is_mailed(
    reader, broken_home_page, admins, mailoutbox, settings
):
    settings.NEWSROOM_ERROR_MAIL_MINUTES = 0
    reader.get("/")
    reader.get("/")
    assert len(mailoutbox) == 2


def test_the_interval_ends_when_the_cache_forgets_it(reader, broken_home_page, admins, mailoutbox):
    from django.core.cache import cache

    reader.get("/")
    cache.clear()  # what the key's expiry does after NEWSROOM_ERROR_MAIL_MINUTES
    reader.get("/")
    assert len(mailoutbox) == 2


def test_without_admins_nothing_is_mailed(reader, broken_home_page, mailoutbox, settings):
    settings.ADMINS = []
    assert reader.get("/").status_code == 500
    assert mailoutbox == []


def test_the_500_page_does_not_claim_anyone_was_told_when_nobody_is(
    reader, broken_home_page, settings
):
    settings.ADMINS, settings.SENTRY_DSN = [], ""
    page = reader.get("/").content.decode()
    assert "Something went wrong on our side" in page
    assert "told" not in page
    assert "Please try again in a few minutes" in page


def test_the_500_page_says_the_admins_were_told_when_they_are_mailed(
    reader, broken_home_page, admins
):
    assert "We have been told about it" in reader.get("/").content.decode()


def test_the_500_page_says_so_when_errors_go_to_sentry(reader, broken_home_page, settings):
    settings.ADMINS, settings.SENTRY_DSN = [], "https://key@sentry.example.org/1"
    assert "We have been told about it" in reader.get("/").content.decode()


def test_the_500_page_touches_no_database(rf, django_assert_num_queries, admins):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500


def load(expression, **env):
    """`expression` evaluated after importing the settings in a fresh interpreter."""
    script = f"import json, newsroom.settings as s; print(json.dumps({expression}))"
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean_environment(), "DJANGO_SECRET_KEY": "k", **env},
        capture_output=True,
        text=True,
    )


def test_admins_come_from_the_environment_with_or_without_names():
    result = load(
        "s.ADMINS",
        DJANGO_ADMINS='Night desk <night@example.org>, "Ops, London" <ops@example.org>,web@example.org',
    )
    assert json.loads(result.stdout) == [
        ["Night desk", "night@example.org"],
        ["Ops, London", "ops@example.org"],
        ["web@example.org", "web@example.org"],
    ]


def test_an_admin_that_is_not_an_address_is_refused_by_name():
    result = load("s.ADMINS", DJANGO_ADMINS="Night desk")
    assert result.returncode != 0
    assert "DJANGO_ADMINS: 'Night desk' is not a list of email addresses" in result.stderr


def test_nobody_is_mailed_and_errors_come_from_the_newsroom_by_default():
    settings = json.loads(load("[s.ADMINS, s.SERVER_EMAIL, s.NEWSROOM_ERROR_MAIL_MINUTES]").stdout)
    assert settings == [[], "newsroom@localhost", 15]


def test_sentry_starts_only_when_its_dsn_is_set():
    active = "__import__('sentry_sdk').get_client().is_active()"
    assert load(active).stdout.strip() == "false"
    # The discard port on this machine: nothing is sent anywhere by starting.
    assert load(active, SENTRY_DSN="http://key@127.0.0.1:9/1").stdout.strip() == "true"
