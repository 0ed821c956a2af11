"""`make rerun`: the like-origin and engagement notebooks on other dates and on your own exports.

Everything goes into OUT (default: a folder under runs/ named from the
parameters), never into figures/. OUT is written whole or not at all: the
notebooks run into `OUT.partial`, renamed to OUT only when every notebook
succeeded. Bad input is found before anything is written: the export is
imported and the window checked here first, so its one-line error comes
straight from the importer.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .. import evidence, published
from ..errors import ParameterError
from ..paths import FIGURES, NOTEBOOKS, ROOT
from ..outputs import atomic_write_bytes, write_csv

#: Each rerunnable notebook and the table it cannot do without.
LIKE_ORIGIN, ENGAGEMENT = NOTEBOOKS / "01_like_origin.ipynb", NOTEBOOKS / "02_engagement.ipynb"


def safe_name(text: str) -> str:
    """A folder name from the parameters: letters, digits, '-', '_' and '.' only."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "run"


def default_out(start, end, page: str, data: str | None) -> Path:
    origin = Path(data).stem if data else "published"
    return ROOT / "runs" / safe_name(f"{start:%Y-%m-%d}_to_{end:%Y-%m-%d}_{page}_{origin}")


def resolve_page(ev: evidence.Evidence, page: str | None) -> str:
    """The page to analyse: as given; from an export of one page, that page."""
    if not ev.is_export:
        return page or "hun_sen"
    from ..metrics import pages_in
    pages = sorted({p for table in (ev.imported.fan_counts, ev.imported.posts) if table is not None
                    for p in pages_in(table)})
    if page:
        wanted = page.strip().casefold()  # a label, or an id or user name the import knows
        matches = [p for p in pages if wanted in {p.casefold()} | {a.casefold() for a, name in
                                                                  ev.imported.aliases.items() if name == p}]
        if not matches:
            raise ParameterError(f"PAGE={page!r} is not in the export (pages: {', '.join(pages)})")
        return matches[0]
    if len(pages) != 1:
        raise ParameterError(f"the export holds several pages ({', '.join(pages)}); choose one with PAGE=")
    return pages[0]


def plan(ev: evidence.Evidence, start, end, page: str, log=print) -> list[Path]:
    """The notebooks the data can feed, each checked on the window now; none is a ParameterError."""
    chosen = []
    if not ev.is_export:
        obs = ev.record.observations
        inside = published.in_window(obs, start, end)  # names the range held when empty
        for notebook, metric in ((LIKE_ORIGIN, "new_fans"), (ENGAGEMENT, "interactions_per_1000_fans")):
            if not published.select(inside, metric=metric, page=page).empty:
                chosen.append(notebook)
        if not chosen:
            raise ParameterError(f"no published new-fan counts or weekly engagement for page {page!r} "
                                 f"within {start:%Y-%m-%d} to {end:%Y-%m-%d}")
        return chosen
    if ev.imported.fan_counts is not None:
        evidence.new_fans_by_origin(ev, start, end, page)   # raises, naming the days the data hold
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


def rerun(start: str, end: str, *, page: str | None = None, data: str | None = None,
          data_format: str | None = None, out: Path | None = None, log=print) -> Path:
    from . import runner
    first, last = published.parse_window(start, end)
    data_path = str(Path(data).resolve()) if data else ""
    if data and not Path(data).exists():
        raise ParameterError(f"DATA={data}: no such file or folder")
    ev = evidence.open_evidence(data_path, data_format or "", page or "")
    for path, why in ev.imported.skipped if ev.is_export else ():
        log(f"skipped {path.name}: {why}")
    page = resolve_page(ev, page)
    notebooks = plan(ev, first, last, page, log)
    out = Path(out) if out else default_out(first, last, page, data)
    if out.resolve() == FIGURES.resolve() or FIGURES.resolve() in out.resolve().parents:
        raise ParameterError(f"OUT={out}: a rerun never writes into figures/")
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    params = {"start": f"{first:%Y-%m-%d}", "end": f"{last:%Y-%m-%d}", "page": page,
              "data": data_path, "data_format": data_format or ""}
    jobs = [runner.Job(nb, partial / "figures", partial / "notebooks" / nb.name,
                       partial / "html" / nb.name.replace(".ipynb", ".html"), params) for nb in notebooks]
    try:
        if ev.is_export:  # what was imported, as tidy tables (post text neutralised by write_csv)
            atomic_write_bytes(partial / "import_report.md", evidence.import_report(ev).encode())
            for name in ("fan_counts", "posts"):
                table = getattr(ev.imported, name)
                if table is not None:
                    write_csv(table, partial / "data" / f"{name}.csv")
        runner.run_jobs(jobs, log=log)
        for meta in (partial / "figures").glob("*.meta.json"):
            meta.unlink()
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if out.exists():
        shutil.rmtree(out)
    partial.rename(out)
    log(f"rerun written to {out}")
    return out
