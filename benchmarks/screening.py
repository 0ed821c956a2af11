"""Screening at scale (issue 11): SYNTHETIC fan counts and posts, timed and measured.

Goals: screening the fan counts of 1,000 pages x 2 years x 45 countries
(about 33 million page-day-country rows) within 10 s, and the posts-only
signals over 20 million posts within 10 s, each adding less than 3 times the
input table's memory. Both tables are made here, seeded and in memory (every
page is named "SYNTHETIC page NNNN": never data about a real page), in the
dtypes the importers give (page and country as categories, counts as Int64).

Memory: the peak resident memory while screening minus the resident memory
before it (Linux: the peak is reset through /proc/self/clear_refs first),
against the table's own bytes (DataFrame.memory_usage(deep=True)).

`make bench` calls `report(weekly_posts)`: the sizes follow its
--weekly-posts (20 million: 1,000 pages and 20 million posts; a tenth of it:
a tenth of both). Alone:
    .venv/bin/python -m likecheck.tools.bench_screening --pages 100 --posts 2000000
"""

from __future__ import annotations

import argparse
import re
import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ..schemas import COUNTRY_CODES, REST_OF_WORLD

SYNTHETIC = "SYNTHETIC"
GOAL_SECONDS = 10.0
GOAL_MEMORY_RATIO = 3.0
FULL_PAGES, FULL_POSTS, DAYS, COUNTRIES = 1_000, 20_000_000, 731, 45
_STATUS = Path("/proc/self/status")


def page_names(n_pages: int) -> list[str]:
    return [f"{SYNTHETIC} page {i:04d}" for i in range(n_pages)]


def synthetic_fan_counts(n_pages: int = FULL_PAGES, days: int = DAYS, n_countries: int = COUNTRIES,
                         seed: int = 0) -> pd.DataFrame:
    """Lifetime fans by page, day and country: a home country, 43 others and ZZ, each page its own size
    and mix, Poisson daily growth with a weekly rhythm (and no purchases: the bench times, tests judge)."""
    rng = np.random.default_rng(seed)
    others = sorted(COUNTRY_CODES - {"KH", REST_OF_WORLD})[: n_countries - 2]
    countries = ["KH", *others, REST_OF_WORLD]
    mix = rng.dirichlet(np.r_[20.0, np.full(n_countries - 2, 0.3), 5.0], size=n_pages)     # page x country
    daily = rng.lognormal(np.log(2_000), 1.0, size=n_pages)                                 # new fans a day
    rhythm = 1 + 0.2 * np.sin(2 * np.pi * np.arange(days) / 7)
    rate = daily[:, None, None] * mix[:, :, None] * rhythm[None, None, :]                   # page x country x day
    new = rng.poisson(rate)
    fans = np.cumsum(new, axis=2, out=new) + (daily[:, None] * 300 * mix).astype(np.int64)[:, :, None]
    n_rows = n_pages * n_countries * days
    page = np.repeat(np.arange(n_pages, dtype=np.int16), n_countries * days)
    country = np.tile(np.repeat(np.arange(n_countries, dtype=np.int8), days), n_pages)
    day = np.tile(np.arange(days), n_pages * n_countries)
    return pd.DataFrame({
        "page": pd.Categorical.from_codes(page, page_names(n_pages)),
        "date": (np.datetime64("2016-01-01", "ns") + day.astype("timedelta64[D]")).astype("datetime64[ns]"),
        "country": pd.Categorical.from_codes(country, countries),
        "fans": pd.arrays.IntegerArray(fans.reshape(n_rows), np.zeros(n_rows, dtype=bool))})


