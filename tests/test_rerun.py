"""`make rerun` end to end: each export format and every bad input.

Expected numbers come from the fixtures' seeded truth (tests/fixtures_exports.py),
computed here by hand, not through the library's own code path. The rerun of the
published snapshot is the survivor of tests/test_run_folders.py's concurrent runs.
"""

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

import fixtures_exports as fx
from helpers import run_cli
from likecheck.paths import FIGURES

pytestmark = pytest.mark.slow
FAN_WINDOW = ("2016-03-09", "2016-03-16")
POST_WINDOW = ("2016-03-01", "2016-03-27")   # cuts the week of 29 February: three full weeks remain


def rerun(*args, out=None):
    return run_cli("rerun", *args, *(["--out", out] if out is not None else []))


def figures_hash():
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(FIGURES.rglob("*")) if p.is_file())).hexdigest()


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    written = fx.write_all(folder)
    graph = folder / "graph"
    graph.mkdir()
    for path in written["graph-api"]:
        path.rename(graph / path.name)
    written["graph-api"] = graph
    written["tidy-fans"], written["tidy-posts"] = written.pop("tidy")
    return written


def expected_new_fans(with_rest: bool) -> dict:
    """Every listed country (five, all listed on both days: fewer than TOP=7 beside home), then the rest
    of the world and the page's total where the export gives the total; without it, the total is unknown."""
    truth = fx.fan_truth()
    start, end = date(2016, 3, 9), date(2016, 3, 16)
    before, after = start - timedelta(days=1), end
    gain = {c: truth[(after, c)] - truth[(before, c)] for c in ("KH", "IN", "US", "VN", "TH", "ZZ")}
    listed = {c: gain[c] for c in ("KH", "IN", "US", "VN", "TH")}
    if not with_rest:
        return {**listed, "total": None}
    return {**listed, "ZZ": gain["ZZ"], "total": sum(gain.values())}


def expected_weeks() -> dict:
    sums = {}
    for post in fx.post_truth():
        if post["page"] != fx.PAGE:
            continue
        day = post["local"].date()
        monday = day - timedelta(days=day.weekday())
        if date(2016, 3, 7) <= monday <= date(2016, 3, 21):
            sums.setdefault(monday, [0, 0.0])
            sums[monday][0] += 1
            sums[monday][1] += fx.interactions_of(post) / post["fans"] * 1000
    return sums


@pytest.mark.parametrize("fmt,with_rest", [("graph-api", True), ("insights-csv", True),
                                           ("insights-xlsx", False), ("tidy-fans", True)])
def test_fan_exports_end_to_end(exports, tmp_path, fmt, with_rest):
    out = tmp_path / "out"
    result = rerun("--start", FAN_WINDOW[0], "--end", FAN_WINDOW[1], "--data", str(exports[fmt]), out=out)
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out / "figures" / "like_origin_new_fans.csv").set_index("origin")
    found = {o: (None if pd.isna(v) else v) for o, v in table["new_fans"].items()}
    assert found == expected_new_fans(with_rest)
    if with_rest:
        assert table.drop(index="total")["share_pct"].sum() == pytest.approx(100)
    else:  # no total: no share of the page, and the CSV says why
        assert table["share_pct"].isna().all() and table.loc["total", "kind"] == "unknown"
    assert (out / "figures" / "like_origin_new_fans.svg").read_text().count("your own export") == 1
    assert (out / "html" / "01_like_origin.html").is_file() and (out / "notebooks" / "01_like_origin.ipynb").is_file()
    assert_imported_once_and_recorded_relative(out, "01_like_origin.ipynb")
    if not with_rest:  # no total: no share of all fans is known, so none is drawn
        assert not (out / "figures" / "like_origin_fan_shares.csv").exists()
        return
    shares = pd.read_csv(out / "figures" / "like_origin_fan_shares.csv")
    assert list(shares["date_end"].unique()) == ["2016-03-08", "2016-03-16"]  # the day before START, and END
    if with_rest:  # a total was exported, so shares are of all fans
        truth, end = fx.fan_truth(), date(2016, 3, 16)
        kh_end = shares[(shares["country"] == "KH") & (shares["date_end"] == "2016-03-16")]["share_pct"].iloc[0]
        assert kh_end == pytest.approx(100 * truth[(end, "KH")] / fx.total_on(truth, end))


@pytest.mark.parametrize("fmt", ["crowdtangle", "crowdtangle-old", "tidy-posts"])
def test_post_exports_end_to_end(exports, tmp_path, fmt):
    out = tmp_path / "out"
    page = fx.PAGE if fmt.startswith("crowdtangle") else "hun_sen"
    result = rerun("--start", POST_WINDOW[0], "--end", POST_WINDOW[1], "--data", str(exports[fmt]),
                   "--page", page, out=out)
    assert result.returncode == 0, result.stderr
    weekly = pd.read_csv(out / "figures" / "engagement_weekly.csv", parse_dates=["week_start"])
    truth = expected_weeks()
    assert [d.date() for d in weekly["week_start"]] == sorted(truth)
    for row in weekly.itertuples():
        posts, total = truth[row.week_start.date()]
        assert row.posts == posts
        assert row.interactions_per_1000_fans == pytest.approx(total, rel=1e-9)
    if fmt.startswith("crowdtangle"):
        written = (out / "data" / "posts.csv").read_text()
        assert "'=HYPERLINK" in written and "\n=HYPERLINK" not in written and ",=HYPERLINK" not in written


