"""Backups of a newsroom, made and restored with the databases' own tools (docs/backup.md).

A backup is one folder, named for the moment it was made (UTC):

    manifest.json     when, which engine, the applied migrations, every checksum
    database.sqlite3  SQLite's online backup of the database, or
    database.pgdump   `pg_dump --format=custom` of the PostgreSQL database
    media.tar         every file under MEDIA_ROOT, as it is on disk

`make_backup()` is safe while the site runs: SQLite's backup API and pg_dump
both read one consistent snapshot. `restore_backup()` checks everything it can
before it changes anything (the checksums, the engine, that the code knows every
migration the backup has, that the site is empty unless told to replace it),
stages the media and the database beside the live ones, and then swaps them in:
the database in one transaction, the media folder by renames that are undone if
the database refuses. A restore either finishes or leaves the site as it was.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
REQUIRED = {"created_at", "engine", "migrations", "database", "media"}
MEDIA_ARCHIVE = "media.tar"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Folders a restore makes inside MEDIA_ROOT while it works (the same filesystem,
# so the swap is a rename even when MEDIA_ROOT is a mount point). Never backed up.
WORK_PREFIX = ".newsroom-"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore refused, with a sentence for the operator; nothing was changed."""


@dataclass
class Restored:
    """What a restore put back, and what the operator should do next."""

    manifest: dict
    media_files: int
    pending_migrations: list[str] = field(default_factory=list)


# --- Making a backup ------------------------------------------------------------


def make_backup(root: Path, *, using: str = "default", media: bool = True) -> Path:
    """Back up the database and (unless `media` is off) the media folder into a new folder in `root`.

    The folder is written under a hidden name and renamed when complete, so a
    backup interrupted half-way never looks like one.
    """
    connection = connections[using]
    engine = _engine(connection)
    media_root = _media_root() if media else None
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    created_at = timezone.now().replace(microsecond=0)
    name = created_at.strftime("%Y%m%dT%H%M%SZ")
    final = _free_name(root, name)
    # Backups hold password hashes and sessions: for the operator's eyes only.
    partial = Path(tempfile.mkdtemp(prefix=f".partial-{final.name}-", dir=root))
    try:
        database_file = partial / DATABASE_FILES[engine]
        manifest = {
            "format": FORMAT,
            "created_at": created_at.isoformat(),
            "newsroom_version": _newsroom_version(),
            "engine": engine,
            # Read before the dump: a migration run during the backup would only
            # make the code look older than the backup, which restore refuses.
            "migrations": _applied_migrations(connection),
        }
        if engine == "sqlite":
            manifest["server_version"] = sqlite3.sqlite_version
            _sqlite_dump(connection, database_file)
        else:
            manifest["server_version"] = _pg_server_version(connection)
            _pg_dump(connection, database_file)
        manifest["database"] = _file_entry(database_file)
        # After the database: a picture added meanwhile is an unused file in the
        # backup, never a row without its file.
        manifest["media"] = _archive_media(media_root, partial / MEDIA_ARCHIVE) if media else None
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def _free_name(root, name):
    candidate, n = root / name, 1
    while candidate.exists():
        n += 1
        candidate = root / f"{name}-{n}"
    return candidate


def _newsroom_version():
    try:
        return version("newsroom")
    except PackageNotFoundError:
        return "unknown"


def _engine(connection):
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _applied_migrations(connection):
    applied = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _media_root():
    if not isinstance(default_storage, FileSystemStorage):
        backend = f"{type(default_storage).__module__}.{type(default_storage).__qualname__}"
        raise BackupError(
            f"Media are kept by {backend}, not in a folder on this machine. Back the "
            "bucket up with the storage's own tools (docs/backup.md) and run the "
            "backup with --skip-media."
        )
    return Path(default_storage.location)


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _file_entry(path):
    return {"file": path.name, "bytes": path.stat().st_size, "sha256": _sha256(path)}