def synthetic_posts(n_posts: int = FULL_POSTS, n_pages: int = FULL_PAGES, days: int = DAYS,
                    seed: int = 0) -> pd.DataFrame:
    """Posts of `n_pages` pages over `days` days (UTC times), fans at posting growing steadily per page."""
    rng = np.random.default_rng(seed)
    page = rng.integers(0, n_pages, n_posts).astype(np.int16)
    seconds = rng.integers(0, days * 86_400, n_posts)
    start = rng.lognormal(np.log(500_000), 1.0, n_pages)
    growth = rng.lognormal(np.log(2_000), 1.0, n_pages) / 86_400
    fans = (start[page] + growth[page] * seconds).astype(np.int64) + 1
    interactions = rng.poisson(fans / 1_000 * 10)
    return pd.DataFrame({
        "page": pd.Categorical.from_codes(page, page_names(n_pages)),
        "post_id": pd.array(np.arange(n_posts).astype(str), dtype="string[pyarrow]"),
        "posted_at": pd.to_datetime(np.datetime64("2016-01-01T00:00:00", "s") + seconds.astype("timedelta64[s]"))
        .tz_localize("UTC").astype("datetime64[ns, UTC]"),
        "interactions": pd.arrays.IntegerArray(interactions, np.zeros(n_posts, dtype=bool)),
        "fans_at_posting": pd.arrays.IntegerArray(fans, np.zeros(n_posts, dtype=bool))})


def _resident(field: str) -> int | None:
    try:
        found = re.search(rf"{field}:\s+(\d+) kB", _STATUS.read_text())
    except OSError:
        return None
    return int(found.group(1)) * 1024 if found else None


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measured(call) -> tuple[float, float, int | None]:
    """(wall seconds, CPU seconds, peak resident bytes added) of `call()`; the memory is None where
    Linux's counters are absent. CPU time (user + system) is steadier than wall time on a shared machine."""
    try:
        Path("/proc/self/clear_refs").write_text("5")   # resets the peak (VmHWM) to the current size
    except OSError:
        pass
    before = _resident("VmRSS")
    began, cpu = time.perf_counter(), cpu_seconds()
    call()
    seconds, cpu = time.perf_counter() - began, cpu_seconds() - cpu
    peak = _resident("VmHWM")
    return seconds, cpu, (peak - before if peak is not None and before is not None else None)


def bench_screening(pages: int = FULL_PAGES, posts: int = FULL_POSTS) -> dict:
    from .. import screening
    results = {}
    for kind, make, run in (
            ("fan_counts", lambda: synthetic_fan_counts(pages), lambda table: screening.screen(table, None)),
            ("posts", lambda: synthetic_posts(posts, pages), lambda table: screening.screen(None, table))):
        table = make()
        table_bytes = int(table.memory_usage(deep=True).sum())
        seconds, cpu, added = measured(lambda: run(table))
        results[kind] = {"rows": len(table), "pages": pages, "seconds": round(seconds, 2),
                         "cpu_seconds": round(cpu, 2),
                         "table_bytes": table_bytes, "added_bytes": added,
                         "time_ratio": round(seconds / GOAL_SECONDS, 2),
                         "memory_ratio": None if added is None else round(added / table_bytes, 2)}
        del table
    return results


def report(weekly_posts: int = FULL_POSTS) -> None:
    """Print the screening bench at the size `make bench` was given (see the module docstring)."""
    pages = max(1, round(FULL_PAGES * weekly_posts / FULL_POSTS))
    for kind, r in bench_screening(pages, weekly_posts).items():
        what = (f"{r['rows']:,} SYNTHETIC page-day-country rows ({r['pages']:,} pages x {DAYS} days x "
                f"{COUNTRIES} countries)" if kind == "fan_counts" else f"{r['rows']:,} SYNTHETIC posts "
                f"of {r['pages']:,} pages (posts only)")
        memory = "not measured (no /proc)" if r["memory_ratio"] is None else \
            f"{r['added_bytes'] / 2**20:,.0f} MiB added = {r['memory_ratio']:.2f} x the table (goal < {GOAL_MEMORY_RATIO:g})"
        print(f"screening {what}: {r['seconds']:.1f} s = {r['time_ratio']:.2f} x the goal of "
              f"{GOAL_SECONDS:g} s (CPU {r['cpu_seconds']:.1f} s); {memory}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=FULL_PAGES)
    parser.add_argument("--posts", type=int, default=FULL_POSTS)
    args = parser.parse_args()
    for name, result in bench_screening(args.pages, args.posts).items():
        print(name, result)
