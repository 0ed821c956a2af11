"""The static site: a small book of the findings, the reporting's figures, the claims ledger,
the guide and the SIMULATED screening demonstration, readable offline.

`build_site(root, out)` reads ``figures/manifest.json`` (through `tools.manifest`,
the figures' contract), ``data/sources.csv`` and the notebooks' HTML exports
under ``build/html/``, and writes a self-contained folder of chapter pages
(rendered from the Jinja2 templates in ``templates/`` with autoescaping) plus
copies of every file they link to, with relative links only and no script at
all, so it opens from file:// with no network.

Decisions, written down:
- Chapters, in reading order: ``index.html`` (the findings: what the reporting
  said and what the ledger's verdicts are, counted from the ledger, never typed),
  ``figures.html`` (the reporting's figures, by notebook), ``ledger.html`` (one
  card per claim: its words, its verdict and the reason beside it, then any other
  column the ledger has, so a column added later shows without a change here),
  ``guide.html`` and ``screening.html`` (every SIMULATED figure and table of the
  screening demonstration, kept apart from the published ones). Which chapter a
  notebook belongs to is read from the build (its folder, and whether its outputs
  are SIMULATED), so a new notebook appears without a change here.
- Every page has the contents bar, previous and next, and the way back: the
  notebook pages get the same bar injected at the top of their body (plain HTML,
  no script), with a link back to the chapter that lists them.
- A figure's title is drawn in its image; the page keeps it as a heading for
  screen readers and for the contents, but hides the duplicate from sight.
- A table's cards show a country by its name and numbers as people read them
  (``table_cells.shown_value``: the screen's score, threshold and excess); the CSV
  they link to keeps every cell as written, for programs.
- Each claims-ledger card has the anchor ``ledger.html#claim-<claim_id>``, and
  each figure's caption links to the claims whose ``observation_ids`` include an
  ``observation_id`` the figure plots.
The whole site is assembled in memory first (same inputs give the same bytes)
and then swapped in for the previous build.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import pandas as pd

from ..dates import day_in_words
from ..errors import DataError, LikecheckError, display_path
from ..load import load_sources, read_raw_csv
from ..outputs import atomic_write_bytes
from .manifest import check_files, read_manifest
from .table_cells import shown_value

FIGURES_DIR = PurePosixPath("figures")
HTML_EXPORTS = PurePosixPath("build/html")
GUIDE = PurePosixPath("notebooks/guide")
TEMPLATES = Path(__file__).with_name("templates")
#: Where copies go inside the site.
SITE_FIGURES = PurePosixPath("figures")
SITE_NOTEBOOKS = PurePosixPath("notebooks")
#: Marks a folder this module made, so a rebuild never deletes anything else.
SITE_MARKER = ".likecheck-site"
#: The ledger's columns that tie a claim to the observations it was checked against.
CLAIM_ID, OBSERVATION_IDS, OBSERVATION_ID = "claim_id", "observation_ids", "observation_id"
# nbconvert's templates load require.js and MathJax from a CDN; the site must
# work offline and load nothing from elsewhere, so those tags are dropped
# (formulas then show as their TeX source, which stays readable).
_EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>.*?</script\s*>",
                              re.IGNORECASE | re.DOTALL)
_EXTERNAL_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.IGNORECASE)
# And in case a page still has a way to reach out (the mermaid loader imports from
# a CDN at run time), its copy carries a policy that lets the browser fetch
# nothing from anywhere: the exports embed their images and styles. It runs no
# script at all, inline ones included (script-src 'none'): an executed notebook
# shows text, tables and images, which need none, and its outputs may hold text
# from a stranger's export (a page name), which must never run.
OFFLINE_POLICY = ("default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                  "font-src 'self' data:; script-src 'none'")
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
# nbconvert's light "lab" theme greys out prompts (half opacity), draws some
# syntax colours below WCAG 2 AA's 4.5:1 on the code background (#f5f5f5) and
# tells links in Markdown from the text by colour only. Each page's copy ends
# its head with these overrides: the theme's hues, darkened to at least 4.8:1,
# and underlined links (tests/test_accessibility.py runs axe-core on every page).
READABLE_NOTEBOOK_STYLE = (
    ":root { --jp-cell-prompt-not-active-opacity: 1; --jp-cell-inprompt-font-color: #2a6fa9; "
    "--jp-cell-outprompt-font-color: #ab5136; --jp-mirror-editor-atom-color: #6161b7; "
    "--jp-mirror-editor-bracket-color: #6c6c54; --jp-mirror-editor-comment-color: #3a7575; "
    "--jp-mirror-editor-error-color: #db0000; --jp-mirror-editor-hr-color: #6c6c6c; "
    "--jp-mirror-editor-meta-color: #a120f2; --jp-mirror-editor-operator-color: #a120f2; "
    "--jp-mirror-editor-number-color: #007e00; --jp-mirror-editor-quote-color: #007e00; } "
    ".jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited { text-decoration: underline; }")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: style.save_figure draws each PNG at twice the size it is meant to be seen at (sharp on
#: high-density screens); the page shows it at half its pixels.
PNG_SCALE = 2


@dataclass(frozen=True)
class Chapter:
    key: str
    file: str
    title: str
    summary: str


#: The book's chapters, in reading order.
FINDINGS = Chapter("findings", "index.html", "Findings",
                   "What the reporting said, and which of its numbers hold.")
REPORTING = Chapter("figures", "figures.html", "The reporting's figures",
                    "The published numbers, rebuilt figure by figure.")
LEDGER = Chapter("ledger", "ledger.html", "The claims ledger",
                 "Every printed number, its verdict and the reason.")
GUIDE_CHAPTER = Chapter("guide", "guide.html", "The guide",
                        "Five notebooks for students, in reading order.")
SCREENING = Chapter("screening", "screening.html", "Screening demonstration (SIMULATED)",
                    "The screen for bought likes, run on a SIMULATED page.")
CHAPTERS = (FINDINGS, REPORTING, LEDGER, GUIDE_CHAPTER, SCREENING)


@dataclass(frozen=True)
class GuideNotebook:
    stem: str
    title: str
    folder: str = GUIDE.name

    @property
    def notebook(self) -> str:
        """Its path below notebooks/, as a manifest would name it."""
        return f"{self.folder}/{self.stem}.ipynb"

    @property
    def is_solutions(self) -> bool:
        return PurePosixPath(self.folder).name == "solutions"


def build_site(root: Path, out: Path) -> Path:
    """Build the site for the repository at `root` into the folder `out`; return its index.html."""
    root, out = Path(root), Path(out)
    replace_site(out, site_files(root))
    return out / "index.html"


def site_files(root: Path) -> dict[str, bytes]:
    """Every file of the site, by path relative to the site folder, in a stable order."""
    figures = root / FIGURES_DIR
    manifest = read_manifest(figures)
    check_files(manifest, figures)
    sources = load_sources(root / "data").set_index("source_id", drop=False)
    check_source_ids(figures / "manifest.json", manifest, sources)
    files: dict[str, bytes] = {SITE_MARKER: b"Made by likecheck.tools.site.build_site; rebuilt as a whole.\n"}
    listed = {name for group in ("figures", "tables") for e in manifest[group] for name in e["files"].values()}
    for name in sorted(listed):
        files[str(SITE_FIGURES / name)] = (figures / name).read_bytes()
    guides = guide_notebooks(root)
    tables = [(t, read_raw_csv(figures / t["files"]["csv"])) for t in manifest["tables"]]
    claims = ledger_claims([frame for _, frame in tables])
    figure_views = [figure_view(f, figures, files, sources, claims) for f in manifest["figures"]]
    table_views = [table_view(t, frame, sources) for t, frame in tables]
    titles = {g.notebook: g.title for g in guides}
    for entry in manifest["figures"] + manifest["tables"]:
        if entry["notebook"] not in titles:
            titles[entry["notebook"]] = notebook_title(root / "notebooks" / entry["notebook"])
    book = assemble_book(figure_views, table_views, guides, titles)
    for notebook in book["notebook_order"]:
        files[str(site_notebook_page(notebook))] = with_navigation(
            offline_html(root / HTML_EXPORTS / notebook_page(notebook)), notebook_navigation(book, notebook))
    for chapter in CHAPTERS:
        files[chapter.file] = render_chapter(chapter, book).encode("utf-8")
    return dict(sorted(files.items()))


def replace_site(out: Path, files: dict[str, bytes]) -> None:
    """Write the files into a fresh folder, then swap it for `out` (only if `out` is ours)."""
    if out.exists() and any(out.iterdir()) and not (out / SITE_MARKER).is_file():
        raise LikecheckError(f"{display_path(out)}: exists and was not made by 'likecheck site'; "
                             "not replacing it (choose an empty or new folder)")
    staging, previous = out.with_name(f".{out.name}.new"), out.with_name(f".{out.name}.old")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(previous, ignore_errors=True)
    for relative, data in files.items():
        atomic_write_bytes(staging / relative, data)
    if out.exists():
        out.rename(previous)
    staging.rename(out)
    shutil.rmtree(previous, ignore_errors=True)


# --- inputs -------------------------------------------------------------------

def check_source_ids(path: Path, manifest: dict, sources: pd.DataFrame) -> None:
    for group in ("figures", "tables"):
        for i, entry in enumerate(manifest[group]):
            unknown = [s for s in entry["sources"] if s not in sources.index]
            if unknown:
                raise DataError(path, f"unknown source id {unknown[0]!r} (see data/sources.csv)",
                                key=f"{group}[{i}].sources")


def id_list(cell: str) -> list[str]:
    """'O002;O003' -> ['O002', 'O003'] (blank parts dropped)."""
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def ledger_claims(tables: list[pd.DataFrame]) -> list[tuple[str, set[str]]]:
    """(claim id, the observation ids it was checked against) for every ledger row, in ledger order."""
    return [(claim, set(id_list(observations)))
            for frame in tables if {CLAIM_ID, OBSERVATION_IDS} <= set(frame.columns)
            for claim, observations in zip(frame[CLAIM_ID], frame[OBSERVATION_IDS])]


def claims_for_figure(plotted: pd.DataFrame, claims: list[tuple[str, set[str]]]) -> list[str]:
    """The claims checked against any observation the figure plots (its CSV's observation_id), in ledger order."""
    if OBSERVATION_ID not in plotted.columns:
        return []
    plotted_ids = {o for cell in plotted[OBSERVATION_ID] for o in id_list(cell)}
    return list(dict.fromkeys(claim for claim, observations in claims if observations & plotted_ids))


def notebook_page(notebook: str) -> PurePosixPath:
    """The HTML export of a notebook, relative to build/html/ (guide notebooks in guide/)."""
    return PurePosixPath(notebook).with_suffix(".html")


def site_notebook_page(notebook: str) -> PurePosixPath:
    return SITE_NOTEBOOKS / notebook_page(notebook)


def offline_html(path: Path) -> bytes:
    if not path.is_file():
        raise DataError(path, "no such file: the executed notebook's HTML export is missing (made by 'make figures')")
    return offline_page(path.read_text(encoding="utf-8")).encode("utf-8")


def offline_page(page: str) -> str:
    """The page without tags that load from another host, with a policy forbidding any such load,
    and with colours that pass WCAG 2 AA contrast."""
    page = _EXTERNAL_LINK.sub("", _EXTERNAL_SCRIPT.sub("", page))
    style = f"<style>{READABLE_NOTEBOOK_STYLE}</style>"
    if style not in page:  # the runner's export has it already; the site's copy needs it once
        end = _HEAD_END.search(page)
        page = page[:end.start()] + style + page[end.start():] if end else style + page
    policy = f'<meta http-equiv="Content-Security-Policy" content="{OFFLINE_POLICY}">'
    head = _HEAD.search(page)
    return page[:head.end()] + policy + page[head.end():] if head else policy + page


def guide_notebooks(root: Path) -> list[GuideNotebook]:
    """The guided series in reading order: notebooks/guide/*.ipynb sorted by file name, then the
    solutions (notebooks/guide/solutions/*.ipynb)."""
    guide = root / GUIDE
    return ([GuideNotebook(p.stem, notebook_title(p)) for p in sorted(guide.glob("*.ipynb"))]
            + [GuideNotebook(p.stem, notebook_title(p), f"{GUIDE.name}/solutions")
               for p in sorted((guide / "solutions").glob("*.ipynb"))])


def notebook_title(path: Path) -> str:
    """The notebook's first level-one Markdown heading, else its file name in words."""
    if not path.is_file():
        return path.stem.replace("_", " ")
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except json.JSONDecodeError as err:
        raise DataError(path, f"not a notebook: not valid JSON ({err.msg})", line=err.lineno) from None
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        for line in ("".join(source) if isinstance(source, list) else source).splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return path.stem.replace("_", " ")


def png_size(path: Path, data: bytes) -> tuple[int, int]:
    """Width and height from the PNG header, so the page reserves the image's space."""
    if not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise DataError(path, "not a PNG image")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


# --- the book ----------------------------------------------------------------

#: The ledger's columns that the claim card lays out itself; any other column is listed under it.
CARD_COLUMNS = ("claim_id", "claim", "verdict", "note", "source_id", "claimed_value", "recomputed_value",
                "interval_low", "interval_high", "check", "observation_ids")
VERDICT_ORDER = ("consistent", "inconsistent", "not checkable")


def anchor(prefix: str, name: str) -> str:
    return f"{prefix}-{re.sub(r'[^A-Za-z0-9_-]', '-', str(name))}"


def day_text(day: pd.Timestamp) -> str:
    return day_in_words(day)  # English month names whatever the locale (dates.MONTHS)


def publication_date(start, end, basis: str) -> str:
    if pd.isna(start) and pd.isna(end):
        return "date not established"
    if pd.isna(start) or pd.isna(end) or start == end:
        text = day_text(start if pd.notna(start) else end)
    else:
        text = f"between {day_text(start)} and {day_text(end)}"
    return text + (" (date inferred)" if str(basis).startswith("inferred") else "")


def citations(ids, sources: pd.DataFrame) -> list[dict]:
    """What the template shows of each cited source: publication, author, headline, link, date."""
    def text(value) -> str:
        return value.strip() if isinstance(value, str) else ""
    return [{"publication": text(row["publication"]), "author": text(row["author"]),
             "headline": text(row["headline"]), "url": text(row["url"]),
             "when": publication_date(row["published_start"], row["published_end"], row["date_basis"])}
            for row in (sources.loc[s] for s in ids)]


def is_simulated(entry: dict) -> bool:
    """A figure or table of SIMULATED data: its title or caption says so (style.credits puts it there)."""
    from ..labels import SIMULATION_LABEL
    return (str(entry.get("title", "")).upper().startswith("SIMULATED")
            or str(entry.get("caption", "")).startswith(SIMULATION_LABEL))


def chapter_of(entry: dict) -> Chapter:
    """Where a figure or table goes: the guide's own, the SIMULATED demonstration, the ledger, or the reporting."""
    if entry["notebook"].startswith(f"{GUIDE.name}/"):
        return GUIDE_CHAPTER
    if is_simulated(entry):
        return SCREENING
    return REPORTING


def figure_view(entry: dict, figures: Path, files: dict[str, bytes], sources: pd.DataFrame,
                claims: list[tuple[str, set[str]]]) -> dict:
    png = entry["files"]["png"]
    width, height = png_size(figures / png, files[str(SITE_FIGURES / png)])
    plotted = read_raw_csv(figures / entry["files"]["csv"])
    return {**entry, "id": anchor("figure", entry["name"]), "width": width // PNG_SCALE, "height": height // PNG_SCALE,
            "href": {kind: str(SITE_FIGURES / name) for kind, name in entry["files"].items()},
            "notebook_href": str(site_notebook_page(entry["notebook"])),
            "chapter": chapter_of(entry).key,
            "claims": [{"id": claim, "href": f"{LEDGER.file}#{anchor('claim', claim)}"}
                       for claim in claims_for_figure(plotted, claims)],
            "citations": citations(entry["sources"], sources)}


def field_label(column: str) -> str:
    """'home_share_pct' -> 'Home share pct': a column name as words."""
    words = str(column).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def claim_card(row: dict, sources: pd.DataFrame) -> dict:
    """One ledger row as the card shows it: the claim, its verdict and the reason, then the numbers."""
    source = row.get("source_id", "")
    publication = sources.loc[source, "publication"] if source in sources.index else source
    low, high = row.get("interval_low", ""), row.get("interval_high", "")
    facts = [("As printed", row.get("claimed_value", "")), ("Recomputed", row.get("recomputed_value", "")),
             ("Recomputed, within the printed rounding", f"{low or '…'} to {high or '…'}" if low or high else ""),
             ("Check", row.get("check", "")), ("Observations", row.get("observation_ids", ""))]
    facts += [(field_label(c), v) for c, v in row.items() if c not in CARD_COLUMNS]
    return {"id": anchor("claim", row.get("claim_id", "")), "claim_id": row.get("claim_id", ""),
            "claim": row.get("claim", ""), "verdict": row.get("verdict", ""),
            "verdict_class": re.sub(r"[^a-z]+", "-", str(row.get("verdict", "")).lower()).strip("-"),
            "note": row.get("note", ""), "publication": publication,
            "facts": [(label, value) for label, value in facts if str(value).strip()]}


def table_view(entry: dict, frame: pd.DataFrame, sources: pd.DataFrame) -> dict:
    rows = frame.to_dict("records")
    is_ledger = CLAIM_ID in frame.columns
    return {**entry, "id": anchor("table", entry["name"]), "columns": list(frame.columns),
            "is_ledger": is_ledger,
            "cards": [claim_card(r, sources) for r in rows] if is_ledger else [],
            "records": [] if is_ledger else [[(field_label(c), shown_value(c, v)) for c, v in r.items()
                                              if str(v).strip()] for r in rows],
            "csv_href": str(SITE_FIGURES / entry["files"]["csv"]),
            "notebook_href": str(site_notebook_page(entry["notebook"])),
            "chapter": LEDGER.key if is_ledger else chapter_of(entry).key,
            "citations": citations(entry["sources"], sources)}


def verdict_counts(cards: list[dict]) -> list[dict]:
    """Claims per verdict, in the ledger's order of verdicts (any other verdict after them)."""
    counts: dict[str, int] = {}
    for card in cards:
        counts[card["verdict"]] = counts.get(card["verdict"], 0) + 1
    order = [v for v in VERDICT_ORDER if v in counts] + sorted(v for v in counts if v not in VERDICT_ORDER)
    return [{"verdict": v, "count": counts[v]} for v in order]


def notebook_group(notebook: str, title: str, figures: list[dict], tables: list[dict]) -> dict:
    return {"notebook": notebook, "title": title, "id": anchor("notebook", PurePosixPath(notebook).stem),
            "href": str(site_notebook_page(notebook)),
            "figures": [f for f in figures if f["notebook"] == notebook],
            "tables": [t for t in tables if t["notebook"] == notebook]}


def assemble_book(figures: list[dict], tables: list[dict], guides: list[GuideNotebook],
                  titles: dict[str, str]) -> dict:
    """What every chapter shows, and the order of the notebook pages (the book's appendix)."""
    def notebooks_in(chapter: str) -> list[str]:
        found = [e["notebook"] for e in figures + tables if e["chapter"] == chapter]
        return sorted(dict.fromkeys(found), key=lambda n: (n.count("/"), n))
    ledger_tables = [t for t in tables if t["is_ledger"]]
    cards = [card for t in ledger_tables for card in t["cards"]]
    reporting = [notebook_group(n, titles[n], [f for f in figures if f["chapter"] == REPORTING.key],
                                [t for t in tables if t["chapter"] == REPORTING.key])
                 for n in notebooks_in(REPORTING.key)]
    screening = [notebook_group(n, titles[n], [f for f in figures if f["chapter"] == SCREENING.key],
                                [t for t in tables if t["chapter"] == SCREENING.key])
                 for n in notebooks_in(SCREENING.key)]
    guide = [{**notebook_group(g.notebook, g.title, figures, []), "is_solutions": g.is_solutions}
             for g in guides]
    by_publication: dict[str, list[dict]] = {}
    for card in cards:
        by_publication.setdefault(card["publication"], []).append(card)
    headline_figure = next((f for f in figures if f["name"] == "claims_verdicts"), None)
    home = {n: REPORTING for n in notebooks_in(REPORTING.key)}
    home.update({t["notebook"]: LEDGER for t in ledger_tables})
    home.update({g.notebook: GUIDE_CHAPTER for g in guides})
    home.update({n: SCREENING for n in notebooks_in(SCREENING.key)})
    order = sorted(home, key=lambda n: (CHAPTERS.index(home[n]), n.count("/"), n))
    return {"chapters": CHAPTERS, "reporting": reporting, "screening": screening, "guide": guide,
            "ledger_tables": ledger_tables, "cards": cards, "by_publication": by_publication,
            "counts": verdict_counts(cards), "failing": [c for c in cards if c["verdict"] == "inconsistent"],
            "headline_figure": headline_figure, "notebook_order": order, "notebook_home": home,
            "titles": titles}


def neighbours(items: list, item) -> tuple:
    """The items before and after `item` in `items` (None at either end)."""
    i = items.index(item)
    return (items[i - 1] if i > 0 else None), (items[i + 1] if i + 1 < len(items) else None)


def notebook_navigation(book: dict, notebook: str) -> str:
    """The bar a notebook page gets at the top of its body: contents, the way back, previous and next.

    Plain HTML with its own small style, no script: the page's Content-Security-Policy stays as strict
    as the runner made it.
    """
    from markupsafe import escape
    up = "../" * (notebook.count("/") + 1)
    order, home = book["notebook_order"], book["notebook_home"][notebook]
    before, after = neighbours(order, notebook)

    def link(target: str, text: str, rel: str = "") -> str:
        page = site_notebook_page(target)
        return (f'<a href="{escape(up + quote(str(page.relative_to(SITE_NOTEBOOKS.parent))))}"'
                f'{f" rel={chr(34)}{rel}{chr(34)}" if rel else ""}>{escape(text)}</a>')
    contents = " ".join(f'<a href="{up}{c.file}">{escape(c.title)}</a>' for c in CHAPTERS)
    # The ledger's page is the notebook's one table; the other chapters list their notebooks by anchor.
    section = "" if home is LEDGER else f'#{anchor("notebook", PurePosixPath(notebook).stem)}'
    steps = [f'<a href="{up}{home.file}{section}">Back to {escape(home.title)}</a>']
    if before:
        steps.append("Previous notebook: " + link(before, book["titles"][before], "prev"))
    if after:
        steps.append("Next notebook: " + link(after, book["titles"][after], "next"))
    return (f"<style>{NAVIGATION_STYLE}</style>"
            f'<header class="lc-bar"><nav aria-label="Contents" class="lc-contents">{contents}</nav>'
            f'<nav aria-label="This notebook" class="lc-steps">{" · ".join(steps)}</nav></header>')


#: The notebook pages' bar: the site's colours, readable at WCAG AA on white.
NAVIGATION_STYLE = (
    ".lc-bar { font-family: system-ui, sans-serif; font-size: 0.95rem; border-bottom: 2px solid #1b1b1b; "
    "padding: 0.5rem 1rem; background: #ffffff; color: #1b1b1b; } "
    ".lc-bar a { color: #0b4fa3; text-decoration: underline; margin-right: 1rem; display: inline-block; "
    "padding: 0.2rem 0; min-height: 24px; } "
    ".lc-steps { margin-top: 0.35rem; }")
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def with_navigation(page: bytes, bar: str) -> bytes:
    """The notebook page with the site's bar at the top of its body."""
    text = page.decode("utf-8")
    body = _BODY.search(text)
    at = body.end() if body else 0
    return (text[:at] + bar + text[at:]).encode("utf-8")


def render_chapter(chapter: Chapter, book: dict) -> str:
    """One chapter page from its Jinja2 template: every value escaped, every link a quoted relative path."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["path_url"] = lambda path: quote(str(path))
    before, after = neighbours(list(CHAPTERS), chapter)
    return env.get_template(f"{chapter.key}.html.j2").render(
        chapter=chapter, previous=before, next=after, **book)
