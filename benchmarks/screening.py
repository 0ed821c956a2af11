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
    .venv/bin/python -m benchmarks.screening --pages 100 --posts 2000000
"""

from __future__ import annotations

import argparse

from .measure import measured
from .synthetic import COUNTRIES, DAYS, FULL_PAGES, FULL_POSTS, synthetic_fan_counts, synthetic_posts

GOAL_SECONDS = 10.0
GOAL_MEMORY_RATIO = 3.0


def bench_screening(pages: int = FULL_PAGES, posts: int = FULL_POSTS) -> dict:
    from likecheck import screening
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
