"""The static site: every published figure, the claims ledger and the guide, readable offline.

`build_site(root, out)` reads ``figures/manifest.json`` (through `tools.manifest`,
the figures' contract), ``data/sources.csv`` and the notebooks' HTML exports
under ``build/html/``, and writes a self-contained folder: ``index.html``
(rendered from the Jinja2 template ``templates/index.html.j2`` with
autoescaping) plus copies of every file it links to, with relative links only
and no script at all, so it opens from file:// with no network. Each claims-ledger
row has the anchor ``#claim-<claim_id>``, and each figure's caption links to the
claims whose ``observation_ids`` include an ``observation_id`` the figure plots.
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


@dataclass(frozen=True)
class GuideNotebook:
    stem: str
    title: str

    @property
    def notebook(self) -> str:
        """Its path below notebooks/, as a manifest would name it."""
        return f"{GUIDE.name}/{self.stem}.ipynb"


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
    notebooks = {e["notebook"] for group in ("figures", "tables") for e in manifest[group]}
    for notebook in sorted(notebooks | {g.notebook for g in guides}):
        files[str(site_notebook_page(notebook))] = offline_html(root / HTML_EXPORTS / notebook_page(notebook))
    tables = [(t, read_raw_csv(figures / t["files"]["csv"])) for t in manifest["tables"]]
    claims = ledger_claims([frame for _, frame in tables])
    figure_views = [figure_view(f, figures, files, sources, claims) for f in manifest["figures"]]
    table_views = [table_view(t, frame, sources) for t, frame in tables]
    files["index.html"] = render_index(figure_views, table_views, guides).encode("utf-8")
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
    """The guided series in reading order: notebooks/guide/*.ipynb sorted by file name."""
    return [GuideNotebook(p.stem, notebook_title(p)) for p in sorted((root / GUIDE).glob("*.ipynb"))]


def notebook_title(path: Path) -> str:
    """The notebook's first level-one Markdown heading, else its file name in words."""
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




# --- the page -----------------------------------------------------------------

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


def figure_view(entry: dict, figures: Path, files: dict[str, bytes], sources: pd.DataFrame,
                claims: list[tuple[str, set[str]]]) -> dict:
    png = entry["files"]["png"]
    width, height = png_size(figures / png, files[str(SITE_FIGURES / png)])
    plotted = read_raw_csv(figures / entry["files"]["csv"])
    return {**entry, "id": anchor("figure", entry["name"]), "width": width, "height": height,
            "href": {kind: str(SITE_FIGURES / name) for kind, name in entry["files"].items()},
            "notebook_href": str(site_notebook_page(entry["notebook"])),
            "claims": [{"id": claim, "anchor": anchor("claim", claim)}
                       for claim in claims_for_figure(plotted, claims)],
            "citations": citations(entry["sources"], sources)}


def table_view(entry: dict, frame: pd.DataFrame, sources: pd.DataFrame) -> dict:
    row_ids = ([anchor("claim", claim) for claim in frame[CLAIM_ID]] if CLAIM_ID in frame.columns
               else [None] * len(frame))
    return {**entry, "id": anchor("table", entry["name"]), "columns": list(frame.columns),
            "rows": list(zip(row_ids, frame.itertuples(index=False, name=None))),
            "csv_href": str(SITE_FIGURES / entry["files"]["csv"]),
            "notebook_href": str(site_notebook_page(entry["notebook"])),
            "citations": citations(entry["sources"], sources)}


def render_index(figures: list[dict], tables: list[dict], guides: list[GuideNotebook]) -> str:
    """index.html from the Jinja2 template: every value escaped, every link a quoted relative path."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["path_url"] = lambda path: quote(str(path))
    guide_views = [{"title": g.title, "notebook": g.notebook,
                    "href": str(site_notebook_page(g.notebook))} for g in guides]
    return env.get_template("index.html.j2").render(figures=figures, tables=tables, guides=guide_views)
