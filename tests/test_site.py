"""The static site, built from a small fake repository: contents, links, determinism, errors; and in a browser."""

import hashlib
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image

from browser import CHROMIUM, check_site_in_browser, problems
from likecheck.errors import DataError, LikecheckError
from likecheck.tools.site import build_site

ROOT = Path(__file__).resolve().parents[1]
CDN_SCRIPT = '<script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js"></script>'
LEDGER_CSV = ('claim_id,source_id,claim,verdict,observation_ids,note,strength\n'
              'C01,ppp2016,Most new likes came from abroad,consistent,O002;O003,116931 against 34069,strong\n'
              'C02,bbc2016,"<b>tags</b> & ampersands, in a cell",inconsistent,,outside the printed rounding,\n'
              'C03,ppp2016,India gave the most foreign likes,consistent,O009; O003,22932 of 116931,\n')
CHAPTER_FILES = ["index.html", "figures.html", "ledger.html", "guide.html", "screening.html"]
#: What each fake figure's CSV plots, and the claims whose observation_ids include one of them.
FIGURE_CSV = {"like_origin_new_fans": ("week,value,observation_id\n2016-01-04,1,O003\n2016-01-11,2,O004\n",
                                       ["C01", "C03"]),
              "engagement": ("week,value\n2016-01-04,1\n", [])}
FIGURES = [
    {"name": "like_origin_new_fans", "notebook": "01_like_origin.ipynb", "title": "Where new likes came from",
     "caption": "New fans by country, as reported.", "alt": "Bar chart: most new fans were abroad.",
     "sources": ["ppp2016", "cd2016"]},
    {"name": "engagement", "notebook": "guide/02_bought_likes.ipynb", "title": "Engagement falls",
     "caption": "Simulated data (synthetic, seeded): not a real page", "alt": "Line chart falling after a purchase.",
     "sources": []},
]
GUIDE = {"01_what_a_like_is": "What a like is", "02_bought_likes": "What bought likes look like"}


