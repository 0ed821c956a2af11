"""One step of the scale bench, in a process of its own: `python -m benchmarks.import_step STEP PATH REPEATS`.

`benchmarks.imports` runs each step in a fresh Python so that its peak memory
(ru_maxrss) is its own. Every step first reads and converts a tiny table, so
no step is timed loading modules or starting threads. Prints one JSON line:
the best and first run's wall and CPU seconds, rows read, and peak memory.
"""

from __future__ import annotations

import io
import json
import sys
import time

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from likecheck import metrics
from likecheck.importers import import_exports

from .measure import cpu_seconds, peak_rss_bytes

STEPS = ("arrow_read_csv", "arrow_read_parquet", "import", "weekly_engagement")


def warm_up() -> None:
    """The same in every step: one-time module loading and thread start-up are not timed."""
    buffer = io.BytesIO()
    pq.write_table(pa.table({"n": pa.array([1]), "s": pa.array(["x"]).dictionary_encode()}), buffer)
    pq.read_table(io.BytesIO(buffer.getvalue())).to_pandas()


def run_once(step: str, path: str, posts) -> dict:
    """Do the step once; what it read."""
    if step == "arrow_read_csv":
        table = pcsv.read_csv(path, parse_options=pcsv.ParseOptions(newlines_in_values=True))
        return {"rows": table.num_rows, "table_bytes": table.nbytes}
    if step == "arrow_read_parquet":
        table = pq.read_table(path)
        return {"rows": table.num_rows, "table_bytes": table.nbytes}
    if step == "import":
        return {"rows": len(import_exports(path).posts)}
    return {"rows": len(posts), "weeks": len(metrics.weekly_engagement_from_posts(posts, "2016-01-04", "2016-12-25"))}


def measure(step: str, path: str, repeats: int) -> dict:
    if step not in STEPS:
        raise SystemExit(f"unknown bench step {step!r} (one of {', '.join(STEPS)})")
    warm_up()
    out = {"rss_before_bytes": peak_rss_bytes(), "runs": []}
    # the weekly step reads its posts from the importer's cache first, untimed
    posts = import_exports(path).posts if step == "weekly_engagement" else None
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), cpu_seconds()
        out.update(run_once(step, path, posts))
        out["runs"].append((time.perf_counter() - wall, cpu_seconds() - cpu))
    out.update(seconds=min(r[0] for r in out["runs"]), cpu_seconds=min(r[1] for r in out["runs"]),
               first_seconds=out["runs"][0][0], peak_rss_bytes=peak_rss_bytes())
    return out


if __name__ == "__main__":
    step_name, file_path, repeat_count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print(json.dumps(measure(step_name, file_path, repeat_count)))