def assert_imported_once_and_recorded_relative(out: Path, notebook: str) -> None:
    """The notebook read the import saved in OUT/data/ (data=../data: never the export again), and
    nothing in OUT names the staging folder or where OUT is: paths are relative to OUT."""
    assert (out / "data" / "imported.json").is_file()
    executed = json.loads((out / "notebooks" / notebook).read_text(encoding="utf-8"))
    record = executed["metadata"]["papermill"]
    assert record["parameters"]["data"] == "../data" and record["parameters"]["data_format"] == ""
    assert record["parameters"]["output_dir"] == "../figures"  # the kernel ran in OUT/notebooks/
    assert record["input_path"] == f"notebooks/{notebook}" and record["output_path"] == f"notebooks/{notebook}"
    for path in [out / "notebooks" / notebook, out / "html" / notebook.replace(".ipynb", ".html"),
                 out / "data" / "imported.json", out / "import_report.md"]:
        text = path.read_text(encoding="utf-8")
        assert ".partial" not in text and str(out) not in text, path


def _write(path: Path, content) -> Path:
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize("case", ["truncated-json", "no-data", "empty", "binary", "latin1", "renamed-column",
                                  "negative", "bad-date", "unknown-country", "start-after-end",
                                  "outside-window", "missing-file", "out-in-figures"])
def test_bad_input_one_line_no_out(exports, tmp_path, case):
    graph_text = (exports["graph-api"] / "insights_page1.json").read_text()
    crowdtangle = Path(exports["crowdtangle"]).read_text(encoding="utf-8")
    tidy = Path(exports["tidy-fans"]).read_text()
    args = {"start": FAN_WINDOW[0], "end": FAN_WINDOW[1]}
    expect = []
    if case == "truncated-json":
        data = _write(tmp_path / "cut.json", graph_text[: len(graph_text) // 2]); expect = ["cut.json", "line"]
    elif case == "no-data":
        data = _write(tmp_path / "nodata.json", '{"paging": {}}'); expect = ["nodata.json", "data"]
    elif case == "empty":
        data = _write(tmp_path / "empty.csv", ""); expect = ["empty.csv", "empty"]
    elif case == "binary":
        data = _write(tmp_path / "junk.bin", bytes(range(256)) * 4); expect = ["junk.bin"]
    elif case == "latin1":
        data = _write(tmp_path / "latin.csv", crowdtangle.replace("plain text", "caf\u00e9").encode("latin-1", "replace"))
        expect = ["latin.csv", "UTF-8"]
    elif case == "renamed-column":
        data = _write(tmp_path / "renamed.csv", crowdtangle.replace("Likes at Posting", "Fans Then", 1))
        expect = ["renamed.csv", "Likes at Posting"]
    elif case == "negative":
        lines = tidy.splitlines(); first = lines[1].rsplit(",", 1)
        data = _write(tmp_path / "neg.csv", "\n".join([lines[0], f"{first[0]},-5"] + lines[2:]) + "\n")
        expect = ["neg.csv", "line 2", "fans"]
    elif case == "bad-date":
        lines = tidy.splitlines(); cells = lines[1].split(","); cells[1] = "2016-13-45"
        data = _write(tmp_path / "baddate.csv", "\n".join([lines[0], ",".join(cells)] + lines[2:]) + "\n")
        expect = ["baddate.csv", "line 2", "date"]
    elif case == "unknown-country":
        data = _write(tmp_path / "country.csv", tidy.replace(",VN,", ",QQ,")); expect = ["country.csv", "QQ"]
    elif case == "start-after-end":
        data = exports["graph-api"]; args = {"start": "2016-03-16", "end": "2016-03-09"}; expect = ["after"]
    elif case == "outside-window":
        data = exports["graph-api"]; args = {"start": "2017-01-02", "end": "2017-01-08"}; expect = ["2016-03-08 to 2016-03-17"]
    elif case == "missing-file":
        data = tmp_path / "nope.json"; expect = ["nope.json", "no such file"]
    else:
        data = exports["graph-api"]; expect = ["figures"]
    out = FIGURES / "rerun" if case == "out-in-figures" else tmp_path / "out"
    before = figures_hash()
    result = rerun("--start", args["start"], "--end", args["end"], "--data", str(data), out=out)
    assert result.returncode == 2, (result.returncode, result.stderr)
    message = result.stderr.strip()
    assert "\n" not in message and message.startswith("error: "), message
    for part in expect:
        assert part in message, (part, message)
    assert not out.exists() and not out.with_name(out.name + ".partial").exists()
    assert figures_hash() == before
