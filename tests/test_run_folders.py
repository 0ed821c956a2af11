"""Run folders (OUT) of make rerun and make screen: never destroying what a run did not make.

What they check, by subject: folders refused and folders replaced (an existing
folder without the marker, the repository and its folders, the data being
read, symbolic links, `.`, unwritable parents); relative OUT; one run per OUT
at a time; parameters passed as data; dates in one form; signals and failures
leaving nothing behind; default names; file permissions; line breaks in CSVs;
offline HTML; `make clean` keeping runs/.

Refusals run the CLI's main() in-process and must fail before any notebook
runs; the precious file or folder is hashed before and after. The few full
reruns (a killed one, two at once into one OUT, a Ctrl-C, a SIGTERM) run as
subprocesses, since signals and locks between processes are the point there.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import fixtures_exports as fx
from helpers import assert_one_line, made_once, run_cli, run_main, stop_process as stop_server, tree_digest
from warm_kernels import HOLD_VARIABLE
from likecheck.errors import ParameterError
from likecheck.outputs import atomic_write_bytes, csv_bytes
from likecheck.paths import FIGURES, ROOT
from likecheck.tools import cli, lab, outdir, rerun as rerun_module, runner

PUBLISHED_WINDOW = ("2016-02-22", "2016-03-13")   # both notebooks run on the published snapshot
FAN_WINDOW = ("2016-03-09", "2016-03-16")
POST_WINDOW = ("2016-03-01", "2016-03-27")
NOT_OURS = "the folder exists and was not written by a rerun; choose a new folder or remove it yourself"
WEIRD = "$(touch {canary}) `touch {canary}` $x \"double\" 'single' ; ក្រុងភ្នំពេញ"


# --- helpers -----------------------------------------------------------------------------

def no_run_left(out: Path) -> None:
    assert not os.path.lexists(out), out
    assert not os.path.lexists(outdir.staging_path(out))


def start_rerun(out: Path, *args: str, cwd: Path = ROOT, hold: Path | None = None) -> subprocess.Popen:
    """`python -m likecheck rerun` as a process of its own. With `hold` (an existing file), its
    notebooks' kernels wait while the file exists (tests/warm_kernels.py): a signal sent then
    stops the run for certain while a notebook runs."""
    command = [sys.executable, "-m", "likecheck", "rerun", *args, "--out", str(out)]
    env = {k: v for k, v in os.environ.items() if k != cli.CWD_ENVIRONMENT}
    if hold is not None:
        env[HOLD_VARIABLE] = str(hold)
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_a_kernel(process: subprocess.Popen, seconds: float = 120) -> list:
    """Until the run has started a notebook's kernel (a real one, or a warm one's proxy); those
    started so far, as psutil processes."""
    import psutil
    deadline = time.monotonic() + seconds
    while True:
        kernels = [child for child in psutil.Process(process.pid).children()
                   if "ipykernel_launcher" in " ".join(child.cmdline())]
        if kernels:
            return kernels
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the rerun never reached its notebooks"
        time.sleep(0.05)


def wait_until_gone(processes: list, seconds: float = 60) -> None:
    """Until every process has ended (a zombie counts as ended: its parent was killed, nobody has reaped it)."""
    import psutil
    deadline = time.monotonic() + seconds

    def running(process) -> bool:
        try:
            return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    while any(running(p) for p in processes):
        assert time.monotonic() < deadline, "a killed run's kernel outlived it"
        time.sleep(0.05)


@pytest.fixture
def hold(tmp_path_factory):
    """A file whose existence holds the kernels of reruns started with it (see start_rerun)."""
    path = tmp_path_factory.mktemp("hold") / "hold kernels"
    path.touch()
    return path


def user_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """SYNTHETIC exports (tests/fixtures_exports.py): a folder of Graph API pages, a tidy posts CSV."""
    folder = tmp_path_factory.mktemp("exports")
    (folder / "graph").mkdir()
    fx.write_graph_api(folder / "graph")
    return {"graph-api": folder / "graph", "tidy-posts": fx.write_tidy(folder)[1]}


@pytest.fixture
def notes(tmp_path):
    """A fact-checker's own folder of notes: what must never be touched."""
    folder = tmp_path / "my notes"
    folder.mkdir()
    (folder / "evidence.txt").write_text("screenshots of 2016-03-14, saved by hand\n", encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "capture.csv").write_bytes(b"\xef\xbb\xbfdate,likes\r\n2016-03-14,\"1,234\"\r\n")
    return folder


# --- 1. OUT is never deleted or overwritten unless this tool made it ----------------------

