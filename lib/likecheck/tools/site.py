"""The static site: every published figure, the claims ledger and the guide, readable offline.

`build_site(root, out)` reads ``figures/manifest.json`` (the figures' contract),
``data/sources.csv`` and the notebooks' HTML exports under ``build/html/``,
and writes a self-contained folder: ``index.html`` plus copies of every file
it links to, with relative links only and no script at all, so it opens from
file:// with no network. The whole site is assembled in memory first (same
inputs give the same bytes) and then swapped in for the previous build.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import pandas as pd

from ..errors import DataError, LikecheckError, display_path
from ..load import load_sources, read_raw_csv
from ..outputs import atomic_write_bytes

MANIFEST = PurePosixPath("figures/manifest.json")
HTML_EXPORTS = PurePosixPath("build/html")
GUIDE = PurePosixPath("notebooks/guide")
#: Where copies go inside the site.
SITE_FIGURES = PurePosixPath("figures")
SITE_NOTEBOOKS = PurePosixPath("notebooks")
#: Marks a folder this module made, so a rebuild never deletes anything else.
SITE_MARKER = ".likecheck-site"
FIGURE_FILES = ("png", "svg", "csv")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
# nbconvert's templates load require.js and MathJax from a CDN; the site must
# work offline and load nothing from elsewhere, so those tags are dropped
# (formulas then show as their TeX source, which stays readable).
_EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>.*?</script\s*>",
                              re.IGNORECASE | re.DOTALL)
_EXTERNAL_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.IGNORECASE)
# And in case a page still has a way to reach out (the mermaid loader imports from
# a CDN at run time), its copy carries a policy that lets the browser fetch
# nothing from anywhere: the exports embed their images, styles and scripts.
OFFLINE_POLICY = ("default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                  "font-src 'self' data:; script-src 'unsafe-inline'")
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
class Figure:
    name: str
    notebook: str
    title: str
    caption: str
    alt: str
    sources: tuple[str, ...]
    files: dict[str, str]  # kind -> file name in figures/


@dataclass(frozen=True)
class Table:
    name: str
    notebook: str
    title: str
    sources: tuple[str, ...]
    csv: str  # file name in figures/


@dataclass(frozen=True)
class Manifest:
    figures: tuple[Figure, ...]
    tables: tuple[Table, ...]


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
    manifest_path, figures = root / MANIFEST, root / MANIFEST.parent
    manifest = read_manifest(manifest_path)
    sources = load_sources(root / "data").set_index("source_id", drop=False)
    check_source_ids(manifest_path, manifest, sources)
    files: dict[str, bytes] = {SITE_MARKER: b"Made by likecheck.tools.site.build_site; rebuilt as a whole.\n"}
    for name in sorted({n for f in manifest.figures for n in f.files.values()} | {t.csv for t in manifest.tables}):
        files[str(SITE_FIGURES / name)] = (figures / name).read_bytes()
    png_sizes = {f.name: png_size(figures / f.files["png"], files[str(SITE_FIGURES / f.files["png"])])
                 for f in manifest.figures}
    guides = guide_notebooks(root)
    notebooks = ({f.notebook for f in manifest.figures} | {t.notebook for t in manifest.tables}
                 | {g.notebook for g in guides})
    for notebook in sorted(notebooks):
        files[str(site_notebook_page(notebook))] = offline_html(root / HTML_EXPORTS / notebook_page(notebook))
    ledgers = [(t, read_raw_csv(figures / t.csv)) for t in manifest.tables]
    files["index.html"] = index_html(manifest, sources, png_sizes, ledgers, guides).encode("utf-8")
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

def read_manifest(path: Path) -> Manifest:
    """figures/manifest.json, checked: fields present, files there and matching their sha256."""
    if not path.is_file():
        raise LikecheckError(f"{display_path(path)}: no figure manifest; run 'make figures' first")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise DataError(path, f"not valid JSON ({err.msg})", line=err.lineno) from None
    if not isinstance(data, dict) or data.get("generated_by") != "likecheck":
        raise DataError(path, "not a likecheck figure manifest (expected \"generated_by\": \"likecheck\")",
                        key="generated_by")
    figures = tuple(read_figure(path, entry, f"figures[{i}]")
                    for i, entry in enumerate(entries(path, data, "figures")))
    tables = tuple(read_table_entry(path, entry, f"tables[{i}]")
                   for i, entry in enumerate(entries(path, data, "tables")))
    names = [f.name for f in figures] + [t.name for t in tables]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise DataError(path, f"the name {repeated[0]!r} appears more than once", key="name")
    return Manifest(figures, tables)


def check_source_ids(path: Path, manifest: Manifest, sources: pd.DataFrame) -> None:
    for group, items in (("figures", manifest.figures), ("tables", manifest.tables)):
        for i, item in enumerate(items):
            unknown = [s for s in item.sources if s not in sources.index]
            if unknown:
                raise DataError(path, f"unknown source id {unknown[0]!r} (see data/sources.csv)",
                                key=f"{group}[{i}].sources")


def entries(path: Path, data: dict, key: str) -> list[dict]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise DataError(path, "must be a list of objects", key=key)
    return value


def text_field(path: Path, entry: dict, field: str, where: str) -> str:
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        raise DataError(path, "missing or empty (a text is required)", key=f"{where}.{field}")
    return value.strip()


def read_figure(path: Path, entry: dict, where: str) -> Figure:
    files = entry_files(path, entry, where, FIGURE_FILES)
    return Figure(name=text_field(path, entry, "name", where),
                  notebook=notebook_field(path, entry, where),
                  title=text_field(path, entry, "title", where),
                  caption=text_field(path, entry, "caption", where),
                  alt=text_field(path, entry, "alt", where),
                  sources=source_ids(path, entry, where), files=files)


def read_table_entry(path: Path, entry: dict, where: str) -> Table:
    name = text_field(path, entry, "name", where)
    title = entry.get("title") if isinstance(entry.get("title"), str) else name.replace("_", " ").capitalize()
    return Table(name=name, notebook=notebook_field(path, entry, where), title=title,
                 sources=source_ids(path, entry, where), csv=entry_files(path, entry, where, ("csv",))["csv"])


def source_ids(path: Path, entry: dict, where: str) -> tuple[str, ...]:
    sources = entry.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise DataError(path, "must be a list of source ids", key=f"{where}.sources")
    return tuple(sources)


def notebook_field(path: Path, entry: dict, where: str) -> str:
    notebook = text_field(path, entry, "notebook", where)
    parts = PurePosixPath(notebook).parts
    if not notebook.endswith(".ipynb") or notebook.startswith("/") or ".." in parts:
        raise DataError(path, f"{notebook!r} is not a notebook path below notebooks/", key=f"{where}.notebook")
    return notebook


def entry_files(path: Path, entry: dict, where: str, kinds: tuple[str, ...]) -> dict[str, str]:
    """The entry's files by kind: relative paths inside figures/ (guide figures in guide/), present,
    and matching any sha256 given."""
    files, digests = entry.get("files"), entry.get("sha256") or {}
    if not isinstance(files, dict) or not isinstance(digests, dict):
        raise DataError(path, "must be an object of file names", key=f"{where}.files")
    found = {}
    for kind in kinds:
        name = files.get(kind)
        key = f"{where}.files.{kind}"
        parts = PurePosixPath(name).parts if isinstance(name, str) else ()
        if not parts or PurePosixPath(name).is_absolute() or any(p.startswith(".") for p in parts):
            raise DataError(path, "missing, or not a file name inside figures/", key=key)
        file = path.parent / name
        if not file.is_file():
            raise DataError(path, f"{display_path(file)}: no such file", key=key)
        expected = digests.get(kind)
        if expected is not None and hashlib.sha256(file.read_bytes()).hexdigest() != expected:
            raise DataError(path, f"{display_path(file)} does not match its sha256; run 'make figures'",
                            key=f"{where}.sha256.{kind}")
        found[kind] = name
    return found


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

def esc(text) -> str:
    return html.escape(str(text), quote=True)


def href(path: PurePosixPath | str) -> str:
    return esc(quote(str(path)))


def anchor(prefix: str, name: str) -> str:
    return f"{prefix}-{re.sub(r'[^A-Za-z0-9_-]', '-', name)}"


def day_text(day: pd.Timestamp) -> str:
    # Month names spelled out here, not with strftime, which follows the reader's locale.
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def publication_date(start, end, basis: str) -> str:
    if pd.isna(start) and pd.isna(end):
        return "date not established"
    if pd.isna(start) or pd.isna(end) or start == end:
        text = day_text(start if pd.notna(start) else end)
    else:
        text = f"between {day_text(start)} and {day_text(end)}"
    return text + (" (date inferred)" if str(basis).startswith("inferred") else "")


def citation_html(source: pd.Series) -> str:
    title = f"<cite>{esc(source['headline'])}</cite>"
    if isinstance(source["url"], str) and source["url"].strip():
        title = f'<a href="{esc(source["url"].strip())}">{title}</a>'
    author = f", {esc(source['author'])}" if isinstance(source["author"], str) else ""
    when = publication_date(source["published_start"], source["published_end"], source["date_basis"])
    return f"<li>{esc(source['publication'])}{author}: {title}, {esc(when)}.</li>"


def figure_html(figure: Figure, sources: pd.DataFrame, size: tuple[int, int]) -> str:
    ident = anchor("figure", figure.name)
    files = {kind: SITE_FIGURES / name for kind, name in figure.files.items()}
    return f"""<article id="{ident}" aria-labelledby="{ident}-title">
