from django.db import migrations


def rewrite_the_vectors(apps, schema_editor):
    """Rewrite each document's vectors, unchanged, so that those stored before
    0024 move into the row too (a new storage applies only to values written
    after it). `|| ''` makes a new value: an untouched one would be kept where it is."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE articles_searchdocument SET vector = vector || ''::tsvector, "
        "fields_vector = fields_vector || ''::tsvector"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0024_search_vectors_kept_in_the_row"),
    ]

    operations = [
        # Backwards, the vectors stay where they are: out of line again as they are
        # next written, which is all 0024's reverse asks.
        migrations.RunPython(rewrite_the_vectors, migrations.RunPython.noop),
    ]
