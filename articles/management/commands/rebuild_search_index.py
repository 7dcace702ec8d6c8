"""Rebuild the search index from the stories table (safe to run at any time).

Signals keep the index in step with every save through Django; run this after
changing stories with raw SQL, `QuerySet.update()` or `bulk_create()`, after a
restore from backup, or after changing the indexing rules in articles/search.py.
On PostgreSQL it runs ANALYZE afterwards, so the planner uses the GIN index.
"""

from django.core.management.base import BaseCommand

from articles.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every story."

    def handle(self, *args, **options):
        count = rebuild_index()
        self.stdout.write(f"Indexed {count} stories for search.")