class _HashingReader:
    """A file read once: into the archive, and into its checksum on the way."""

    def __init__(self, f):
        self.f, self.digest = f, hashlib.sha256()

    def read(self, size=-1):
        data = self.f.read(size)
        self.digest.update(data)
        return data


def _media_files(media_root):
    for directory, subdirs, files in os.walk(media_root):
        here = Path(directory)
        if here == media_root:
            subdirs[:] = [d for d in subdirs if not d.startswith(WORK_PREFIX)]
        subdirs.sort()
        for name in sorted(files):
            path = here / name
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(media_root).as_posix()


def _archive_media(media_root, archive):
    """Archive every file under `media_root`; returns the manifest's media entry."""
    files = {}
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        if media_root.is_dir():
            for path, name in _media_files(media_root):
                try:
                    f = open(path, "rb")
                except FileNotFoundError:
                    continue  # deleted since the walk saw it (an old crop): not needed
                with f:
                    info = tar.gettarinfo(arcname=name, fileobj=f)
                    reader = _HashingReader(f)
                    tar.addfile(info, reader)
                files[name] = {"bytes": info.size, "sha256": reader.digest.hexdigest()}
    return {**_file_entry(archive), "files": files}


# --- SQLite -------------------------------------------------------------------------


def _sqlite_path(connection):
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"The SQLite database {name} is not a file this command can back up.")
    return Path(name)


def _sqlite_dump(connection, destination):
    # SQLite's online backup API: a consistent copy while the site writes.
    source = sqlite3.connect(f"file:{_sqlite_path(connection)}?mode=ro", uri=True)
    target = sqlite3.connect(destination)
    try:
        with target:
            source.backup(target)
        _sqlite_check(target, destination)
    finally:
        source.close()
        target.close()


def _sqlite_check(db, path):
    problems = [row[0] for row in db.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise BackupError(f"{path} fails SQLite's integrity check: {'; '.join(problems[:3])}")


def _sqlite_restore(connection, source_file):
    """Copy the backup over the live database: the backup API writes it in one transaction."""
    path = _sqlite_path(connection)
    connection.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
    target = sqlite3.connect(path, timeout=30)
    try:
        _sqlite_check(source, source_file)
        source.backup(target)
    except sqlite3.Error as error:
        raise BackupError(
            f"SQLite refused the restore, the database is unchanged: {error}"
        ) from error
    finally:
        source.close()
        target.close()


# --- PostgreSQL ---------------------------------------------------------------------


def _pg_command(connection, tool, parameters):
    """`tool` with the connection's host, port, user and database, and its password in the environment."""
    args, env = DatabaseClient.settings_to_cmd_args_env(connection.settings_dict, parameters)
    return [tool, *args[1:]], {**os.environ, **(env or {})}


def _pg_server_version(connection):
    connection.ensure_connection()
    number = connection.pg_version
    return f"{number // 10000}.{number % 10000}"


def _pg_tool(connection, tool):
    """The path of `tool`, refusing one older than the server (it would refuse, or dump less)."""
    path = shutil.which(tool)
    if not path:
        raise BackupError(
            f"{tool} is not installed. Install the PostgreSQL client tools of the "
            f"server's version (Debian: postgresql-client-{_pg_major(connection)})."
        )
    output = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    found = re.search(r"\(PostgreSQL\) (\d+)", output)
    tool_major = int(found[1]) if found else 0
    if tool_major < _pg_major(connection):
        raise BackupError(
            f"{tool} {tool_major} is older than the PostgreSQL {_pg_major(connection)} "
            f"server. Install postgresql-client-{_pg_major(connection)}."
        )
    return path


def _pg_major(connection):
    connection.ensure_connection()
    return connection.pg_version // 10000


def _run(command, env, what):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what} failed: {' '.join(detail[-3:]) or f'exit {result.returncode}'}")
    return result


def _pg_dump(connection, destination):
    # pg_dump reads one snapshot (a repeatable-read transaction): safe while the site writes.
    command, env = _pg_command(
        connection, _pg_tool(connection, "pg_dump"), ["--format=custom", f"--file={destination}"]
    )
    _run(command, env, "pg_dump")


