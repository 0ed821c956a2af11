"""The SYNTHETIC tables the benchmarks time, seeded and in memory.

Every page is named "SYNTHETIC page NNNN": never data about a real page. The
dtypes are those the importers give (page and country as categories, counts
as Int64), so a bench times what a real import would feed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from likecheck.schemas import COUNTRY_CODES, REST_OF_WORLD

SYNTHETIC = "SYNTHETIC"
FULL_PAGES, FULL_POSTS, DAYS, COUNTRIES = 1_000, 20_000_000, 731, 45


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
