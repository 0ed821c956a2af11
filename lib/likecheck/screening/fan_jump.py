"""fan_jump: the page gained far more fans between two post-days than its recent growth predicts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..metrics import PAGE_TIME_ZONE, one_page
from .arrays import _run_bounds, _runs
from .posts import PostDays, _rolling_median_before
from .rows import FAN_JUMP_VIRAL_NOTE, NOTES, _rows, empty_rows
from .settings import MAD_TO_SD, settings_for

def fan_jump(posts: pd.DataFrame, **settings) -> pd.DataFrame:
    """From posts only: the page's fans at posting jump far above its recent daily growth.

    Per page, each day with posts is compared with the previous day with
    posts, last post to last post (CrowdTangle's "Likes at Posting" or
    "Followers at Posting"): gained = the difference, over dt days. Expected:
    dt x the median daily growth of the `window` intervals before. Residual
    per sqrt(day), divided by the larger of 1.4826 x the trailing median
    absolute residual and the counting noise sqrt(growth): the score.
    A jump while the posts earned `viral_ratio` times their usual
    interactions per post (or more) looks like a viral post: it is reported,
    not flagged. `excess`: gained beyond expected over the period. `tz`
    (keyword) sets the posts' days (default Asia/Phnom_Penh).
    """
    tz = settings.pop("tz", PAGE_TIME_ZONE)
    rows, _ = _fan_jump(PostDays(posts, tz), settings_for("fan_jump", settings))
    return rows


def _jump_arrays(pd_: PostDays, window: int) -> dict[str, np.ndarray]:
    """Per page and day with posts (sorted): the growth since the previous post-day, what the page's
    recent growth predicts, the score, and how the day's interactions per post compare with usual."""
    page, day = np.nonzero(pd_.posts > 0)   # sorted by page, then day
    same = np.r_[False, page[1:] == page[:-1]]
    position = np.arange(len(page)) - np.maximum.accumulate(np.where(~same, np.arange(len(page)), 0))
    seconds, fans = pd_.last_second[page, day].astype("float64"), pd_.last_fans[page, day]
    dt = np.where(same, (seconds - np.r_[np.nan, seconds[:-1]]) / 86_400, np.nan)
    gained = np.where(same, fans - np.r_[np.nan, fans[:-1]], np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = gained / dt
    # position counts intervals from each page's first post-day; the first has none
    expected_rate = _rolling_median_before(rate, position - 1, window)
    residual = gained - expected_rate * dt
    root_dt = np.sqrt(np.maximum(dt, 0.25))
    per_root_day = residual / root_dt
    spread = MAD_TO_SD * _rolling_median_before(np.abs(per_root_day), position - 1, window)
    scale = np.maximum(spread, np.sqrt(np.maximum(expected_rate, 1.0)))  # NaN until the spread is known
    ipp = pd_.interactions[page, day] / pd_.posts[page, day]
    usual = _rolling_median_before(ipp, position, window)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.fmax(ipp / usual, np.where(same, np.r_[np.nan, ipp[:-1]], np.nan) / usual)
    return {"page": page, "day": day, "dt": dt, "gained": gained, "expected": expected_rate * dt,
            "residual": residual, "noise": scale * root_dt, "score": per_root_day / scale, "ratio": ratio}


def _fan_jump(pd_: PostDays, s: dict) -> tuple[pd.DataFrame, pd.Series]:
    a = _jump_arrays(pd_, s["window"])
    page, day, score, ratio, residual = a["page"], a["day"], a["score"], a["ratio"], a["residual"]
    peak = pd.Series(score, dtype="float64").groupby(page).max().reindex(range(len(pd_.pages)))
    peak.index = pd_.pages
    with np.errstate(invalid="ignore"):
        high = np.flatnonzero(score >= s["threshold"])
    if len(high) == 0:
        return empty_rows(), peak
    viral = ratio[high] >= s["viral_ratio"]
    run = _runs(page[high] * 2 + viral, day[high], s["merge_gap"])
    first, last = _run_bounds(run)
    start_index, end_index = high[first] - 1, high[last]   # from the post-day before the first jump
    excess = np.add.reduceat(residual[high], first)
    top = np.maximum.reduceat(score[high], first)
    top_ratio = np.fmax.reduceat(np.nan_to_num(ratio[high], nan=1.0), first)
    is_viral = viral[first]
    notes = [(FAN_JUMP_VIRAL_NOTE if v else NOTES["fan_jump"]).format(excess=e, ratio=r)
             for v, e, r in zip(is_viral, excess, top_ratio)]
    days = pd_.days
    rows = _rows("fan_jump", np.array(pd_.pages, dtype=object)[page[high[first]]], None,
                 days[day[start_index]], days[day[end_index]], ~is_viral, top, s["threshold"], excess, notes)
    return rows, peak


def post_growth(posts: pd.DataFrame, page: str, *, tz: str = PAGE_TIME_ZONE, **settings) -> pd.DataFrame:
    """One page's growth between days with posts (posts only), with what its recent growth predicts.

    Columns: date (the later post-day), days (between the two last posts),
    gained, expected, band_low, band_high (expected -/+ threshold x the noise
    the score divides by), score, interactions_ratio (the day's interactions
    per post over the usual).
    """
    s = settings_for("fan_jump", settings)
    days = PostDays(one_page(posts, page, "posts"), tz)
    a = _jump_arrays(days, s["window"])
    return pd.DataFrame({
        "date": days.days[a["day"]], "days": a["dt"], "gained": a["gained"], "expected": a["expected"],
        "band_low": a["expected"] - s["threshold"] * a["noise"],
        "band_high": a["expected"] + s["threshold"] * a["noise"],
        "score": a["score"], "interactions_ratio": a["ratio"]}).iloc[1:].reset_index(drop=True)
