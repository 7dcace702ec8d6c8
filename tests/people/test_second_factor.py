"""Two-factor sign-in: enrolling, the second step of signing in, backup codes, resets.

Driven through the admin's HTTP surface, as a person signs in: the password on
Django's login page, then the code.
"""

import re

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.second_factor import devices
from people.second_factor.views import PENDING_SECRET
from people.security.models import SecurityEvent
from tests.factories import (
    current_code,
    make_editor,
    make_journalist,
    make_second_factor,
    make_superuser,
)

Kind = SecurityEvent.Kind
LOGIN = "/admin/login/"
SET_UP = reverse("admin:second-factor-set-up")
VERIFY = reverse("admin:second-factor-verify")


@pytest.fixture(autouse=True)
def two_factor_required(settings):
    settings.NEWSROOM_REQUIRE_2FA = True


def sign_in(client, user):
    response = client.post(LOGIN, {"username": user.get_username(), "password": "pw"})
    assert response.status_code == 302, "the password step failed"
    return response


def every_admin_page():
    """Each registered model's list and add pages, and the site's own pages."""
    urls = ["/admin/", reverse("admin:password_change"), reverse("admin:second-factor")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    urls.append(reverse("admin:autocomplete") + "?app_label=people&model_name=person")
    return urls


def secret_on(page) -> str:
    return re.search(r'id="second-factor-secret">([A-Z2-7 ]+)<', page.content.decode())[1]


def codes_on(page) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())


# --- Who must have a second factor ---------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("make_user", [make_editor, make_superuser], ids=["editor", "superuser"])
def test_an_editor_or_admin_without_a_second_factor_reaches_no_admin_page_but_set_up(
    client, make_user
):
    sign_in(client, make_user())

    for url in every_admin_page():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(SET_UP), url


@pytest.mark.django_db
def test_an_editor_without_a_second_factor_cannot_post_to_the_admin(client, section):
    sign_in(client, make_editor())

    response = client.post(
        reverse("admin:articles_section_change", args=[section.pk]), {"name": "Renamed"}
    )

    assert response.url.startswith(SET_UP)
    section.refresh_from_db()
    assert section.name != "Renamed"


@pytest.mark.django_db
def test_set_up_remembers_the_page_that_was_asked_for(client):
    sign_in(client, make_editor())

    response = client.get("/admin/articles/article/?status=draft")

    assert response.url == f"{SET_UP}?next=%2Fadmin%2Farticles%2Farticle%2F%3Fstatus%3Ddraft"


@pytest.mark.django_db
def test_a_journalist_without_a_second_factor_uses_the_admin_as_before(client):
    sign_in(client, make_journalist())

    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_with_two_factor_not_required_an_editor_signs_in_with_a_password(client, settings):
    settings.NEWSROOM_REQUIRE_2FA = False
    sign_in(client, make_editor())

    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_login_page_says_nothing_of_second_factors_to_someone_signed_out(client):
    response = client.get("/admin/")

    assert response.url.startswith(LOGIN)


# --- Enrolling ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_set_up_page_shows_a_qr_code_drawn_here_and_the_secret_as_text(client):
    sign_in(client, make_editor())

    page = client.get(SET_UP)

    html = page.content.decode()
    assert page.status_code == 200
    assert '<svg version="1.1" viewBox=' in html and 'class="second-factor-qr"' in html
    assert "<img" not in html.split('id="content-main"')[1]  # nothing fetched from elsewhere
    secret = secret_on(page)
    assert "".join(secret.split()) == devices.Enrolment.start(
        None, client.session[PENDING_SECRET]
    ).secret.replace(" ", "")


@pytest.mark.django_db
def test_the_set_up_page_keeps_its_secret_when_reloaded(client):
    sign_in(client, make_editor())

    assert secret_on(client.get(SET_UP)) == secret_on(client.get(SET_UP))


@pytest.mark.django_db
def test_nothing_is_stored_until_a_code_confirms_the_app(client):
    editor = make_editor()
    sign_in(client, editor)
    client.get(SET_UP)

    assert not TOTPDevice.objects.filter(user=editor).exists()


@pytest.mark.django_db
def test_a_wrong_code_at_set_up_is_explained_and_stores_nothing(client):
    editor = make_editor()
    sign_in(client, editor)
    secret = secret_on(client.get(SET_UP))
    wrong = f"{(int(current_code(secret)) + 1) % 1_000_000:06d}"

    page = client.post(SET_UP, {"code": wrong})

    assert page.status_code == 200
    assert "That code did not match" in page.content.decode()
    assert secret_on(page) == secret
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not SecurityEvent.objects.filter(kind=Kind.SECOND_FACTOR_ADDED).exists()