def notebook_json(title: str) -> str:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": [f"# {title}\n", "Some text."]},
             {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": "1 + 1"}]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def write_manifest(root: Path, figures=FIGURES, tables=True) -> None:
    def digests(files):
        return {kind: hashlib.sha256((root / "figures" / name).read_bytes()).hexdigest()
                for kind, name in files.items()}
    entries = []
    for figure in figures:
        files = {kind: f"{figure['name']}.{kind}" for kind in ("svg", "png", "csv")}
        entries.append({**figure, "files": files, "sha256": digests(files)})
    ledger = [{"name": "claims_ledger", "notebook": "04_claims_ledger.ipynb", "sources": ["bbc2016"],
               "title": "Claims ledger",
               "files": {"csv": "claims_ledger.csv"}, "sha256": digests({"csv": "claims_ledger.csv"})}]
    manifest = {"generated_by": "likecheck", "figures": entries, "tables": ledger if tables else []}
    (root / "figures" / "manifest.json").write_text(json.dumps(manifest, indent=1))


@pytest.fixture
def fake_root(tmp_path):
    """A repository with two figures, a ledger, two guide notebooks and their HTML exports."""
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "sources.csv", root / "data" / "sources.csv")
    figures, html = root / "figures", root / "build" / "html"
    (html / "guide").mkdir(parents=True)
    figures.mkdir()
    for i, figure in enumerate(FIGURES):
        Image.new("RGB", (40 + i, 30), (200, 40 * i, 90)).save(figures / f"{figure['name']}.png")
        (figures / f"{figure['name']}.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30"/></svg>')
        (figures / f"{figure['name']}.csv").write_text(FIGURE_CSV[figure["name"]][0])
    (figures / "claims_ledger.csv").write_text(LEDGER_CSV)
    write_manifest(root)
    (root / "notebooks" / "guide").mkdir(parents=True)
    for stem, title in GUIDE.items():
        (root / "notebooks" / "guide" / f"{stem}.ipynb").write_text(notebook_json(title))
        (html / "guide" / f"{stem}.html").write_text(
            f"<html><head>{CDN_SCRIPT}</head><body><h1>{title}</h1></body></html>")
    for stem in ("01_like_origin", "04_claims_ledger"):
        (html / f"{stem}.html").write_text(f"<html><head>{CDN_SCRIPT}</head><body>{stem}</body></html>")
    return root


class PageParts(HTMLParser):
    """The tags a reader relies on: images, links, ids, headings, scripts, the html lang."""

    def __init__(self, text: str):
        super().__init__()
        self.images, self.links, self.ids, self.headings, self.scripts, self.lang = [], [], set(), [], [], None
        self._heading = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        elif tag == "script":
            self.scripts.append(attrs)
        elif tag in ("h1", "h2", "h3", "h4"):
            self._heading = [tag, ""]

    def handle_data(self, data):
        if self._heading:
            self._heading[1] += data

    def handle_endtag(self, tag):
        if self._heading and tag == self._heading[0]:
            self.headings.append(tuple(self._heading))
            self._heading = None


def site_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def chapter_pages(folder: Path) -> dict[str, "PageParts"]:
    return {name: PageParts((folder / name).read_text(encoding="utf-8")) for name in CHAPTER_FILES}


def test_the_site_is_self_contained_with_relative_links_that_resolve(fake_root, tmp_path):
    index = build_site(fake_root, tmp_path / "site")
    site = index.parent
    pages = chapter_pages(site)
    assert index == site / "index.html"
    for name, page in pages.items():
        assert page.lang == "en" and page.scripts == [], name
    images = [img for page in pages.values() for img in page.images]
    assert sorted(img["src"] for img in images) == sorted(f"figures/{f['name']}.png" for f in FIGURES)
    assert sorted(img["alt"] for img in images) == sorted(f["alt"] for f in FIGURES)
    # the PNGs are drawn at twice the size they are shown at
    shown = {img["src"]: (img["width"], img["height"]) for img in images}
    assert shown["figures/like_origin_new_fans.png"] == ("20", "15")
    checked = 0
    for name, page in pages.items():
        for link in (link for link in page.links if not urlsplit(link).scheme):
            parts = urlsplit(link)
            assert not parts.path.startswith("/"), link
            target = site / unquote(parts.path) if parts.path else site / name
            assert target.is_file(), (name, link)
            if parts.fragment and target.name in CHAPTER_FILES:
                assert parts.fragment in pages[target.name].ids, (name, link)
            checked += 1
    assert checked > 30
    for name in ("like_origin_new_fans.png", "like_origin_new_fans.svg", "engagement.csv", "claims_ledger.csv"):
        assert (site / "figures" / name).read_bytes() == (fake_root / "figures" / name).read_bytes()
    notebook_pages = sorted(site.glob("notebooks/**/*.html"))
    assert len(notebook_pages) == 4
    for html_file in notebook_pages:
        text = html_file.read_text(encoding="utf-8")
        assert "cdnjs" not in text and '<meta http-equiv="Content-Security-Policy"' in text, html_file


def test_every_page_has_the_contents_previous_next_and_a_way_back(fake_root, tmp_path):
    site = build_site(fake_root, tmp_path / "site").parent
    pages = chapter_pages(site)
    for i, (name, page) in enumerate(pages.items()):
        assert page.links[2:7] == CHAPTER_FILES, name  # after the skip link and the site name, the contents
        text = (site / name).read_text(encoding="utf-8")
        pager = text.split('aria-label="Previous and next"')[1].split("</nav>")[0]
        if i:
            assert f'href="{CHAPTER_FILES[i - 1]}" rel="prev"' in pager, name
        assert (f'href="{CHAPTER_FILES[i + 1]}" rel="next"' if i + 1 < len(CHAPTER_FILES)
                else 'href="index.html"') in pager, name
    # the notebook pages, in book order: reporting (01), ledger (04), then the guide
    ledger = (site / "notebooks" / "04_claims_ledger.html").read_text(encoding="utf-8")
    bar = ledger.split("<body>")[1].split("</header>")[0]
    assert [href for href in PageParts(bar).links] == [
        *(f"../{c}" for c in CHAPTER_FILES), "../ledger.html", "../notebooks/01_like_origin.html",
        "../notebooks/guide/01_what_a_like_is.html"]
    guide = (site / "notebooks" / "guide" / "02_bought_likes.html").read_text(encoding="utf-8")
    bar = PageParts(guide.split("<body>")[1].split("</header>")[0])
    assert bar.links[:6] == [f"../../{c}" for c in CHAPTER_FILES] + ["../../guide.html#notebook-02_bought_likes"]
    assert bar.links[6:] == ["../../notebooks/guide/01_what_a_like_is.html"] and bar.scripts == []


def test_the_chapters_keep_the_reporting_the_ledger_and_the_guide_apart(fake_root, tmp_path):
    site = build_site(fake_root, tmp_path / "site").parent
    pages = chapter_pages(site)
    text = {name: (site / name).read_text(encoding="utf-8") for name in CHAPTER_FILES}
    assert [p.headings[0] for p in pages.values()] == [
        ("h1", "Findings"), ("h1", "The reporting's figures"), ("h1", "The claims ledger"), ("h1", "The guide"),
        ("h1", "Screening demonstration (SIMULATED)")]
    assert [img["src"] for img in pages["figures.html"].images] == ["figures/like_origin_new_fans.png"]
    assert [img["src"] for img in pages["guide.html"].images] == ["figures/engagement.png"]
    assert pages["screening.html"].images == []
    # the guide in reading order, the figure's title kept as a (visually hidden) heading
    guide = text["guide.html"]
    assert guide.index(GUIDE["01_what_a_like_is"]) < guide.index(GUIDE["02_bought_likes"])
    assert 'href="notebooks/guide/01_what_a_like_is.html"' in guide
    assert '<h3 class="visually-hidden" id="figure-engagement-title">Engagement falls</h3>' in guide
    figures = text["figures.html"]
    assert 'href="notebooks/01_like_origin.html"' in figures
    # sources: publication, headline (linked where a URL is known), date
    assert ('<a href="https://www.phnompenhpost.com/national/pms-facebook-page-continues-rack-likes-abroad">'
            "<cite>PM&#39;s Facebook page continues to rack up &#39;likes&#39; from abroad</cite></a>") in figures
    assert "between 14 March 2016 and 17 March 2016 (date inferred)" in figures
    assert "The Cambodia Daily: <cite>Rainsy Guilty in Hun Sen Facebook &#39;Likes&#39; Case</cite>," in figures
    assert "No published source" in guide
    assert "BBC Trending (BBC News), Mike Wendling:" in text["ledger.html"]


def test_ledger_cards_put_each_reason_beside_its_claim_and_captions_link_to_them(fake_root, tmp_path):
    site = build_site(fake_root, tmp_path / "site").parent
    ledger = (site / "ledger.html").read_text(encoding="utf-8")
    assert {"claim-C01", "claim-C02", "claim-C03"} <= PageParts(ledger).ids and "<table" not in ledger
    card = ledger.split('id="claim-C02"')[1].split("</article>")[0]
    assert "&lt;b&gt;tags&lt;/b&gt; &amp; ampersands, in a cell</h3>" in card
    assert '<p class="why"><span class="verdict verdict-inconsistent">inconsistent</span>outside the printed rounding</p>' in card
    # a column the card does not lay out itself still shows, named in words
    assert "<dt>Strength</dt><dd>strong</dd>" in ledger.split('id="claim-C01"')[1].split("</article>")[0]
    # grouped by publication, in ledger order
    assert ledger.index("<h2 id=\"table-claims_ledger-1\">The Phnom Penh Post</h2>") < ledger.index('id="claim-C01"')
    figures = (site / "figures.html").read_text(encoding="utf-8") + (site / "guide.html").read_text(encoding="utf-8")
    for name, (_, claims) in FIGURE_CSV.items():
        caption = figures.split(f'id="figure-{name}"')[1].split("</figcaption>")[0]
        # by hand: O003 is in C01 (O002;O003) and C03 (O009; O003); O004 in none; C02 has no observations
        assert [link.split('"')[0] for link in caption.split('<a href="')[1:]] == [
            f"ledger.html#claim-{c}" for c in claims]


def test_the_findings_count_the_verdicts_from_the_ledger_and_give_the_failing_reasons(fake_root, tmp_path):
    findings = (build_site(fake_root, tmp_path / "site").parent / "index.html").read_text(encoding="utf-8")
    # by hand from LEDGER_CSV: C01 and C03 consistent, C02 inconsistent
    assert "print 3 numbers" in findings
    assert "<li><strong>2</strong> consistent</li>" in findings and "<li><strong>1</strong> inconsistent</li>" in findings
    assert 'id="claim-C02"' in findings and "outside the printed rounding" in findings
    assert 'id="claim-C01"' not in findings


def test_the_page_escapes_manifest_text(fake_root, tmp_path):
    write_manifest(fake_root, figures=[{**FIGURES[0], "title": "<script>alert(1)</script> & co",
                                        "alt": 'say "no"'}, FIGURES[1]])
    text = (build_site(fake_root, tmp_path / "site").parent / "figures.html").read_text(encoding="utf-8")
    assert "<script" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in text
    assert 'alt="say &#34;no&#34;"' in text


def test_same_inputs_give_the_same_bytes_and_a_rebuild_leaves_nothing_stale(fake_root, tmp_path):
    first = site_bytes(build_site(fake_root, tmp_path / "one").parent)
    assert first == site_bytes(build_site(fake_root, tmp_path / "two").parent)
    write_manifest(fake_root, figures=FIGURES[:1], tables=False)
    rebuilt = site_bytes(build_site(fake_root, tmp_path / "one").parent)
    assert "figures/engagement.png" in first and "figures/engagement.png" not in rebuilt
    assert "figures/claims_ledger.csv" not in rebuilt and "No claims ledger" in rebuilt["ledger.html"].decode()


def test_a_missing_manifest_is_one_line_saying_what_to_run(fake_root, tmp_path):
    (fake_root / "figures" / "manifest.json").unlink()
    with pytest.raises(LikecheckError) as caught:
        build_site(fake_root, tmp_path / "site")
    assert "manifest.json" in str(caught.value) and "make figures" in str(caught.value)
    assert "\n" not in str(caught.value) and not (tmp_path / "site").exists()


@pytest.mark.parametrize("breakage, key", [
    (lambda root: (root / "figures" / "engagement.png").write_bytes(b"changed"), "figures[1].sha256.png"),
    (lambda root: write_manifest(root, figures=[{**FIGURES[0], "sources": ["nope"]}]), "figures[0].sources"),
    (lambda root: write_manifest(root, figures=[{**FIGURES[0], "alt": " "}]), "figures[0].alt"),
    (lambda root: write_manifest(root, figures=[{**FIGURES[0], "notebook": "../x.ipynb"}]), "figures[0].notebook"),
    (lambda root: write_manifest(root, figures=[{k: v for k, v in FIGURES[0].items() if k != "caption"}]),
     "figures[0].caption"),
    (lambda root: (root / "figures" / "engagement.svg").unlink(), "figures[1].sha256.svg"),
    (lambda root: (root / "build" / "html" / "04_claims_ledger.html").unlink(), None),
])
def test_manifest_problems_are_one_line_naming_the_place(fake_root, tmp_path, breakage, key):
    breakage(fake_root)
    with pytest.raises(DataError) as caught:
        build_site(fake_root, tmp_path / "site")
    message = str(caught.value)
    assert "\n" not in message
    assert (f"key {key!r}" in message) if key else ("04_claims_ledger.html" in message)


def test_a_folder_the_site_did_not_make_is_never_replaced(fake_root, tmp_path):
    precious = tmp_path / "site" / "notes.txt"
    precious.parent.mkdir()
    precious.write_text("keep me")
    with pytest.raises(LikecheckError):
        build_site(fake_root, tmp_path / "site")
    assert precious.read_text() == "keep me"


needs_chromium = pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"{CHROMIUM} is absent (run 'make browser')")


