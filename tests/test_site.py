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
LEDGER_CSV = ('claim_id,claim,verdict,observation_ids\n'
              'C01,Most new likes came from abroad,supported,O002;O003\n'
              'C02,"<b>tags</b> & ampersands, in a cell",not checked,\n'
              'C03,India gave the most foreign likes,supported,O009; O003\n')
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


def test_the_site_is_self_contained_with_relative_links_that_resolve(fake_root, tmp_path):
    index = build_site(fake_root, tmp_path / "site")
    page = PageParts(index.read_text(encoding="utf-8"))
    assert index == tmp_path / "site" / "index.html" and page.lang == "en"
    assert page.scripts == []
    assert [img["alt"] for img in page.images] == [f["alt"] for f in FIGURES]
    assert [img["src"] for img in page.images] == [f"figures/{f['name']}.png" for f in FIGURES]
    internal = [link for link in page.links if not urlsplit(link).scheme]
    assert len(internal) > 10
    for link in internal:
        parts = urlsplit(link)
        assert not parts.path.startswith("/"), link
        target = index.parent / unquote(parts.path) if parts.path else index
        assert target.is_file(), link
        if not parts.path:
            assert parts.fragment in page.ids, link
    for name in ("like_origin_new_fans.png", "like_origin_new_fans.svg", "engagement.csv", "claims_ledger.csv"):
        assert (index.parent / "figures" / name).read_bytes() == (fake_root / "figures" / name).read_bytes()
    notebook_pages = sorted(index.parent.glob("notebooks/**/*.html"))
    assert len(notebook_pages) == 4
    for html_file in notebook_pages:
        text = html_file.read_text(encoding="utf-8")
        assert "cdnjs" not in text and '<meta http-equiv="Content-Security-Policy"' in text, html_file


def test_the_index_shows_figures_then_the_ledger_then_the_guide_in_reading_order(fake_root, tmp_path):
    text = build_site(fake_root, tmp_path / "site").read_text(encoding="utf-8")
    page = PageParts(text)
    assert page.headings[0][0] == "h1"
    h2 = [title for level, title in page.headings if level == "h2"]
    assert h2 == ["Figures", "Tables", "The guided series, in reading order"]
    h3 = [title for level, title in page.headings if level == "h3"]
    assert h3 == ["Where new likes came from", "Engagement falls", "Claims ledger"]
    assert text.index(GUIDE["01_what_a_like_is"]) < text.index(GUIDE["02_bought_likes"])
    assert 'href="notebooks/guide/01_what_a_like_is.html"' in text
    assert 'href="notebooks/01_like_origin.html"' in text and 'href="notebooks/guide/02_bought_likes.html"' in text
    # sources: publication, headline (linked where a URL is known), date
    assert ('<a href="https://www.phnompenhpost.com/national/pms-facebook-page-continues-rack-likes-abroad">'
            "<cite>PM&#39;s Facebook page continues to rack up &#39;likes&#39; from abroad</cite></a>") in text
    assert "between 14 March 2016 and 17 March 2016 (date inferred)" in text
    assert "The Cambodia Daily: <cite>Rainsy Guilty in Hun Sen Facebook &#39;Likes&#39; Case</cite>," in text
    assert "No published source" in text
    # the ledger as a table, its cells escaped
    assert '<th scope="col">claim</th>' in text and text.count("<tr") == 4  # header and three claims
    assert "<td>&lt;b&gt;tags&lt;/b&gt; &amp; ampersands, in a cell</td>" in text
    assert text.index("Claims ledger") < text.index("Cambodia&#39;s political Facebook war heads to court")
    assert "BBC Trending (BBC News), Mike Wendling:" in text and "14 March 2016." in text


def test_ledger_rows_have_claim_anchors_and_captions_link_the_claims_on_their_numbers(fake_root, tmp_path):
    text = build_site(fake_root, tmp_path / "site").read_text(encoding="utf-8")
    page = PageParts(text)
    assert {"claim-C01", "claim-C02", "claim-C03"} <= page.ids
    assert '<tr id="claim-C02"><td>C02</td><td>&lt;b&gt;tags' in text
    for name, (_, claims) in FIGURE_CSV.items():
        caption = text.split(f'id="figure-{name}"')[1].split("</figcaption>")[0]
        # by hand: O003 is in C01 (O002;O003) and C03 (O009; O003); O004 in none; C02 has no observations
        assert [link.split('"')[0] for link in caption.split('<a href="#')[1:]] == [f"claim-{c}" for c in claims]
    assert 'href="#claim-C01">C01</a>, <a href="#claim-C03">C03</a>.' in text


def test_the_page_escapes_manifest_text(fake_root, tmp_path):
    write_manifest(fake_root, figures=[{**FIGURES[0], "title": "<script>alert(1)</script> & co",
                                        "alt": 'say "no"'}, FIGURES[1]])
    text = build_site(fake_root, tmp_path / "site").read_text(encoding="utf-8")
    assert "<script" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in text
    assert 'alt="say &#34;no&#34;"' in text


def test_same_inputs_give_the_same_bytes_and_a_rebuild_leaves_nothing_stale(fake_root, tmp_path):
    first = site_bytes(build_site(fake_root, tmp_path / "one").parent)
    assert first == site_bytes(build_site(fake_root, tmp_path / "two").parent)
    write_manifest(fake_root, figures=FIGURES[:1], tables=False)
    rebuilt = site_bytes(build_site(fake_root, tmp_path / "one").parent)
    assert "figures/engagement.png" in first and "figures/engagement.png" not in rebuilt
    assert "figures/claims_ledger.csv" not in rebuilt and "Tables" not in rebuilt["index.html"].decode()


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
    assert sorted(report["linked_pages"]) == ["notebooks/01_like_origin.html", "notebooks/04_claims_ledger.html",
                                              "notebooks/guide/01_what_a_like_is.html",
                                              "notebooks/guide/02_bought_likes.html"]
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
    claim_links = [link for link in report["internal_links"] if link.startswith("#claim-")]
    assert claim_links and all(link[1:] in report["ids"] for link in claim_links)
