"""Sign-in lockouts: failures counted per username and per address, through the real admin login."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from people.security.lockout import AccessAttempt, lockout_message, unlock
from people.security.models import SecurityEvent
from tests.factories import make_editor, make_superuser

Kind = SecurityEvent.Kind
LOGIN = "/admin/login/"
LIMIT = 10  # NEWSROOM_LOGIN_FAILURE_LIMIT's default


def sign_in(client, username, password, address="203.0.113.7", **extra):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def fail(client, username, times, address="203.0.113.7"):
    for attempt in range(times):
        sign_in(client, username, f"wrong-{attempt}", address=address)


def as_shown(page, typed_name):
    """The page with the name typed (echoed in the form) and the CSRF token masked."""
    text = page.content.decode().replace(typed_name, "NAME")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)


def is_signed_in(client):
    return client.get(reverse("admin:index")).status_code == 200


@pytest.fixture
def amal(db):
    return make_editor("amal")


@pytest.fixture
def admin_client(client, db):
    chief = make_superuser("chief")
    client.force_login(chief)
    client.chief = chief
    return client


@pytest.mark.django_db
def test_ten_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(client, amal):
    fail(client, "amal", LIMIT)

    response = sign_in(client, "amal", "pw")

    assert response.status_code == 429
    assert lockout_message() in response.content.decode()
    assert '<form action="/admin/login/"' in response.content.decode()
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_nine_wrong_passwords_still_let_the_right_one_in(client, amal):
    fail(client, "amal", LIMIT - 1)

    response = sign_in(client, "amal", "pw")

    assert response.status_code == 302
    assert is_signed_in(client)


@pytest.mark.django_db
def test_a_username_is_locked_whichever_addresses_attack_it(client, amal):
    for attempt in range(LIMIT):
        sign_in(client, "amal", "wrong", address=f"198.51.100.{attempt + 1}")

    response = sign_in(client, "amal", "pw", address="192.0.2.200")

    assert response.status_code == 429


@pytest.mark.django_db
def test_an_address_is_locked_whatever_usernames_it_tries(client, amal):
    for attempt in range(LIMIT):
        sign_in(client, f"guess-{attempt}", "wrong", address="198.51.100.9")

    from_there = sign_in(client, "amal", "pw", address="198.51.100.9")
    from_elsewhere = sign_in(client, "amal", "pw", address="192.0.2.1")

    assert from_there.status_code == 429
    assert from_elsewhere.status_code == 302


@pytest.mark.django_db
def test_a_locked_unknown_name_gets_the_same_answer_as_a_locked_account(client, amal):
    fail(client, "amal", LIMIT, address="198.51.100.1")
    fail(client, "nobody-here", LIMIT, address="198.51.100.2")

    real = sign_in(client, "amal", "pw", address="198.51.100.1")
    unknown = sign_in(client, "nobody-here", "pw", address="198.51.100.2")

    assert real.status_code == unknown.status_code == 429
    assert as_shown(real, "amal") == as_shown(unknown, "nobody-here")


@pytest.mark.django_db
def test_the_lockout_is_logged_once_against_the_account(client, amal):
    fail(client, "amal", LIMIT + 3)

    event = SecurityEvent.objects.get(kind=Kind.LOCKED_OUT)
    assert (event.user, event.username, event.ip_address) == (amal, "amal", "203.0.113.7")


@pytest.mark.django_db
def test_sign_ins_refused_during_the_lockout_are_logged_as_refused(client, amal):
    fail(client, "amal", LIMIT)
    sign_in(client, "amal", "pw")

    failures = SecurityEvent.objects.filter(kind=Kind.SIGN_IN_FAILED).order_by("pk")
    details = list(failures.values_list("detail", flat=True))
    assert details == [""] * LIMIT + ["refused: locked out"]


@pytest.mark.django_db
def test_the_test_clients_login_still_signs_in_with_the_right_password(client, amal):
    assert client.login(username="amal", password="pw")
    assert is_signed_in(client)


@pytest.mark.django_db
def test_the_lockout_counts_the_address_the_tls_proxy_saw(client, amal, settings):
    settings.NEWSROOM_BEHIND_TLS_PROXY = True
    proxy = {"HTTP_X_FORWARDED_FOR": "198.51.100.4"}
    for _ in range(LIMIT):
        sign_in(client, "someone", "wrong", address="10.0.0.2", **proxy)

    locked = sign_in(client, "amal", "pw", address="10.0.0.2", **proxy)
    other_reader = sign_in(
        client, "amal", "pw", address="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.8"
    )

    assert locked.status_code == 429
    assert other_reader.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.4"}


@pytest.mark.django_db
def test_a_forged_forwarded_address_does_not_escape_the_lockout_without_the_proxy(client, amal):
    for attempt in range(LIMIT):
        sign_in(client, "someone", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")

    response = sign_in(client, "amal", "pw", HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert response.status_code == 429


@pytest.mark.django_db
def test_an_admin_unlocks_the_account_in_the_admin_and_it_signs_in(client, amal, admin_client):
    fail(client, "amal", LIMIT)
    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert "Locked (username and address)" in listing.content.decode()

    admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {
            "action": "unlock_usernames",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
        },
    )

    assert sign_in(client, "amal", "pw", address="192.0.2.50").status_code == 302
    event = SecurityEvent.objects.get(kind=Kind.UNLOCKED)
    assert (event.user, event.by) == (amal, admin_client.chief)


@pytest.mark.django_db
def test_an_operator_unlocks_the_account_with_the_command_and_it_signs_in(client, amal, capsys):
    fail(client, "amal", LIMIT)

    call_command("unlock_account", "amal", "--address", "203.0.113.7")

    assert "amal: unlocked" in capsys.readouterr().out
    assert sign_in(client, "amal", "pw").status_code == 302
    unlocked = SecurityEvent.objects.filter(kind=Kind.UNLOCKED)
    assert unlocked.count() == 1  # the address's records went with the username's
    assert unlocked.get().user == amal


@pytest.mark.django_db
def test_unlocking_a_name_that_is_not_locked_says_so(capsys):
    call_command("unlock_account", "nobody-here")

    assert "nothing to unlock" in capsys.readouterr().out
    assert not SecurityEvent.objects.filter(kind=Kind.UNLOCKED).exists()


@pytest.mark.django_db
def test_only_superusers_see_the_failed_sign_ins(client):
    client.force_login(make_editor("editor-ed"))

    response = client.get(reverse("admin:axes_accessattempt_changelist"))
    index = client.get(reverse("admin:index"))

    assert response.status_code == 403
    assert "axes" not in index.content.decode().lower()


@pytest.mark.django_db
def test_axes_own_access_logs_are_not_in_the_admin(admin_client):
    response = admin_client.get("/admin/axes/accesslog/")

    assert response.status_code == 404


@pytest.mark.django_db
def test_unlocking_a_username_and_an_address_together_lifts_both_locks(client, amal):
    fail(client, "amal", LIMIT, address="198.51.100.1")
    fail(client, "someone", LIMIT, address="198.51.100.2")

    unlock(username="amal", ip_address="198.51.100.2")

    assert sign_in(client, "amal", "pw", address="198.51.100.2").status_code == 302
    assert not AccessAttempt.objects.exists()
