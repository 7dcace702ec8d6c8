"""Send the cache in front every purge it has not accepted yet; run from cron every minute.

Each change sends its own purge once it commits; this command is the retry for
those that failed (the cache was restarting, the CDN's API timed out). Sending a
key twice is harmless, so running it twice, or twice at once, does no harm.
"""

from django.core.management.base import BaseCommand, CommandError

from newsroom.pagecache.purge import send_due


class Command(BaseCommand):
    help = "Send due purges to the cache in front, with retries (safe to run every minute)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--attempts", type=int, default=3, help="Tries per batch of keys (default 3)."
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=2.0,
            help="Seconds before the second try, doubling after (default 2).",
        )

    def handle(self, *args, attempts, wait, **options):
        sent, failed = send_due(attempts=max(1, attempts), wait=wait)
        self.stdout.write(f"{sent} purged keys sent.")
        if failed:
            # A non-zero exit: cron mails it, and the keys stay due for the next run.
            raise CommandError(f"{failed} purged keys could not be sent; they stay due.")
