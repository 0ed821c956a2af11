"""The published figures: tables behind them, the ledger's verdicts, the build and its manifest."""

import hashlib
import json
import re
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from likecheck import ledger, load, published
from likecheck.tools import runner
from likecheck.tools.manifest import file_problems, read_manifest
from likecheck.errors import LikecheckError, ParameterError
from likecheck.paths import FIGURES, NOTEBOOKS, ROOT

# One row per printed number (data/claims.csv). C21 became checkable with the date Hun Sen
# became prime minister (events.csv E16); C27 is C06 seen from its other end.
EXPECTED_VERDICTS = {
    "C01": "consistent", "C02": "consistent", "C03": "consistent", "C04": "consistent",
    "C05": "consistent", "C06": "inconsistent", "C07": "consistent", "C08": "consistent",
    "C09": "consistent", "C10": "consistent", "C11": "consistent", "C12": "consistent",
    "C13": "inconsistent", "C14": "not checkable", "C15": "not checkable", "C16": "consistent",
    "C17": "consistent", "C18": "consistent", "C19": "not checkable", "C20": "not checkable",
    "C21": "consistent", "C22": "consistent", "C23": "consistent", "C24": "consistent",
    "C25": "consistent", "C26": "consistent", "C27": "inconsistent", "C28": "not checkable",
    "C29": "consistent", "C30": "consistent", "C31": "consistent", "C32": "consistent",
    "C33": "consistent", "C34": "consistent", "C35": "consistent", "C36": "not checkable",
    "C37": "not checkable", "C38": "not checkable", "C39": "not checkable", "C40": "not checkable",
    "C41": "consistent", "C42": "not checkable", "C43": "not checkable", "C44": "consistent",
    "C45": "not checkable", "C46": "not checkable", "C47": "not checkable", "C48": "not checkable",
    # the page's wider record (page_record.csv): disagreements between outlets, by hand in test_record.py
    "C49": "inconsistent", "C50": "inconsistent", "C51": "inconsistent", "C52": "consistent",
    "C53": "consistent", "C54": "consistent", "C55": "inconsistent", "C56": "consistent",
    "C57": "consistent",
}


@pytest.fixture(scope="module")
def record():
    return load.load_record()


@pytest.fixture(scope="module")
def claims(record):
    return ledger.build_ledger(record).set_index("claim_id")


@pytest.mark.parametrize("claim_id,expected", sorted(EXPECTED_VERDICTS.items()))
def test_ledger_verdict(claims, claim_id, expected):
    assert claims.loc[claim_id, "verdict"] == expected, claims.loc[claim_id, "note"]


def test_every_claim_has_its_expected_verdict(claims):
    assert sorted(claims.index) == sorted(EXPECTED_VERDICTS)


def test_ledger_arithmetic_by_hand(claims):
    assert claims.loc["C07", "recomputed_value"] == pytest.approx(100 * (1 - 157331 / 779000), abs=0.01)
    assert claims.loc["C05", "recomputed_value"] == round(360791 / 0.115)
    assert claims.loc["C03", "recomputed_value"] == pytest.approx(100 * 360791 / 3000000, abs=0.01)
    assert claims.loc["C24", "recomputed_value"] == pytest.approx(100 * 34069 / 151000, abs=0.01)
    assert claims.loc["C01", "recomputed_value"] == (151000 - 34069) - 34069
    assert claims.loc["C16", "recomputed_value"] == 10_000_000 / (15_000_000 / 3750)
    assert claims.loc["C18", "recomputed_value"] == 15000 * 365
    assert claims.loc["C21", "recomputed_value"] == pytest.approx(31 + 60 / 365.25, abs=0.01)
    # 57.6% -> 56.4% cannot follow from 151,000 new fans, 34,069 Cambodian, on ~3.14 million fans
    after = 360791 / 0.115
    before_share = 100 * (after * 0.564 - 34069) / (after - 151000)
    assert claims.loc["C06", "recomputed_value"] == pytest.approx(before_share, abs=0.01)


def test_committed_ledger_matches_code(claims):
    committed = pd.read_csv(FIGURES / "claims_ledger.csv").set_index("claim_id")
    assert list(committed.index) == list(claims.index)
    assert (committed["verdict"] == claims["verdict"]).all()
    assert list(committed.reset_index().columns) == ledger.COLUMNS
    assert (committed["observation_ids"] == claims["observation_ids"]).all()


def test_rest_of_world_is_computed_not_typed(record):
    table = published.new_fans_by_origin(record.observations, "2016-03-08", "2016-03-13")
    rest = table[table["origin"] == "ZZ"].iloc[0]
    assert rest["new_fans"] == 151000 - 34069 - 22932
    assert rest["basis"].startswith("computed")
    assert table["share_pct"].sum() == pytest.approx(100)


