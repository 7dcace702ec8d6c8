"""Signed-in sessions: ended by inactivity and by a password change; cookie flags kept."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from people.security import middleware
from tests.factories import make_article, make_editor, make_superuser
from tests.forms import opened_form

LOGIN = "/admin/login/"
HOUR = 3600


class Clock:
    """The idle check's clock, moved by hand."""

    def __init__(self, start=1_800_000_000.0):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(middleware, "clock", clock)
    return clock


@pytest.fixture
def amal(db):
    return make_editor("amal")


def sign_in(client, username="amal", password="pw"):
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()
    return response


def stored_last_seen(client):
    session = Session.objects.get(session_key=client.cookies["sessionid"].value)
    return session.get_decoded().get(middleware.LAST_SEEN)


@pytest.mark.django_db
def test_eight_idle_hours_end_the_session_and_the_sign_in_page_says_why(client, amal, clock):
    sign_in(client)
    clock.advance(8 * HOUR + 60)

    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "Your session ended after 8 hours without activity" in response.content.decode()
    assert not response.context["user"].is_authenticated


@pytest.mark.django_db
def test_a_request_within_the_idle_time_keeps_the_session_going(client, amal, clock):
    sign_in(client)
    for _ in range(3):
        clock.advance(7 * HOUR)
        assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_the_idle_time_comes_from_the_setting(client, amal, clock, settings):
    settings.NEWSROOM_STAFF_IDLE_MINUTES = 15
    sign_in(client)
    clock.advance(16 * 60)

    response = client.get(reverse("admin:index"), follow=True)

    assert "Your session ended after 15 minutes without activity" in response.content.decode()


@pytest.mark.django_db
def test_the_last_seen_time_is_written_at_most_once_a_minute(client, amal, clock):
    sign_in(client)
    signed_in_at = stored_last_seen(client)

    clock.advance(30)
    client.get(reverse("admin:index"))
    after_half_a_minute = stored_last_seen(client)
    clock.advance(40)
    client.get(reverse("admin:index"))

    assert after_half_a_minute == signed_in_at
    assert stored_last_seen(client) == signed_in_at + 70


@pytest.mark.django_db
def test_a_reader_without_a_session_gets_no_session_and_no_cookie(client, clock, settings):
    settings.NEWSROOM_PAGE_CACHE = True
    story = make_article(status="published")

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    assert not response.cookies
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_a_password_change_by_an_admin_ends_the_accounts_other_sessions(client, amal):
    sign_in(client)
    chief = make_superuser("chief")
    admin_client = type(client)()
    admin_client.force_login(chief)
    url = reverse("admin:auth_user_password_change", args=[amal.pk])
    form = opened_form(admin_client, url)
    form.update(password1="a-new-long-passphrase", password2="a-new-long-passphrase")

    changed = admin_client.post(url, form)

    assert changed.status_code == 302
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_the_session_cookie_is_http_only_same_site_lax_and_secure(client, amal):
    cookie = sign_in(client).cookies["sessionid"]

    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"] is True


@pytest.mark.django_db
def test_the_session_cookie_is_not_secure_when_secure_cookies_are_off(client, amal, settings):
    settings.SESSION_COOKIE_SECURE = False

    cookie = sign_in(client).cookies["sessionid"]

    assert not cookie["secure"]
