"""Record scheduled stories that have gone live; run from cron every minute.

Readers see a scheduled story on time without this command (visibility is
decided when a page is built). It does the bookkeeping: one "went live" event
per story and the authors' email. Running it twice, or twice at once, records
nothing twice.
"""

from django.core.management.base import BaseCommand

from articles.workflow import mark_due_stories_live


class Command(BaseCommand):
    help = "Record scheduled stories whose publication time has passed (safe to run every minute)."

    def handle(self, *args, **options):
        events = mark_due_stories_live()
        for event in events:
            self.stdout.write(f"Live: {event.article.headline}")
        self.stdout.write(f"{len(events)} scheduled stories went live.")
