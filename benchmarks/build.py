"""`make bench`: the build against plain scripts, and the importers at scale.

Speed goals live here, never in a test. The build is timed from clean (every
notebook, HTML included) into a temporary folder; the baseline is the same
notebooks' code cells run as plain Python scripts one after another.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from likecheck.paths import ROOT
from likecheck.tools import build as figures_build

from . import screening as bench_screening
from .synthetic import synthetic_posts


def notebook_as_script(notebook: Path, output_dir: Path) -> str:
    """The notebook's code cells, with the parameters cell followed by the build's output_dir."""
    import nbformat
    nb = nbformat.read(notebook, as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cells.append(cell.source)
        if "parameters" in cell.metadata.get("tags", []):
            cells.append(f"output_dir = {str(output_dir)!r}")
    return "\n\n".join(cells) + "\n"


def time_scripts(notebooks: list[Path], workdir: Path) -> float:
    workdir.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    for nb in notebooks:
        script = workdir / (nb.stem + ".py")
        script.write_text(notebook_as_script(nb, workdir / nb.stem), encoding="utf-8")
        (workdir / nb.stem).mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(script)], cwd=nb.parent, check=True,
                       stdout=subprocess.DEVNULL, env={**os.environ, "MPLBACKEND": "Agg"})
    return time.perf_counter() - began


def time_build(notebooks: list[Path], workdir: Path, workers: int = 2) -> float:
    began = time.perf_counter()
    figures_build.build(force=True, figures_dir=workdir / "figures", build_dir=workdir / "build",
                 notebooks=notebooks, workers=workers, log=lambda m: None)
    return time.perf_counter() - began


def bench_build(repeats: int = 1) -> dict:
    notebooks = figures_build.all_notebooks()
    results = {"notebooks": len(notebooks)}
    with tempfile.TemporaryDirectory(prefix="likecheck-bench-") as tmp:
        tmp = Path(tmp)
        time_scripts(notebooks[:1], tmp / "warm")  # warm the file cache for both sides
        scripts = min(time_scripts(notebooks, tmp / f"scripts{i}") for i in range(repeats))
        build = min(time_build(notebooks, tmp / f"build{i}") for i in range(repeats))
    results.update(scripts_s=round(scripts, 2), build_s=round(build, 2), ratio=round(build / scripts, 3),
                   goal="ratio <= 1.5 (aim 1.0)")
    return results


def bench_weekly(n_posts: int = 20_000_000) -> dict:
    from likecheck.metrics import weekly_engagement_from_posts
    posts = synthetic_posts(n_posts, n_pages=1000, days=5 * 365)
    began = time.perf_counter()
    weekly = weekly_engagement_from_posts(posts, "2016-01-04", "2020-12-27")
    return {"posts": n_posts, "pages": int(posts["page"].nunique()), "page_weeks": len(weekly),
            "seconds": round(time.perf_counter() - began, 2)}


def run(posts: int, weekly_posts: int, skip_imports: bool = False) -> int:
    """Print the three measurements: build against scripts, imports at scale, weekly aggregation."""
    build = bench_build()
    print(f"build: {build['notebooks']} notebooks; plain scripts one after another {build['scripts_s']:.1f} s; "
          f"papermill build (parallel, HTML included) {build['build_s']:.1f} s; ratio {build['ratio']:.2f} (goal <= 1.5)")
    if not skip_imports:
        from .imports import bench_imports
        with tempfile.TemporaryDirectory(prefix="likecheck-bench-", dir=ROOT / "build" if (ROOT / "build").is_dir() else None) as tmp:
            result = bench_imports(n_posts=posts, workdir=Path(tmp), repeats=5)  # short reads: best of 5
        print("imports (SYNTHETIC CrowdTangle export): " + json.dumps(result, default=str))
        print(f"  import / pyarrow.csv.read_csv: {result['import_ratio']:.2f} (goal <= 1.3); "
              f"cached reload / pyarrow.parquet.read_table: {result['cached_ratio']:.2f} (goal <= 1.2); "
              f"memory added / Arrow table: {result['import_memory_ratio']:.2f} (goal about 2)")
    weekly = bench_weekly(weekly_posts)
    print(f"weekly engagement over {weekly['posts']:,} SYNTHETIC posts of {weekly['pages']} pages "
          f"({weekly['page_weeks']:,} page-weeks): {weekly['seconds']:.1f} s")
    bench_screening.report(weekly_posts)  # screening at scale (issue 11), sized by --weekly-posts
    return 0
