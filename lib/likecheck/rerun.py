"""`make rerun`: the published-figure notebooks on other dates, into runs/, never figures/.

The output folder is written whole or not at all: the notebooks run into
`OUT.partial`, which is renamed to OUT only when every notebook succeeded.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from . import load, published, runner
from .errors import ParameterError
from .paths import FIGURES, NOTEBOOKS, ROOT

#: Each rerunnable notebook and the metric it cannot do without.
RERUNNABLE = {"01_like_origin.ipynb": "new_fans", "02_engagement.ipynb": "interactions_per_1000_fans"}


def safe_name(text: str) -> str:
    """A folder name from the parameters: letters, digits, '-', '_' and '.' only."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "run"


def default_out(start, end, page: str) -> Path:
    return ROOT / "runs" / safe_name(f"{start:%Y-%m-%d}_to_{end:%Y-%m-%d}_{page}_published")


def plan(start: str, end: str, page: str = "hun_sen") -> list[Path]:
    """The notebooks that have published observations in the window; none is a ParameterError."""
    first, last = published.parse_window(start, end)
    obs = load.load_observations()
    inside = published.in_window(obs, first, last)  # names the range held when empty
    chosen = [NOTEBOOKS / nb for nb, metric in RERUNNABLE.items()
              if not published.select(inside, metric=metric, page=page).empty]
    if not chosen:
        raise ParameterError(f"no published new-fan counts or weekly engagement for page {page!r} "
                             f"within {first:%Y-%m-%d} to {last:%Y-%m-%d}")
    return chosen


def rerun(start: str, end: str, *, page: str = "hun_sen", data: str | None = None,
          out: Path | None = None, log=print) -> Path:
    if data:
        raise ParameterError(f"DATA={data}: reruns on your own exports are not wired to the notebooks yet; "
                             "rerun without DATA uses the published snapshot")
    notebooks = plan(start, end, page)
    first, last = published.parse_window(start, end)
    out = Path(out) if out else default_out(first, last, page)
    if out.resolve() == FIGURES.resolve() or FIGURES.resolve() in out.resolve().parents:
        raise ParameterError(f"OUT={out}: a rerun never writes into figures/")
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    params = {"start": f"{first:%Y-%m-%d}", "end": f"{last:%Y-%m-%d}", "page": page}
    jobs = [runner.Job(nb, partial / "figures", partial / "notebooks" / nb.name,
                       partial / "html" / nb.name.replace(".ipynb", ".html"), params) for nb in notebooks]
    try:
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