@pytest.mark.browser
@needs_chromium
def test_the_built_site_works_in_headless_chromium_from_disk(fake_root, tmp_path):
    index = build_site(fake_root, tmp_path / "site")
    screenshot = tmp_path / "build" / "site-screenshot.png"
    report = check_site_in_browser(index, screenshot)
    assert problems(report) == []
    assert len(report["images"]) == len(FIGURES) and all(i["naturalWidth"] > 0 for i in report["images"])
    assert len(report["internal_links"]) > 10 and report["lang"] == "en"
    assert sorted(report["pages"]) == sorted(CHAPTER_FILES + [
        "notebooks/01_like_origin.html", "notebooks/04_claims_ledger.html",
        "notebooks/guide/01_what_a_like_is.html", "notebooks/guide/02_bought_likes.html"])
    assert screenshot.read_bytes().startswith(b"\x89PNG")


@pytest.mark.browser
@pytest.mark.slow
@needs_chromium
def test_the_real_site_works_in_headless_chromium_from_disk(real_site_in_chromium):
    """The site of a fresh build of every notebook (never the tracked figures/ rebuilt in place)."""
    report = real_site_in_chromium
    assert problems(report) == []
    assert Path(report["screenshot"]).read_bytes().startswith(b"\x89PNG")
    assert report["images"] and all(i["naturalWidth"] > 0 for i in report["images"])
    # every page reached and checked, the ledger's anchors among the links that resolve
    assert {"ledger.html", "figures.html", "guide.html", "screening.html"} <= set(report["pages"])
    assert any(page.startswith("notebooks/guide/") for page in report["pages"])


