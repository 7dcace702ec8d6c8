"""Every page is sent with a Content-Security-Policy and a Permissions-Policy.

Public pages need no nonce, so the page cache can keep them whole and a copy
served from it carries the same headers; the story editor's inline import map
runs with the request's nonce. A browser enforcing the policy is in
tests/browser/test_content_security_policy.py.
"""

import base64
import hashlib
import re
from pathlib import Path

import django_prose_editor
import pytest
from django.conf import settings as django_settings
from django.http import HttpResponse

from newsroom.pagecache.keys import tag
from newsroom.pagecache.middleware import PageCacheMiddleware
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return make_article("Roadmap signed in Rabat", body="<p>Signed.</p>")


def test_a_public_page_is_sent_with_a_policy_that_needs_no_nonce(client, story):
    response = client.get(story.get_absolute_url())
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "nonce-" not in policy
    assert b"nonce=" not in response.content


def test_a_public_page_refuses_the_cameras_microphones_and_positions_it_never_uses(client, story):
    policy = client.get(story.get_absolute_url())["Permissions-Policy"]
    assert "camera=()" in policy
    assert "microphone=()" in policy
    assert "geolocation=()" in policy
    # Passkeys keep their default (this site), for two-factor sign-in.
    assert "publickey-credentials" not in policy


def test_a_page_served_from_the_page_cache_keeps_both_policies(client, story, settings):
    settings.NEWSROOM_PAGE_CACHE = True
    rendered = client.get(story.get_absolute_url())
    cached = client.get(story.get_absolute_url())
    assert cached["X-Page-Cache"] == "hit"
    assert cached["Content-Security-Policy"] == rendered["Content-Security-Policy"]
    assert cached["Permissions-Policy"] == rendered["Permissions-Policy"]


def test_a_page_that_used_the_nonce_is_never_kept_by_any_cache(rf, settings):
    """A cached nonce would be every reader's, and no longer the one in their header."""
    settings.NEWSROOM_PAGE_CACHE = True

    def view_with_an_inline_script(request):
        return tag(HttpResponse(f"<script nonce='{request.csp_nonce}'></script>"), {"home"})

    def through_the_middleware(request):
        from csp.middleware import CSPMiddleware

        return CSPMiddleware(PageCacheMiddleware(view_with_an_inline_script))(request)

    first = through_the_middleware(rf.get("/inline/"))
    second = through_the_middleware(rf.get("/inline/"))
    assert "X-Page-Cache" not in second
    assert "no-store" in first["Cache-Control"]
    assert first.content != second.content
    nonce = re.search(rb"nonce='([^']+)'", second.content).group(1).decode()
    assert f"'nonce-{nonce}'" in second["Content-Security-Policy"]


def test_the_story_editor_runs_its_inline_import_map_with_the_requests_nonce(client, editor):
    client.force_login(editor)
    response = client.get("/admin/articles/article/add/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<script type="importmap" nonce="{nonce}">' in response.content.decode()


def test_the_admin_list_pages_need_no_nonce(client, editor):
    client.force_login(editor)
    response = client.get("/admin/articles/article/")
    assert "nonce-" not in response["Content-Security-Policy"]


def test_the_policy_allows_exactly_the_stylesheet_the_installed_editor_writes_inline():
    """Tiptap writes its base stylesheet into the page; the policy names its hash.
    After an upgrade of django-prose-editor this says which hash to put in the settings."""
    editor_js = Path(django_prose_editor.__file__).parent / "static/django_prose_editor/editor.js"
    found = re.findall(
        r"`(\.ProseMirror \{\n  position: relative;\n\}.*?)`", editor_js.read_text(), re.S
    )
    assert len(found) == 1, "Tiptap's stylesheet is no longer where this test looks for it"
    digest = base64.b64encode(hashlib.sha256(found[0].encode()).digest()).decode()
    style_src = django_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    assert f"'sha256-{digest}'" in style_src


def test_no_hsts_is_sent_unless_configured(client, story):
    assert "Strict-Transport-Security" not in client.get(story.get_absolute_url(), secure=True)


def test_hsts_is_sent_over_https_with_the_configured_options(client, story, settings):
    # SecurityMiddleware reads these when it starts, before the client's first request.
    settings.SECURE_HSTS_SECONDS = 63072000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get(story.get_absolute_url(), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"


def test_the_ssl_redirect_sends_plain_http_to_https(client, story, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(story.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
