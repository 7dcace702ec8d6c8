from django.db import migrations

# PostgreSQL moves a value of more than about 2 kB out of the row into the table's
# TOAST table, and reads it back through an index on every use: ranking reads the
# vectors of up to 1,000 candidates per search, so fetching them cost more than
# scoring. STORAGE MAIN keeps them in the row (out of line only for a story too
# long to fit in a page); the body text, read for 20 snippets, stays out of line.
COLUMNS = ("vector", "fields_vector")


def store(storage):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        alterations = ", ".join(
            f"ALTER COLUMN {column} SET STORAGE {storage}" for column in COLUMNS
        )
        schema_editor.execute(f"ALTER TABLE articles_searchdocument {alterations}")

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0023_scheduled_lift_and_withdrawal_events"),
    ]

    operations = [
        migrations.RunPython(store("MAIN"), store("EXTENDED"), elidable=False),
    ]
