"""Hand the task worker every outbox message that is due; run from cron every minute.

After commit each message gets its own task, so this finds nothing in a
healthy newsroom. It picks up what a crash lost: a process that died between
commit and queueing, a worker killed mid-send (once its lease has run out),
retries on a queue that cannot defer tasks.
"""

from django.core.management.base import BaseCommand

from articles.webhooks import outbox


class Command(BaseCommand):
    help = "Queue every due outbox message for the task worker (safe to run every minute)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--here",
            action="store_true",
            help="Send them from this process instead of queueing them (no worker needed).",
        )

    def handle(self, *args, here=False, **options):
        if here:
            self.stdout.write(f"{outbox.deliver_due()} outbox messages tried.")
        else:
            self.stdout.write(f"{outbox.enqueue_due()} outbox messages queued.")
