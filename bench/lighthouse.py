"""Lighthouse's accessibility, best-practices and SEO scores of the demo's public pages.

Run on demand (not part of the test suite):

    .venv/bin/python bench/lighthouse.py
    .venv/bin/python bench/lighthouse.py --pages home,story

The demo newsroom is loaded into a throwaway folder (SQLite, collected static
files, uploaded media) and served as production serves it: gunicorn with
DJANGO_DEBUG=0 and hashed static files through WhiteNoise. Media are served by a
plain file server on another port, named by DJANGO_MEDIA_URL, as object storage
or a CDN would be (docs/deploy.md). Two-factor sign-in is off: no page here is
signed in.

Lighthouse is the npm package, installed on first run with `npm install
--prefix var/lighthouse` (git-ignored), and drives Debian's Chromium
(/usr/bin/chromium, or NEWSROOM_CHROMIUM) headless. One Lighthouse run per page;
the table shows each category's score, and below it every audit that kept a
score under 1. Each page's full report is kept in var/lighthouse/reports/. Search is `noindex` by design, so its SEO score is below 1.
"""

import argparse
import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE_DIR = ROOT / "var" / "lighthouse"
LIGHTHOUSE_SPEC = "lighthouse@12"
REPORTS = LIGHTHOUSE_DIR / "reports"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CATEGORIES = ["accessibility", "best-practices", "seo"]
PAGES = {
    "home": "/",
    "story": "/2020/10/02/us-and-morocco-sign-ten-year-defence-roadmap/",
    "tag": "/tag/defence-cooperation/",
    "person": "/people/mark-esper/",
    "organisation": "/organisations/united-states-department-of-defense/",
    "country": "/countries/ma/",
    "section": "/section/news/",
    "author": "/authors/samir-tazi/",
    "search": "/search/?q=roadmap+Morocco",
}


def install_lighthouse():
    if LIGHTHOUSE.exists():
        return
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    print(f"Installing {LIGHTHOUSE_SPEC} into {LIGHTHOUSE_DIR.relative_to(ROOT)}/ …", flush=True)
    subprocess.run(
        [
            "npm",
            "install",
            "--prefix",
            str(LIGHTHOUSE_DIR),
            "--no-audit",
            "--no-fund",
            LIGHTHOUSE_SPEC,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_environment(folder, media_url, **overrides):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'newsroom.sqlite3'}",
        "NEWSROOM_VAR_DIR": str(folder),
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_MEDIA_URL": media_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "lighthouse-only-not-a-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "NEWSROOM_REQUIRE_2FA": "0",
        "NEWSROOM_PUBLICATION_NAME": "New Defence Order. Strategy",
        "DJANGO_LOG_LEVEL": "WARNING",
        **overrides,
    }


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def build(folder, media_url):
    env = site_environment(folder, media_url)
    manage(env, "migrate", "--noinput", "-v0")
    # load_demo refuses to run on a production site: only this step has debug on.
    manage({**env, "DJANGO_DEBUG": "1"}, "load_demo")
    manage(env, "collectstatic", "--noinput", "-v0")


@contextmanager
def media_server(folder, port):
    """The uploaded media, served from another origin as object storage would be."""
    (folder / "media").mkdir(exist_ok=True)
    handler = functools.partial(QuietFiles, directory=str(folder / "media"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def gunicorn(folder, media_url):
    port = free_port()
    env = site_environment(folder, media_url)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "newsroom.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/", timeout=30):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def lighthouse(url, report):
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={report}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
    )
    return json.loads(Path(report).read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated page names")
    args = parser.parse_args()
    names = args.pages.split(",")
    install_lighthouse()
    REPORTS.mkdir(exist_ok=True)
    failing = {}
    rows = []
    with tempfile.TemporaryDirectory(prefix="newsroom-lighthouse-") as tmp:
        folder = Path(tmp)
        media_port = free_port()
        media_url = f"http://127.0.0.1:{media_port}/"
        build(folder, media_url)
        with media_server(folder, media_port), gunicorn(folder, media_url) as base:
            for name in names:
                result = lighthouse(base + PAGES[name], REPORTS / f"{name}.json")
                scores = [result["categories"][c]["score"] for c in CATEGORIES]
                rows.append((name, scores))
                print(f"{name}: " + ", ".join(f"{s:.2f}" for s in scores), flush=True)
                for category in CATEGORIES:
                    for ref in result["categories"][category]["auditRefs"]:
                        audit = result["audits"][ref["id"]]
                        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                            failing.setdefault(f"{category}: {audit['title']}", []).append(name)
    print()
    print(f"| page | {' | '.join(CATEGORIES)} |")
    print(f"| --- |{' --- |' * len(CATEGORIES)}")
    for name, scores in rows:
        print(f"| {name} | " + " | ".join(f"{s:.2f}" for s in scores) + " |")
    if failing:
        print("\nAudits under 1:")
        for audit, pages in failing.items():
            print(f"- {audit} ({', '.join(pages)})")


if __name__ == "__main__":
    main()
