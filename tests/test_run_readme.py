"""A run folder tells what it holds: README.md (what was run on what, what to open first, the headline
numbers with their intervals, the caveats), every drawn number in a CSV, never `nan` in text a reader
sees, and the page named in every figure; a rerun on the published record says which published
periods the window holds, cuts and misses."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from fixtures_exports import graph_without_total

from helpers import run_cli


def visible_text(path) -> str:
    return html.unescape(" ".join(re.findall(r">([^<>]+)<", path.read_text(encoding="utf-8"))))


@pytest.mark.slow
def test_a_rerun_without_a_total_says_what_it_knows_and_nothing_more(tmp_path):
    data, out = graph_without_total(tmp_path / "insights.json"), tmp_path / "out"
    result = run_cli("rerun", "--start", "2016-03-02", "--end", "2016-03-02", "--data", str(data),
                     "--out", str(out), "--top", "3")
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out / "figures" / "like_origin_new_fans.csv", keep_default_na=False, na_values=[""])
    table = table.set_index("origin")
    # TH +100 exact; US +20 exact; PH [10, 60] (unlisted on 1 Mar: at most the smallest listed, 50);
    # KH [-50, 10] (unlisted on 2 Mar: at most 60); ranked by reach: PH 60, KH 50, US 20;
    # no rest of world; the total unknown
    assert list(table.index) == ["TH", "PH", "KH", "US", "total"]
    assert table.loc["PH", ["low", "high"]].tolist() == [10, 60] and pd.isna(table.loc["PH", "new_fans"])
    assert table.loc["KH", ["low", "high"]].tolist() == [-50, 10]
    assert table.loc["total", "kind"] == "unknown"
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "- home country: Thailand (the country with the most fans on 2016-03-01" in readme
    assert "  - Philippines: between +10 and +60 (PH is not listed for 2016-03-01" in readme
    assert "  - Page total: unknown (the total is not given for 2016-03-01" in readme
    assert "no page_fans: the page's total is unknown" in readme
    assert readme.index("## Open first") < readme.index("## Headline numbers")
    for svg in (out / "figures").glob("*.svg"):
        words = visible_text(svg)
        assert "nan" not in words.lower().split() and "nan%" not in words.lower(), svg.name
        assert "A Thai page" in words, svg.name  # every figure names the page
        assert "abroad" not in words.split("Source")[0].lower() or "not drawn" in words, svg.name
    assert "nan" not in readme.lower().split()


@pytest.mark.slow
def test_a_rerun_on_the_published_record_lists_what_the_window_holds_cuts_and_misses(tmp_path):
    out = tmp_path / "out"
    result = run_cli("rerun", "--start", "2016-03-08", "--end", "2016-03-15", "--out", str(out))
    assert result.returncode == 0, result.stderr
    report = (out / "import_report.md").read_text(encoding="utf-8")
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "## Sources used" in report and "The Phnom Penh Post" in report
    lines = report.splitlines()
    inside = next(line for line in lines if line.startswith("- published periods inside the window"))
    cut = next(line for line in lines if line.startswith("- published periods the window cuts"))
    assert "new fans, 8-13 Mar 2016" in inside  # the Post's counts of 8-13 March: drawn
    assert "7-9 Mar 2016" in cut and "13-17 Mar 2016" in cut  # the Post's shares reach outside: left out
    assert "- home country: Cambodia (the published record's home)" in readme
    assert "days of the window no published period covers" in readme


@pytest.mark.slow
def test_a_screen_folder_says_what_was_not_screened_and_why(tmp_path):
    data, out = graph_without_total(tmp_path / "insights.json"), tmp_path / "out"
    result = run_cli("screen", "--data", str(data), "--out", str(out))
    assert result.returncode == 0, result.stderr
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "- screened: your export insights.json" in readme
    assert ("- origin_shift: 0 flagged period(s); not screened on A Thai page (Not screened: origin_shift needs "
            "the page's total") in readme
    table = pd.read_csv(out / "screening.csv", keep_default_na=False, dtype={"flagged": str})
    assert (table["flagged"] == "").all()  # two days: nothing could be screened, and none says 'false'