# Run in the same transaction as the restore, so a refused restore keeps the old tables.
PG_REPLACE = "DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n"


def _pg_restore(connection, dump, *, replace, workdir):
    """Restore `dump` in one transaction: all of it, or (on any error) none of it."""
    script = workdir / "restore.sql"
    # pg_restore writes the SQL first and psql runs it in one transaction:
    # pg_restore --single-transaction could not also drop the old tables.
    try:
        _run(
            [
                _pg_tool(connection, "pg_restore"),
                "--no-owner",
                "--no-privileges",
                f"--file={script}",
                str(dump),
            ],
            os.environ,
            "pg_restore",
        )
    except BackupError as error:
        raise BackupError(
            f"pg_restore refused the restore, the database is unchanged. {error}"
        ) from error
    prelude = workdir / "prelude.sql"
    prelude.write_text(PG_REPLACE if replace else "")
    command, env = _pg_command(
        connection,
        _pg_tool(connection, "psql"),
        [
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            "--single-transaction",
            f"--file={prelude}",
            f"--file={script}",
        ],
    )
    connection.close()
    try:
        _run(command, env, "psql")
    except BackupError as error:
        raise BackupError(
            f"PostgreSQL refused the restore, the database is unchanged. {error}"
        ) from error


# --- Restoring -------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    """The backup's manifest, after checking every file it lists against its checksum."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}.") from None
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{folder / MANIFEST} is damaged: it is not JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            f"{folder / MANIFEST} is not a manifest this version understands "
            f"(format {manifest.get('format') if isinstance(manifest, dict) else '?'})."
        )
    missing = sorted(REQUIRED - set(manifest))
    if missing or manifest["engine"] not in ENGINE_NAMES:
        raise BackupError(
            f"{folder / MANIFEST} is damaged: "
            + (f"it lacks {', '.join(missing)}." if missing else "its engine is unknown.")
        )
    entries = [manifest["database"]] + ([manifest["media"]] if manifest["media"] else [])
    for entry in entries:
        path = folder / PurePosixPath(entry["file"]).name
        if not path.is_file():
            raise BackupError(f"The backup is incomplete: {path.name} is missing.")
        if path.stat().st_size != entry["bytes"] or _sha256(path) != entry["sha256"]:
            raise BackupError(
                f"{path.name} does not match the manifest's checksum: the backup is "
                "damaged. Restore another copy of it."
            )
    return manifest