def test_printed_bounds():
    assert published.printed_bounds(3200000, "exact") == (3150000, 3250000)
    assert published.printed_bounds(57.6, "exact") == pytest.approx((57.55, 57.65))
    assert published.printed_bounds(90, "more than")[0] == 90
    assert published.printed_bounds(10, "less than")[1] == 10


def test_weekly_changes(record):
    weekly = published.weekly_engagement_as_published(record.observations, "2016-02-15", "2016-03-13")
    assert list(weekly["interactions_per_1000_fans"]) == [465, 463, 430, 363]
    assert weekly["change_since_first_pct"].iloc[-1] == pytest.approx(100 * (363 / 465 - 1))
    assert (weekly["week_start"].dt.day_of_week == 0).all()


def test_window_without_observations_names_the_range(record):
    with pytest.raises(ParameterError, match=r"holds 2015-07-01 to 2018-04-30"):
        published.weekly_engagement_as_published(record.observations, "2020-01-01", "2020-02-01")
    with pytest.raises(ParameterError, match="after end"):
        published.parse_window("2016-03-13", "2016-02-15")


def test_manifest_matches_committed_figures():
    manifest = read_manifest(FIGURES)  # validated against manifest.SCHEMA
    assert file_problems(manifest, FIGURES) == []
    names = {e["name"] for e in manifest["figures"]}
    assert {"like_origin_new_fans", "engagement_weekly", "comparison_per_internet_user", "claims_verdicts"} <= names
    for entry in manifest["figures"]:
        assert entry["alt"] and entry["title"]
        if not entry["sources"]:  # simulated (the guide, the screening demonstration): labelled instead of sourced
            assert "SIMULATED" in entry["title"] and "Simulated data (synthetic" in entry["caption"]
        else:
            assert entry["sources"]
        assert set(entry["files"]) == {"svg", "png", "csv"}
        assert (NOTEBOOKS / entry["notebook"]).is_file()


def test_every_figure_csv_is_what_it_draws():
    """The CSV beside the engagement figure holds the four published weeks, nothing more."""
    weekly = pd.read_csv(FIGURES / "engagement_weekly.csv")
    assert list(weekly["interactions_per_1000_fans"]) == [465, 463, 430, 363]
    svg = (FIGURES / "engagement_weekly.svg").read_text()
    for value in ("465", "463", "430", "363"):
        assert value in svg


def _tree_hashes(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_build_from_scratch_reproduces_committed_figures(fresh_build):
    """A clean build of every notebook writes byte-identical files to the committed figures/,
    manifest included: a commit with stale figures fails here."""
    assert _tree_hashes(fresh_build.figures) == _tree_hashes(FIGURES)
    assert (fresh_build.build / "html" / "02_engagement.html").read_text().count("data:image/png;base64") >= 1


@pytest.mark.slow
def test_notebook_runs_with_other_parameters(tmp_path):
    job = runner.Job(NOTEBOOKS / "02_engagement.ipynb", tmp_path / "out", tmp_path / "nb.ipynb", None,
                     {"start": "2016-02-22", "end": "2016-03-13"})
    runner.execute(job)
    weekly = pd.read_csv(tmp_path / "out" / "engagement_weekly.csv")
    assert list(weekly["interactions_per_1000_fans"]) == [463, 430, 363]
    meta = json.loads((tmp_path / "out" / "engagement_weekly.meta.json").read_text())
    # by hand: both changes are falls; 363 / 463 - 1 = -21.6%
    assert meta["title"] == "Interactions per 1,000 fans fell every week, down 22% from 22 Feb to 7 Mar 2016"


#: A kernel launcher that dies at once (as a kernel whose TCP port another process took first)
#: for the first DEATHS starts it counts in COUNTER, then becomes the usual kernel.
DYING_LAUNCHER = """\
import os, sys
counter, deaths, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
with open(counter, "a") as f:
    f.write("start\\n")
if len(open(counter).readlines()) <= deaths:
    sys.exit(1)
os.execv(argv[0], argv)
"""


def kernels_dying_first(tmp_path, monkeypatch, deaths: int) -> Path:
    """A "python3" kernelspec, first on JUPYTER_PATH, whose first `deaths` kernels die before they
    answer; the file it returns gets a line per kernel started."""
    from jupyter_client.kernelspec import KernelSpecManager
    usual = KernelSpecManager().get_kernel_spec("python3").argv  # the suite's warm kernel, or a real one
    launcher, counter = tmp_path / "dying_launcher.py", tmp_path / "kernels_started.txt"
    launcher.write_text(DYING_LAUNCHER)
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, str(launcher), str(counter), str(deaths), *usual],
        "display_name": "Python 3", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", os.pathsep.join(filter(None, [str(tmp_path / "jupyter"),
                                                                     os.environ.get("JUPYTER_PATH")])))
    return counter