def test_a_tables_cards_name_a_country_and_leave_other_cells_alone():
    """The SIMULATED screening's cards say India, not IN; the CSV beside them keeps the code."""
    from likecheck.tools.site import shown_value
    assert shown_value("country", "IN") == "India"
    assert shown_value("country", "PH") == "Philippines"
    assert shown_value("country", "ZZ") == "Rest of world"
    assert shown_value("country", "") == ""
    assert shown_value("signal", "IN") == "IN"


@pytest.mark.parametrize("column, cell, shown", [
    # a score: whole from 100 up, one decimal below (by hand: 625.0848 -> 625, 5159.256 -> 5,159,
    # 13.868 -> 13.9, 2.8783 -> 2.9, 0.1006 -> 0.1)
    ("score", "625.0848", "625"), ("score", "5159.256", "5,159"), ("score", "13.868", "13.9"),
    ("score", "2.8783", "2.9"), ("score", "0.1006", "0.1"), ("score", "99.96", "100"),
    # the threshold as the settings give it
    ("threshold", "6", "6"), ("threshold", "20.0", "20"), ("threshold", "2.5", "2.5"),
    # the excess, an estimate against a baseline: to the thousand, said to be approximate
    ("excess", "227487.2", "about 227,000 more than predicted"),
    ("excess", "160561", "about 161,000 more than predicted"),
    ("excess", "399949.3", "about 400,000 more than predicted"),
    ("excess", "-4700", "about 5,000 fewer than predicted"),
    ("excess", "0", "none"), ("excess", "", ""),
    ("flagged", "true", "yes"), ("flagged", "false", "no"), ("flagged", "", ""),
    # not a number where one is expected, or a column the cards do not word: shown as written
    ("score", "n/a", "n/a"), ("note", "625.0848", "625.0848"), ("start", "2016-03-07", "2016-03-07"),
])
def test_a_tables_cards_show_numbers_as_people_read_them(column, cell, shown):
    from likecheck.tools.site import shown_value
    assert shown_value(column, cell) == shown


