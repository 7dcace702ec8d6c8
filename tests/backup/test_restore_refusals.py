"""A restore that cannot finish refuses with a sentence for the operator and changes nothing.

Each test damages a copy of the demo's backup the way a disk, a copy or a
version mix-up would, restores it over the running demo with --replace, and
checks that every row and every media file is as it was.
"""

import hashlib
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.backup_drill


@pytest.fixture(scope="module")
def site_before(demo_site, demo_backup):
    return {"rows": demo_site.snapshot("rows"), "media": demo_site.media_files()}


@pytest.fixture
def backup_copy(demo_backup, tmp_path):
    copy = tmp_path / "backup"
    shutil.copytree(demo_backup["folder"], copy)
    return copy


def edit_manifest(folder, change):
    manifest = json.loads((folder / "manifest.json").read_text())
    change(manifest)
    (folder / "manifest.json").write_text(json.dumps(manifest))


def refused(site, folder, *options):
    result = site.manage("restore", folder, *options, check=False)
    assert result.returncode == 1, result.stdout
    return result.stderr


def assert_unchanged(site, before):
    assert site.media_files() == before["media"]
    assert not [p for p in site.media.iterdir() if p.name.startswith(".newsroom-")]
    assert site.snapshot("rows") == before["rows"]


def test_a_backup_with_a_damaged_file_is_refused_and_nothing_changes(
    demo_site, site_before, backup_copy
):
    archive = backup_copy / "media.tar"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one bit-rotted byte in some picture
    archive.write_bytes(data)
    error = refused(demo_site, backup_copy, "--replace")
    assert "media.tar does not match the manifest's checksum: the backup is damaged" in error
    assert_unchanged(demo_site, site_before)


def test_a_backup_with_migrations_newer_than_the_code_is_refused_and_nothing_changes(
    demo_site, site_before, backup_copy
):
    edit_manifest(backup_copy, lambda m: m["migrations"]["articles"].append("9999_from_next_year"))
    error = refused(demo_site, backup_copy, "--replace")
    assert "The backup is newer than this code" in error
    assert "articles.9999_from_next_year" in error
    assert_unchanged(demo_site, site_before)


def test_a_backup_of_the_other_database_engine_is_refused_and_nothing_changes(
    demo_site, site_before, backup_copy
):
    other = {"sqlite": "postgresql", "postgresql": "sqlite"}[demo_site.engine]
    edit_manifest(backup_copy, lambda m: m.update(engine=other))
    error = refused(demo_site, backup_copy, "--replace")
    assert "restore it on a site configured for" in error
    assert_unchanged(demo_site, site_before)


def test_a_folder_without_a_manifest_is_not_taken_for_a_backup(demo_site, site_before, backup_copy):
    (backup_copy / "manifest.json").unlink()
    assert "is not a backup: it has no manifest.json" in refused(
        demo_site, backup_copy, "--replace"
    )
    assert_unchanged(demo_site, site_before)


def test_a_site_with_data_is_not_replaced_unless_the_operator_says_so(
    demo_site, site_before, backup_copy
):
    error = refused(demo_site, backup_copy)
    assert "already has" in error and "--replace" in error
    assert_unchanged(demo_site, site_before)


def test_a_database_damaged_past_its_checksum_is_refused_by_the_database_and_nothing_changes(
    demo_site, site_before, backup_copy
):
    # The media are swapped in before the database refuses: they must be swapped back.
    manifest = json.loads((backup_copy / "manifest.json").read_text())
    dump = backup_copy / manifest["database"]["file"]
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])

    edit_manifest(
        backup_copy,
        lambda m: m["database"].update(
            bytes=dump.stat().st_size, sha256=hashlib.sha256(dump.read_bytes()).hexdigest()
        ),
    )
    error = refused(demo_site, backup_copy, "--replace")
    assert "refused the restore, the database is unchanged" in error
    assert_unchanged(demo_site, site_before)


def test_a_backup_of_media_kept_in_object_storage_asks_for_the_storages_own_tools(
    settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    with pytest.raises(CommandError, match="--skip-media"):
        call_command("backup", tmp_path / "backups")
    assert not (tmp_path / "backups").exists()


def test_checking_a_backup_copy_says_it_is_restorable_and_changes_nothing(
    demo_site, site_before, backup_copy
):
    result = demo_site.manage("restore", "--check", backup_copy)
    assert "is complete and restorable here" in result.stdout
    assert_unchanged(demo_site, site_before)


def test_checking_a_damaged_backup_copy_says_it_is_damaged(demo_site, backup_copy):
    with open(backup_copy / "media.tar", "ab") as archive:
        archive.write(b"\0")
    assert "the backup is damaged" in refused(demo_site, backup_copy, "--check")