@pytest.mark.slow
def test_a_kernel_that_dies_before_it_answers_is_replaced(tmp_path, monkeypatch):
    started = kernels_dying_first(tmp_path, monkeypatch, deaths=1)
    job = runner.Job(NOTEBOOKS / "02_engagement.ipynb", tmp_path / "out", tmp_path / "nb.ipynb", None,
                     {"start": "2016-02-22", "end": "2016-03-13"})
    runner.execute(job)
    assert len(started.read_text().splitlines()) == 2  # one died, the next ran the notebook
    weekly = pd.read_csv(tmp_path / "out" / "engagement_weekly.csv")
    assert list(weekly["interactions_per_1000_fans"]) == [463, 430, 363]


@pytest.mark.slow
def test_a_stopped_run_starts_no_new_kernel_and_says_why_in_one_line(tmp_path, monkeypatch):
    started = kernels_dying_first(tmp_path, monkeypatch, deaths=99)
    stopping = threading.Event()
    stopping.set()  # the run is being stopped: its kernels were killed on purpose
    job = runner.Job(NOTEBOOKS / "02_engagement.ipynb", tmp_path / "out", tmp_path / "nb.ipynb", None,
                     {"start": "2016-02-22", "end": "2016-03-13"})
    with pytest.raises(LikecheckError) as err:
        runner.execute(job, stopping)
    assert "\n" not in str(err.value)
    assert "kernel did not start (Kernel died before replying to kernel_info)" in str(err.value)
    assert len(started.read_text().splitlines()) == 1


def test_kernels_that_keep_dying_are_tried_three_times_then_the_error_goes_up(monkeypatch):
    # Each real death takes jupyter_client about 2 s to notice; the count is checked without them.
    tries = []

    def dies(job):
        tries.append(job)
        raise runner.KernelDiedAtStart("nb.ipynb: the notebook's Python kernel did not start (...)")

    monkeypatch.setattr(runner, "_execute_once", dies)
    with pytest.raises(runner.KernelDiedAtStart):
        runner.execute(runner.Job(Path("nb.ipynb"), Path("out"), Path("nb.out.ipynb"), None))
    assert len(tries) == 3


@pytest.mark.slow
def test_failing_notebook_reports_one_line_and_leaves_figures(tmp_path):
    figures = tmp_path / "figures"
    shutil.copytree(FIGURES, figures)
    before = _tree_hashes(figures)
    job = runner.Job(NOTEBOOKS / "01_like_origin.ipynb", tmp_path / "out", tmp_path / "nb.ipynb", None,
                     {"start": "2019-01-01", "end": "2019-02-01"})
    with pytest.raises(LikecheckError) as err:
        runner.execute(job)
    assert "\n" not in str(err.value) and "no published observations" in str(err.value)
    assert _tree_hashes(figures) == before


@pytest.mark.slow
def test_interrupted_build_leaves_figures_intact(tmp_path):
    figures = tmp_path / "figures"
    shutil.copytree(FIGURES, figures)
    before = _tree_hashes(figures)
    build_dir = tmp_path / "build"
    proc = subprocess.Popen([sys.executable, "-m", "likecheck", "build", "--force",
                             "--figures", str(figures), "--build", str(build_dir)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any((build_dir / "staging").rglob("*.svg")):
            time.sleep(0.1)
        assert any((build_dir / "staging").rglob("*.svg")), "the build never started writing"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert _tree_hashes(figures) == before


def test_an_executed_notebook_is_given_its_output_folder_relative_to_itself(tmp_path):
    """The build's folders are shown relative to the notebook (its working directory), so an
    executed notebook never shows the builder's home; a folder outside the repository stays whole."""
    root = runner.ROOT
    assert runner.notebook_relative(root / "build" / "staging" / "01_like_origin",
                                    root / "notebooks" / "01_like_origin.ipynb") == "../build/staging/01_like_origin"
    assert runner.notebook_relative(root / "build" / "staging" / "guide__03_bought_likes",
                                    root / "notebooks" / "guide" / "03_bought_likes.ipynb") == \
        "../../build/staging/guide__03_bought_likes"
    outside = tmp_path / "out"  # a user's folder outside the repository
    assert runner.notebook_relative(outside, root / "notebooks" / "01_like_origin.ipynb") == str(outside)


@pytest.mark.slow
def test_executed_notebooks_show_no_stray_values_or_float_counts(fresh_build):
    """What a reader sees of the published notebooks: no return value of save_figure, and no count
    shown as a float (157331.0) or in scientific notation (3.137313e+06)."""
    for executed in sorted((fresh_build.build / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
        shown = "\n".join("".join(o.get("data", {}).get("text/plain", "")) + "".join(o.get("text", ""))
                          for cell in cells for o in cell.get("outputs", []))
        assert "{'name':" not in shown, executed.name
        assert not re.search(r"\b\d{4,}\.0\b|\b\d\.\d+e[+-]\d+\b", shown), executed.name
