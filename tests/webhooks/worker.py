"""A throwaway newsroom in its own database, for running the real task workers as
subprocesses (they cannot see the test database, which lives in this process)."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, str(ROOT / "manage.py")]


class Newsroom:
    """`run()` a management command, `script()` Python in `manage.py shell`, or
    `start()` a long-running one; each with this newsroom's database."""

    def __init__(self, tmp_path: Path, name: str, **env):
        self.tmp_path = tmp_path
        base = os.environ.get("DATABASE_URL", "")
        self.dropped = None
        if base.startswith("postgres"):
            parts = urlsplit(base)
            database = f"{parts.path.lstrip('/')}_{name}_{os.getpid()}"
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
            with psycopg.connect(self.admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
                connection.execute(f'CREATE DATABASE "{database}"')
            self.dropped = database
            url = urlunsplit(parts._replace(path=f"/{database}"))
        else:
            url = f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "DATABASE_CONN_MAX_AGE": "0",
            "DJANGO_DEBUG": "0",
            "NEWSROOM_VAR_DIR": str(tmp_path / "var"),
            "NEWSROOM_TASKS": "database",
            # A worker killed mid-send loses its hold on the message this soon.
            "NEWSROOM_OUTBOX_LEASE_SECONDS": "3",
            "NEWSROOM_WEBHOOK_TIMEOUT": "2",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            **env,
        }
        self.processes = []
        self.run("migrate", "--noinput", "-v0")

    def run(self, *args, timeout=120) -> str:
        result = subprocess.run(
            [*MANAGE, *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def script(self, code: str):
        """Run `code` in `manage.py shell`; it ends by printing one JSON value."""
        out = self.run("shell", "-c", code)
        return json.loads(out.strip().splitlines()[-1])

    def start(self, *args, log: str):
        output = open(self.tmp_path / log, "a")  # noqa: SIM115 closed by stop()
        process = subprocess.Popen(
            [*MANAGE, *args], env=self.env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )
        self.processes.append((process, output))
        return process

    def log(self, name: str) -> str:
        return (self.tmp_path / name).read_text()

    def close(self):
        for process, output in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait(10)
            output.close()
        if self.dropped:
            with psycopg.connect(self.admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.dropped}" WITH (FORCE)')


def wait_for(condition, *, seconds=30, every=0.2):
    """Poll until `condition()` is true (bounded: fails after `seconds`)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


def publish_story(secret: str, url: str, *, headline: str, die_before_commit_hooks=False) -> dict:
    """Code for `Newsroom.script`: a subscription, an author with an email, and a story
    published by an editor. With `die_before_commit_hooks`, the process ends as if
    killed right after the commit: no after-commit callback runs."""
    return f"""
import json, os
from unittest import mock
from articles.webhooks.models import Subscription, OutboxMessage, Event
from tests.factories import make_article, make_author, make_editor, make_journalist
from articles.models import Status
Subscription.objects.get_or_create(
    url={url!r}, defaults=dict(name="Partner", secret={secret!r}, events=Event.values)
)
author = make_journalist(email="samir@newsroom.test")
story = make_article({headline!r}, status=Status.DRAFT, authors=[make_author(author)])
if {die_before_commit_hooks!r}:
    with mock.patch("django.db.transaction.on_commit"):
        story.publish(by=make_editor())
    ids = list(OutboxMessage.objects.filter(story=story).values_list("message_id", "kind"))
    print(json.dumps(ids), flush=True)
    os._exit(0)
story.publish(by=make_editor())
ids = list(OutboxMessage.objects.filter(story=story).values_list("message_id", "kind"))
print(json.dumps(ids))
"""


def status_of(message_id: str) -> str:
    return f"""
import json
from articles.webhooks.models import OutboxMessage
m = OutboxMessage.objects.get(message_id={message_id!r})
print(json.dumps([m.status, m.attempts]))
"""