def test_existing_folder_without_marker_is_refused(capsys, monkeypatch, notes):
    before = tree_digest(notes)
    status, err = run_main(capsys, monkeypatch, notes.parent, "--start", PUBLISHED_WINDOW[0],
                           "--end", PUBLISHED_WINDOW[1], "--out", "my notes")
    assert_one_line(status, err, f"error: OUT=my notes: {NOT_OURS}")
    assert tree_digest(notes) == before
    assert not outdir.staging_path(notes).exists()


@pytest.mark.parametrize("name", ["data", "data/new-folder", "lib", "notebooks", "tests/x", "figures", "."])
def test_repository_folders_are_refused(capsys, monkeypatch, name):
    protected = ROOT / name.split("/")[0] if name != "." else ROOT / "data"
    before = tree_digest(protected)
    status, err = run_main(capsys, monkeypatch, ROOT, "--start", PUBLISHED_WINDOW[0],
                           "--end", PUBLISHED_WINDOW[1], "--out", name)
    expected = "the folder you are in" if name == "." else f"inside the repository's {name.split('/')[0]}/"
    assert_one_line(status, err, f"OUT={name}:", expected)
    assert tree_digest(protected) == before
    assert not (ROOT / "data" / "new-folder").exists()


def test_repository_root_and_folders_containing_it_are_refused(capsys, monkeypatch, tmp_path):
    listing = sorted(p.name for p in ROOT.iterdir())
    for out, expected in ((str(ROOT), "is the repository itself"), (str(ROOT.parent), "contains the repository"),
                          ("/", "contains the repository")):
        status, err = run_main(capsys, monkeypatch, tmp_path, "--start", PUBLISHED_WINDOW[0],
                               "--end", PUBLISHED_WINDOW[1], "--out", out)
        assert_one_line(status, err, f"OUT={out}:", expected)
    assert sorted(p.name for p in ROOT.iterdir()) == listing


def test_a_symlink_into_data_is_resolved_and_refused(capsys, monkeypatch, tmp_path):
    (tmp_path / "shortcut").symlink_to(ROOT / "data", target_is_directory=True)
    before = tree_digest(ROOT / "data")
    status, err = run_main(capsys, monkeypatch, tmp_path, "--start", PUBLISHED_WINDOW[0],
                           "--end", PUBLISHED_WINDOW[1], "--out", "shortcut/run")
    assert_one_line(status, err, "OUT=shortcut/run:", "inside the repository's data/")
    assert tree_digest(ROOT / "data") == before


@pytest.mark.parametrize("where", ["the DATA folder", "inside DATA", "a folder holding DATA"])
def test_the_data_being_read_is_refused(capsys, monkeypatch, tmp_path, exports, where):
    data = Path(exports["graph-api"])
    out = {"the DATA folder": data, "inside DATA": data / "figures", "a folder holding DATA": data.parent}[where]
    before = tree_digest(data.parent)
    status, err = run_main(capsys, monkeypatch, tmp_path, "--start", FAN_WINDOW[0], "--end", FAN_WINDOW[1],
                           "--data", str(data), "--out", str(out))
    assert_one_line(status, err, f"OUT={out}:", "DATA being read")
    assert tree_digest(data.parent) == before


