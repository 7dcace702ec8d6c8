"""Purge cached pages by surrogate key, by hand or from a deploy script.

After a deploy (new templates, new static file names) or a change of settings
that shows on pages (the publication's name), purge `furniture`: it is on
every page. Keys are listed in docs/caching.md.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from newsroom.pagecache.purge import purge


class Command(BaseCommand):
    help = "Purge every cached page built from any of the given surrogate keys."

    def add_arguments(self, parser):
        parser.add_argument("keys", nargs="*", help="Surrogate keys, e.g. home story-12.")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="Every page (the same as the key furniture).",
        )

    def handle(self, *args, keys, everything, **options):
        if everything:
            keys = [*keys, "furniture"]
        if not keys:
            raise CommandError("Name the keys to purge, or --all.")
        # One transaction: the keys are marked, then sent to the cache in front
        # once, after the commit (purge.py).
        with transaction.atomic():
            purged = purge(keys)
        self.stdout.write(f"Purged {len(purged)} keys: {' '.join(sorted(purged))}.")
