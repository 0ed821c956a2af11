"""Issue 21: a run folder is replaced only when it is provably a run's, and a crash never loses a run.

Tried as an attacker (or an unlucky user) would: a marker file dropped into
someone's folder, a marker that is a link, a run folder copied along with
the user's notes, a nested run, OUT=runs, OUT naming another run's staging
folder, a kill at every step of putting a run in place, an earlier run that
cannot be removed, a folder name too long. Every refusal is one line and
exit 2 with the user's files byte for byte as before.
"""

from __future__ import annotations

import json
import os
import signal
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import assert_one_line, run_main, tree_digest
from likecheck.errors import FileSystemError, ParameterError
from likecheck.paths import ROOT
from likecheck.tools import outdir

WINDOW = ("--start", "2016-02-22", "--end", "2016-03-13")


def make_run(out: Path, text: str, *, log=None) -> list[str]:
    """A run into `out` (no notebook): figures/result.txt holding `text`; the log lines it said."""
    said = []
    with outdir.staged_output(out, tool="test", params={"text": text}, log=log or said.append) as staging:
        (staging / "figures").mkdir()
        (staging / "figures" / "result.txt").write_text(text)
        (staging / "import_report.md").write_text(f"# report of {text}\n")
    return said


def result_of(out: Path) -> str:
    return (out / "figures" / "result.txt").read_text()


def refused(capsys, monkeypatch, cwd: Path, out: Path | str, *parts: str) -> str:
    status, err = run_main(capsys, monkeypatch, cwd, *WINDOW, "--out", str(out))
    return assert_one_line(status, err, *parts)


# --- the marker proves a folder is a run's --------------------------------------------------

def test_the_marker_lists_every_file_with_its_size_and_sha256(tmp_path):
    out = tmp_path / "run"
    make_run(out, "first")
    marker = json.loads((out / outdir.MARKER).read_text())
    assert marker["format"] == 2 and marker["folders"] == ["figures"]
    # sha256 of b"first" and of the report, computed by hand with sha256sum
    assert marker["files"] == {
        "figures/result.txt": {"bytes": 5, "sha256": "a7937b64b8caa58f03721bb6bacf5c78cb235febe0e70b1b84cd99541461a08e"},
        "import_report.md": {"bytes": 18, "sha256": __import__("hashlib").sha256(b"# report of first\n").hexdigest()}}


def test_replacing_removes_exactly_the_listed_files(tmp_path):
    out = tmp_path / "run"
    make_run(out, "first")
    make_run(out, "second")
    assert result_of(out) == "second"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        outdir.MARKER, "figures", "figures/result.txt", "import_report.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]   # no lock, staging or old copy left


@pytest.mark.parametrize("marker", ["empty", "symlink", "old format", "deeply nested", "not JSON"])
def test_a_dropped_marker_makes_no_folder_replaceable(capsys, monkeypatch, tmp_path, marker):
    """Defect 3: any file named .likecheck-run.json made a user's folder replaceable, and deleted."""
    folder = tmp_path / "my evidence"
    folder.mkdir()
    (folder / "notes.txt").write_text("my interviews\n")
    target = folder / outdir.MARKER
    if marker == "empty":
        target.write_text("")
    elif marker == "symlink":
        real = tmp_path / "real-marker.json"
        make_run(tmp_path / "a run", "x")
        real.write_bytes((tmp_path / "a run" / outdir.MARKER).read_bytes())
        target.symlink_to(real)
    elif marker == "old format":
        target.write_text(json.dumps({"tool": "likecheck rerun", "complete": True, "parameters": {}}))
    elif marker == "deeply nested":
        target.write_text("[" * 100_000 + "]" * 100_000)
    else:
        target.write_bytes(b"\xff\xfe junk")
    before = tree_digest(folder)
    refused(capsys, monkeypatch, tmp_path, folder, f"OUT={folder}:")
    with pytest.raises(ParameterError) as err:   # and at the last moment, under the lock
        with outdir.staged_output(folder, tool="test", params={}, log=print):
            pass
    assert "\n" not in str(err.value)
    assert tree_digest(folder) == before


def test_a_run_folder_copied_with_the_users_files_is_not_replaced(capsys, monkeypatch, tmp_path):
    """A real run's folder (its marker valid) that now also holds the user's file: refused, all kept."""
    out = tmp_path / "evidence"
    make_run(out, "first")
    (out / "figures" / "my annotated copy.png").write_bytes(b"mine")
    before = tree_digest(out)
    message = refused(capsys, monkeypatch, tmp_path, out, "my annotated copy.png", "which its run did not write")
    assert "choose another OUT" in message
    assert tree_digest(out) == before


