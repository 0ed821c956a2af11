"""country_surge: one country's daily new fans far above its recent share of the page's growth."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..metrics import one_page
from ..schemas import REST_OF_WORLD
from .arrays import _run_bounds, _runs, _trailing_median, _trailing_sum
from .grid import FanGrid, page_new_fans
from .rows import _rows, country_surge_note, empty_rows
from .settings import MAD_TO_SD, settings_for

@dataclass
class SurgeArrays:
    """The grids a surge is scored on: what happened (new, page_new, pearson) and the baseline the days
    after are measured against (base_*: the same, with each flagged day replaced by what was expected
    of it, so a purchase never becomes the usual of the days after it)."""
    new: np.ndarray
    page_new: np.ndarray
    pearson: np.ndarray
    base_new: np.ndarray
    base_page: np.ndarray
    base_pearson: np.ndarray


def _surge_arrays(grid: FanGrid, window: int, min_expected: float, imputed=None) -> SurgeArrays:
    """New fans, the page's new fans and Pearson residuals of every page, country and day; with
    `imputed` (flat positions, expected values) of the days flagged so far, their baseline.

    The Pearson residual is the residual from the country's share of the
    page's new fans over the window before (running totals: cheap over the
    whole grid, in place to bound memory) over its counting noise. It only
    picks the candidate days and gives the robust scale; the candidates'
    scores use the median share (`_daily_scores`), which also requires half a
    window of history.
    """
    new = grid.new_fans()
    page_new = page_new_fans(new)
    base_new, base_page = new, page_new
    if imputed is not None and len(imputed[0]):
        base_new = new.copy()
        base_new.reshape(-1)[imputed[0]] = imputed[1]
        base_page = page_new_fans(base_new)
    expected = _trailing_sum(base_new, window)                   # the country's sum, then its share...
    page_sum = _trailing_sum(base_page, window)[:, None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(expected, page_sum, out=expected)
    expected[~np.broadcast_to(page_sum > 0, expected.shape)] = np.nan
    np.clip(expected, 0.0, 1.0, out=expected)
    np.multiply(expected, page_new[:, None, :], out=expected)   # ...then the expectation
    pearson = np.subtract(new, expected)
    np.maximum(expected, min_expected, out=expected)
    np.sqrt(expected, out=expected)
    np.divide(pearson, expected, out=pearson)
    del expected
    pearson[:, :, :max(1, window // 2)] = np.nan   # no day is read before half a window of data
    if REST_OF_WORLD in grid.countries:
        # after a country leaves (or joins) the list, ZZ holds (or loses) its growth: ZZ's own
        # recent share no longer describes it until a whole window has passed
        changes = _trailing_sum(grid.list_changed().astype(np.float64), window + 1)
        pearson[:, grid.countries.index(REST_OF_WORLD), :][changes > 0] = np.nan
    base_pearson = pearson
    if imputed is not None and len(imputed[0]):
        base_pearson = pearson.copy()
        base_pearson.reshape(-1)[imputed[0]] = 0.0   # a flagged day is as expected, for the scale too
    return SurgeArrays(new, page_new, pearson, base_new, base_page, base_pearson)


def _surge_scale(pearson: np.ndarray, positions: np.ndarray, window: int) -> np.ndarray:
    """Robust scale at each position: 1.4826 x the median |Pearson residual| of the trailing window, at least 1.

    The median absolute residual around the page-share prediction is a MAD
    whose centre is the model; below 1 (less noise than counting allows) it
    is raised to 1, so a country of a few fans a day cannot look extreme.
    """
    days, flat = pearson.shape[-1], pearson.reshape(-1)
    median = _trailing_median(lambda index: np.abs(flat[index]), positions, positions % days, window)
    return np.maximum(1.0, MAD_TO_SD * median)


def _robust_expected(a: SurgeArrays, positions: np.ndarray, window: int) -> np.ndarray:
    """Expected new fans at each position from the MEDIAN of the country's daily shares of the page's
    new fans over the window before (robust where the running-total share is pulled up by a surge),
    read on the baseline (flagged days as expected), times the page's new fans that day."""
    n_countries, days = a.new.shape[1], a.new.shape[2]
    flat_new, flat_page = a.base_new.reshape(-1), a.base_page.reshape(-1)

    def share_at(index):
        page_day = (index // (n_countries * days)) * days + index % days
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(flat_page[page_day] > 0, flat_new[index] / flat_page[page_day], np.nan)

    share = np.clip(_trailing_median(share_at, positions, positions % days, window), 0.0, 1.0)
    return share * a.page_new.reshape(-1)[(positions // (n_countries * days)) * days + positions % days]


def _own_score(a: SurgeArrays, positions: np.ndarray, window: int, min_expected: float) -> np.ndarray:
    """How far each position's new fans lie above the country's own trailing median (of the baseline),
    in counting noise.

    The gate that keeps the day after a surge from looking like one: when a
    purchase in one country ends, the others' shares of the page's growth
    return from depressed to normal, which the page-share model alone would
    read as a surge; they are not above their own usual level.
    """
    usual = _trailing_median(a.base_new.reshape(-1), positions, positions % a.new.shape[-1], window)
    return (a.new.reshape(-1)[positions] - usual) / np.sqrt(np.maximum(usual, min_expected))


def country_surge(fan_counts: pd.DataFrame, **settings) -> pd.DataFrame:
    """One country's daily new fans far above what its recent share of the page's growth predicts.

    For each page, country and day: expected = the median of the country's
    daily shares of the page's new fans over the `window` days before, times
    the page's new fans that day. A viral post that lifts every country
    lifts the expectation with it, so only a country that outgrows the page
    stands out. The residual is divided by the counting noise (sqrt of the
    expectation, at least `min_expected`) and by the trailing robust scale
    of such residuals (`_surge_scale`): a robust z-score. The day's score is
    that, or how far the country lies above its own trailing median
    (`_own_score`) if lower: a surge outgrows both the page and the
    country's own usual. Both baselines are medians of the window, so a
    purchase spread over more than half a window is flagged for its first
    weeks only. Days scoring `threshold` or more, within `merge_gap` days of
    each other, are one period; its `score` is the highest day's and
    `excess` the residual summed over its flagged days. Rows: flagged
    periods only (`screen` adds the rest). (Running-total shares, cheap over
    the whole grid, first pick the candidate days; the medians are gathered
    for those alone.)
    """
    s = settings_for("country_surge", settings)
    grid = FanGrid(fan_counts)
    rows, _ = _country_surge(grid, s)
    return rows


def _daily_scores(a: SurgeArrays, positions, s) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(score, robust expectation, robust residual) at `positions`: the residual from the median-share
    expectation in counting noise, over the trailing robust scale, or the own-level score if lower."""
    expected = _robust_expected(a, positions, s["window"])
    residual = a.new.reshape(-1)[positions] - expected
    model = (residual / np.sqrt(np.maximum(expected, s["min_expected"]))
             / _surge_scale(a.base_pearson, positions, s["window"]))
    return np.fmin(model, _own_score(a, positions, s["window"], s["min_expected"])), expected, residual


#: Rounds of flagging at most: each round's flagged days become the baseline of the next (as expected).
MAX_ROUNDS = 50


def _settled(grid: FanGrid, s: dict):
    """Score every candidate day, flag, replace the flagged days in the baseline by the country's usual day,
    and score again until the flagged days no longer change: a flagged period is excluded from the
    baseline of the days after it, so a purchase longer than half the window is flagged for its whole
    length and the band after it does not balloon. Returns (arrays, candidates, score, residual, kept)."""
    imputed = None
    flagged = np.zeros(0, dtype=np.int64)
    for _ in range(MAX_ROUNDS):
        a = _surge_arrays(grid, s["window"], s["min_expected"], imputed)
        with np.errstate(invalid="ignore"):
            candidates = np.union1d(np.flatnonzero(a.pearson.reshape(-1) >= s["threshold"]), flagged)
        score, expected, residual = _daily_scores(a, candidates, s)
        with np.errstate(invalid="ignore"):
            keep = score >= s["threshold"]
        now = candidates[keep]
        if np.array_equal(now, flagged):
            break
        flagged = now
        # a flagged day counts as the country's own usual day (its trailing median), not as the page-share
        # expectation, which the purchase inflates through the page's own growth that day
        usual = _trailing_median(a.base_new.reshape(-1), now, now % a.new.shape[-1], s["window"])
        imputed = (now, np.nan_to_num(np.where(np.isnan(usual), expected[keep], usual)))
    return a, candidates, score, residual, keep


def _country_surge(grid: FanGrid, s: dict) -> tuple[pd.DataFrame, pd.Series]:
    a, candidates, score, residual, keep = _settled(grid, s)
    days = a.pearson.shape[-1]
    peak = _peak_by_page(grid, a.pearson, candidates, score)
    positions, score, residual = candidates[keep], score[keep], residual[keep]
    series, day = positions // days, positions % days
    run = _runs(series, day, s["merge_gap"])
    if len(run) == 0:
        return empty_rows(), peak
    first, last = _run_bounds(run)
    start_day, end_day, run_series = day[first], day[last], series[first]
    excess = np.add.reduceat(np.nan_to_num(residual), first)
    top = np.maximum.reduceat(score, first)
    page, country = run_series // len(grid.countries), run_series % len(grid.countries)
    countries = np.array(grid.countries, dtype=object)[country]
    notes = [country_surge_note(c, e) for c, e in zip(countries, excess)]
    rows = _rows("country_surge", np.array(grid.pages, dtype=object)[page], countries,
                 grid.days[start_day], grid.days[end_day], True, top, s["threshold"], excess, notes)
    return rows, peak


def _peak_by_page(grid: FanGrid, pearson: np.ndarray, candidates: np.ndarray, score: np.ndarray) -> pd.Series:
    """Each page's highest daily score; days below the threshold count with their Pearson residual (an upper
    bound). Writes the candidates' scores into `pearson` (no copy of the grid; it is not read after)."""
    per_page = pearson.reshape(len(grid.pages), -1)
    per_page.reshape(-1)[candidates] = score
    return pd.Series(np.fmax.reduce(per_page, axis=1), index=grid.pages)


# --- for the figures ------------------------------------------------------------------

def daily_baseline(fan_counts: pd.DataFrame, page: str, country: str, **settings) -> pd.DataFrame:
    """One country's daily new fans on one page, with what the page predicts and the threshold's band.

    Columns: date, new_fans, expected, band_low, band_high (expected -/+
    threshold x the scale the score divides by, in fans), score, page_new_fans.
    """
    s = settings_for("country_surge", settings)
    table = one_page(fan_counts, page, "fan counts")
    grid = FanGrid(table)
    code = str(country).strip().upper()
    if code not in grid.countries:
        raise ParameterError(f"country {country!r} is not in the fan counts of {page!r} "
                             f"({', '.join(grid.countries)})")
    a = _settled(grid, s)[0]   # the baseline with the flagged days as expected, as the screen scores them
    c, days = grid.countries.index(code), a.pearson.shape[-1]
    positions = c * days + np.arange(days)
    score, expected, _ = _daily_scores(a, positions, s)
    noise = np.sqrt(np.maximum(expected, s["min_expected"])) * _surge_scale(a.base_pearson, positions, s["window"])
    return pd.DataFrame({
        "date": grid.days, "country": code, "new_fans": a.new[0, c], "expected": expected,
        "band_low": expected - s["threshold"] * noise, "band_high": expected + s["threshold"] * noise,
        "score": score, "page_new_fans": a.page_new[0]})
