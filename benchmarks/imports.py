"""The importers at scale: a SYNTHETIC CrowdTangle export of any size, and a benchmark.

A fact-checker may bring ~20 million CrowdTangle posts (several GB of CSV).
`make_synthetic_crowdtangle` writes such a file, seeded, every page named
"SYNTHETIC page NN" (never data about a real page; refused under data/ and
figures/). `bench_imports` times the importer against pyarrow reading the
same file, the cached reload against pyarrow reading the cache, and
`metrics.weekly_engagement_from_posts` over all posts, and measures peak memory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from likecheck.errors import ParameterError
from likecheck.importers.crowdtangle import EXPORT_COLUMNS
from likecheck.paths import BUILD, DATA, FIGURES, ROOT

SYNTHETIC = "SYNTHETIC"
CHUNK_ROWS = 500_000
YEAR = 2016
_SECONDS_IN_YEAR = 366 * 86400  # 2016 is a leap year
#: Shares of the interactions by kind, for Likes ... Care (sums to 1).
_REACTION_SHARES = {"Likes": 0.70, "Comments": 0.09, "Shares": 0.08, "Love": 0.06, "Wow": 0.015,
                    "Haha": 0.02, "Sad": 0.01, "Angry": 0.01, "Care": 0.015}
_MESSAGES = [
    None, "SYNTHETIC post: a short one.", "SYNTHETIC post, with commas, and \"quotes\".",
    "SYNTHETIC post over\ntwo lines", "SYNTHETIC សួស្តី កម្ពុជា (Khmer text)",
    "=SUM(1,2) SYNTHETIC formula-like text", "SYNTHETIC " + "long text " * 40,
] + [f"SYNTHETIC post number {i}: " + "lorem ipsum " * (i % 12) for i in range(40)]


def refuse_published_folders(path) -> Path:
    """The path, unless it lies under data/ or figures/ (synthetic files never go there)."""
    resolved = Path(path).resolve()
    for folder in (DATA, FIGURES):
        if resolved == folder.resolve() or folder.resolve() in resolved.parents:
            raise ParameterError(f"{path}: synthetic files are never written under {folder.name}/")
    return Path(path)


def _day_and_time_texts() -> tuple[pa.Array, pa.Array]:
    """Every 'YYYY-MM-DD' of the year and every 'HH:MM:SS' of a day, to format times by lookup (fast)."""
    days = pa.array([(date(YEAR, 1, 1) + timedelta(days=d)).isoformat() for d in range(366)])
    times = pa.array([f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)])
    return days, times


def _with_thousands(values: np.ndarray) -> pa.Array:
    """Counts below a million as CrowdTangle prints Total Interactions: '1,234'."""
    plain = pc.cast(pa.array(values), pa.string())
    grouped = pc.binary_join_element_wise(pc.cast(pa.array(values // 1000), pa.string()),
                                          pc.utf8_lpad(pc.cast(pa.array(values % 1000), pa.string()), 3, "0"), ",")
    return pc.if_else(pa.array(values >= 1000), grouped, plain)


def _repeat(text, n: int) -> pa.Array:
    return pc.take(pa.array([text], pa.string()), pa.array(np.zeros(n, dtype=np.int32)))


def synthetic_chunk(rng: np.random.Generator, first_post: int, n: int, n_pages: int,
                    texts: tuple[pa.Array, pa.Array]) -> pa.Table:
    """`n` synthetic posts as CrowdTangle export columns (all of them, as the real export has)."""
    days, times = texts
    page = pa.array(rng.integers(0, n_pages, n).astype(np.int32))
    names = pa.array([f"{SYNTHETIC} page {i:02d}" for i in range(n_pages)])
    users = pa.array([f"synthetic_page_{i:02d}" for i in range(n_pages)])
    ids = pa.array([str(900_000_000_000_000 + i) for i in range(n_pages)])
    second = rng.integers(0, _SECONDS_IN_YEAR, n)  # local (ICT) time within the year
    day, clock = pc.take(days, pa.array(second // 86400)), pc.take(times, pa.array(second % 86400))
    base = np.linspace(2e5, 3e6, n_pages)[page.to_numpy()]
    likes_at_posting = (base * (1 + 0.5 * second / _SECONDS_IN_YEAR)).astype(np.int64)
    mean_interactions = np.minimum(likes_at_posting / 1000 * rng.lognormal(0.5, 1.0, n), 150_000)
    reactions = {name: rng.poisson(mean_interactions * share) for name, share in _REACTION_SHARES.items()}
    total = sum(reactions.values())
    post_number = pc.cast(pa.array(np.arange(first_post + 1, first_post + n + 1)), pa.string())
    url = pc.binary_join_element_wise("https://www.facebook.com/", pc.take(users, page), "/posts/", post_number, "")
    kind = pc.take(pa.array(["Photo", "Link", "Status", "Native Video"]), pa.array(rng.integers(0, 4, n)))
    empty = pa.nulls(n, pa.string())
    columns = {
        "Page Name": pc.take(names, page), "User Name": pc.take(users, page), "Facebook Id": pc.take(ids, page),
        "Page Category": _repeat("POLITICIAN", n), "Page Admin Top Country": _repeat("KH", n),
        "Page Description": _repeat(f"{SYNTHETIC} page for benchmarks", n),
        "Page Created": _repeat("2010-01-01 00:00:00 ICT", n),
        "Likes at Posting": pa.array(likes_at_posting), "Followers at Posting": pa.array(likes_at_posting * 51 // 50),
        "Post Created": pc.binary_join_element_wise(day, clock, "ICT", " "),
        "Post Created Date": day, "Post Created Time": clock, "Type": kind,
        "Total Interactions": _with_thousands(total),
        **{name: pa.array(values) for name, values in reactions.items()},
        "Video Share Status": empty, "Is Video Owner?": empty, "Post Views": pa.array(np.zeros(n, np.int64)),
        "Total Views": pa.array(np.zeros(n, np.int64)), "Total Views For All Crossposts": pa.array(np.zeros(n, np.int64)),
        "Video Length": empty, "URL": url,
        # unique texts, as real messages are (a few repeated ones would compress unrealistically well)
        "Message": pc.binary_join_element_wise(
            pc.take(pa.array(_MESSAGES, pa.string()), pa.array(rng.integers(0, len(_MESSAGES), n))),
            post_number, " #"),
        "Link": pc.if_else(pc.equal(kind, "Link"), url, empty), "Final Link": empty, "Image Text": empty,
        "Link Text": empty, "Description": empty, "Sponsor Id": empty, "Sponsor Name": empty,
        "Sponsor Category": empty, "Overperforming Score": pa.array(np.round(rng.normal(1, 0.5, n), 2)),
    }
    return pa.table({name: columns[name] for name in EXPORT_COLUMNS})


def make_synthetic_crowdtangle(path, n_posts: int, n_pages: int = 5, seed: int = 0) -> Path:
    """Write a seeded SYNTHETIC CrowdTangle export of `n_posts` posts of `n_pages` pages.

    Times are 2016 Phnom Penh times ('2016-03-08 10:15:00 ICT'); Total
    Interactions carries thousands separators; messages include commas,
    quotes, line breaks, Khmer and formula-like text, as real ones do.
    Written in chunks of vectorised columns, so 20 million rows take about
    a minute and little memory.
    """
    path = refuse_published_folders(path)
    if n_posts < 1 or n_pages < 1:
        raise ParameterError("n_posts and n_pages must be at least 1")
    path.parent.mkdir(parents=True, exist_ok=True)
    texts = _day_and_time_texts()
    writer = None
    try:
        for index, first in enumerate(range(0, n_posts, CHUNK_ROWS)):
            rng = np.random.default_rng([seed, index])
            chunk = synthetic_chunk(rng, first, min(CHUNK_ROWS, n_posts - first), n_pages, texts)
            if writer is None:
                writer = pcsv.CSVWriter(path, chunk.schema)
            writer.write_table(chunk)
    finally:
        if writer is not None:
            writer.close()
    return path


def _run_step(step: str, path: Path, cache: Path, repeats: int = 1) -> dict:
    env = {**os.environ, "LIKECHECK_CACHE": str(cache)}
    # a fresh process per step, so that its peak memory is its own (see benchmarks/import_step.py)
    done = subprocess.run([sys.executable, "-m", "benchmarks.import_step", step, str(path), str(repeats)], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench step {step} failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_imports(n_posts: int = 20_000_000, workdir=None, *, n_pages: int = 5, seed: int = 0,
                  repeats: int = 3, keep_files: bool = False) -> dict:
    """Time and measure the CrowdTangle import on a synthetic export of `n_posts` posts.

    Returns (prints nothing):
      import_ratio: importing (hash, read, check, cache) / pyarrow.csv.read_csv of the same file
        (goal <= 1.3; the baseline reads every column, with newlines_in_values as the file needs);
      cached_ratio: importing again (a cache hit, to pandas) / pyarrow.parquet.read_table of the
        cache file (goal <= 1.2); both the best of `repeats` runs in one process (the first run of
        each also reported: it pays for fresh memory);
      peak memory (resource.getrusage ru_maxrss of each step's own process, so the steps do not
        mix), also as a ratio to the Arrow table of the whole file (goal about 2);
      *_cpu_seconds and *_cpu_ratio: the same in CPU time (user + system), steadier than wall
        time on a shared machine;
      weekly_engagement_seconds over all posts, all pages, the 51 full weeks of 2016.
    The CSV reads (plain and importing) run once each: they are the long ones.
    Files go to `workdir` (default build/bench/imports) and are removed unless `keep_files`.
    """
    workdir = refuse_published_folders(Path(workdir) if workdir else BUILD / "bench" / "imports")
    source, cache = workdir / f"synthetic_crowdtangle_{n_posts}.csv", workdir / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    t0 = time.perf_counter()
    make_synthetic_crowdtangle(source, n_posts, n_pages, seed)
    generate_seconds, csv_bytes = time.perf_counter() - t0, source.stat().st_size
    try:
        arrow_csv = _run_step("arrow_read_csv", source, cache)
        cold = _run_step("import", source, cache)
        cached_files = sorted(cache.glob("*.parquet"))
        arrow_parquet = _run_step("arrow_read_parquet", cached_files[0], cache, repeats)
        warm = _run_step("import", source, cache, repeats)  # the same call again: a cache hit
        weekly = _run_step("weekly_engagement", source, cache, repeats)
        cache_bytes = cached_files[0].stat().st_size
    finally:
        if not keep_files:
            source.unlink(missing_ok=True)
            shutil.rmtree(cache, ignore_errors=True)
    import_memory = cold["peak_rss_bytes"] - cold["rss_before_bytes"]
    return {
        "n_posts": n_posts, "n_pages": n_pages, "seed": seed, "csv_bytes": csv_bytes,
        "generate_seconds": generate_seconds,
        "arrow_read_csv_seconds": arrow_csv["seconds"], "arrow_read_csv_cpu_seconds": arrow_csv["cpu_seconds"],
        "import_seconds": cold["seconds"], "import_cpu_seconds": cold["cpu_seconds"],
        "import_ratio": cold["seconds"] / arrow_csv["seconds"],
        "import_cpu_ratio": cold["cpu_seconds"] / arrow_csv["cpu_seconds"], "import_ratio_goal": 1.3,
        "arrow_read_parquet_seconds": arrow_parquet["seconds"],
        "arrow_read_parquet_cpu_seconds": arrow_parquet["cpu_seconds"],
        "cached_import_seconds": warm["seconds"], "cached_import_cpu_seconds": warm["cpu_seconds"],
        "cached_ratio": warm["seconds"] / arrow_parquet["seconds"],
        "cached_first_run_ratio": warm["first_seconds"] / arrow_parquet["first_seconds"],
        "cached_cpu_ratio": warm["cpu_seconds"] / arrow_parquet["cpu_seconds"], "cached_ratio_goal": 1.2,
        "cache_file_bytes": cache_bytes,
        "arrow_table_bytes": arrow_csv["table_bytes"], "tidy_arrow_table_bytes": arrow_parquet["table_bytes"],
        "memory_method": "resource.getrusage(RUSAGE_SELF).ru_maxrss of a fresh process per step, "
                         "minus its size after the imports",
        "import_peak_rss_bytes": cold["peak_rss_bytes"], "import_rss_added_bytes": import_memory,
        "arrow_read_csv_rss_added_bytes": arrow_csv["peak_rss_bytes"] - arrow_csv["rss_before_bytes"],
        "import_memory_ratio": import_memory / arrow_csv["table_bytes"], "import_memory_ratio_goal": 2.0,
        "cached_import_rss_added_bytes": warm["peak_rss_bytes"] - warm["rss_before_bytes"],
        "weekly_engagement_seconds": weekly["seconds"], "weekly_engagement_weeks": weekly["weeks"],
    }
