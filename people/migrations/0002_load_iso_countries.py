from django.db import migrations
from django_countries import countries


def load_countries(apps, schema_editor):
    """Every ISO 3166-1 country, named as django-countries names it."""
    Country = apps.get_model("people", "Country")
    existing = set(Country.objects.values_list("code", flat=True))
    Country.objects.bulk_create(
        Country(code=code, name=str(name)) for code, name in countries if code not in existing
    )


def unload_countries(apps, schema_editor):
    apps.get_model("people", "Country").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(load_countries, unload_countries)]
