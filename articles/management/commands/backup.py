"""Back up the newsroom: the database by its own tool, the media folder, a manifest (docs/backup.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite's online backup, or pg_dump) and the media folder "
        "into a new folder inside FOLDER, with a manifest of checksums. Safe while the "
        "site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "folder", type=Path, help="Where backups are kept, e.g. /var/backups/newsroom."
        )
        parser.add_argument(
            "--skip-media",
            action="store_true",
            help="Only the database: media kept in object storage are backed up by its own tools.",
        )

    def handle(self, *args, folder, skip_media, **options):
        try:
            backup = make_backup(folder, media=not skip_media)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(backup.as_posix())
