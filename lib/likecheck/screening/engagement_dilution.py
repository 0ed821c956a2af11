"""engagement_dilution: interactions per 1,000 fans fall while interactions per post stay level."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..metrics import PAGE_TIME_ZONE
from .arrays import _run_bounds, _runs
from .posts import PostDays
from .rows import NOTES, _rows, empty_rows
from .settings import settings_for

#: Blocks whose median makes a block's baseline: twelve weeks with the default window, so a
#: purchase that straddles two blocks is still measured against the blocks before it.
BASELINE_BLOCKS = 3


def _median_of_blocks_before(values: np.ndarray) -> np.ndarray:
    """Per page (rows) and block (columns): the median of the BASELINE_BLOCKS blocks before (NaN-skipping)."""
    shifted = np.full((BASELINE_BLOCKS,) + values.shape, np.nan)
    for lag in range(1, BASELINE_BLOCKS + 1):   # three shifts of the whole array
        shifted[lag - 1, :, lag:] = values[:, :-lag]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns: no baseline yet
        return np.nanmedian(shifted, axis=0)


def engagement_dilution(posts: pd.DataFrame, **settings) -> pd.DataFrame:
    """Interactions per 1,000 fans fall while interactions per post stay level: the fans diluted them.

    Posts are cut into blocks of `window` days from the first day of the
    posts. Each block with `min_posts` posts or more is compared with the
    median of the BASELINE_BLOCKS blocks before: score = the fall (%) of the
    mean interactions per 1,000 fans at posting; flagged when it is
    `threshold` or more while the mean interactions per post fell by less
    than `level_tolerance` % (else the posts, not the fans, explain the
    fall). Consecutive flagged blocks are one period. `excess`: the mean
    fans at posting above what the page would have at its usual
    interactions per 1,000 fans (the largest of the period's blocks).
    """
    tz = settings.pop("tz", PAGE_TIME_ZONE)
    rows, _ = _engagement_dilution(PostDays(posts, tz), settings_for("engagement_dilution", settings))
    return rows


def _engagement_dilution(pd_: PostDays, s: dict) -> tuple[pd.DataFrame, pd.Series]:
    window = s["window"]
    n_pages, n_days = pd_.shape
    blocks = -(-n_days // window)
    pad = blocks * window - n_days

    def by_block(values):
        return np.pad(values, ((0, 0), (0, pad))).reshape(n_pages, blocks, window).sum(axis=2)

    posts, interactions = by_block(pd_.posts), by_block(pd_.interactions)
    per_1000, fans = by_block(pd_.per_1000), by_block(pd_.fans_sum)
    enough = posts >= max(1, s["min_posts"])
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_per_1000 = np.where(enough, per_1000 / posts, np.nan)
        ipp = np.where(enough, interactions / posts, np.nan)
        mean_fans = np.where(enough, fans / posts, np.nan)
        usual_per_1000, usual_ipp = _median_of_blocks_before(mean_per_1000), _median_of_blocks_before(ipp)
        score = 100 * (1 - mean_per_1000 / usual_per_1000)
        ipp_change = 100 * (ipp / usual_ipp - 1)
        # the fans the page would have had at its usual interactions per 1,000 fans
        excess = mean_fans - 1000 * ipp / usual_per_1000
    peak = pd.Series(np.fmax.reduce(score, axis=1), index=pd_.pages)  # NaN only where nothing was scored
    with np.errstate(invalid="ignore"):
        page, block = np.nonzero((score >= s["threshold"]) & (ipp_change > -s["level_tolerance"]))
    run = _runs(page, block, 0)
    if len(run) == 0:
        return empty_rows(), peak
    first, last = _run_bounds(run)
    top = np.maximum.reduceat(score[page, block], first)
    total_excess = np.fmax.reduceat(excess[page, block], first)
    notes = [NOTES["engagement_dilution"].format(fall=f, ipp=i, span=window * BASELINE_BLOCKS)
             for f, i in zip(score[page[first], block[first]], ipp_change[page[first], block[first]])]
    days = pd_.days
    last_day = np.minimum((block[last] + 1) * window - 1, n_days - 1)
    rows = _rows("engagement_dilution", np.array(pd_.pages, dtype=object)[page[first]], None,
                 days[block[first] * window], days[last_day], True, top, s["threshold"], total_excess, notes)
    return rows, peak
