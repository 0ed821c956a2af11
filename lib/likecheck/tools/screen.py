"""`make screen`: the screening notebook (05_screening.ipynb) over the whole span of an export.

OUT (default: a folder under runs/ named from the data and page plus a short
hash of them) gets:

* screening.csv: one row per signal, page and period (`screening.COLUMNS`);
* figures/: each flagged period on its daily series with the baseline band,
  and the country mix of its new fans against the mix of all fans;
* data/: what was imported, as tidy tables (the import report reruns have);
* notebooks/ and html/: the executed notebook, to read every step.

OUT is protected exactly as reruns are (`tools.outdir`): an existing folder
is replaced only when a run made it, everything is written into a staging
folder renamed to OUT only when the notebook succeeded, and a second run
into the same OUT is refused. Bad input is found before anything is
written: the export is imported here, once, and saved into OUT/data/, which
the notebook reads (it never imports the export again); what the screen
needs (a table, a grid that fits in memory) is checked before OUT is made, and
the screen runs once, in the notebook. Without DATA the notebook screens its
SIMULATED demonstration.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ParameterError, display_path
from ..escape import one_line
from ..paths import NOTEBOOKS
from . import outdir
from .rerun import RUNS, data_path, write_imported

if TYPE_CHECKING:
    from .. import evidence

SCREENING = NOTEBOOKS / "05_screening.ipynb"
RESULT = "screening.csv"


def default_out(page: str, data: Path | None, data_format: str, files) -> Path:
    """runs/screen_<data>_<page>-<hash>: the hash tells apart exports and pages with the same readable name."""
    origin = data.stem if data else "simulated"
    identity = f"{data_format}\n{outdir.data_identity(files)}" if data else "simulation"
    return RUNS / outdir.default_out_name("screen", origin, page or "all-pages", identity=identity)


def check_export(ev: evidence.Evidence, home_country: str = "") -> None:
    """What the screen needs, checked before OUT is made: a table to screen, not too large for the grid,
    and HOME_COUNTRY among its countries. The screen itself runs once, in the notebook, on the saved import."""
    from .. import screening
    fan_counts, posts = ev.imported.fan_counts, ev.imported.posts
    if fan_counts is None and posts is None:
        raise ParameterError(f"{ev.data}: the export holds neither fan counts nor posts")
    if fan_counts is not None and len(fan_counts):
        screening.check_grid_size(fan_counts)
        listed = set(fan_counts["country"].astype(str))
        if home_country and home_country not in listed:
            raise ParameterError(f"HOME_COUNTRY={home_country}: no fan counts from it in the export "
                                 f"(countries: {', '.join(sorted(listed))})")


def screen(*, data: str | None = None, page: str | None = None, data_format: str | None = None,
           out: str | Path | None = None, cwd: Path | None = None, log=print, zone: str | None = None,
           home_country: str | None = None) -> Path:
    cwd = Path(cwd) if cwd else Path.cwd()
    # DATA and OUT are checked before pandas is imported (as in rerun.rerun).
    source = data_path(data, cwd) if data else None
    inputs = [source] if source else []
    if out:
        outdir.resolve_out(out, default=RUNS, inputs=inputs, cwd=cwd)
    if not source and (page or data_format or zone or home_country):
        raise ParameterError("PAGE, FORMAT, ZONE and HOME_COUNTRY choose from an export: give DATA too")
    if home_country:
        from ..labels import country_code
        home_country = country_code(home_country)  # the notebook's origin_shift_home, as the rerun's home
    from .. import evidence
    from . import runner
    ev = evidence.open_evidence(str(source or ""), data_format or "", page or "", zone or "")
    if ev.is_export:
        check_export(ev, home_country or "")
    files = ev.imported.files if ev.is_export else ()
    target = outdir.resolve_out(out, default=default_out(page or "", source, data_format or "", files),
                                inputs=inputs, cwd=cwd)
    params = {"data": str(source or ""), "data_format": data_format or "", "page": page or "", "zone": zone or ""}
    with outdir.staged_output(target, tool="likecheck screen", params=params, log=log) as staging:
        shown = {**params, "data": write_imported(ev, staging), "data_format": "", "zone": "",  # imported once
                 "home_country": home_country or ""}
        job = runner.Job(SCREENING, staging / "figures", staging / "notebooks" / SCREENING.name,
                         staging / "html" / SCREENING.name.replace(".ipynb", ".html"), shown, root=staging)
        runner.run_jobs([job], log=log)
        (staging / "figures" / RESULT).rename(staging / RESULT)
        from ..outputs import atomic_write_bytes
        from .run_readme import screen_readme
        readme = screen_readme(staging, ev, {**params, "home_country": home_country or ""})
        atomic_write_bytes(staging / "README.md", readme.encode("utf-8"))
        for meta in (staging / "figures").glob("*.meta.json"):
            meta.unlink()
    log(f"screen written to {one_line(display_path(target, cwd))}")
    return target
