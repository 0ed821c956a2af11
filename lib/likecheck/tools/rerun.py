"""`make rerun`: the like-origin and engagement notebooks on other dates and on your own exports.

Everything goes into OUT (default: a folder under runs/ named from the
parameters plus a short hash of them and of the data), never into figures/.
OUT is protected by `tools.outdir`: an existing folder is replaced only when a
run made it, the notebooks run into a staging folder renamed to OUT only when
every notebook succeeded, and a second run into the same OUT is refused. Bad
input is found before anything is written: the export is imported and the
window checked here first, so its one-line error comes straight from the
importer. Relative DATA and OUT are relative to `cwd`, where the user typed
the command (the repository root for `make rerun`).
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import TYPE_CHECKING

from ..dates import parse_day, parse_iso_window
from ..errors import ParameterError, display_path
from ..escape import one_line
from ..paths import NOTEBOOKS
from . import outdir

if TYPE_CHECKING:
    from .. import evidence

#: Each rerunnable notebook and the table it cannot do without.
LIKE_ORIGIN, ENGAGEMENT = NOTEBOOKS / "01_like_origin.ipynb", NOTEBOOKS / "02_engagement.ipynb"
RUNS = outdir.RUNS


def data_path(data: str, cwd: Path) -> Path:
    """DATA as the user meant it (relative to cwd), resolved; a regular file or a folder, else one line."""
    label = f"DATA={data}" if data.isprintable() else f"DATA={data!r}"  # one line, whatever was typed
    if "\0" in data:
        raise ParameterError(f"{label}: a file name cannot hold a NUL character")
    try:
        resolved = (Path(cwd) / data).resolve(strict=True)
    except FileNotFoundError:
        raise ParameterError(f"{label}: no such file or folder") from None
    except (RuntimeError, OSError) as err:  # ELOOP: a symbolic link that leads back to itself
        raise ParameterError(f"{label}: cannot be read ({' '.join(str(err).split())})") from None
    mode = resolved.stat().st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        raise ParameterError(f"{label}: is {kind}, not an export file or folder")
    return resolved


def default_out(first, last, page: str, data: Path | None, data_format: str, files, zone: str = "") -> Path:
    """runs/rerun_<start>_to_<end>_<page>_<data>-<hash>: the hash tells apart pages with no ASCII letters."""
    origin = data.stem if data else "published"
    identity = f"{data_format}\n{outdir.data_identity(files)}" if data else "published record"
    identity += f"\nzone {zone}" if zone else ""  # ZONE changes the times read, so the results
    return RUNS / outdir.default_out_name("rerun", f"{first:%Y-%m-%d}_to_{last:%Y-%m-%d}", page, origin,
                                          identity=identity)


def resolve_page(ev: evidence.Evidence, page: str | None) -> str:
    """The page to analyse: as given; from an export of one page, that page."""
    if not ev.is_export:
        return page or "hun_sen"
    from ..pages import matching_pages
    from ..metrics import pages_in  # pandas: this module is imported before START, END, DATA, OUT are checked
    pages = sorted({p for table in (ev.imported.fan_counts, ev.imported.posts) if table is not None
                    for p in pages_in(table)})
    if page:
        matches = matching_pages(page, pages, ev.imported.aliases)  # a label, or an id or user name the import knows
        if not matches:
            raise ParameterError(f"PAGE={page!r} is not in the export (pages: {', '.join(pages)})")
        return matches[0]
    if len(pages) != 1:
        raise ParameterError(f"the export holds several pages ({', '.join(pages)}); choose one with PAGE=")
    return pages[0]


def plan(ev: evidence.Evidence, start, end, page: str, log=print, home_country: str = "", top: int = 7) -> list[Path]:
    """The notebooks the data can feed, each checked on the window now; none is a ParameterError."""
    from .. import evidence, published
    chosen = []
    if not ev.is_export:
        obs = ev.record.observations
        inside = published.in_window(obs, start, end)  # names the range held when empty
        for notebook, metric in ((LIKE_ORIGIN, "new_fans"), (ENGAGEMENT, "interactions_per_1000_fans")):
            if not published.select(inside, metric=metric, page=page).empty:
                chosen.append(notebook)
        evidence.home_country(ev, start, page, home_country)  # the published record's home is Cambodia
        if not chosen:
            raise ParameterError(f"no published new-fan counts or weekly engagement for page {page!r} "
                                 f"within {start:%Y-%m-%d} to {end:%Y-%m-%d}")
        return chosen
    if ev.imported.fan_counts is not None:
        evidence.new_fans_by_origin(ev, start, end, page, home_country, top)  # raises, naming the days held
        chosen.append(LIKE_ORIGIN)
    if ev.imported.posts is not None:
        try:
            evidence.weekly_engagement_table(ev, start, end, page)  # raises, naming the days the data hold
            chosen.append(ENGAGEMENT)
        except ParameterError as err:
            if not chosen:
                raise
            log(f"engagement not drawn: {err}")  # the like-origin figures still are
    return chosen


#: Where a run saves its import, in the run's folder; the notebooks, which run in its notebooks/,
#: get it as `data = "../data"`.
IMPORTED = "data"


def write_imported(ev: evidence.Evidence, folder: Path) -> str:
    """What was imported, into a run's folder, once: `import_report.md` (files, formats, eras, SHA-256,
    pages, days, gaps, posts left out and why) and `data/` with the tidy tables as CSV (post text
    neutralised against spreadsheet formulas by write_csv) and the saved import the notebooks read
    (importers/saved.py). Returns the notebooks' `data` parameter: `../data`, relative to the run's
    notebooks/, or "" for the published record."""
    from .. import evidence
    from ..importers import write_saved
    from ..outputs import atomic_write_bytes, write_csv
    if not ev.is_export:
        return ""
    atomic_write_bytes(folder / "import_report.md", evidence.import_report(ev).encode("utf-8"))
    for name in ("fan_counts", "posts"):
        table = getattr(ev.imported, name)
        if table is not None:
            write_csv(table, folder / IMPORTED / f"{name}.csv")
    write_saved(ev.imported, folder / IMPORTED, source=Path(ev.data).name)
    return f"../{IMPORTED}"


#: TOP is at most this: a figure of more rows than this is no longer read.
MAX_TOP = 45


def top_count(top) -> int:
    """TOP as a whole number 0..MAX_TOP (default 7), else a one-line ParameterError."""
    if top is None or str(top).strip() == "":
        return 7
    text = str(top).strip()
    if not text.isdigit() or not int(text) <= MAX_TOP:
        shown = text if text.isprintable() else repr(text)
        raise ParameterError(f"TOP={shown}: give a whole number from 0 to {MAX_TOP} (countries drawn beside home)")
    return int(text)


def write_readme(ev: evidence.Evidence, folder: Path, params: dict, home_country: str, top: int) -> None:
    """README.md (what was run, the headline numbers, what to open first, the caveats); for the published
    record also its import report (the sources used, the periods the window holds, cuts and misses)."""
    from .. import evidence
    from ..outputs import atomic_write_bytes
    from . import run_readme
    home = (evidence.home_country(ev, params["start"], params["page"], home_country)
            if not ev.is_export or ev.imported.fan_counts is not None else ("", "the export holds no fan counts by country"))
    if not ev.is_export:
        report = run_readme.published_report(ev, *(parse_day(params[k], k) for k in ("start", "end")), params["page"])
        atomic_write_bytes(folder / "import_report.md", report.encode("utf-8"))
    text = run_readme.run_readme(folder, ev, params, home, top)
    atomic_write_bytes(folder / "README.md", text.encode("utf-8"))


def rerun(start: str, end: str, *, page: str | None = None, data: str | None = None,
          data_format: str | None = None, out: str | Path | None = None, cwd: Path | None = None,
          log=print, zone: str | None = None, home_country: str | None = None, top=None) -> Path:
    cwd = Path(cwd) if cwd else Path.cwd()
    # What a user types is checked first, before pandas is imported (about a second here):
    # a typo in START, END, DATA or OUT is answered at once, and before a large export is read.
    parse_iso_window(start, end)
    top = top_count(top)
    if home_country:
        from ..labels import country_code
        country_code(home_country)
    source = data_path(data, cwd) if data else None
    if zone and not source:
        raise ParameterError("ZONE reads the times of an export: give DATA too")
    inputs = [source] if source else []
    if out:
        outdir.resolve_out(out, default=RUNS, inputs=inputs, cwd=cwd)
    from .. import evidence
    from ..dates import parse_window
    from . import runner
    first, last = parse_window(start, end)
    ev = evidence.open_evidence(str(source or ""), data_format or "", page or "", zone or "")
    for path, why in ev.imported.skipped if ev.is_export else ():
        log(f"skipped {one_line(path.name)}: {one_line(why)}")  # a file name may hold a line break
    page = resolve_page(ev, page)
    notebooks = plan(ev, first, last, page, log, home_country or "", top)
    files = ev.imported.files if ev.is_export else ()
    target = outdir.resolve_out(out, default=default_out(first, last, page, source, data_format or "", files,
                                                         zone or ""),
                                inputs=inputs, cwd=cwd)
    params = {"start": f"{first:%Y-%m-%d}", "end": f"{last:%Y-%m-%d}", "page": page,
              "data": str(source or ""), "data_format": data_format or "", "zone": zone or ""}
    with outdir.staged_output(target, tool="likecheck rerun", params=params, log=log) as staging:
        # imported once, here: the notebooks read the saved import (data/), never the export again
        shown = {**params, "data": write_imported(ev, staging), "data_format": "", "zone": ""}
        origins = {"home_country": home_country or "", "top": top}  # the like-origin notebook's own parameters
        jobs = [runner.Job(nb, staging / "figures", staging / "notebooks" / nb.name,
                           staging / "html" / nb.name.replace(".ipynb", ".html"),
                           {**shown, **origins} if nb == LIKE_ORIGIN else shown, root=staging)
                for nb in notebooks]
        runner.run_jobs(jobs, log=log)
        for meta in (staging / "figures").glob("*.meta.json"):
            meta.unlink()
        write_readme(ev, staging, params, home_country or "", top)
    log(f"rerun written to {one_line(display_path(target, cwd))}")
    return target
