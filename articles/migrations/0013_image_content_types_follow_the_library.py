# The content types of images and renditions move to the "images" app, so their
# permissions (and the groups holding them), tags and admin history follow.

from django.db import migrations

MODELS = ["image", "rendition"]


def move(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
            continue
        # Both exist (content types were made for the new app first): keep the
        # new one, move what points at the old one, then drop it.
        for permission in Permission.objects.filter(content_type=old):
            if Permission.objects.filter(content_type=new, codename=permission.codename).exists():
                permission.delete()
            else:
                permission.content_type = new
                permission.save(update_fields=["content_type"])
        TaggedItem.objects.filter(content_type=old).update(content_type=new)
        old.delete()


def forwards(apps, schema_editor):
    move(apps, "articles", "images")


def backwards(apps, schema_editor):
    move(apps, "images", "articles")


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0012_image_library_moves_to_its_own_app"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
