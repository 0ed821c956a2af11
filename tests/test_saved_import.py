"""An import saved into a run's folder reads back as the same Imported (import once, read many times)."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

import fixtures_exports as fx
from helpers import one_line_error
from likecheck.errors import DataError
from likecheck.importers import import_exports, read_saved, saved_import, write_saved
from likecheck.importers.report import import_report

TABLES = ("fan_counts", "posts", "eras", "gross")


@pytest.fixture(scope="module")
def export_folder(tmp_path_factory):
    """A folder of a Graph API pull (two responses), a CrowdTangle export and a file that is no export."""
    folder = tmp_path_factory.mktemp("export")
    written = fx.write_all(tmp_path_factory.mktemp("all"))
    for path in [*written["graph-api"], written["crowdtangle"]]:
        shutil.copy(path, folder / path.name)
    (folder / "README.txt").write_text("notes, not an export\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def imported(export_folder):
    return import_exports(export_folder)


def test_a_saved_import_reads_back_whole(imported, tmp_path):
    write_saved(imported, tmp_path / "data", source="export")
    again = read_saved(tmp_path / "data")
    for name in TABLES:
        if getattr(imported, name) is None:
            assert getattr(again, name) is None
        else:
            pd.testing.assert_frame_equal(getattr(again, name), getattr(imported, name))
    assert import_report(again) == import_report(imported)  # files, skipped, pages, days, posts, downloads
    assert again.aliases == imported.aliases and again.posts_audience == imported.posts_audience
    assert [r.path.name for r in again.read] == [r.path.name for r in imported.read]
    assert again.source == "export"


def test_import_exports_reads_a_saved_import_instead_of_importing(imported, tmp_path):
    write_saved(imported, tmp_path / "data", source="export")
    assert saved_import(tmp_path / "data") == tmp_path / "data"
    again = import_exports(tmp_path / "data")
    assert again.formats == imported.formats and len(again.posts) == len(imported.posts)
    one_page = import_exports(tmp_path / "data", page=fx.PAGE.upper())  # matched as an import matches
    assert set(one_page.posts["page"].astype(str)) == {fx.PAGE}


def test_the_same_import_saved_into_two_folders_writes_the_same_bytes(imported, tmp_path):
    """The manifest names files, never folders: a staging folder renamed to OUT, or another OUT, reads the same."""
    for name in ("a", "b"):
        write_saved(imported, tmp_path / name / "data", source="export")
    for path in (tmp_path / "a" / "data").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / "data" / path.name).read_bytes(), path.name
    text = (tmp_path / "a" / "data" / "imported.json").read_text(encoding="utf-8")
    assert str(tmp_path) not in text and "/" not in "".join(json.loads(text)["tables"].values())


def test_a_manifest_naming_a_table_outside_its_folder_is_one_line(imported, tmp_path):
    folder = write_saved(imported, tmp_path / "data", source="export")
    manifest = json.loads((folder / "imported.json").read_text(encoding="utf-8"))
    manifest["tables"]["posts"] = "../posts.parquet"
    (folder / "imported.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_saved(folder)
    one_line_error(err, "imported.json", "must be a file of the folder")


def test_a_manifest_of_another_kind_is_one_line(tmp_path):
    (tmp_path / "imported.json").write_text('{"kind": "something else"}', encoding="utf-8")
    with pytest.raises(DataError) as err:
        import_exports(tmp_path)
    one_line_error(err, "imported.json", "not a saved import")
