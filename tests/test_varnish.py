"""A real Varnish (deploy/varnish/newsroom.vcl, unchanged) in front of the live
server: pages are served from it, and every change through the newsroom's doors
shows on the next request through it.

Skipped where Debian's `varnish` and `varnish-modules` are not installed; CI
sets NEWSROOM_REQUIRE_VARNISH=1, so a missing Varnish fails the run instead.
"""

import http.client
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from articles import workflow
from articles.models import Status
from tests.factories import make_article, make_section

VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
XKEY_VMOD = "libvmod_xkey.so"
DEPLOY = Path(__file__).resolve().parents[1] / "deploy" / "varnish"

pytestmark = [pytest.mark.varnish, pytest.mark.django_db(transaction=True)]


def _varnish_is_installed() -> bool:
    """varnishd and the xkey vmod (varnish-modules), which a bare `varnish` lacks."""
    vmods = [*Path("/usr/lib").glob(f"*/varnish/vmods/{XKEY_VMOD}")]
    vmods += [*Path("/usr/lib/varnish/vmods").glob(XKEY_VMOD)]
    return Path(VARNISHD).exists() and bool(vmods)


@pytest.fixture(scope="module")
def varnishd_ready():
    if _varnish_is_installed():
        return
    message = (
        "Varnish with the xkey vmod is not installed (apt-get install varnish varnish-modules)"
    )
    if os.environ.get("NEWSROOM_REQUIRE_VARNISH"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"varnishd exited: {process.stdout.read()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"varnishd did not listen on {port} within {seconds} s")


def _run_varnishd(here: Path, backends_vcl: str):
    """varnishd on a free loopback port with the shipped newsroom.vcl and our own
    backends.vcl, found first on vcl_path; yields the port."""
    (here / "backends.vcl").write_text(backends_vcl)
    port = _free_port()
    process = subprocess.Popen(
        [
            VARNISHD,
            "-F",
            "-j",
            "none",  # no privilege separation: a test's temporary directory is private
            "-a",
            f"127.0.0.1:{port}",
            "-T",
            "none",
            "-f",
            str(DEPLOY / "newsroom.vcl"),
            "-n",
            str(here / "work"),
            "-s",
            "malloc,32m",
            "-p",
            f"vcl_path={here}:{DEPLOY}",
            "-p",
            "vcc_allow_inline_c=off",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def varnish(varnishd_ready, live_server, tmp_path_factory):
    """varnishd fetching from the live server."""
    backend_port = urlsplit(live_server.url).port
    yield from _run_varnishd(
        tmp_path_factory.mktemp("varnish"),
        f'backend default {{ .host = "127.0.0.1"; .port = "{backend_port}"; }}\n',
    )


@pytest.fixture(scope="module")
def second_server(live_server):
    """A second application server on the same database, as behind a load balancer."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1:0")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def varnish_before_two(varnishd_ready, live_server, second_server, tmp_path_factory):
    """varnishd fetching from both servers in turn (the shipped backends.vcl's shape)."""
    ports = [urlsplit(server.url).port for server in (live_server, second_server)]
    backends = "".join(
        f'backend app{n} {{ .host = "127.0.0.1"; .port = "{port}"; }}\n'
        for n, port in enumerate(ports, 1)
    )
    yield from _run_varnishd(
        tmp_path_factory.mktemp("varnish-two"),
        "import directors;\n"
        + backends
        + "sub vcl_init { new app = directors.round_robin();"
        + " app.add_backend(app1); app.add_backend(app2); }\n"
        + "sub vcl_recv { set req.backend_hint = app.backend(); }\n",
    )


@pytest.fixture(autouse=True)
def through_varnish(varnish, settings, newsroom_roles):
    """Purges go to this Varnish, which starts each test empty; the page cache
    inside Django stays off, so every hit here is Varnish's."""
    settings.NEWSROOM_PURGE_BACKEND = "varnish"
    settings.NEWSROOM_VARNISH_URLS = [f"http://127.0.0.1:{varnish}/"]
    settings.NEWSROOM_PAGE_CACHE = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    # Every page carries the furniture key: this empties the cache.
    assert request(varnish, "/", method="PURGE", headers={"xkey-purge": "furniture"}).status == 200


class Answer:
    def __init__(self, response):
        self.status = response.status
        self.headers = response.headers
        self.text = response.read().decode("utf-8", "replace")

    @property
    def is_hit(self) -> bool:
        # On a hit, X-Varnish names this request and the one that fetched the copy.
        return len(self.headers["X-Varnish"].split()) == 2


def request(port, path, *, method="GET", headers=None) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        return Answer(connection.getresponse())
    finally:
        connection.close()


@pytest.fixture
def news():
    return make_section("News")


@pytest.fixture
def story(news):
    return make_article("Roadmap signed in Rabat", section=news, tags=["Morocco"])


def test_an_anonymous_page_is_fetched_once_then_served_by_varnish(varnish, story):
    first = request(varnish, story.get_absolute_url())
    second = request(varnish, story.get_absolute_url())
    assert (first.status, first.is_hit, first.headers["X-Cache"]) == (200, False, "miss")
    assert (second.status, second.is_hit, second.headers["X-Cache"]) == (200, True, "hit")
    assert second.text == first.text
    assert "Age" in second.headers
    assert "xkey" not in second.headers  # the keys are Varnish's business


def test_readers_cookies_do_not_split_the_cache(varnish, story):
    request(varnish, story.get_absolute_url())
    answer = request(
        varnish, story.get_absolute_url(), headers={"Cookie": "_ga=GA1.2.3; csrftoken=abc"}
    )
    assert answer.is_hit


def test_publishing_a_new_story_shows_it_on_the_home_section_and_tag_pages_at_once(
    varnish, story, news, editor
):
    pages = ["/", f"/section/{news.slug}/", "/tag/morocco/", "/feeds/rss/"]
    for page in pages:
        request(varnish, page)
        assert request(varnish, page).is_hit, page
    draft = make_article(
        "Second round of talks", status=Status.DRAFT, section=news, tags=["Morocco"]
    )
    workflow.publish(draft, by=editor)
    for page in pages:
        answer = request(varnish, page)
        assert not answer.is_hit, page
        assert "Second round of talks" in answer.text, page


def test_an_edit_to_a_live_story_shows_on_its_page_at_once(varnish, story):
    request(varnish, story.get_absolute_url())
    assert request(varnish, story.get_absolute_url()).is_hit
    story.headline = "Roadmap signed in Rabat, with a timetable"
    story.save()
    assert "with a timetable" in request(varnish, story.get_absolute_url()).text


def test_a_withdrawn_story_answers_410_at_once(varnish, story, editor):
    request(varnish, story.get_absolute_url())
    assert request(varnish, story.get_absolute_url()).is_hit
    workflow.withdraw(story, by=editor, reason="Legal request.")
    assert request(varnish, story.get_absolute_url()).status == 410
    assert request(varnish, story.get_absolute_url()).status == 410


def test_a_request_with_the_session_cookie_is_never_served_from_the_cache(varnish, story):
    request(varnish, story.get_absolute_url())
    assert request(varnish, story.get_absolute_url()).is_hit
    signed_in = {"Cookie": "csrftoken=abc; sessionid=whoever"}
    for _ in range(2):
        assert not request(varnish, story.get_absolute_url(), headers=signed_in).is_hit


def test_the_admin_and_share_links_are_passed_to_newsroom(varnish):
    for path in ["/admin/login/", "/preview/not-a-token/"]:
        for _ in range(2):
            assert not request(varnish, path).is_hit, path


def test_a_purge_names_its_keys(varnish):
    assert request(varnish, "/", method="PURGE").status == 400


def test_a_page_rendered_while_a_story_was_published_is_not_kept(
    varnish, story, news, editor, monkeypatch
):
    """The publish's purge reaches Varnish while the page that read the stories
    before it is still on its way: Varnish must not keep that page."""
    from articles.views import HomeView

    read_the_stories, published = threading.Event(), threading.Event()
    original = HomeView.get_context_data

    def held_after_reading(self, **kwargs):
        context = original(self, **kwargs)
        read_the_stories.set()
        published.wait(10)
        return context

    draft = make_article("Second round of talks", status=Status.DRAFT, section=news)
    monkeypatch.setattr(HomeView, "get_context_data", held_after_reading)
    fetch = threading.Thread(target=request, args=(varnish, "/"))
    fetch.start()
    assert read_the_stories.wait(10)
    workflow.publish(draft, by=editor)
    published.set()
    fetch.join(10)
    monkeypatch.setattr(HomeView, "get_context_data", original)
    assert "Second round of talks" in request(varnish, "/").text


def test_two_application_servers_behind_one_varnish_show_a_publish_at_once(
    varnish, varnish_before_two, settings, story, news, editor
):
    settings.NEWSROOM_VARNISH_URLS = [
        f"http://127.0.0.1:{varnish}/",
        f"http://127.0.0.1:{varnish_before_two}/",
    ]
    request(varnish_before_two, "/", method="PURGE", headers={"xkey-purge": "furniture"})
    request(varnish_before_two, "/")
    assert request(varnish_before_two, "/").is_hit
    draft = make_article("Second round of talks", status=Status.DRAFT, section=news)
    workflow.publish(draft, by=editor)
    assert "Second round of talks" in request(varnish_before_two, "/").text
    # Signed in, each request is passed to the next server in turn: both agree.
    signed_in = {"Cookie": "sessionid=whoever"}
    for _ in range(2):
        assert "Second round of talks" in request(varnish_before_two, "/", headers=signed_in).text