def test_a_folder_a_rerun_made_is_replaced_whole(tmp_path):
    """Only a folder with MARKER is replaced: old files go, the new run's files come (no notebook run)."""
    out = tmp_path / "run"
    with outdir.staged_output(out, tool="test", params={"n": "1"}, log=lambda m: None) as staging:
        (staging / "old.txt").write_text("first run")
    assert json.loads((out / outdir.MARKER).read_text())["parameters"] == {"n": "1"}
    again = outdir.resolve_out(str(out), default=tmp_path / "unused", inputs=[], cwd=tmp_path)
    with outdir.staged_output(again, tool="test", params={"n": "2"}, log=lambda m: None) as staging:
        (staging / "new.txt").write_text("second run")
    assert sorted(p.name for p in out.iterdir()) == [outdir.MARKER, "new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]   # no lock, staging or old copy left


def quiet(message):
    pass


def test_a_users_file_named_like_the_lock_is_neither_used_nor_removed(tmp_path):
    out = tmp_path / "run"
    user_file = tmp_path / ".run.lock"
    user_file.write_text("my own notes\n")
    with pytest.raises(ParameterError) as err:
        with outdir.staged_output(out, tool="test", params={}, log=quiet):
            pass
    assert "was not made by a run" in str(err.value) and "\n" not in str(err.value)
    assert user_file.read_text() == "my own notes\n" and not out.exists()


@pytest.mark.parametrize("content", [None, {"complete": True}])
def test_a_folder_named_like_staging_is_removed_only_when_a_run_left_it_unfinished(tmp_path, content):
    """An empty OUT.partial, or one holding a finished run a user saved under that name, stays."""
    out = tmp_path / "run"
    staging = outdir.staging_path(out)
    staging.mkdir()
    if content is not None:
        (staging / outdir.MARKER).write_text(json.dumps(content))
    before = tree_digest(tmp_path)
    with pytest.raises(ParameterError) as err:
        with outdir.staged_output(out, tool="test", params={}, log=quiet):
            pass
    assert "was not written by a rerun" in str(err.value)
    assert tree_digest(tmp_path) == before


def test_an_out_name_too_long_with_its_staging_suffix_is_one_line(tmp_path):
    out = tmp_path / ("n" * 250)
    with pytest.raises(ParameterError) as err:
        with outdir.staged_output(out, tool="test", params={}, log=quiet):
            pass
    assert "cannot create" in str(err.value) and "\n" not in str(err.value)
    assert sorted(tmp_path.iterdir()) == []


def test_a_data_file_name_that_is_not_utf8_is_kept_as_data(tmp_path):
    """A name with a byte that is not UTF-8 reaches Python as a lone surrogate: still writable."""
    name = os.fsdecode(b"fans\xe9.csv")
    assert outdir.default_out_name("rerun", name, identity=name)
    out = tmp_path / "run"
    with outdir.staged_output(out, tool="test", params={"data": name}, log=quiet) as staging:
        (staging / "x.txt").write_text("x")
    assert json.loads((out / outdir.MARKER).read_text())["parameters"]["data"] == name


# --- 2. a relative OUT is relative to where the command was typed ------------------------

def test_relative_out_is_relative_to_the_users_folder(tmp_path):
    assert outdir.resolve_out("a b/ក", default=tmp_path, inputs=[], cwd=tmp_path) == tmp_path / "a b" / "ក"
    assert outdir.resolve_out(None, default=tmp_path / "d", inputs=[], cwd=ROOT) == tmp_path / "d"


@pytest.mark.slow
def test_make_rerun_reads_a_relative_out_from_the_repository_root(tmp_path):
    """Typed in another folder with make -C, OUT=figures/x still means the repository's figures/."""
    before = tree_digest(FIGURES)
    result = subprocess.run(["make", "-s", "-C", str(ROOT), "rerun", "START=2016-02-22", "END=2016-03-13",
                             "OUT=figures/x"], cwd=tmp_path, capture_output=True, text=True)
    assert "error: OUT=figures/x: is inside the repository's figures/" in result.stderr, result.stderr
    assert result.returncode != 0 and tree_digest(FIGURES) == before


# --- 3. two reruns into one OUT at once (after a killed run left its staging folder) -------

@pytest.fixture(scope="session")
def concurrent_runs(tmp_path_factory):
    """SIGKILL a rerun into OUT mid-way, then start two reruns into that OUT at once; the survivor
    is this suite's end-to-end rerun of the published snapshot (both notebooks, from the command line).

    OUT is relative ("my run") to the folder the commands are typed in (point 2).
    Done once for the run, whichever worker gets here first (conftest.made_once).
    """
    args = ("--start", PUBLISHED_WINDOW[0], "--end", PUBLISHED_WINDOW[1])

    def run(folder: Path) -> None:
        typed_in = folder / "typed here"  # holds nothing but what the runs leave
        typed_in.mkdir()
        figures_before = tree_digest(FIGURES)
        out = typed_in / "my run"
        held = folder / "hold kernels"
        held.touch()
        killed = start_rerun(Path("my run"), *args, cwd=typed_in, hold=held)
        kernels = wait_for_a_kernel(killed)
        killed.send_signal(signal.SIGKILL)
        killed.communicate()
        left = outdir.staging_path(out).is_dir() and not out.exists()
        wait_until_gone(kernels)  # they notice their parent is gone and stop (within a second)
        runs = [start_rerun(Path("my run"), *args, cwd=typed_in) for _ in range(2)]
        results = [(p.wait(timeout=300), p.communicate()[1]) for p in runs]
        (folder / "results.json").write_text(json.dumps(
            {"left_staging_after_kill": left, "results": results, "killed": killed.returncode,
             "figures_untouched": tree_digest(FIGURES) == figures_before}))

    folder = made_once(tmp_path_factory, "concurrent-runs", run)
    return {"out": folder / "typed here" / "my run", **json.loads((folder / "results.json").read_text())}


@pytest.mark.slow
def test_second_run_into_the_same_out_is_refused_and_the_survivor_is_complete(concurrent_runs):
    statuses = sorted(status for status, _ in concurrent_runs["results"])
    assert statuses == [0, 2], concurrent_runs["results"]
    refused = next(err for status, err in concurrent_runs["results"] if status == 2).strip()
    assert refused.endswith("another run is writing this folder now; wait for it to finish or choose another OUT")
    assert "\n" not in refused
    written = [err for _, err in concurrent_runs["results"] if "rerun written to" in err]
    assert len(written) == 1 and "rerun written to my run" in written[0]
    out = concurrent_runs["out"]
    expected = {"figures": {f"{name}.{ext}" for name in ("like_origin_new_fans", "like_origin_fan_shares",
                                                          "like_origin_home_shares", "engagement_weekly")
                            for ext in ("svg", "png", "csv")},
                "notebooks": {"01_like_origin.ipynb", "02_engagement.ipynb"},
                "html": {"01_like_origin.html", "02_engagement.html"}}
    for folder, names in expected.items():
        assert names <= {p.name for p in (out / folder).iterdir()}, folder
    marker = json.loads((out / outdir.MARKER).read_text(encoding="utf-8"))
    assert marker["complete"] is True and marker["parameters"]["start"] == PUBLISHED_WINDOW[0]
    weekly = pd.read_csv(out / "figures" / "engagement_weekly.csv")
    assert list(weekly["interactions_per_1000_fans"]) == [463, 430, 363]
    assert sorted(p.name for p in out.parent.iterdir()) == ["my run"]
    assert concurrent_runs["figures_untouched"]  # a rerun of the published snapshot never writes figures/


def test_two_runs_into_different_outs_hold_separate_locks(tmp_path):
    with outdir.staged_output(tmp_path / "a", tool="test", params={}, log=lambda m: None):
        with outdir.staged_output(tmp_path / "b", tool="test", params={}, log=lambda m: None):
            pass
        with pytest.raises(outdir.ParameterError, match="another run is writing this folder now"):
            with outdir.staged_output(tmp_path / "a", tool="test", params={}, log=lambda m: None):
                pass
    assert (tmp_path / "a" / outdir.MARKER).is_file() and (tmp_path / "b" / outdir.MARKER).is_file()


# --- 4. parameters are data, never shell ---------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", ["START", "END", "DATA", "PAGE", "FORMAT", "OUT", "ZONE"])
def test_make_passes_every_parameter_unchanged_and_runs_nothing(tmp_path, exports, name):
    canary = tmp_path / "canary"
    weird = WEIRD.format(canary=canary)
    params = {"START": "2016-02-22", "END": "2016-03-13"}
    if name in ("FORMAT", "ZONE"):
        params["DATA"] = str(exports["graph-api"])
    params[name] = f"figures/{weird}" if name == "OUT" else weird
    before = tree_digest(FIGURES)
    result = subprocess.run(["make", "-s", "-C", str(ROOT), "rerun", *(f"{k}={v}" for k, v in params.items())],
                            cwd=tmp_path, capture_output=True, text=True)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    shown = repr(weird) if name in ("START", "END", "PAGE", "FORMAT") else params[name]
    assert shown in errors[0], (shown, errors[0])
    assert not canary.exists()
    assert tree_digest(FIGURES) == before


# --- 5. ISO dates only ---------------------------------------------------------------------

@pytest.mark.parametrize("which", ["START", "END"])
@pytest.mark.parametrize("text", ["04/03/2016", "2016", "20160222", "-1", "2016-3-1", "22 Feb 2016", "２０１６-02-22"])
def test_dates_are_iso_only(capsys, monkeypatch, tmp_path, which, text):
    dates = {"START": "2016-02-22", "END": "2016-03-13", which: text}
    status, err = run_main(capsys, monkeypatch, tmp_path, f"--start={dates['START']}", f"--end={dates['END']}",
                           "--out", "out")
    assert_one_line(status, err, f"error: parameter {which}: {text!r} is not a date in the form YYYY-MM-DD")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv,message", [
    (("rerun", "--start", "22/02/2016", "--end", "2016-03-13"), "parameter START: '22/02/2016' is not a date"),
    (("rerun", "--start", "2016-02-22", "--end", "2016-02-30"), "parameter END: '2016-02-30' is not a date (no such"),
    (("rerun", "--start", "2016-03-13", "--end", "2016-02-22"), "start 2016-03-13 is after end 2016-02-22"),
    (("rerun", "--start", "2016-02-22", "--end", "2016-03-13", "--data", "no such.csv"),
     "DATA=no such.csv: no such file or folder"),
    (("rerun", "--start", "2016-02-22", "--end", "2016-03-13", "--out", "figures/mine"),
     "OUT=figures/mine: is inside the repository's figures/"),
    (("screen", "--data", "no such.csv"), "DATA=no such.csv: no such file or folder"),
    (("screen", "--out", "figures/mine"), "OUT=figures/mine: is inside the repository's figures/"),
])
def test_a_typed_mistake_is_answered_before_pandas_is_imported(tmp_path, argv, message):
    """START, END, DATA and OUT are checked first: the answer to a typo comes at once (no second of
    imports), and before any export is read. A fresh interpreter shows whether pandas was loaded."""
    program = ("import sys; from likecheck.tools import cli; code = cli.main(sys.argv[1:]); "
               "sys.exit(100 + code if 'pandas' in sys.modules else code)")
    result = subprocess.run([sys.executable, "-c", program, *argv], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "LIKECHECK_CWD": str(ROOT)})
    assert result.returncode == 2, (result.returncode, result.stderr)  # 102: answered, but after pandas
    assert_one_line(result.returncode, result.stderr, message)
    assert not (ROOT / "figures" / "mine").exists()


