"""Make every standard rendition library images lack; safe to run again.

New uploads get their renditions on ingest. Run this after the standard set
grows (as when the 16:9, 4:3 and 1:1 structured-data crops were added) so
older pictures have them before a page asks for them. Renditions already
stored are left alone, so a second run makes nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from articles.images.models import Image
from articles.images.renditions import ensure_renditions


class Command(BaseCommand):
    help = "Make the standard renditions (widths, crops) that library images lack."

    def add_arguments(self, parser):
        parser.add_argument(
            "--lead-only",
            action="store_true",
            help="Only pictures used as a story's lead image.",
        )

    def handle(self, *args, lead_only=False, **options):
        images = Image.objects.prefetch_related("renditions").order_by("pk")
        if lead_only:
            images = images.filter(lead_for__isnull=False).distinct()
        made = failed = seen = 0
        for image in images.iterator(chunk_size=100):
            seen += 1
            before = {rendition.pk for rendition in image.renditions.all()}
            try:
                renditions = ensure_renditions(image)
            except OSError as error:  # original missing or unreadable
                failed += 1
                self.stderr.write(f"Image {image.pk} ({image.title}): {error}")
                continue
            new = len({rendition.pk for rendition in renditions} - before)
            if new:
                made += new
                self.stdout.write(f"Image {image.pk} ({image.title}): {new} made")
        self.stdout.write(f"{seen} images checked, {made} renditions made.")
        if failed:
            raise CommandError(f"{failed} images could not be read; see above.")