def test_a_screening_card_reads_as_words_and_the_csv_keeps_every_digit():
    """One row of screening.csv as its card shows it; the CSV the card links to is not rewritten."""
    import pandas as pd

    from likecheck.load import load_sources
    from likecheck.tools.site import table_view
    row = {"page": "SIMULATED page (synthetic)", "signal": "country_surge", "country": "IN",
           "start": "2016-03-07", "end": "2016-03-16", "flagged": "true", "score": "625.0848",
           "threshold": "6", "excess": "227487.2", "note": "India gained 227,487 fans or followers ..."}
    entry = {"name": "screening", "title": "SIMULATED screening", "notebook": "05_screening.ipynb",
             "files": {"csv": "screening.csv"}, "sources": []}
    view = table_view(entry, pd.DataFrame([row]), load_sources())
    assert view["records"] == [[
        ("Page", "SIMULATED page (synthetic)"), ("Signal", "country_surge"), ("Country", "India"),
        ("Start", "2016-03-07"), ("End", "2016-03-16"), ("Flagged", "yes"), ("Score", "625"),
        ("Threshold", "6"), ("Excess", "about 227,000 more than predicted"),
        ("Note", "India gained 227,487 fans or followers ...")]]
    assert view["csv_href"] == "figures/screening.csv"