@pytest.mark.parametrize("change", ["edited", "truncated", "folder added", "link added", "file missing"])
def test_a_run_folder_changed_since_is_not_replaced(tmp_path, change):
    out = tmp_path / "run"
    make_run(out, "first")
    report = out / "import_report.md"
    if change == "edited":
        report.write_text("# report of firsT\n")   # same size, other bytes: only the SHA-256 tells
    elif change == "truncated":
        report.write_text("")
    elif change == "folder added":
        (out / "figures" / "mine").mkdir()
    elif change == "link added":
        (out / "figures" / "home").symlink_to(Path.home())
    else:
        report.unlink()
    before = tree_digest(out)
    with pytest.raises(ParameterError) as err:
        make_run(out, "second")
    assert "\n" not in str(err.value) and "not replacing" in str(err.value)
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_a_nested_run_is_never_replaced_wholesale(capsys, monkeypatch, tmp_path):
    outer = tmp_path / "outer"
    make_run(outer, "outer")
    refused(capsys, monkeypatch, tmp_path, outer / "inner", "is inside", "a run's folder")
    # a run moved by hand into another run's folder: the outer one is no longer replaceable
    make_run(tmp_path / "inner", "inner")
    (tmp_path / "inner").rename(outer / "figures" / "inner")
    before = tree_digest(outer)
    refused(capsys, monkeypatch, tmp_path, outer, "figures/inner", "which its run did not make")
    assert tree_digest(outer) == before


def test_runs_itself_is_never_an_out(capsys, monkeypatch, tmp_path):
    """Defect 6: OUT=runs was accepted when runs/ did not exist; later runs landed inside it."""
    existed = outdir.RUNS.exists()
    refused(capsys, monkeypatch, tmp_path, outdir.RUNS, "is runs/ itself")
    refused(capsys, monkeypatch, ROOT, "runs", "is runs/ itself")
    refused(capsys, monkeypatch, ROOT, "runs/", "is runs/ itself")
    assert outdir.RUNS.exists() == existed


@pytest.mark.parametrize("name", ["X.partial", ".X.lock", ".X.replaced", "X.partial/inside"])
def test_out_may_not_name_a_runs_staging_folder(capsys, monkeypatch, tmp_path, name):
    """Defect 5: OUT=X.partial while another run wrote X was accepted."""
    refused(capsys, monkeypatch, tmp_path, tmp_path / name, "'.partial'" if "/" not in name else "is inside")
    assert list(tmp_path.iterdir()) == []


def test_a_name_part_too_long_is_one_line(capsys, monkeypatch, tmp_path):
    """Defect 10: an OUT name part over 255 bytes ended in a traceback."""
    refused(capsys, monkeypatch, tmp_path, tmp_path / ("ក" * 90), "bytes long", "choose a shorter name")
    refused(capsys, monkeypatch, tmp_path, tmp_path / ("x" * 300) / "run", "bytes long", "choose a shorter one")
    refused(capsys, monkeypatch, tmp_path, tmp_path / ("x" * 246), "246 bytes long", "245 bytes at most")
    assert list(tmp_path.iterdir()) == []


def test_an_earlier_run_that_cannot_be_removed_is_refused_before_anything_moves(capsys, monkeypatch, tmp_path):
    """Defect 10: an undeletable earlier run failed every later run with a traceback, half removed."""
    out = tmp_path / "run"
    make_run(out, "first")
    stuck = out / "figures" / "result.txt"
    if os.geteuid() == 0:   # root ignores permissions; an immutable file stops even root
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(stuck)],
                                                            capture_output=True).returncode:
            pytest.skip("no chattr here, or this file system keeps no immutable flag (root ignores permissions)")
        undo = ["chattr", "-i", str(stuck)]
        expected = "immutable"
    else:
        (out / "figures").chmod(0o555)
        undo = ["chmod", "755", str(out / "figures")]
        expected = "chmod -R u+w"
    try:
        before = tree_digest(out)
        refused(capsys, monkeypatch, tmp_path, out, expected, "choose another OUT")
        with pytest.raises(ParameterError, match=expected):
            make_run(out, "second")
        assert tree_digest(out) == before and sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    finally:
        subprocess.run(undo, check=True)
    make_run(out, "second")   # once the user has cleared it, the next run goes through
    assert result_of(out) == "second"


# --- a kill at any step of putting a run in place ---------------------------------------------