@pytest.mark.django_db
def test_confirming_the_app_shows_ten_backup_codes_once_and_opens_the_admin(client):
    editor = make_editor()
    sign_in(client, editor)
    secret = secret_on(client.get(SET_UP))

    page = client.post(SET_UP, {"code": current_code(secret), "next": "/admin/"})

    codes = codes_on(page)
    assert len(set(codes)) == 10
    assert "only time these codes are shown" in page.content.decode()
    assert TOTPDevice.objects.get(user=editor).confirmed
    assert client.get("/admin/").status_code == 200
    assert client.get(SET_UP).url == reverse("admin:second-factor")


@pytest.mark.django_db
def test_enrolling_is_in_the_security_log(client):
    editor = make_editor()
    sign_in(client, editor)
    secret = secret_on(client.get(SET_UP))

    client.post(SET_UP, {"code": current_code(secret)}, REMOTE_ADDR="203.0.113.9")

    event = SecurityEvent.objects.get(kind=Kind.SECOND_FACTOR_ADDED)
    assert (event.user, event.by, event.ip_address) == (editor, None, "203.0.113.9")


@pytest.mark.django_db
def test_the_code_that_confirmed_the_app_cannot_sign_in_again(client):
    editor = make_editor()
    sign_in(client, editor)
    secret = secret_on(client.get(SET_UP))
    code = current_code(secret)
    client.post(SET_UP, {"code": code})
    client.post("/admin/logout/")
    sign_in(client, editor)

    page = client.post(VERIFY, {"code": code})

    assert "has been used already" in page.content.decode()


@pytest.mark.django_db
def test_a_journalist_may_choose_to_enrol_from_the_user_menu(client):
    journalist = make_journalist()
    sign_in(client, journalist)

    index = client.get("/admin/").content.decode()
    assert f'href="{reverse("admin:second-factor")}">Two-factor sign-in</a>' in index
    secret = secret_on(client.get(SET_UP))
    client.post(SET_UP, {"code": current_code(secret)})

    assert devices.has_second_factor(journalist)


# --- Signing in with a second factor -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("make_user", [make_editor, make_journalist], ids=["editor", "journalist"])
def test_someone_with_a_second_factor_is_asked_for_a_code_before_any_admin_page(client, make_user):
    user = make_user()
    make_second_factor(user)
    sign_in(client, user)

    for url in every_admin_page():
        response = client.get(url)
        assert response.url.startswith(VERIFY), url


@pytest.mark.django_db
def test_the_apps_code_opens_the_page_that_was_asked_for(client):
    editor = make_editor()
    device, _ = make_second_factor(editor)
    sign_in(client, editor)
    asked = client.get("/admin/articles/article/").url

    response = client.post(
        asked, {"code": current_code(device), "next": "/admin/articles/article/"}
    )

    assert response.url == "/admin/articles/article/"
    assert client.get("/admin/articles/article/").status_code == 200


@pytest.mark.django_db
def test_after_the_code_the_session_is_verified_until_sign_out(client):
    editor = make_editor()
    device, _ = make_second_factor(editor)
    sign_in(client, editor)
    client.post(VERIFY, {"code": current_code(device)})
    client.post("/admin/logout/")
    sign_in(client, editor)

    assert client.get("/admin/").url.startswith(VERIFY)


@pytest.mark.django_db
def test_a_backup_code_signs_in_once_and_says_how_many_are_left(client):
    editor = make_editor()
    _, codes = make_second_factor(editor)
    sign_in(client, editor)

    response = client.post(VERIFY, {"code": codes[3].upper()}, follow=True)

    assert response.status_code == 200 and response.request["PATH_INFO"] == "/admin/"
    assert "9 backup codes left" in response.content.decode()
    client.post("/admin/logout/")
    sign_in(client, editor)
    again = client.post(VERIFY, {"code": codes[3]})
    assert again.status_code == 200 and "has been used already" in again.content.decode()


@pytest.mark.django_db
def test_a_wrong_code_is_refused_and_the_next_try_must_wait(client):
    editor = make_editor()
    device, _ = make_second_factor(editor)
    sign_in(client, editor)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    first = client.post(VERIFY, {"code": wrong})
    second = client.post(VERIFY, {"code": current_code(device)})

    assert "That code is not right" in first.content.decode()
    assert "Too many wrong codes. Wait" in second.content.decode()
    assert client.get("/admin/").url.startswith(VERIFY)


@pytest.mark.django_db
def test_a_wrong_code_is_a_failed_sign_in_in_the_security_log(client):
    editor = make_editor()
    make_second_factor(editor)
    sign_in(client, editor)

    client.post(VERIFY, {"code": "nottherightcode"}, REMOTE_ADDR="198.51.100.4")

    event = SecurityEvent.objects.get(kind=Kind.SIGN_IN_FAILED)
    assert (event.user, event.ip_address, event.detail) == (
        editor,
        "198.51.100.4",
        "Wrong two-factor code",
    )


