"""Editors may put stories under embargo and lift embargoes (`embargo_article`)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSION = ("articles", "embargo_article")


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    set_up_embargo_permission(apps)


def set_up_embargo_permission(apps):
    """Give editors the embargo; tests that flush the database call it again."""
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
    embargo = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(*embargo)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_embargo_and_withdrawal_times"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
