import pytest

from tests.backup.site import ThrowawaySite


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """The demo newsroom on a throwaway database of the suite's engine, its pictures on disk."""
    site = ThrowawaySite(tmp_path_factory.mktemp("newsroom"))
    try:
        site.manage("migrate", "--noinput")
        site.manage("load_demo")
        yield site
    finally:
        site.drop_database()


@pytest.fixture(scope="session")
def demo_pages(demo_site):
    """Every page of the demo, read before the backup (reading them makes the pictures' renditions)."""
    return demo_site.snapshot("pages")


@pytest.fixture(scope="session")
def demo_backup(demo_site, demo_pages, tmp_path_factory):
    """A backup of the demo as the operator makes one, once its pages have been read."""
    root = tmp_path_factory.mktemp("backups")
    rows, media = demo_site.snapshot("rows"), demo_site.media_files()
    folder = demo_site.manage("backup", root).stdout.strip().splitlines()[-1]
    return {"folder": folder, "rows": rows, "media": media}