@pytest.mark.django_db
def test_the_code_step_never_sends_anyone_to_another_site(client):
    editor = make_editor()
    device, _ = make_second_factor(editor)
    sign_in(client, editor)

    response = client.post(VERIFY, {"code": current_code(device), "next": "https://evil.test/"})

    assert response.url == "/admin/"


# --- Backup codes and removing one's own ------------------------------------------------


def verified_client(client, user):
    device, codes = make_second_factor(user)
    sign_in(client, user)
    client.post(VERIFY, {"code": current_code(device)})
    return device, codes


@pytest.mark.django_db
def test_new_backup_codes_need_a_code_and_replace_the_old_ones(client):
    editor = make_editor()
    device, old = verified_client(client, editor)
    url = reverse("admin:second-factor-backup-codes")

    page = client.post(url, {"code": old[0]})

    new = codes_on(page)
    assert len(new) == 10
    assert set(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)) == (
        set(new)
    )


@pytest.mark.django_db
def test_removing_ones_own_second_factor_needs_a_current_code(client):
    journalist = make_journalist()
    verified_client(client, journalist)
    url = reverse("admin:second-factor-remove")

    page = client.post(url, {"code": "000000"})

    assert "That code is not right" in page.content.decode()
    assert devices.has_second_factor(journalist)


@pytest.mark.django_db
def test_removing_ones_own_second_factor_with_a_code_is_logged(client):
    journalist = make_journalist()
    _, codes = verified_client(client, journalist)

    client.post(reverse("admin:second-factor-remove"), {"code": codes[0]})

    assert not devices.has_second_factor(journalist)
    assert not StaticToken.objects.filter(device__user=journalist).exists()
    assert SecurityEvent.objects.get(kind=Kind.SECOND_FACTOR_REMOVED).user == journalist
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_an_editor_who_removes_their_app_sets_up_a_new_one_straight_away(client):
    editor = make_editor()
    _, codes = verified_client(client, editor)

    client.post(reverse("admin:second-factor-remove"), {"code": codes[0]})

    assert client.get("/admin/").url.startswith(SET_UP)


# --- Resetting someone else's ---------------------------------------------------------


def reset_in_user_admin(client, *users):
    return client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [user.pk for user in users]},
        follow=True,
    )


@pytest.mark.django_db
def test_an_admin_resets_an_editors_second_factor_and_it_is_logged(client):
    chief, editor = make_superuser("chief"), make_editor("amal")
    make_second_factor(editor)
    verified_client(client, chief)

    page = reset_in_user_admin(client, editor)

    assert "Reset two-factor sign-in of amal" in page.content.decode()
    assert not devices.has_second_factor(editor)
    event = SecurityEvent.objects.get(kind=Kind.SECOND_FACTOR_RESET)
    assert (event.user, event.by) == (editor, chief)


@pytest.mark.django_db
def test_after_a_reset_the_editor_sets_up_a_new_app_at_sign_in(client):
    editor = make_editor()
    make_second_factor(editor)
    devices.reset(editor, by=make_superuser())

    sign_in(client, editor)

    assert client.get("/admin/").url.startswith(SET_UP)


@pytest.mark.django_db
def test_an_admin_cannot_reset_their_own_second_factor_from_the_user_list(client):
    chief = make_superuser()
    verified_client(client, chief)

    page = reset_in_user_admin(client, chief)

    assert "You cannot reset your own two-factor sign-in here" in page.content.decode()
    assert devices.has_second_factor(chief)


@pytest.mark.django_db
def test_the_user_list_shows_who_has_two_factor_sign_in(client):
    chief = make_superuser()
    verified_client(client, chief)

    page = client.get(reverse("admin:auth_user_changelist"))

    assert page.context["cl"].result_list.get(pk=chief.pk).has_second_factor
    assert "Two-factor" in page.content.decode()


@pytest.mark.django_db
def test_the_recovery_command_resets_a_second_factor_and_it_is_logged(capsys):
    chief = make_superuser("chief")
    make_second_factor(chief)

    call_command("reset_second_factor", "chief")

    assert not devices.has_second_factor(chief)
    event = SecurityEvent.objects.get(kind=Kind.SECOND_FACTOR_RESET)
    assert event.user == chief and "reset_second_factor command" in event.detail
    assert "Reset two-factor sign-in of chief" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_recovery_command_names_an_unknown_user():
    with pytest.raises(CommandError, match='There is no user "nobody"'):
        call_command("reset_second_factor", "nobody")


@pytest.mark.django_db
def test_django_otps_device_pages_are_not_in_the_admin(client):
    verified_client(client, make_superuser())

    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404