# --- 6. every failure is one line, exit 2, nothing left behind -----------------------------

def test_out_an_existing_file(capsys, monkeypatch, tmp_path):
    report = tmp_path / "report.docx"
    report.write_bytes(b"PK\x03\x04 a fact-checker's draft")
    before = tree_digest(tmp_path)
    status, err = run_main(capsys, monkeypatch, tmp_path, "--start", PUBLISHED_WINDOW[0], "--end",
                           PUBLISHED_WINDOW[1], "--out", "report.docx")
    assert_one_line(status, err, "error: OUT=report.docx: is an existing file")
    assert tree_digest(tmp_path) == before


@pytest.mark.parametrize("target", ["a run folder", "a missing folder"])
def test_out_a_symlink(capsys, monkeypatch, tmp_path, target):
    pointed = tmp_path / "elsewhere"
    if target == "a run folder":
        pointed.mkdir()
        (pointed / outdir.MARKER).write_text("{}")
    (tmp_path / "link").symlink_to(pointed, target_is_directory=True)
    before = tree_digest(tmp_path)
    status, err = run_main(capsys, monkeypatch, tmp_path, "--start", PUBLISHED_WINDOW[0], "--end",
                           PUBLISHED_WINDOW[1], "--out", "link")
    assert_one_line(status, err, "error: OUT=link: is a symbolic link")
    assert tree_digest(tmp_path) == before


