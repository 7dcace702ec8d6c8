"""Restore a backup made by `manage.py backup`: all of it, or nothing (docs/backup.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.backup import BackupError, check_backup, restore_backup


class Command(BaseCommand):
    help = (
        "Restore the database and media from a backup folder made by `manage.py backup`. "
        "Stop the site first. Checks every checksum, the engine and the migrations before "
        "changing anything; refuses a site that has data unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "folder", type=Path, help="One backup, e.g. /var/backups/newsroom/20261201T031500Z."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the database's tables and the media folder's files that are there now.",
        )

        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the backup (checksums, engine, migrations) and change nothing.",
        )

    def handle(self, *args, folder, replace, check, **options):
        try:
            if check:
                manifest = check_backup(folder)
                self.stdout.write(
                    f"The backup of {manifest['created_at']} is complete and restorable here."
                )
                return
            restored = restore_backup(folder, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = restored.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} ({manifest['engine']}, "
                f"{restored.media_files} media files)."
            )
        )
        if restored.pending_migrations:
            self.stdout.write(
                f"The code has {len(restored.pending_migrations)} migrations the backup "
                "predates: run `manage.py migrate` before starting the site."
            )
        self.stdout.write(
            "Then start the site and run `manage.py purge_pages --all`: a cache in front "
            "still holds pages from before the restore."
        )
