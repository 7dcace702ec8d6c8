"""The newsroom's two roles, as groups with exact permissions.

Editors: everything on stories, people, organisations, countries, sections and
tags, including the workflow permissions (publish, withdraw, correct, edit any
story). Journalists: write stories and bylines, read the rest; the per-story
rules (own drafts only) are in articles/workflow.py.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_APPS = ["articles", "people", "taggit"]
JOURNALIST_PERMISSIONS = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    # Bylines are edited inline on the story page.
    ("articles", "add_byline"),
    ("articles", "change_byline"),
    ("articles", "delete_byline"),
    ("articles", "view_byline"),
    ("articles", "view_correction"),
    ("articles", "view_section"),
    # Read-only, for the pickers on the story form.
    ("people", "view_person"),
    ("people", "view_organisation"),
    ("people", "view_country"),
    ("people", "view_role"),
    ("taggit", "view_tag"),
]


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    set_up_groups(apps)


def set_up_groups(apps):
    """The groups and their permissions; tests that flush the database call it again."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=EDITOR_APPS)
    )
    journalists, _ = Group.objects.get_or_create(name="Journalists")
    for app_label, codename in JOURNALIST_PERMISSIONS:
        journalists.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Journalists"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow_events_revisions_versions"),
        ("people", "0002_load_iso_countries"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
