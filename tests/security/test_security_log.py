"""The security log: sign-ins, failures and changes of access, as admins read them."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from people.security.models import SecurityEvent
from tests.factories import make_editor, make_journalist, make_superuser
from tests.forms import opened_form

Kind = SecurityEvent.Kind
LOGIN = "/admin/login/"


def sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def only_event(**filters):
    events = list(SecurityEvent.objects.filter(**filters))
    assert len(events) == 1, events
    return events[0]


@pytest.fixture
def admin_user(db):
    return make_superuser("chief")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_signing_in_through_the_admin_is_logged_with_the_address(client):
    editor = make_editor("amal")

    sign_in(client, "amal", "pw", REMOTE_ADDR="203.0.113.7")

    event = only_event(kind=Kind.SIGNED_IN)
    assert (event.user, event.username, event.ip_address) == (editor, "amal", "203.0.113.7")


@pytest.mark.django_db
def test_a_wrong_password_is_logged_against_the_account_and_never_stores_the_password(client):
    editor = make_editor("amal")

    sign_in(client, "amal", "guess-one")

    event = only_event(kind=Kind.SIGN_IN_FAILED)
    assert (event.user, event.username) == (editor, "amal")
    assert "guess-one" not in event.detail


@pytest.mark.django_db
def test_a_failed_sign_in_for_an_unknown_name_keeps_the_name_typed(client):
    sign_in(client, "nobody-here", "pw")

    event = only_event(kind=Kind.SIGN_IN_FAILED)
    assert (event.user, event.username) == (None, "nobody-here")


@pytest.mark.django_db
def test_the_forwarded_address_is_believed_only_behind_the_tls_proxy(client, settings):
    make_editor("amal")
    forwarded = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.4"}

    sign_in(client, "amal", "wrong", **forwarded)
    settings.NEWSROOM_BEHIND_TLS_PROXY = True
    sign_in(client, "amal", "wrong", **forwarded)

    failures = SecurityEvent.objects.filter(kind=Kind.SIGN_IN_FAILED).order_by("pk")
    addresses = failures.values_list("ip_address", flat=True)
    assert list(addresses) == ["10.0.0.2", "198.51.100.4"]


@pytest.mark.django_db
def test_an_admin_adding_someone_to_editors_is_logged_with_who_did_it(admin_client, admin_user):
    journalist = make_journalist("sami")
    url = reverse("admin:auth_user_change", args=[journalist.pk])
    form = opened_form(admin_client, url)
    form["groups"] = [str(group.pk) for group in Group.objects.filter(name="Editors")]

    response = admin_client.post(url, form)

    assert response.status_code == 302
    by_the_admin = SecurityEvent.objects.filter(kind=Kind.GROUPS_CHANGED, by=admin_user)
    assert set(by_the_admin.values_list("user", "detail")) == {
        (journalist.pk, "removed: Journalists"),
        (journalist.pk, "added: Editors"),
    }


@pytest.mark.django_db
def test_granting_a_permission_directly_is_logged(admin_user):
    journalist = make_journalist("sami")

    journalist.user_permissions.add(Permission.objects.get(codename="publish_article"))

    event = only_event(kind=Kind.PERMISSIONS_CHANGED)
    assert event.user == journalist
    assert event.detail == "added: articles.publish_article"


@pytest.mark.django_db
def test_changing_a_groups_permissions_in_the_admin_is_logged(admin_client, admin_user):
    group = Group.objects.get(name="Journalists")
    url = reverse("admin:auth_group_change", args=[group.pk])
    form = opened_form(admin_client, url)
    form["permissions"] = [
        *form.get("permissions", []),
        str(Permission.objects.get(codename="publish_article").pk),
    ]

    admin_client.post(url, form)

    event = only_event(kind=Kind.GROUP_PERMISSIONS_CHANGED)
    assert event.by == admin_user
    assert event.detail == "Journalists: added: articles.publish_article"


@pytest.mark.django_db
def test_deactivating_someone_with_the_admin_action_is_logged(admin_client, admin_user):
    journalist = make_journalist("sami")

    admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate_users", "_selected_action": [journalist.pk]},
    )

    event = only_event(kind=Kind.DEACTIVATED)
    assert (event.user, event.by) == (journalist, admin_user)


@pytest.mark.django_db
def test_making_someone_a_superuser_is_logged(admin_client, admin_user):
    editor = make_editor("amal")
    url = reverse("admin:auth_user_change", args=[editor.pk])
    form = opened_form(admin_client, url)
    form["is_superuser"] = ["on"]

    admin_client.post(url, form)

    event = only_event(kind=Kind.STAFF_STATUS_CHANGED)
    assert (event.user, event.by, event.detail) == (editor, admin_user, "superuser status granted")


@pytest.mark.django_db
def test_a_password_change_is_logged_but_a_sign_in_updating_last_login_is_not_a_change(client):
    editor = make_editor("amal")
    sign_in(client, "amal", "pw")

    editor.set_password("a much longer passphrase")
    editor.save()

    since_joining = SecurityEvent.objects.exclude(kind=Kind.GROUPS_CHANGED).order_by("pk")
    assert list(since_joining.values_list("kind", flat=True)) == [
        Kind.SIGNED_IN,
        Kind.PASSWORD_CHANGED,
    ]


@pytest.mark.django_db
def test_admins_read_the_log_and_nobody_can_edit_it(admin_client):
    make_editor("amal")
    sign_in(admin_client, "amal", "wrong")
    event = SecurityEvent.objects.get(kind=Kind.SIGN_IN_FAILED)

    listing = admin_client.get(reverse("admin:security_securityevent_changelist"))
    change = admin_client.post(
        reverse("admin:security_securityevent_change", args=[event.pk]), {"detail": "tidied"}
    )

    assert listing.status_code == 200
    assert b"amal" in listing.content
    assert change.status_code == 403
    event.refresh_from_db()
    assert event.detail == ""


@pytest.mark.django_db
def test_editors_cannot_read_the_security_log(client):
    client.force_login(make_editor("amal"))

    response = client.get(reverse("admin:security_securityevent_changelist"))

    assert response.status_code == 403
