"""
Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium).

Without Chromium these tests are skipped locally, but CI sets
NEWSROOM_REQUIRE_BROWSER=1 so a missing browser fails the run instead.
"""

import importlib
import os
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

# NEWSROOM_CHROMIUM names another build (a distribution that calls it chromium-browser).
CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_BROWSER = "Debian's Chromium is not installed (apt-get install chromium)"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# Playwright's sync API runs an event loop in the test thread; the test itself
# only touches the database before and after driving the page.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("NEWSROOM_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"Chromium not found at {CHROMIUM}; apt-get install chromium")
    skip = pytest.mark.skip(reason=NO_BROWSER)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(trylast=True)  # after the short summary: among the run's last lines
def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # A green run that tested no page in a browser must not look like a full one.
    # Counted from the reports, not at collection: under pytest-xdist the workers
    # collect, and only their reports reach this process.
    skipped = sum(
        NO_BROWSER in str(report.longrepr) for report in terminalreporter.stats.get("skipped", [])
    )
    if skipped:
        terminalreporter.write_sep(
            "!",
            f"{skipped} browser tests were SKIPPED: Chromium is not at {CHROMIUM}. "
            "Install it (sudo apt-get install chromium) and run make test again",
            yellow=True,
            bold=True,
        )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under var/screenshots/ (git-ignored)."""

    def take(page, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def demo_newsroom(settings, newsroom_roles):
    """The demo publication (`load_demo`), served as production would: debug off."""
    from people.models import Country

    if not Country.objects.exists():
        # A transactional test's flush empties the table a data migration filled.
        migration = importlib.import_module("people.migrations.0002_load_iso_countries")
        migration.load_countries(apps, None)
    settings.DEBUG = True  # load_demo refuses to run otherwise
    settings.NEWSROOM_PUBLICATION_NAME = "New Defence Order. Strategy"
    settings.NEWSROOM_GOOGLE_NEWS_URL = "https://news.google.com/publications/demo"
    call_command("load_demo", stdout=open("/dev/null", "w"))
    settings.DEBUG = False