def check_migrations(manifest: dict) -> list[str]:
    """Refuse a backup with migrations this code lacks; return those it has that the backup lacks."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    in_backup = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(in_backup - known)
    if unknown:
        listed = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            f"The backup is newer than this code: it has migrations this code does not "
            f"({listed}{'…' if len(unknown) > 5 else ''}). Install the version that made "
            f"it (Newsroom {manifest.get('newsroom_version', '?')}), or newer, and restore again."
        )
    return sorted(f"{app}.{name}" for app, name in known - in_backup)


def check_backup(folder: Path, *, using: str = "default") -> dict:
    """The manifest of a backup this site could restore: checksums, engine and migrations checked."""
    manifest = read_manifest(folder)
    engine = _engine(connections[using])
    if manifest["engine"] != engine:
        raise BackupError(
            f"This is a backup of a {ENGINE_NAMES[manifest['engine']]} database and this "
            f"site runs on {ENGINE_NAMES[engine]}: restore it on a site configured for "
            f"{ENGINE_NAMES[manifest['engine']]}."
        )
    check_migrations(manifest)
    return manifest


def restore_backup(folder: Path, *, using: str = "default", replace: bool = False) -> Restored:
    """Put the backup in `folder` back: database and media, all or nothing.

    Refuses (BackupError, nothing changed) a damaged backup, one of another
    engine, one with migrations this code lacks, and, unless `replace`, a site
    that already has tables or media files.
    """
    folder = Path(folder)
    connection = connections[using]
    engine = _engine(connection)
    manifest = check_backup(folder, using=using)
    pending = check_migrations(manifest)
    media_root = _media_root() if manifest["media"] else None
    if not replace:
        _refuse_if_not_empty(connection, media_root)
    if engine == "postgresql":
        # Before anything is staged: a missing or old client tool refuses here.
        for tool in ("pg_restore", "psql"):
            _pg_tool(connection, tool)

    database_file = folder / DATABASE_FILES[engine]
    with tempfile.TemporaryDirectory(prefix="newsroom-restore-") as workdir:
        swap = (
            _MediaSwap(media_root, folder / MEDIA_ARCHIVE, manifest["media"])
            if media_root
            else None
        )
        try:
            if swap:
                swap.stage()
                swap.swap_in()
            if engine == "sqlite":
                _sqlite_restore(connection, database_file)
            else:
                _pg_restore(connection, database_file, replace=replace, workdir=Path(workdir))
        except BaseException:
            if swap:
                swap.undo()
            raise
        if swap:
            swap.finish()
    return Restored(
        manifest=manifest,
        media_files=len(manifest["media"]["files"]) if manifest["media"] else 0,
        pending_migrations=pending,
    )


def _refuse_if_not_empty(connection, media_root):
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} already has {len(tables)} "
            "tables. Restore into an empty database, or pass --replace to replace "
            "everything in it (back it up first if you may want it)."
        )
    if media_root and media_root.is_dir() and any(_media_files(media_root)):
        raise BackupError(
            f"The media folder {media_root} already has files. Restore into an empty "
            "folder, or pass --replace to replace them."
        )


class _MediaSwap:
    """The backup's media extracted and checked inside MEDIA_ROOT, then swapped in by renames."""

    def __init__(self, media_root, archive, entry):
        self.root, self.archive, self.entry = media_root, archive, entry
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
        self.staged = media_root / f"{WORK_PREFIX}restore-{stamp}"
        self.replaced = media_root / f"{WORK_PREFIX}replaced-{stamp}"
        self.moved_out, self.moved_in = [], []

    def stage(self):
        self.staged.mkdir(parents=True)
        expected, seen = self.entry["files"], set()
        with tarfile.open(self.archive) as tar:
            for member in tar:
                name = self._safe_name(member)
                if name not in expected:
                    raise BackupError(f"media.tar holds {name}, which the manifest does not list.")
                target = self.staged / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with tar.extractfile(member) as source, open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != expected[name]["sha256"]:
                    raise BackupError(f"{name} in media.tar does not match its checksum.")
                seen.add(name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(
                f"media.tar lacks {len(missing)} files the manifest lists ({missing[0]}…)."
            )

    @staticmethod
    def _safe_name(member):
        path = PurePosixPath(member.name)
        if not member.isfile() or path.is_absolute() or ".." in path.parts:
            raise BackupError(f"media.tar holds {member.name!r}, which is not a media file.")
        if path.parts[0].startswith(WORK_PREFIX):
            raise BackupError(f"media.tar holds {member.name!r}, which is not a media file.")
        return path.as_posix()

    def _entries(self, folder):
        return sorted(p for p in folder.iterdir() if not p.name.startswith(WORK_PREFIX))

    def swap_in(self):
        self.replaced.mkdir()
        for path in self._entries(self.root):
            path.rename(self.replaced / path.name)
            self.moved_out.append(path.name)
        for path in self._entries(self.staged):
            path.rename(self.root / path.name)
            self.moved_in.append(path.name)

    def undo(self):
        for name in self.moved_in:
            (self.root / name).rename(self.staged / name)
        for name in self.moved_out:
            (self.replaced / name).rename(self.root / name)
        shutil.rmtree(self.staged, ignore_errors=True)
        if self.replaced.is_dir() and not any(self.replaced.iterdir()):
            self.replaced.rmdir()

    def finish(self):
        shutil.rmtree(self.staged, ignore_errors=True)
        shutil.rmtree(self.replaced, ignore_errors=True)
