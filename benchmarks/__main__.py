"""python -m benchmarks [--posts N] [--weekly-posts N] [--skip-imports]: what `make bench` runs."""

from __future__ import annotations

import argparse
import sys

from .build import run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    # 5 million posts make a 2.2 GB CSV; the baseline (pyarrow.csv.read_csv of all
    # columns) of 20 million would need about 19 GB of the machine's 24.
    parser.add_argument("--posts", type=int, default=5_000_000, help="posts in the synthetic CrowdTangle export")
    parser.add_argument("--weekly-posts", type=int, default=20_000_000, help="posts for the weekly aggregation")
    parser.add_argument("--skip-imports", action="store_true", help="time the build and the aggregation only")
    parser.add_argument("--build-only", action="store_true", help="time the build against the scripts only")
    args = parser.parse_args(argv)
    return run(args.posts, args.weekly_posts, args.skip_imports, args.build_only)


if __name__ == "__main__":
    sys.exit(main())
