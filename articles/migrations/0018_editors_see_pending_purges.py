"""Editors may see the purge outbox (what the cache in front has not been told yet)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSION = ("pagecache", "view_purgedkey")


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now.
    app_config = apps.get_app_config("pagecache")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    set_up_outbox_permission(apps)


def set_up_outbox_permission(apps):
    """Give editors the outbox; tests that flush the database call it again."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    app_label, codename = PERMISSION
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = PERMISSION
    outbox = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(*outbox)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_topic_story_indexes"),
        ("pagecache", "0002_purged_key_sent_at"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