KILLED_RUN = """
import os, signal, sys
from pathlib import Path
from likecheck.tools import outdir
out, step, text = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
die = lambda: os.kill(os.getpid(), signal.SIGKILL)
renames, real_rename, real_unlink = [], Path.rename, Path.unlink
def rename(self, target):
    renames.append(target)
    if step == f"rename {len(renames)}":
        die()
    return real_rename(self, target)
def unlink(self, missing_ok=False):
    if step == "removing the old run" and ".replaced" in str(self):
        real_unlink(self, missing_ok)
        die()
    return real_unlink(self, missing_ok)
Path.rename, Path.unlink = rename, unlink
if step == "before removing the old run":
    outdir.remove_run = lambda contents: die()
if step == "as it began":
    outdir._Lock.remember_staging = lambda self, staging: die()
with outdir.staged_output(out, tool="test", params={"text": text}, log=print) as staging:
    (staging / "figures").mkdir()
    (staging / "figures" / "result.txt").write_text(text)
    (staging / "import_report.md").write_text("# report of " + text + chr(10))
    if step == "in the notebooks":
        die()
"""


def killed_run(out: Path, step: str, text: str) -> None:
    result = subprocess.run([sys.executable, "-c", KILLED_RUN, str(out), step, text], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == -signal.SIGKILL, result.stderr


@pytest.mark.parametrize("step,expected,said", [
    ("as it began", "first", ["removed", "left empty by a run into", "stopped as it began"]),
    ("in the notebooks", "first", ["removed", "left by a run into", "stopped before it finished"]),
    ("rename 1", "second", ["put", "in place as", "its run had finished but was stopped"]),
    ("rename 2", "second", ["put", "in place as", "its run had finished but was stopped"]),
    ("before removing the old run", "second", ["removed", ".run.replaced", "the earlier run that"]),
    ("removing the old run", "second", ["removed", ".run.replaced", "the earlier run that"]),
])
def test_a_kill_at_any_step_never_loses_a_completed_run(tmp_path, step, expected, said):
    """Defect 4: a crash between the two renames left no OUT, and the next run's false message led to
    deleting the earlier completed run. Now the next run puts right what it finds, and says what."""
    out = tmp_path / "run"
    make_run(out, "first")
    killed_run(out, step, "second")
    # the next run into OUT fails: what recovery did stays, and the newest completed run is OUT
    lines = []
    with pytest.raises(ValueError):
        with outdir.staged_output(out, tool="test", params={}, log=lines.append):
            raise ValueError("the third run fails")
    assert result_of(out) == expected
    assert len(lines) >= 1 and all(part in " ".join(lines) for part in said), lines
    assert "\n".join(lines).count("\n") == len(lines) - 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    make_run(out, "third")
    assert result_of(out) == "third"


def test_a_kill_with_no_earlier_run_puts_the_finished_run_in_place(tmp_path):
    out = tmp_path / "run"
    killed_run(out, "rename 1", "only")
    assert not out.exists() and outdir.staging_path(out).is_dir()
    said = make_run(out, "next")
    assert any("put" in line and "in place" in line for line in said), said
    assert result_of(out) == "next" and sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_an_earlier_run_left_aside_with_no_successor_is_put_back(tmp_path):
    out = tmp_path / "run"
    make_run(out, "first")
    killed_run(out, "rename 2", "second")
    outdir.staging_path(out).rename(tmp_path / "kept by hand")   # the user took the new run away
    lines = []
    with pytest.raises(ValueError):
        with outdir.staged_output(out, tool="test", params={}, log=lines.append):
            raise ValueError("fails")
    assert result_of(out) == "first" and any("put" in line and "back as" in line for line in lines), lines


def test_a_users_folder_named_like_the_old_run_is_never_removed(tmp_path):
    out = tmp_path / "run"
    make_run(out, "first")
    look_alike = tmp_path / ".run.replaced"
    look_alike.mkdir()
    (look_alike / "mine.txt").write_text("mine")
    before = tree_digest(tmp_path)
    with pytest.raises(ParameterError, match="was not written by a rerun|not provably|did not write") as err:
        make_run(out, "second")
    assert "\n" not in str(err.value) and tree_digest(tmp_path) == before


def test_an_earlier_run_that_fails_to_go_after_the_switch_is_named_with_what_to_do(tmp_path, monkeypatch):
    """What check_run cannot foresee (a disk error while removing): the new run is in place, the message
    says so and names the folder to remove; the next run removes it."""
    out = tmp_path / "run"
    make_run(out, "first")
    real = outdir.remove_run

    def fails(contents):
        raise PermissionError(13, "Permission denied", str(contents.folder / "figures" / "result.txt"))
    monkeypatch.setattr(outdir, "remove_run", fails)
    with pytest.raises(FileSystemError) as err:
        make_run(out, "second")
    message = str(err.value)
    assert "\n" not in message and "holds the new run" in message and ".run.replaced" in message
    assert "remove" in message and "yourself" in message
    assert result_of(out) == "second"
    monkeypatch.setattr(outdir, "remove_run", real)
    said = make_run(out, "third")
    assert any(".run.replaced" in line for line in said) and not (tmp_path / ".run.replaced").exists()
