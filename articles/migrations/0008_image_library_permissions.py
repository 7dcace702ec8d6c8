"""Who may use the image library: editors everything, journalists upload and describe.

Journalists cannot delete pictures: a picture may be in someone else's story.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = ["add_image", "change_image", "delete_image", "view_image", "view_rendition"]
JOURNALIST_PERMISSIONS = ["add_image", "change_image", "view_image"]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    set_up_library_permissions(apps)


def set_up_library_permissions(apps):
    """Give the roles the library; tests that flush the database call it again."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in [("Editors", EDITOR_PERMISSIONS), ("Journalists", JOURNALIST_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    library = Permission.objects.filter(
        content_type__app_label="articles", codename__in=EDITOR_PERMISSIONS
    )
    for group in Group.objects.filter(name__in=["Editors", "Journalists"]):
        group.permissions.remove(*library)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_lead_image_from_library"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
