"""What a newsroom shows and holds, as JSON: run inside a throwaway site's own process.

    python -m tests.backup.snapshot pages OUT   every public page and admin page, as text
    python -m tests.backup.snapshot rows OUT    every row (dumpdata, sessions aside)

Public pages are found the way a reader and a search engine find them: from the
home page, the sitemaps and the feeds, following every link to the site. Admin
pages are every change list and every change form of every model in the admin,
opened by the demo's superuser. Only what changes from one request to the next
(CSRF tokens, nonces) is blanked; the tests that compare two snapshots need
nothing else ignored.

The superuser's session is written by hand rather than by logging in, so that
taking a snapshot records no sign-in (no `last_login`) and the snapshot itself
leaves the site as it found it.
"""

import io
import json
import os
import re
import sys
from html import unescape
from importlib import import_module
from urllib.parse import urlsplit

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from articles.models import Article  # noqa: E402

SEEDS = ["/", "/robots.txt", "/sitemap.xml", "/sitemap-news.xml", "/search/?q=defence"]
NOT_PUBLIC = ("/admin/", "/media/", "/static/", "/preview/")
LINK = re.compile(r"""(?:href|src)=["']([^"']+)["']|<(?:loc|link|id)>([^<]+)</""")
# Values that differ on every request by design.
VOLATILE = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'), r"\1…"),
    (re.compile(r'(nonce=")[^"]*'), r"\1…"),
    # The scheduling form's clock: "(now 18:22 GMT)".
    (re.compile(r"\(now \d{1,2}:\d{2} [^)]*\)"), "(now …)"),
]
MOST_PAGES = 5000
# A model with more rows than this (the ~250 ISO countries) is sampled: every row
# another row points to, and the first HANDFUL others, as tests/test_admin_roundtrip.py does.
MANY = 100
HANDFUL = 5


def normalised(text):
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def site_paths(text):
    """The addresses on this site that `text` links to, as paths."""
    for match in LINK.finditer(text):
        url = unescape((match[1] or match[2]).strip())
        if url.startswith(settings.NEWSROOM_SITE_URL):
            url = url[len(settings.NEWSROOM_SITE_URL) :] or "/"
        if not url.startswith("/") or url.startswith("//"):
            continue
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith(NOT_PUBLIC):
            yield path


def public_pages(client):
    stories = [story.get_absolute_url() for story in Article.objects.published()]
    queue, pages = [*SEEDS, *stories], {}
    while queue and len(pages) < MOST_PAGES:
        path = queue.pop(0)
        if path in pages:
            continue
        response = client.get(path)
        text = response.content.decode()
        pages[path] = [response.status_code, normalised(text)]
        queue.extend(p for p in site_paths(text) if p not in pages)
    return pages, stories


def signed_in(client, username):
    user = get_user_model().objects.get(username=username)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # Named: the first backend (django-axes) only guards sign-ins; it finds no users.
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def referenced(model):
    """Primary keys of `model`'s rows that a row of another model points to."""
    pks = set()
    for other in apps.get_models():
        for field in other._meta.get_fields():
            if (
                field.is_relation
                and field.concrete
                and field.related_model is model
                and other is not model
            ):
                pks.update(
                    other._default_manager.exclude(**{f"{field.name}": None}).values_list(
                        field.name, flat=True
                    )
                )
    return pks


def admin_pages(client):
    import_module(settings.ROOT_URLCONF)  # admins register as their modules load
    pages, forms = {}, {}
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label_lower):
        opts = model._meta
        urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
        objects = model._default_manager.order_by("pk")
        if objects.count() > MANY:
            objects = objects.filter(
                pk__in=[*referenced(model), *objects.values_list("pk", flat=True)[:HANDFUL]]
            )
        urls += [
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            for obj in objects
        ]
        forms[opts.label_lower] = len(urls) - 1
        for url in urls:
            response = client.get(url)
            pages[url] = [response.status_code, normalised(response.content.decode())]
    return pages, forms


def rows():
    out = io.StringIO()
    call_command("dumpdata", exclude=["sessions"], indent=1, stdout=out)
    return out.getvalue()


def main(what, out):
    setup_test_environment()
    if what == "pages":
        public, stories = public_pages(Client())
        admin_side, forms = admin_pages(signed_in(Client(), "admin"))
        result = {"public": public, "stories": stories, "admin": admin_side, "forms": forms}
    else:
        result = {"rows": rows()}
    with open(out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main(*sys.argv[1:])
