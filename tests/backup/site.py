"""A throwaway newsroom for the restore drill: its own database and media folder, run as an operator runs one.

The drill cannot use the test database: pytest-django keeps it inside a
transaction that a restore would have to see through, and pg_dump reads only
what is committed. So the site gets a database of the engine the suite runs on
(a SQLite file, or a new PostgreSQL database on the same server, dropped at the
end) and every step is a `manage.py` command in its own process, with the
site's settings in its environment.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import psycopg
from django.conf import settings

MANAGE = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]


class ThrowawaySite:
    def __init__(self, folder: Path):
        self.folder = folder
        self.media = folder / "media"
        suite_url = os.environ.get("DATABASE_URL", "")
        self.engine = (
            "postgresql" if suite_url.startswith(("postgres:", "postgresql:")) else "sqlite"
        )
        if self.engine == "postgresql":
            self.server = dj_database_url.parse(suite_url)
            self.name = f"newsroom_drill_{uuid.uuid4().hex[:12]}"
            base = suite_url.rsplit("/", 1)[0]
            self.database_url = f"{base}/{self.name}"
        else:
            self.sqlite_file = folder / "newsroom.sqlite3"
            self.database_url = f"sqlite:///{self.sqlite_file}"
        self.create_database()

    @property
    def env(self):
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_MEDIA_ROOT": str(self.media),
            # load_demo runs only in debug mode; the demo's accounts stay on loopback.
            "DJANGO_DEBUG": "1",
            "NEWSROOM_PAGE_CACHE": "0",
        }
        # A shared cache would answer the restored site with the old site's pages.
        env.pop("REDIS_URL", None)
        return env

    def manage(self, *args, check=True):
        result = subprocess.run(
            [*MANAGE, *map(str, args)],
            env=self.env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"manage.py {' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result

    def snapshot(self, what):
        out = self.folder / f"snapshot-{uuid.uuid4().hex}.json"
        subprocess.run(
            [sys.executable, "-m", "tests.backup.snapshot", what, str(out)],
            env=self.env,
            cwd=settings.BASE_DIR,
            check=True,
        )
        try:
            return json.loads(out.read_text())
        finally:
            out.unlink()

    def media_files(self):
        """Every file under the media folder, with its SHA-256."""
        return {
            path.relative_to(self.media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(self.media.rglob("*"))
            if path.is_file()
        }

    # --- The database, by the engine's own means ------------------------------

    def _server(self):
        return psycopg.connect(
            host=self.server["HOST"],
            port=self.server["PORT"] or 5432,
            user=self.server["USER"],
            password=self.server["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )

    def create_database(self):
        if self.engine == "postgresql":
            with self._server() as server:
                server.execute(f'CREATE DATABASE "{self.name}"')

    def drop_database(self):
        if self.engine == "postgresql":
            with self._server() as server:
                server.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        else:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.sqlite_file}{suffix}").unlink(missing_ok=True)

    def destroy(self):
        """The disaster: the database gone (an empty one in its place) and no media folder."""
        self.drop_database()
        self.create_database()
        shutil.rmtree(self.media)
