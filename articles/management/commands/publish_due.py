"""Record scheduled stories that have gone live, embargoes lifted and stories
withdrawn on schedule; run from cron every minute.

Readers see each change on time without this command (visibility is decided
when a page is built). It does the bookkeeping: one event per change, the
authors' email for a go-live, and the partners' webhooks. Running it twice, or
twice at once, records nothing twice.
"""

from django.core.management.base import BaseCommand

from articles.workflow import mark_due_stories_live, record_due_lifts_and_withdrawals


class Command(BaseCommand):
    help = (
        "Record scheduled stories, embargo lifts and withdrawals whose time has passed"
        " (safe to run every minute)."
    )

    def handle(self, *args, **options):
        events = mark_due_stories_live()
        for event in events:
            self.stdout.write(f"Live: {event.article.headline}")
        self.stdout.write(f"{len(events)} scheduled stories went live.")
        for event in record_due_lifts_and_withdrawals():
            self.stdout.write(f"{event.get_action_display()}: {event.article.headline}")