<h3 id="{ident}-title">{esc(figure.title)}</h3>
<figure>
<img src="{href(files['png'])}" alt="{esc(figure.alt)}" width="{size[0]}" height="{size[1]}">
<figcaption>{esc(figure.caption)}</figcaption>
</figure>
<p class="downloads">Files: <a href="{href(files['svg'])}">vector image (SVG)</a>,
<a href="{href(files['csv'])}">the numbers plotted (CSV)</a>.
Made by the notebook <a href="{href(site_notebook_page(figure.notebook))}">{esc(figure.notebook)}</a>.</p>
{sources_html(figure.sources, sources)}
</article>"""


def sources_html(ids: tuple[str, ...], sources: pd.DataFrame) -> str:
    cited = "\n".join(citation_html(sources.loc[s]) for s in ids)
    listed = f"<ul>\n{cited}\n</ul>" if cited else "<p>No published source: see the notebook.</p>"
    return f"<h4>Sources</h4>\n{listed}"


def table_html(table: Table, frame: pd.DataFrame, sources: pd.DataFrame) -> str:
    ident = anchor("table", table.name)
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in frame.columns)
    rows = "\n".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>"
                     for row in frame.itertuples(index=False))
    return f"""<article id="{ident}" aria-labelledby="{ident}-title">
