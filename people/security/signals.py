"""What puts events in the security log without anyone remembering to.

Sign-ins and failures come from Django's auth signals. Changes of access are
seen at the model, wherever they are made (admin, shell, a command): groups
and permissions through `m2m_changed`, the active, staff and superuser flags
and the password by comparing a user's row before and after each save. Who
made a change is known when the code making it says so, by setting
`acting_user` on the instance (`act_as`), as the admin does.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save

from .events import Kind, record
from .lockout import was_refused

ACTING_USER = "_security_acting_user"
WATCHED_FIELDS = ("is_active", "is_staff", "is_superuser", "password")


def act_as(instance, user):
    """Say that `user` is making the coming change to `instance` (a user or group)."""
    setattr(instance, ACTING_USER, user)
    return instance


def _actor(instance):
    return getattr(instance, ACTING_USER, None)


def signed_in(sender, request, user, **kwargs):
    record(Kind.SIGNED_IN, user=user, request=request)


def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(Kind.SIGNED_OUT, user=user, request=request)


def sign_in_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username") or ""
    # The username as typed, never the password (Django already masks it).
    user = get_user_model()._default_manager.filter(username=username).first()
    detail = "refused: locked out" if request is not None and was_refused(request) else ""
    record(Kind.SIGN_IN_FAILED, user=user, username=username, request=request, detail=detail)


def remember_previous_flags(sender, instance, update_fields=None, **kwargs):
    instance._security_before = None
    if instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(WATCHED_FIELDS):
        return  # last_login and the like: nothing the log watches
    instance._security_before = (
        sender._default_manager.filter(pk=instance.pk).values(*WATCHED_FIELDS).first()
    )


def record_changed_flags(sender, instance, created, **kwargs):
    before = getattr(instance, "_security_before", None)
    instance._security_before = None
    if created or before is None:
        return
    by = _actor(instance)
    if before["is_active"] != instance.is_active:
        kind = Kind.REACTIVATED if instance.is_active else Kind.DEACTIVATED
        record(kind, user=instance, by=by)
    staff = [
        f"{label} {'granted' if getattr(instance, field) else 'removed'}"
        for field, label in (("is_staff", "staff status"), ("is_superuser", "superuser status"))
        if before[field] != getattr(instance, field)
    ]
    if staff:
        record(Kind.STAFF_STATUS_CHANGED, user=instance, by=by, detail="; ".join(staff))
    if before["password"] != instance.password:
        record(Kind.PASSWORD_CHANGED, user=instance, by=by)


def _names(model, pk_set):
    if not pk_set:
        return ""
    if model is Group:
        names = model.objects.filter(pk__in=pk_set).values_list("name", flat=True)
    else:
        names = (
            f"{app}.{codename}"
            for app, codename in model.objects.filter(pk__in=pk_set).values_list(
                "content_type__app_label", "codename"
            )
        )
    return ", ".join(sorted(names))


def _m2m_detail(action, model, pk_set):
    if action == "post_clear":
        return "all removed"
    verb = "added" if action == "post_add" else "removed"
    return f"{verb}: {_names(model, pk_set)}"


def _changed(action, pk_set) -> bool:
    """Did an m2m_changed signal report a change made (not about to be, nor empty)?"""
    return action == "post_clear" or (action in {"post_add", "post_remove"} and bool(pk_set))


def user_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not _changed(action, pk_set):
        return
    if reverse:  # group.user_set.add(...): the instance is the group
        users = get_user_model()._default_manager.filter(pk__in=pk_set or [])
        for user in users:
            record(
                Kind.GROUPS_CHANGED,
                user=user,
                by=_actor(instance),
                detail=_m2m_detail(action, Group, {instance.pk}),
            )
        return
    record(
        Kind.GROUPS_CHANGED,
        user=instance,
        by=_actor(instance),
        detail=_m2m_detail(action, model, pk_set),
    )


def user_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if reverse or not _changed(action, pk_set):
        return
    record(
        Kind.PERMISSIONS_CHANGED,
        user=instance,
        by=_actor(instance),
        detail=_m2m_detail(action, model, pk_set),
    )


def group_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if reverse or not _changed(action, pk_set):
        return
    record(
        Kind.GROUP_PERMISSIONS_CHANGED,
        username="",
        by=_actor(instance),
        detail=f"{instance.name}: {_m2m_detail(action, model, pk_set)}",
    )


def connect():
    User = get_user_model()
    user_logged_in.connect(signed_in, dispatch_uid="security-signed-in")
    user_logged_out.connect(signed_out, dispatch_uid="security-signed-out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="security-sign-in-failed")
    pre_save.connect(remember_previous_flags, sender=User, dispatch_uid="security-user-before")
    post_save.connect(record_changed_flags, sender=User, dispatch_uid="security-user-after")
    m2m_changed.connect(
        user_groups_changed, sender=User.groups.through, dispatch_uid="security-user-groups"
    )
    m2m_changed.connect(
        user_permissions_changed,
        sender=User.user_permissions.through,
        dispatch_uid="security-user-permissions",
    )
    m2m_changed.connect(
        group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid="security-group-permissions",
    )