@pytest.mark.parametrize("name,text,problem", [("OUT", "a\0b", "a folder name cannot hold a NUL character"),
                                               ("DATA", "a\0b", "a file name cannot hold a NUL character"),
                                               ("DATA", "a\nb", "no such file or folder")])
def test_control_characters_stay_on_one_line(capsys, monkeypatch, tmp_path, name, text, problem):
    args = ["--data", text, "--out", "out"] if name == "DATA" else ["--out", text]
    status, err = run_main(capsys, monkeypatch, tmp_path, "--start", PUBLISHED_WINDOW[0], "--end",
                           PUBLISHED_WINDOW[1], *args)
    assert_one_line(status, err, f"error: {name}={text!r}: {problem}")
    assert list(tmp_path.iterdir()) == []


def test_out_dot(capsys, monkeypatch, notes):
    before = tree_digest(notes)
    for out in (".", "./", str(notes)):
        status, err = run_main(capsys, monkeypatch, notes, "--start", PUBLISHED_WINDOW[0], "--end",
                               PUBLISHED_WINDOW[1], "--out", out)
        assert_one_line(status, err, f"error: OUT={out}: that is the folder you are in")
    assert tree_digest(notes) == before


def _lock_down(folder: Path) -> str:
    """Make `folder` unwritable: immutable for root (root ignores mode bits), else mode 0555."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder)]).returncode != 0:
            pytest.skip("running as root without chattr +i: cannot make a folder unwritable")
        return "immutable"
    folder.chmod(0o555)
    return "read-only"


def _unlock(folder: Path, how: str) -> None:
    if how == "immutable":
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o755)


def test_unwritable_parent(capsys, monkeypatch, tmp_path):
    parent = tmp_path / "locked"
    parent.mkdir()
    (parent / "keep.txt").write_text("kept")
    before = tree_digest(parent)
    how = _lock_down(parent)
    try:
        status, err = run_main(capsys, monkeypatch, tmp_path, "--start", PUBLISHED_WINDOW[0], "--end",
                               PUBLISHED_WINDOW[1], "--out", "locked/run/deeper")
    finally:
        _unlock(parent, how)
    assert_one_line(status, err, "error: OUT=locked/run/deeper: cannot write in", "read-only or immutable")
    assert tree_digest(parent) == before


def test_data_a_symlink_loop(capsys, monkeypatch, tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    status, err = run_main(capsys, monkeypatch, tmp_path, "--start", FAN_WINDOW[0], "--end", FAN_WINDOW[1],
                           "--data", "loop", "--out", "out")
    assert_one_line(status, err, "error: DATA=loop: cannot be read")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop"]


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_data_a_fifo_or_a_device(capsys, monkeypatch, tmp_path, kind):
    if kind == "fifo":
        data = tmp_path / "export.csv"
        os.mkfifo(data)     # reading it would block for ever
    else:
        data = Path("/dev/zero")  # reading it would never end
    status, err = run_main(capsys, monkeypatch, tmp_path, "--start", FAN_WINDOW[0], "--end", FAN_WINDOW[1],
                           "--data", str(data), "--out", "out")
    expected = "is a FIFO, not an export file or folder" if kind == "fifo" else "is a device"
    assert_one_line(status, err, f"error: DATA={data}: {expected}")
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_sigkill_leaves_no_out_and_the_next_run_removes_its_staging(concurrent_runs):
    assert concurrent_runs["killed"] == -signal.SIGKILL
    assert concurrent_runs["left_staging_after_kill"]
    winner = next(err for status, err in concurrent_runs["results"] if status == 0)
    staging = outdir.staging_path(Path("my run"))
    assert f"removed {outdir.staging_path(concurrent_runs['out'])}, left by a run into" in winner, winner
    assert str(staging) in winner
    assert not outdir.staging_path(concurrent_runs["out"]).exists()


@pytest.mark.slow
def test_sigint_and_sigterm_leave_nothing(tmp_path, exports, hold):
    """Each stopped while its notebook runs (posts only: one notebook; both at once, to keep the suite fast)."""
    outs = {signal.SIGINT: tmp_path / "interrupted" / "run", signal.SIGTERM: tmp_path / "terminated" / "run"}
    processes = {signum: start_rerun(out, "--start", POST_WINDOW[0], "--end", POST_WINDOW[1], "--data",
                                     str(exports["tidy-posts"]), hold=hold) for signum, out in outs.items()}
    for signum, process in processes.items():
        wait_for_a_kernel(process)
        process.send_signal(signum)
    for signum, status, reason in ((signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "SIGTERM received")):
        _, err = processes[signum].communicate(timeout=300)
        assert processes[signum].returncode == status, err
        assert err.strip().splitlines()[-1] == f"stopped: {reason}; {outs[signum]} not written", err
        assert "Traceback" not in err and "rerun written" not in err, err
        no_run_left(outs[signum])
    assert list(tmp_path.iterdir()) == []   # the parents the runs created are gone too


def test_a_signal_taken_by_another_thread_still_stops_the_run_at_once(monkeypatch):
    """The system may hand a SIGINT sent to the process to any thread that does not block it (numpy's
    threads, say), while Python runs the handler in the main thread only: the runner must not wait
    blind for a notebook. (A rerun stopped so once hung for 300 s in this suite.)"""
    go, release = threading.Event(), threading.Event()
    stopped_while_running = []

    def take_the_signal():  # a thread that was running before the run, as numpy's are
        if go.wait(timeout=10):  # only while the notebook runs: a stray SIGINT would stop the whole worker
            signal.pthread_kill(threading.get_ident(), signal.SIGINT)

    def notebook(job, stopping=None):
        go.set()
        release.wait(timeout=10)
        return job

    def stop_kernels(before):
        stopped_while_running.append(not release.is_set())
        release.set()

    monkeypatch.setattr(runner, "execute", notebook)
    monkeypatch.setattr(runner, "stop_kernels", stop_kernels)
    taker = threading.Thread(target=take_the_signal)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    try:
        taker.start()
        with pytest.raises(KeyboardInterrupt):
            runner.run_jobs([runner.Job(Path("nb.ipynb"), Path("out"), Path("nb.out.ipynb"), None)],
                            log=lambda m: None)
    finally:
        taker.join()
        signal.signal(signal.SIGINT, previous)
    assert stopped_while_running == [True]


@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm", "error"])
def test_a_stopped_or_failed_body_leaves_no_staging_and_no_out(tmp_path, stop):
    """The same in-process and fast: whatever ends the run, the staging folder goes and OUT never appears."""
    out = tmp_path / "new" / "run"
    expected = {"ctrl-c": KeyboardInterrupt, "sigterm": outdir.Terminated, "error": ValueError}[stop]
    with pytest.raises(expected) as raised:
        with outdir.staged_output(out, tool="test", params={}, log=lambda m: None) as staging:
            (staging / "figures").mkdir()
            (staging / "figures" / "half.svg").write_text("<svg")
            if stop == "ctrl-c":
                raise KeyboardInterrupt
            if stop == "sigterm":
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(5)   # the handler raises at once; this line is never finished
            raise ValueError("a notebook failed")
    if stop != "error":
        reason = "interrupted" if stop == "ctrl-c" else "SIGTERM received"
        assert str(raised.value) == f"{reason}; {out} not written"
    assert list(tmp_path.iterdir()) == []   # the parents it created are gone too
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL or stop != "sigterm"


def test_a_folder_named_like_staging_but_not_ours_is_never_removed(tmp_path):
    look_alike = outdir.staging_path(tmp_path / "run")
    look_alike.mkdir()
    (look_alike / "mine.txt").write_text("not a rerun's")
    before = tree_digest(look_alike)
    with pytest.raises(outdir.ParameterError, match="was not written by a rerun"):
        with outdir.staged_output(tmp_path / "run", tool="test", params={}, log=lambda m: None):
            pass
    assert tree_digest(look_alike) == before and not (tmp_path / "run").exists()


# --- 7. default OUT names never collide -----------------------------------------------------

def test_khmer_page_names_get_different_default_outs(tmp_path):
    first = rerun_module.default_out(pd.Timestamp("2016-03-09"), pd.Timestamp("2016-03-16"),
                                     "សម្តេចតេជោ ហ៊ុន សែន", None, "", ())
    second = rerun_module.default_out(pd.Timestamp("2016-03-09"), pd.Timestamp("2016-03-16"),
                                      "ព័ត៌មាន កម្ពុជា", None, "", ())
    assert first != second and first.parent == second.parent == ROOT / "runs"
    assert first.name.isascii() and first.name.startswith("rerun_2016-03-09_to_2016-03-16_published-")
    same_page = [outdir.default_out_name("rerun", "2016-03-09", "ទំព័រ", identity=i) for i in ("a.csv|1", "b.csv|1")]
    assert same_page[0] != same_page[1]   # same page, other data
    assert outdir.default_out_name("rerun", "x", identity="i") == outdir.default_out_name("rerun", "x", identity="i")


# --- 8. written files are readable like any other file ---------------------------------------

@pytest.mark.slow
def test_files_get_the_users_umask(tmp_path, concurrent_runs):
    expected = 0o666 & ~user_umask()
    target = tmp_path / "a.csv"
    atomic_write_bytes(target, b"x\n")
    assert stat.S_IMODE(target.stat().st_mode) == expected
    for path in concurrent_runs["out"].rglob("*"):
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == expected, path
    script = "from likecheck.outputs import atomic_write_bytes; import sys; atomic_write_bytes(sys.argv[1], b'x')"
    subprocess.run(["bash", "-c", f'umask 027 && "{sys.executable}" -c "{script}" "{tmp_path}/b.csv"'], check=True)
    assert stat.S_IMODE((tmp_path / "b.csv").stat().st_mode) == 0o640


def test_jupyter_runtime_folder_is_private(tmp_path):
    dirs = lab.make_jupyter_dirs(tmp_path)
    assert stat.S_IMODE(dirs["JUPYTER_RUNTIME_DIR"].stat().st_mode) == 0o700
    assert dirs["JUPYTER_RUNTIME_DIR"].is_relative_to(tmp_path / lab.JUPYTER_HOME)


@pytest.mark.slow
def test_a_running_lab_keeps_its_token_files_private(tmp_path):
    """Start JupyterLab (127.0.0.1 only) on a scratch root: its runtime folder 0700, token files 0600."""
    (tmp_path / "notebooks").mkdir()
    token = secrets.token_hex(16)
    # Port 0: the system picks a free one (no port chosen here that a kernel could take meanwhile).
    extra = ["--port=0", "--ServerApp.ip=127.0.0.1", f"--ServerApp.token={token}", "--ServerApp.log_level=ERROR"]
    process = lab.start_lab(tmp_path, extra)
    runtime = lab.jupyter_dirs(tmp_path)["JUPYTER_RUNTIME_DIR"]
    try:
        deadline = time.monotonic() + 90
        while not lab.server_info_file(tmp_path, process.pid).is_file() \
                or token not in lab.browser_open_file(tmp_path, process.pid).read_text():
            assert process.poll() is None and time.monotonic() < deadline, "jupyter lab did not start"
            time.sleep(0.1)
        assert stat.S_IMODE(runtime.stat().st_mode) == 0o700
        files = [p for p in runtime.iterdir() if p.is_file()]
        assert sum(token in p.read_text(errors="replace") for p in files) == 2   # server info, browser page
        for path in files:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    finally:
        stop_server(process)


# --- 9. CSV cells stay one row ---------------------------------------------------------------

def test_lone_cr_and_lf_stay_in_their_row():
    texts = ["one\rtwo", "one\ntwo", "one\r\ntwo", "\rstarts", 'quote " and \r', "plain", "ends\r"]
    frame = pd.DataFrame({"message": texts, "interactions": range(len(texts))})
    data = csv_bytes(frame)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(rows) == len(texts) + 1 and [r[1] for r in rows[1:]] == [str(i) for i in range(len(texts))]
    back = pd.read_csv(io.BytesIO(data), keep_default_na=False)
    assert len(back) == len(texts)
    assert back["message"].tolist() == ["one\rtwo", "one\ntwo", "one\r\ntwo", "'\rstarts", 'quote " and \r',
                                        "plain", "ends\r"]
    assert data.count(b"\r\n") == 1     # only the one inside a cell: records end with \n


@pytest.mark.slow
def test_a_rerun_of_posts_with_carriage_returns_writes_csvs_that_read_back_whole(tmp_path, exports):
    source = exports["tidy-posts"]
    with open(source, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    for i, row in enumerate(rows[1:]):
        row[-1] = f"line one\rline two {i}" if i % 2 else f"{row[-1]}\nsecond {i}"
    data = tmp_path / "posts with CR.csv"
    with open(data, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    out = tmp_path / "out"
    result = run_cli("rerun", "--start", POST_WINDOW[0], "--end", POST_WINDOW[1], "--data", data, "--out", out)
    assert result.returncode == 0, result.stderr
    written = list(out.rglob("*.csv"))
    assert out / "data" / "posts.csv" in written
    for path in written:
        text = path.read_text(encoding="utf-8")
        parsed = list(csv.reader(io.StringIO(text, newline="")))
        assert len(pd.read_csv(path, keep_default_na=False)) == len(parsed) - 1, path
    posts = pd.read_csv(out / "data" / "posts.csv", keep_default_na=False)
    assert len(posts) == len(rows) - 1
    assert posts["message"].str.contains("\r").sum() == (len(rows) - 1) // 2


# --- 10. HTML written for reruns loads nothing from the network -------------------------------

@pytest.mark.slow
def test_executed_notebooks_html_is_offline(concurrent_runs):
    pages = sorted((concurrent_runs["out"] / "html").glob("*.html"))
    assert len(pages) == 2
    for page in pages:
        text = page.read_text(encoding="utf-8")
        lowered = text.lower()
        assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'' in text, page
        for remote in ("cdnjs", "cdn.jsdelivr", "unpkg.com", "require.min.js", "mathjax", "mermaid"):
            assert remote not in lowered, (remote, page)
        assert "<script src=" not in lowered and 'src="http' not in lowered and 'src="//' not in lowered


def test_the_one_html_writer_of_the_build_and_reruns_is_offline():
    """build/html and OUT/html both come from runner.write_html: a notebook with TeX and mermaid."""
    import nbformat
    from likecheck.tools.runner import notebook_html
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T\n\n$e = mc^2$\n\n```mermaid\n"
                                                                       "graph TD; A-->B\n```"),
                                         nbformat.v4.new_code_cell("1 + 1")])
    page = notebook_html(nb)
    assert page.count('http-equiv="Content-Security-Policy"') == 1 and "e = mc^2" in page
    assert not re.search(r"<(?:script|link|img|iframe)\b[^>]*(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page, re.I)
    assert "cdn" not in page.lower() and "import(" not in page


# --- 11. make clean keeps runs/; make clean-runs names what it deletes ------------------------

def test_clean_keeps_runs_and_clean_runs_names_what_it_removes(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "runs" / "rerun_a-1234").mkdir(parents=True)
    (tmp_path / "runs" / "rerun_a-1234" / outdir.MARKER).write_text("{}")
    (tmp_path / "runs" / "rerun_ក-5678").mkdir()
    (tmp_path / "build" / "html").mkdir(parents=True)
    before = tree_digest(tmp_path / "runs")
    subprocess.run(["make", "-s", "clean"], cwd=tmp_path, check=True, capture_output=True)
    assert not (tmp_path / "build").exists() and tree_digest(tmp_path / "runs") == before
    result = subprocess.run(["make", "-s", "clean-runs"], cwd=tmp_path, check=True, capture_output=True,
                            text=True)
    assert result.stdout.splitlines() == ["removing runs/ and everything in it:", "  runs/rerun_a-1234",
                                          "  runs/rerun_ក-5678"]
    assert not (tmp_path / "runs").exists()
    again = subprocess.run(["make", "-s", "clean-runs"], cwd=tmp_path, check=True, capture_output=True, text=True)
    assert "nothing to remove" in again.stdout


@pytest.mark.parametrize("option", ["--build", "--figures"])
def test_build_never_clears_a_folder_it_did_not_make(capsys, tmp_path, option):
    """`likecheck build --build DIR` clears DIR/staging; `--figures DIR` writes figures: DIR must be theirs."""
    folder = tmp_path / "mine"
    (folder / "staging").mkdir(parents=True)
    (folder / "staging" / "notes.txt").write_text("mine")
    before = tree_digest(tmp_path)
    status = cli.main(["build", option, str(folder)])
    assert_one_line(status, capsys.readouterr().err, f"error: {option} ", "was not written by a build")
    assert tree_digest(tmp_path) == before
