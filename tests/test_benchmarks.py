"""The scale bench's step program (a module now, not a string run with -c): what one step reports."""

import pytest

from benchmarks import import_step as bench_step
from benchmarks.imports import make_synthetic_crowdtangle


def test_a_step_reports_rows_runs_and_memory(tmp_path):
    export = make_synthetic_crowdtangle(tmp_path / "export.csv", n_posts=7, n_pages=2, seed=1)
    result = bench_step.measure("arrow_read_csv", str(export), repeats=2)
    assert result["rows"] == 7 and len(result["runs"]) == 2
    assert result["seconds"] == min(wall for wall, _ in result["runs"])
    assert result["peak_rss_bytes"] >= result["rss_before_bytes"] > 0


def test_an_unknown_step_is_refused(tmp_path):
    with pytest.raises(SystemExit, match="unknown bench step 'nap'"):
        bench_step.measure("nap", str(tmp_path / "x.csv"), 1)
