"""The restore drill (docs/backup.md), on the engine the suite runs on: nothing is lost.

The demo newsroom, with its pictures, is backed up with `manage.py backup`; then
its database is dropped and its media folder deleted, and `manage.py restore`
puts them back. Every public page (found from the home page, sitemaps and feeds),
every admin change list and change form, every row and every media file must be
as it was before the backup.
"""

import difflib

import pytest

pytestmark = pytest.mark.backup_drill


@pytest.fixture(scope="module")
def restored(demo_site, demo_backup):
    """The demo after the disaster and the restore: media and rows read before any page is."""
    demo_site.destroy()
    result = demo_site.manage("restore", demo_backup["folder"])
    media = demo_site.media_files()
    rows = demo_site.snapshot("rows")
    pages = demo_site.snapshot("pages")
    return {"output": result.stdout, "media": media, "rows": rows, "pages": pages}


def differences(before, after):
    """The pages that differ, each with the first lines of its diff."""
    found = []
    for url in sorted(set(before) | set(after)):
        if before.get(url) != after.get(url):
            old, new = before.get(url, [None, ""]), after.get(url, [None, ""])
            diff = difflib.unified_diff(
                old[1].splitlines(),
                new[1].splitlines(),
                f"{url} {old[0]}",
                f"{url} {new[0]}",
                n=1,
                lineterm="",
            )
            found.append("\n".join(list(diff)[:12]) or f"{url}: {old[0]} → {new[0]}")
    return found


def test_the_restore_reports_what_it_put_back(restored, demo_backup):
    assert f"{len(demo_backup['media'])} media files" in restored["output"]


def test_every_media_file_is_back_byte_for_byte(restored, demo_backup):
    assert demo_backup["media"], "the demo has pictures to lose"
    assert restored["media"] == demo_backup["media"]


def test_every_row_is_back(restored, demo_backup):
    before, after = demo_backup["rows"]["rows"], restored["rows"]["rows"]
    assert before == after, "\n".join(
        list(difflib.unified_diff(before.splitlines(), after.splitlines(), n=1, lineterm=""))[:40]
    )


def test_every_public_page_is_the_same(restored, demo_pages):
    assert differences(demo_pages["public"], restored["pages"]["public"]) == []


def test_every_admin_change_list_and_change_form_is_the_same(restored, demo_pages):
    assert differences(demo_pages["admin"], restored["pages"]["admin"]) == []


def test_the_drill_read_every_story_and_every_kind_of_public_page(demo_pages):
    public = demo_pages["public"]
    assert all(public[story][0] == 200 for story in demo_pages["stories"])
    for prefix in ("/section/", "/tag/", "/people/", "/authors/", "/organisations/", "/countries/"):
        topic_pages = [url for url in public if url.startswith(prefix)]
        assert any(url.endswith("/rss/") for url in topic_pages), prefix
        assert any(url.endswith("/atom/") for url in topic_pages), prefix
        assert any(public[url][0] == 200 and url.count("/") == 3 for url in topic_pages), prefix
    for page in [
        "/",
        "/feeds/rss/",
        "/feeds/atom/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/sitemap-stories.xml",
    ]:
        assert public[page][0] == 200, page
    assert "<mark>" in public["/search/?q=defence"][1], "search found the demo's stories"


def test_the_drill_opened_a_change_form_of_every_kind_of_thing_in_the_demo(demo_pages):
    forms = demo_pages["forms"]
    for model in [
        "articles.article",
        "articles.section",
        "people.person",
        "people.organisation",
        "people.country",
        "images.image",
        "taggit.tag",
        "auth.user",
        "auth.group",
    ]:
        assert forms[model] > 0, model
    assert all(status == 200 for status, _ in demo_pages["admin"].values())