<h3 id="{ident}-title">{esc(table.title)}</h3>
<p class="downloads">Files: <a href="{href(SITE_FIGURES / table.csv)}">the table (CSV)</a>.
Made by the notebook <a href="{href(site_notebook_page(table.notebook))}">{esc(table.notebook)}</a>.</p>
<div class="table-scroll" role="region" aria-labelledby="{ident}-title" tabindex="0">
<table>
<caption>{esc(table.title)}: {len(frame)} rows</caption>
<thead><tr>{head}</tr></thead>
<tbody>
{rows}
</tbody>
</table>
</div>
{sources_html(table.sources, sources)}
</article>"""


def guide_html(guides: list[GuideNotebook]) -> str:
    items = "\n".join(
        f'<li><a href="{href(site_notebook_page(g.notebook))}">{esc(g.title)}</a> '
        f'<span class="file">({esc(g.notebook)})</span></li>' for g in guides)
    return f"<ol>\n{items}\n</ol>"


STYLE = """
:root { color: #1b1b1b; background: #ffffff; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.55; }
body { margin: 0 auto; max-width: 62rem; padding: 0 1.25rem 3rem; font-size: 1.05rem; }
a { color: #0b4fa3; text-decoration: underline; text-underline-offset: 0.15em; }
a:visited { color: #5a2d91; }
a:focus-visible, .table-scroll:focus-visible { outline: 3px solid #b35900; outline-offset: 2px; }
.skip { position: absolute; left: -999rem; }
.skip:focus { left: 1rem; top: 1rem; background: #ffffff; padding: 0.5rem; }
h1 { font-size: 2rem; margin: 1.5rem 0 0.5rem; }
h2 { font-size: 1.5rem; margin-top: 2.5rem; border-bottom: 2px solid #1b1b1b; }
h3 { font-size: 1.2rem; margin-top: 2rem; }
h4 { font-size: 1rem; margin-bottom: 0.25rem; }
figure { margin: 0; }
img { max-width: 100%; height: auto; border: 1px solid #8a8a8a; background: #ffffff; }
figcaption { font-size: 0.95rem; margin-top: 0.5rem; }
article + article { border-top: 1px solid #c4c4c4; }
.file { color: #4a4a4a; font-size: 0.9rem; }
.table-scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.9rem; width: max-content; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { border: 1px solid #8a8a8a; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; max-width: 24rem; }
th { background: #ececec; }
footer { margin-top: 3rem; font-size: 0.9rem; color: #4a4a4a; }
"""


def index_html(manifest: Manifest, sources: pd.DataFrame, png_sizes: dict[str, tuple[int, int]],
               ledgers: list[tuple[Table, pd.DataFrame]], guides: list[GuideNotebook]) -> str:
    sections = [("figures", "Figures", "\n".join(figure_html(f, sources, png_sizes[f.name])
                                                 for f in manifest.figures) or "<p>No figures yet.</p>")]
    if ledgers:
        sections.append(("tables", "Tables", "\n".join(table_html(t, frame, sources) for t, frame in ledgers)))
    if guides:
        sections.append(("guide", "The guided series, in reading order", guide_html(guides)))
    contents = "\n".join(f'<li><a href="#{ident}">{esc(title)}</a></li>' for ident, title, _ in sections)
    body = "\n".join(f'<section id="{ident}" aria-labelledby="{ident}-heading">\n'
                     f'<h2 id="{ident}-heading">{esc(title)}</h2>\n{content}\n</section>'
                     for ident, title, content in sections)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="likecheck">
<title>likecheck: the figures, the claims ledger and the guide</title>
<style>{STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the figures</a>
<header>
<h1>likecheck</h1>
<p>The 2016 reporting said that most new likes of Cambodian Prime Minister Hun Sen's Facebook page came
from abroad while its engagement (interactions per 1,000 fans) fell. These figures re-check the numbers
the articles published. Each figure links to the numbers it plots, a vector copy, the notebook that made it
and the articles its numbers come from.</p>
<nav aria-label="Contents">
<ul>
{contents}
</ul>
</nav>
</header>
<main id="main">
{body}
</main>
<footer>
<p>Built by <code>make site</code> from <code>figures/manifest.json</code>, <code>data/sources.csv</code>
and the executed notebooks. Every file this page links to is in this folder.</p>
</footer>
</body>
</html>
"""
