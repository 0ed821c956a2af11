"""Every page of the site passes axe-core's WCAG 2 A/AA rules, the executed-notebook pages included.

axe-core comes from the npm registry through package.json and package-lock.json
(`make axe`, a prerequisite of `make test`); Chromium from Debian (`make browser`).
A notebook page is made here, as the runner and the site make it, from a
notebook written in the test with the outputs a real one has (code with
comments and numbers, a table, printed text, a warning on stderr), so the
check does not depend on a previous build;
the real site is checked too, built from the suite's shared build and opened once
for this module and test_site (tests/conftest.py's real_site_in_chromium).
"""

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from browser import AXE_JS, CHROMIUM, accessibility_problems, axe_report
from likecheck.tools.runner import notebook_html
from likecheck.tools.site import offline_page


pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"{CHROMIUM} is absent (run 'make browser')"),
    pytest.mark.skipif(not AXE_JS.is_file(), reason=f"{AXE_JS} is absent (run 'make axe')"),
]

TABLE_HTML = ("<table class=\"dataframe\"><thead><tr><th></th><th>week_start</th><th>posts</th></tr></thead>"
              "<tbody><tr><th>0</th><td>2016-02-15</td><td>14</td></tr></tbody></table>")


def a_notebook_like_the_guides():
    code = ('# Socialbakers sums over posts; a comment is the colour that failed\n'
            'from likecheck import metrics\n'
            'POSTS = {"2016-02-15": 14, "2016-02-22": 11}  # posts per week\n'
            'share = 100 * 363 / 465 - 1.5e-3 if True else None\n'
            'print(f"{share:.1f}")')
    cells = [new_markdown_cell("# Guide: a page like the real ones\n\nPurpose: *one* sentence, "
                               "`code`, a [link](https://example.org).\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
             new_code_cell('output_dir = ""  # where the build writes', metadata={"tags": ["parameters"]},
                           execution_count=1),
             new_code_cell(code, execution_count=2, outputs=[
                 new_output("stream", name="stdout", text="78.1\n"),
                 new_output("stream", name="stderr", text="UserWarning: a warning on stderr\n")]),
             new_code_cell("two_weeks", execution_count=3, outputs=[
                 new_output("execute_result", execution_count=3,
                            data={"text/plain": "  week_start  posts", "text/html": TABLE_HTML})])]
    return new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "language": "python",
                                                              "display_name": "Python 3"}})


def page_in_a_site(tmp_path, html: str) -> Path:
    """An index linking to the notebook page, as the site has."""
    site = tmp_path / "site"
    (site / "notebooks").mkdir(parents=True)
    (site / "notebooks" / "guide.html").write_text(html, encoding="utf-8")
    index = site / "index.html"
    index.write_text('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
                     '<body><main><h1>t</h1><a href="notebooks/guide.html">the guide</a></main></body></html>',
                     encoding="utf-8")
    return index


@pytest.fixture(scope="module")
def notebook():
    made = a_notebook_like_the_guides()
    nbformat.validate(made)
    return made


def test_an_executed_notebook_page_as_the_site_serves_it_has_no_violations(notebook, tmp_path):
    # the runner's export (build/html/), then the site's copy of it
    report = axe_report(page_in_a_site(tmp_path, offline_page(notebook_html(notebook))))
    assert list(report) == ["index.html", "notebooks/guide.html"]
    assert accessibility_problems(report) == []


def test_the_check_finds_the_failures_of_nbconvert_s_own_light_theme(notebook, tmp_path):
    # nbconvert's lab template as it comes: greyed-out prompts (#b0b0b0 on white, 2.2:1 by WCAG's
    # formula) and comments (#408080 on #f5f5f5, 4.2:1) below AA's 4.5:1; links not underlined.
    from nbconvert import HTMLExporter
    page, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    report = axe_report(page_in_a_site(tmp_path, page.replace("https://", "file:///nowhere/")))
    flagged = report["notebooks/guide.html"]
    assert sorted(v["id"] for v in flagged) == ["color-contrast", "link-in-text-block"]
    flagged_text = " ".join(node for v in flagged for node in v["nodes"])
    assert "jp-InputPrompt" in flagged_text and ".c1" in flagged_text


def test_every_page_of_the_built_site_has_no_violations(real_site_in_chromium):
    # the real site, from the suite's one build of every notebook (never the tracked figures/)
    report = real_site_in_chromium["accessibility"]
    assert "index.html" in report and any(page.startswith("notebooks/guide/") for page in report)
    assert set(report) == set(real_site_in_chromium["pages"])
    assert {"ledger.html", "figures.html", "guide.html", "screening.html"} <= set(report)
    assert accessibility_problems(report) == []
