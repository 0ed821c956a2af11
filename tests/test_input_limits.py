"""Issue 21: sizes are bounded before reading, sums are checked, and OS errors are one line.

Each export here is shaped as an attacker (or a broken tool) would make it: a
1 MB workbook that inflates to over 200 MB, JSON nested 100,000 deep (on its
own, and as a user's own file inside a DATA folder), a cell of two million
characters, counts whose daily total leaves 64 bits. And the OS errors a user
meets: a file-size limit (RLIMIT_FSIZE stands in for a full disk), a cache
folder that cannot be written, a DATA file that cannot be read. Each ends as
one line naming the file (and the limit), exit status 2, nothing written, an
earlier run intact; an unwritable cache is read around, and said.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest

import fixtures_exports as fx
from helpers import one_line_error
from helpers import assert_one_line, run_main, tree_digest
from likecheck import limits
from likecheck.errors import DataError
from likecheck.importers import import_exports
from likecheck.tools import outdir

FAN_WINDOW = ("--start", "2016-03-09", "--end", "2016-03-16")


# --- an xlsx that inflates far beyond its size ----------------------------------------------

def write_bomb(path: Path, inflated: int = 200 * 2**20) -> Path:
    """A workbook-shaped ZIP whose sheet inflates to `inflated` bytes of spaces (about 0.2 MB on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b" " * 2**20
            for _ in range(inflated // len(chunk)):
                sheet.write(chunk)
    return path


def test_an_xlsx_that_inflates_beyond_the_limit_is_refused_before_inflating(tmp_path):
    """Defect 9: a 1 MB workbook inflating to 1 GB took 2.3 GB of memory, or ended in a MemoryError."""
    bomb = write_bomb(tmp_path / "insights.xlsx")
    assert bomb.stat().st_size < 2**20
    tracemalloc.start()
    try:
        with pytest.raises(DataError) as err:
            import_exports(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    one_line_error(err, "insights.xlsx", "200 MiB", "limit of 128 MiB", "XLSX_UNCOMPRESSED_BYTES")
    assert peak < 20 * 2**20, peak   # nothing was inflated


# --- JSON nested without end -------------------------------------------------------------------

def deep_json(depth: int = 100_000) -> str:
    return '{"data": ' + "[" * depth + "]" * depth + "}"


def test_deeply_nested_json_is_one_line_naming_the_limit(tmp_path):
    """Defect 10: deeply nested JSON ended in a RecursionError traceback."""
    deep = tmp_path / "insights.json"
    deep.write_text(deep_json(), encoding="utf-8")
    with pytest.raises(DataError) as err:
        import_exports(deep)
    one_line_error(err, "insights.json", "100,001 levels deep", "limit of 64",
                   "JSON_DEPTH")


def test_a_users_own_deep_json_in_a_data_folder_is_skipped_and_said(tmp_path):
    """Defect 10, the folder case: the user's own JSON beside real responses stopped the import."""
    folder = tmp_path / "pull"
    folder.mkdir()
    fx.write_graph_api(folder)
    (folder / "my_settings.json").write_text(deep_json(), encoding="utf-8")
    imported = import_exports(folder)
    assert len(imported.files) == 2
    (path, why), = imported.skipped
    assert path.name == "my_settings.json" and "limit of 64" in why


def test_json_depth_counts_brackets_outside_strings_only():
    assert limits.json_depth('{"a": [1, {"b": "[[[[{{{{"}]}') == 3
    assert limits.json_depth('"just a string with \\" and ["') == 0


def test_the_command_line_answers_deep_json_in_one_line(capsys, monkeypatch, tmp_path):
    deep = tmp_path / "insights.json"
    deep.write_text(deep_json(), encoding="utf-8")
    status, err = run_main(capsys, monkeypatch, tmp_path, *FAN_WINDOW, "--data", str(deep))
    assert_one_line(status, err, "insights.json", "JSON_DEPTH")


# --- a cell longer than any export's ------------------------------------------------------------

def test_a_cell_too_long_in_a_tidy_export_names_line_column_and_limit(tmp_path):
    path = tmp_path / "fans.csv"
    path.write_text("page,date,country,fans\nA,2016-03-08,KH,5\n" + "B" * 2_000_000 + ",2016-03-09,KH,6\n",
                    encoding="utf-8")
    with pytest.raises(DataError) as err:
        import_exports(path)
    text = one_line_error(err, "fans.csv", "line 3", "column 'page'", "2,000,000 characters", "CELL_CHARACTERS")
    assert len(text) < 600


def test_a_cell_too_long_in_a_crowdtangle_export_names_row_column_and_limit(tmp_path):
    path = fx.write_crowdtangle(tmp_path)
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    message = rows[0].index("Message")
    rows[3][message] = "spam " * 300_000   # 1.5 million characters
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "crowdtangle_new.csv", "row 3", "column 'Message'", "1,500,000 characters", "CELL_CHARACTERS")


# --- sums that leave 64 bits ---------------------------------------------------------------------

def test_counts_whose_daily_total_leaves_64_bits_are_one_line_naming_file_and_day(tmp_path):
    """Defect 7: counts of 3.5e18 passed the per-cell check, the daily total overflowed, shares of 137%."""
    path = tmp_path / "fans.csv"
    rows = ["page,date,country,fans"]
    for day in ("2016-03-08", "2016-03-09", "2016-03-16"):
        rows += [f"P,{day},KH,3500000000000000000", f"P,{day},IN,3500000000000000000",
                 f"P,{day},ZZ,{'3500000000000000000' if day == '2016-03-09' else '1'}"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    # 3 x 3.5e18 = 1.05e19 > 2**63 - 1 = 9,223,372,036,854,775,807 (by hand); 2 x 3.5e18 + 1 fits
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "fans.csv", "'P'", "2016-03-09", "10,500,000,000,000,000,000", "64-bit")


def test_graph_api_countries_adding_up_beyond_64_bits_are_one_line(tmp_path):
    folder = tmp_path / "pull"
    folder.mkdir()
    paths = fx.write_graph_api(folder)
    document = json.loads(paths[0].read_text())
    document["data"][0]["values"][1]["value"] = {"KH": 5 * 10**18, "IN": 5 * 10**18}
    paths[0].write_text(json.dumps(document))
    with pytest.raises(DataError) as err:
        import_exports(folder)
    one_line_error(err, "insights_page1.json", "2016-03-09", "64-bit")


def test_interactions_adding_up_beyond_64_bits_in_a_day_are_one_line(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("page,post_id,posted_at,interactions,fans_at_posting,message\n"
                    "P,1,2016-03-08T01:00:00Z,5000000000000000000,100,a\n"
                    "P,2,2016-03-08T02:00:00Z,5000000000000000000,100,b\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        import_exports(path)
    one_line_error(err, "posts.csv", "2016-03-08", "interactions", "64-bit")


# --- OS errors a user can cause -----------------------------------------------------------------

def make_earlier_run(out: Path) -> str:
    with outdir.staged_output(out, tool="likecheck rerun", params={}, log=lambda m: None) as staging:
        (staging / "figures").mkdir()
        (staging / "figures" / "result.txt").write_text("the earlier run")
    return tree_digest(out)


def test_a_file_size_limit_is_one_line_and_leaves_the_earlier_run(tmp_path):
    """Defect 10: a full disk or a file-size limit ended in a traceback. RLIMIT_FSIZE (ulimit -f) makes
    every write beyond 1,000 bytes fail, as a full disk would (here: the imported tables, before any
    notebook; with 2,000 bytes a notebook's kernel dies, and the next test covers that write)."""
    limit, where = 1000, "out.partial/"  # the first file the run writes beyond the limit (an import table or report)
    data = fx.write_tidy(tmp_path)[0]
    out = tmp_path / "out"
    before = make_earlier_run(out)

    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    result = subprocess.run([sys.executable, "-m", "likecheck", "rerun", *FAN_WINDOW, "--data", str(data),
                             "--out", str(out)], cwd=tmp_path, capture_output=True, text=True,
                            preexec_fn=limited, timeout=300)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert result.returncode == 2 and len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "File too large" in errors[0] and "ulimit -f" in errors[0] and where in errors[0]
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "tidy_fans.csv", "tidy_posts.csv"]


def test_a_full_disk_while_a_notebook_is_written_is_one_line_naming_it(tmp_path, monkeypatch):
    """papermill writes the executed notebook itself; its OSError (no space, file too large) is one line."""
    import errno
    import papermill
    from likecheck.errors import FileSystemError
    from likecheck.tools import build, runner

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(papermill, "execute_notebook", full)
    job = runner.Job(build.published_notebooks()[0], tmp_path / "figures", tmp_path / "notebooks" / "01.ipynb", None)
    with pytest.raises(FileSystemError) as err:
        runner.execute(job)
    one_line_error(err, "notebooks/01.ipynb", "cannot write the executed notebook", "No space left on device",
                   "the disk is full")


def test_an_unwritable_cache_is_read_around_and_said(tmp_path, monkeypatch, capsys):
    """Defect 10: an unwritable cache folder stopped a valid CrowdTangle import."""
    cache = tmp_path / "cache"
    cache.mkdir()
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(cache)],
                                                            capture_output=True).returncode:
            pytest.skip("no chattr here, or this file system keeps no immutable flag (root ignores permissions)")
        undo = ["chattr", "-i", str(cache)]
    else:
        cache.chmod(0o555)
        undo = ["chmod", "755", str(cache)]
    monkeypatch.setenv("LIKECHECK_CACHE", str(cache))
    from likecheck.importers import cache as cache_module
    monkeypatch.setattr(cache_module, "_said_unwritable", set())
    try:
        capsys.readouterr()
        imported = import_exports(fx.write_crowdtangle(tmp_path))
        again = import_exports(tmp_path / "crowdtangle_new.csv")
    finally:
        subprocess.run(undo, check=True)
    assert len(imported.posts) == len(fx.post_truth()) and again.posts.equals(imported.posts)
    notes = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1 and str(cache) in notes[0] and "reading the export without the cache" in notes[0]
    assert list(cache.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_data_file_is_one_line(capsys, monkeypatch, tmp_path):
    data = fx.write_tidy(tmp_path)[0]
    data.chmod(0)
    status, err = run_main(capsys, monkeypatch, tmp_path, *FAN_WINDOW, "--data", str(data))
    assert_one_line(status, err, "tidy_fans.csv", "Permission denied")
