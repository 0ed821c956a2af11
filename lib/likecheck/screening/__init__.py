"""Screen fan counts and posts for the signs the 2016 reporting described.

A screen is a reason to look, never proof of purchase: every flagged row's
`note` says what else produces the same sign (a viral post, a paid
promotion, a news event, Facebook's own clean-ups).

API (all pure; tables in the FAN_COUNTS and POSTS formats, every page at once):

* `screen(fan_counts, posts, **settings)`: every signal the tables allow, as
  one table with `COLUMNS` (one row per signal, page and period; a page and
  signal with nothing flagged gets one row with flagged False and its
  highest score; a signal the tables cannot feed gets one "not screened" row).
* the four signals, each returning rows with `COLUMNS` (flagged periods only):
  `country_surge(fan_counts)`, `origin_shift(fan_counts)`, `fan_jump(posts)`,
  `engagement_dilution(posts)`; their keyword settings and defaults are in
  `DEFAULTS` (`window`, `threshold`, ...), explained in each function.
* for figures: `daily_baseline(fan_counts, page, country)` (a country's daily
  new fans, what the page predicts for it and the band the threshold allows),
  `country_mix(fan_counts, page, start, end)` (the country mix of the new
  fans of a period against the mix of all fans the day before it) and
  `post_growth(posts, page)` (growth between days with posts, with its band);
* `csv_ready(table)`: the table as screening.csv writes it (flagged true/false).

`screen`, `fan_jump`, `engagement_dilution` and `post_growth` take `tz` (the
posts' days; default Asia/Phnom_Penh). A test bed: `simulate.simulate` with
`purchase_*`, `extra_purchases`, `surge_*` (a page-wide viral surge) and
`organic_foreign_mix`; `simulate.posts_only` for a CrowdTangle-like view.

Conventions. Days are the days of the fan counts (a count describes the end
of its day, `metrics`); a post belongs to its day in `tz`. "New fans" of a
day are the day's count minus the day before's (fans or followers: whatever
the export counts). A period is inclusive (`start`..`end`). Only the top
countries are listed in most exports: a country's new fans are unknown on a
day it enters or leaves the list, and on such a day the rest of the world
(ZZ) jumps by that country's fans, so ZZ is not read on those days; nor is
ZZ compared for a window after, since its content changed.

Everything is vectorised over a dense (page, country, day) array: no Python
loop over pages or days, so 1,000 pages x 2 years x 45 countries take seconds.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .errors import ParameterError
from .metrics import PAGE_TIME_ZONE, country_shares, fans_on, local_days, new_fans, one_page
from .schemas import REST_OF_WORLD

SIGNALS = ("country_surge", "fan_jump", "origin_shift", "engagement_dilution")
COLUMNS = ["page", "signal", "country", "start", "end", "flagged", "score", "threshold", "excess", "note"]
#: The screen's settings, by signal; `screen` takes them as `<signal>_<setting>` keywords.
DEFAULTS = {
    "country_surge": {"window": 28, "threshold": 6.0, "min_expected": 10.0, "merge_gap": 2},
    "fan_jump": {"window": 28, "threshold": 6.0, "viral_ratio": 2.0, "merge_gap": 2},
    "origin_shift": {"window": 28, "threshold": 20.0, "min_new_fans": 1000, "home": ""},
    "engagement_dilution": {"window": 28, "threshold": 10.0, "level_tolerance": 10.0, "min_posts": 5},
}
#: Where each signal's data come from, for the "not screened" rows.
NEEDS = {"country_surge": "fan_counts", "origin_shift": "fan_counts",
         "fan_jump": "posts", "engagement_dilution": "posts"}
#: 1.4826 x MAD estimates the standard deviation of normal noise.
MAD_TO_SD = 1.4826
NS_PER_DAY = 86_400 * 10**9
#: The dense grid is refused beyond this many cells (pages x countries x days), about 4 GB.
MAX_CELLS = 500_000_000
#: Candidates whose trailing median is gathered at once (memory: this x window x 8 bytes).
GATHER_CHUNK = 1_000_000

CAVEAT = "A reason to look, not proof of purchase"
NOTES = {
    "country_surge": (
        "{country} gained {excess:,.0f} fans or followers more than its recent share of the page's growth "
        "predicts. " + CAVEAT + ": a news event, a viral post or a paid promotion aimed at {country}, or a "
        "change in how Facebook places accounts, can do the same."),
    "fan_jump": (
        "The page gained {excess:,.0f} fans or followers more than its recent daily growth predicts, while "
        "its posts earned at most {ratio:.1f}x their usual interactions. " + CAVEAT + ": a paid page-like "
        "campaign, a news event, a viral post shared beyond the page, or Facebook restoring or merging "
        "accounts can do the same."),
    "origin_shift": (
        "{share:.0f}% of the period's new fans or followers were abroad against {base:.0f}% of all of them "
        "before it. " + CAVEAT + ": a promotion aimed abroad, international news coverage or a viral post "
        "abroad can do the same; Facebook's clean-ups of fake accounts shift these shares too."),
    "engagement_dilution": (
        "Interactions per 1,000 fans or followers fell {fall:.0f}% below their median of the {span} days before while "
        "interactions per post changed {ipp:+.0f}%. " + CAVEAT + ": fans or followers gained through a "
        "promotion who rarely interact, a change in what the export counts, or Facebook's own clean-ups "
        "(of the interactions) can do the same."),
}
QUIET_NOTE = "Nothing reached the threshold; score is the highest of the span (a reason to look needs more)."
SHORT_NOTE = ("Too little data to screen: a day is scored only against a baseline of the {window} days "
              "(or blocks) before it.")
FAN_JUMP_VIRAL_NOTE = (
    "The page gained {excess:,.0f} fans or followers more than its recent daily growth predicts, but its posts "
    "earned {ratio:.1f}x their usual interactions: this looks like a viral post, so it is not flagged.")


# --- settings -------------------------------------------------------------------

def settings_for(signal: str, given: dict) -> dict:
    """The signal's settings: DEFAULTS overridden by `given`, checked (a ParameterError names the bad one)."""
    unknown = set(given) - set(DEFAULTS[signal])
    if unknown:
        raise ParameterError(f"{signal}: unknown setting {sorted(unknown)[0]!r} "
                             f"(settings: {', '.join(DEFAULTS[signal])})")
    chosen = {**DEFAULTS[signal], **given}
    for name, value in chosen.items():
        default = DEFAULTS[signal][name]
        if isinstance(default, str):
            if not isinstance(value, str):
                raise ParameterError(f"{signal}_{name}: {value!r} is not text")
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not np.isfinite(value):
            raise ParameterError(f"{signal}_{name}: {value!r} is not a number")
        if isinstance(default, int) and value != int(value):
            raise ParameterError(f"{signal}_{name}: {value!r} is not a whole number")
        if value < (2 if name == "window" else 0):
            raise ParameterError(f"{signal}_{name}: {value!r} must be at least {2 if name == 'window' else 0}")
        chosen[name] = type(default)(value)
    return chosen


# --- shared pieces --------------------------------------------------------------

def _codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and sorted labels of a page or country column (cheap on a categorical)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        labels = [str(c) for c in values.cat.categories]
        if labels == sorted(labels) and codes.min() >= 0 and np.bincount(codes, minlength=len(labels)).all():
            return codes.astype(np.int64), labels   # every category used, in order: the codes are ours
        used = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(values.cat.categories)))
        labels = [str(values.cat.categories[i]) for i in used]
        order = np.argsort(labels, kind="stable")
        remap = np.full(len(values.cat.categories), -1, dtype=np.int64)
        remap[used[order]] = np.arange(len(used))
        return remap[codes], [labels[i] for i in order]
    codes, labels = pd.factorize(values.astype(str), sort=True)
    return codes.astype(np.int64), [str(v) for v in labels]


def _trailing_sum(values: np.ndarray, window: int) -> np.ndarray:
    """Sum of the non-NaN values over the `window` days BEFORE each day, along the last axis.

    From running totals: the window before day d is total(d) - total(d - window).
    Two arrays the size of `values` at most (this runs on the whole grid).
    """
    n = values.shape[-1]
    totals = np.zeros(values.shape[:-1] + (n + 1,))
    totals[..., 1:] = values
    np.copyto(totals, 0.0, where=np.isnan(totals))
    np.cumsum(totals, axis=-1, out=totals)
    sums = np.empty(values.shape)
    width = min(window, n)
    sums[..., :width] = totals[..., :width]
    np.subtract(totals[..., window:n], totals[..., :n - window], out=sums[..., width:])
    return sums


def _trailing(values: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Sum and count of the non-NaN values over the `window` days BEFORE each day, along the last axis."""
    return _trailing_sum(values, window), _trailing_sum((~np.isnan(values)).astype(np.float64), window)


def _trailing_median(flat, positions: np.ndarray, day: np.ndarray, window: int) -> np.ndarray:
    """Median of `flat` over the `window` entries before each of `positions` in its own series.

    `flat` is an array, or a function giving the values at an array of
    positions (so a derived series need not exist in full). `day` is each
    position's place in its series (so the window never reaches into the
    series before); NaN entries are skipped; fewer than half a window of
    values gives NaN. Gathered in chunks: memory stays bounded.
    """
    values_at = flat if callable(flat) else flat.__getitem__
    result = np.full(len(positions), np.nan)
    lags = np.arange(1, window + 1)
    for begin in range(0, len(positions), GATHER_CHUNK):
        pos, d = positions[begin:begin + GATHER_CHUNK], day[begin:begin + GATHER_CHUNK]
        index = pos[:, None] - lags[None, :]
        inside = lags[None, :] <= d[:, None]
        values = np.where(inside, values_at(np.where(inside, index, 0)), np.nan)
        enough = (~np.isnan(values)).sum(axis=1) >= max(1, window // 2)
        if enough.any():
            result[begin:begin + GATHER_CHUNK][enough] = np.nanmedian(values[enough], axis=1)
    return result


def _runs(series: np.ndarray, day: np.ndarray, merge_gap: int) -> np.ndarray:
    """Run number of each flagged (series, day), sorted: a new run at a new series or a gap > merge_gap days."""
    if len(series) == 0:
        return np.zeros(0, dtype=np.int64)
    new = np.r_[True, (series[1:] != series[:-1]) | (day[1:] - day[:-1] > merge_gap + 1)]
    return np.cumsum(new) - 1


def _run_bounds(run: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the first and the last element of each run (runs numbered 0, 1, ... in order)."""
    first = np.r_[0, np.flatnonzero(np.diff(run)) + 1]
    return first, np.r_[first[1:] - 1, len(run) - 1]


def _rows(signal: str, page, country, start, end, flagged, score, threshold, excess, note) -> pd.DataFrame:
    n = len(page)
    return pd.DataFrame({
        "page": pd.array(page, dtype=object), "signal": [signal] * n,
        "country": pd.array(country if country is not None else [""] * n, dtype=object),
        "start": pd.DatetimeIndex(start).astype("datetime64[ns]"),
        "end": pd.DatetimeIndex(end).astype("datetime64[ns]"),
        "flagged": np.broadcast_to(np.asarray(flagged, dtype=bool), (n,)).copy(),
        "score": np.asarray(score, dtype="float64"),
        "threshold": np.full(n, float(threshold)),
        "excess": np.asarray(excess, dtype="float64"), "note": pd.array(note, dtype=object)},
        columns=COLUMNS)


def empty_rows() -> pd.DataFrame:
    return _rows("", [], None, [], [], [], [], 0, [], [])


# --- fan counts on a dense grid -------------------------------------------------

class FanGrid:
    """Lifetime fans as a dense array (page, country, day), NaN where a country is not listed that day."""

    def __init__(self, fan_counts: pd.DataFrame):
        if fan_counts is None or len(fan_counts) == 0:
            raise ParameterError("the fan counts table is empty")
        page, self.pages = _codes(fan_counts["page"])
        country, self.countries = _codes(fan_counts["country"])
        day_ns = fan_counts["date"].to_numpy(dtype="datetime64[ns]").view(np.int64)
        first = int(day_ns.min())
        day = (day_ns - first) // NS_PER_DAY
        self.first_day = pd.Timestamp(first)
        shape = (len(self.pages), len(self.countries), int(day.max()) + 1)
        if shape[0] * shape[1] * shape[2] > MAX_CELLS:
            raise ParameterError(f"the fan counts span {shape[2]:,} days of {shape[0]:,} pages and "
                                 f"{shape[1]} countries: too many to screen at once; screen fewer pages (PAGE=)")
        fans = np.full(shape, np.nan)
        index = page
        index *= shape[1]
        index += country
        index *= shape[2]
        index += day
        del country, day
        fans.reshape(-1)[index] = fan_counts["fans"].to_numpy(dtype="float64", na_value=np.nan)
        self.fans = fans
        self._new = None

    @property
    def days(self) -> pd.DatetimeIndex:
        return pd.date_range(self.first_day, periods=self.fans.shape[2], freq="D").astype("datetime64[ns]")

    def list_changed(self) -> np.ndarray:
        """(page, day): True where a country entered or left the listed ones since the day before."""
        others = [i for i, c in enumerate(self.countries) if c != REST_OF_WORLD]
        listed = ~np.isnan(self.fans[:, others, :])
        changed = np.zeros(listed.shape[::2], dtype=bool)
        changed[:, 1:] = (listed[:, :, 1:] != listed[:, :, :-1]).any(axis=1)
        return changed

    def new_fans(self) -> np.ndarray:
        """New fans (page, country, day): NaN where either day is missing, and for ZZ on a day the list changes.

        Computed once per grid (both fan-count signals read it; do not change it in place).
        """
        if self._new is None:
            new = np.empty_like(self.fans)
            new[:, :, 0] = np.nan
            np.subtract(self.fans[:, :, 1:], self.fans[:, :, :-1], out=new[:, :, 1:])
            if REST_OF_WORLD in self.countries:
                new[:, self.countries.index(REST_OF_WORLD), :][self.list_changed()] = np.nan
            self._new = new
        return self._new


def page_new_fans(new: np.ndarray) -> np.ndarray:
    """The page's new fans a day (page, day): the sum over the countries read that day; NaN when none is."""
    read = ~np.isnan(new)
    return np.where(read.any(axis=1), np.where(read, new, 0.0).sum(axis=1), np.nan)


def _surge_arrays(grid: FanGrid, window: int, min_expected: float):
    """(new fans, the page's new fans, Pearson residuals) of every page, country and day.

    The Pearson residual is the residual from the country's share of the
    page's new fans over the window before (running totals: cheap over the
    whole grid, in place to bound memory) over its counting noise. It only
    picks the candidate days and gives the robust scale; the candidates'
    scores use the median share (`_daily_scores`), which also requires half a
    window of history.
    """
    new = grid.new_fans()
    page_new = page_new_fans(new)
    expected = _trailing_sum(new, window)                        # the country's sum, then its share...
    page_sum = _trailing_sum(page_new, window)[:, None, :]
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
    return new, page_new, pearson


def _surge_scale(pearson: np.ndarray, positions: np.ndarray, window: int) -> np.ndarray:
    """Robust scale at each position: 1.4826 x the median |Pearson residual| of the trailing window, at least 1.

    The median absolute residual around the page-share prediction is a MAD
    whose centre is the model; below 1 (less noise than counting allows) it
    is raised to 1, so a country of a few fans a day cannot look extreme.
    """
    days, flat = pearson.shape[-1], pearson.reshape(-1)
    median = _trailing_median(lambda index: np.abs(flat[index]), positions, positions % days, window)
    return np.maximum(1.0, MAD_TO_SD * median)


def _robust_expected(new: np.ndarray, page_new: np.ndarray, positions: np.ndarray, window: int) -> np.ndarray:
    """Expected new fans at each position from the MEDIAN of the country's daily shares of the page's
    new fans over the window before (robust where the running-total share is pulled up by a surge)."""
    n_countries, days = new.shape[1], new.shape[2]
    flat_new, flat_page = new.reshape(-1), page_new.reshape(-1)

    def share_at(index):
        page_day = (index // (n_countries * days)) * days + index % days
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(flat_page[page_day] > 0, flat_new[index] / flat_page[page_day], np.nan)

    share = np.clip(_trailing_median(share_at, positions, positions % days, window), 0.0, 1.0)
    return share * flat_page[(positions // (n_countries * days)) * days + positions % days]


def _own_score(new: np.ndarray, positions: np.ndarray, window: int, min_expected: float) -> np.ndarray:
    """How far each position's new fans lie above the country's own trailing median, in counting noise.

    The gate that keeps the day after a surge from looking like one: when a
    purchase in one country ends, the others' shares of the page's growth
    return from depressed to normal, which the page-share model alone would
    read as a surge; they are not above their own usual level.
    """
    flat = new.reshape(-1)
    usual = _trailing_median(flat, positions, positions % new.shape[-1], window)
    return (flat[positions] - usual) / np.sqrt(np.maximum(usual, min_expected))


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


def _daily_scores(new, page_new, pearson, positions, s) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(score, robust expectation, robust residual) at `positions`: the residual from the median-share
    expectation in counting noise, over the trailing robust scale, or the own-level score if lower."""
    expected = _robust_expected(new, page_new, positions, s["window"])
    residual = new.reshape(-1)[positions] - expected
    model = residual / np.sqrt(np.maximum(expected, s["min_expected"])) / _surge_scale(pearson, positions, s["window"])
    return np.fmin(model, _own_score(new, positions, s["window"], s["min_expected"])), expected, residual


def _country_surge(grid: FanGrid, s: dict) -> tuple[pd.DataFrame, pd.Series]:
    new, page_new, pearson = _surge_arrays(grid, s["window"], s["min_expected"])
    flat = pearson.reshape(-1)
    days = pearson.shape[-1]
    with np.errstate(invalid="ignore"):
        candidates = np.flatnonzero(flat >= s["threshold"])
    score, _, residual = _daily_scores(new, page_new, pearson, candidates, s)
    peak = _peak_by_page(grid, pearson, candidates, score)
    keep = score >= s["threshold"]
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
    notes = [NOTES["country_surge"].format(country=c, excess=e) for c, e in zip(countries, excess)]
    rows = _rows("country_surge", np.array(grid.pages, dtype=object)[page], countries,
                 grid.days[start_day], grid.days[end_day], True, top, s["threshold"], excess, notes)
    return rows, peak


def _peak_by_page(grid: FanGrid, pearson: np.ndarray, candidates: np.ndarray, score: np.ndarray) -> pd.Series:
    """Each page's highest daily score; days below the threshold count with their Pearson residual (an upper
    bound). Writes the candidates' scores into `pearson` (no copy of the grid; it is not read after)."""
    per_page = pearson.reshape(len(grid.pages), -1)
    per_page.reshape(-1)[candidates] = score
    return pd.Series(np.fmax.reduce(per_page, axis=1), index=grid.pages)


def _sum_over_spans(flat: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Sum of flat[start:start+length] for each span (vectorised: one gather, one reduceat)."""
    if len(starts) == 0:
        return np.zeros(0)
    offsets = np.r_[0, np.cumsum(lengths)[:-1]]
    index = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
    return np.add.reduceat(flat[index], offsets)


# --- origin_shift -----------------------------------------------------------------

def home_countries(grid: FanGrid, home: str = "") -> np.ndarray:
    """Each page's home country (index into grid.countries): `home` if given, else its largest country
    on the first day it has counts (never ZZ, the rest of the world)."""
    if home:
        code = home.strip().upper()
        if code not in grid.countries:
            raise ParameterError(f"origin_shift_home: {home!r} is not among the countries of the fan counts "
                                 f"({', '.join(grid.countries)})")
        return np.full(len(grid.pages), grid.countries.index(code))
    listed = ~np.isnan(grid.fans)
    first_day = listed.any(axis=1).argmax(axis=1)
    on_first = np.take_along_axis(grid.fans, first_day[:, None, None], axis=2)[:, :, 0]
    if REST_OF_WORLD in grid.countries:
        on_first[:, grid.countries.index(REST_OF_WORLD)] = np.nan
    return np.nanargmax(np.where(np.isnan(on_first), -1.0, on_first), axis=1)


def _trim_to_high_days(page_new, home_new, page, start, stop, limit):
    """Each period narrowed to its first and last day whose own abroad share (%) of new fans reaches `limit`:
    the windows that flag a period reach back before the shift began."""
    days = page_new.shape[1]
    lengths = stop - start + 1
    offsets = np.r_[0, np.cumsum(lengths)[:-1]]
    index = np.repeat(page * days + start - offsets, lengths) + np.arange(int(lengths.sum()))
    with np.errstate(divide="ignore", invalid="ignore"):
        abroad = 100 * (1 - home_new.reshape(-1)[index] / page_new.reshape(-1)[index])
    high = abroad >= np.repeat(limit, lengths)
    step = np.arange(len(index)) - np.repeat(offsets, lengths)
    first = np.minimum.reduceat(np.where(high, step, np.iinfo(np.int64).max), offsets)
    last = np.maximum.reduceat(np.where(high, step, -1), offsets)
    found = last >= 0
    return np.where(found, start + first, start), np.where(found, start + last, stop)


def origin_shift(fan_counts: pd.DataFrame, **settings) -> pd.DataFrame:
    """Over `window` days, new fans come from abroad far more than the page's fans did before.

    Score: the share (%) of the window's new fans outside the home country
    minus the share of all fans outside it at the end of the day before the
    window, in percentage points (2016: about 78% of new fans abroad against
    about 43% of all fans, +35). Windows scoring `threshold` or more with at
    least `min_new_fans` new fans are flagged; overlapping windows make one
    period. `excess`: new fans from abroad beyond what the earlier mix
    predicts. `home` (default: each page's largest country) sets the home.
    """
    rows, _ = _origin_shift(FanGrid(fan_counts), settings_for("origin_shift", settings))
    return rows


def _origin_shift(grid: FanGrid, s: dict) -> tuple[pd.DataFrame, pd.Series]:
    window = s["window"]
    new = grid.new_fans()
    home = home_countries(grid, s["home"])
    pages = np.arange(len(grid.pages))
    page_new = page_new_fans(new)
    home_new = new[pages, home, :]
    total = np.where(np.isnan(grid.fans).all(axis=1), np.nan, np.nansum(grid.fans, axis=1))
    home_fans = grid.fans[pages, home, :]
    # window ending on day d: days d-window+1..d; base: the end of day d-window
    page_sum, page_days = _trailing(np.c_[page_new, np.full((len(pages), 1), np.nan)], window)
    home_sum, _ = _trailing(np.c_[home_new, np.full((len(pages), 1), np.nan)], window)
    page_sum, page_days, home_sum = page_sum[:, 1:], page_days[:, 1:], home_sum[:, 1:]
    base_abroad = np.full(page_new.shape, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        base_abroad[:, window:] = 100 * (1 - home_fans[:, :-window] / total[:, :-window])
        new_abroad = 100 * (1 - home_sum / page_sum)
    score = new_abroad - base_abroad
    score[(page_days < window) | ~(page_sum >= max(1, s["min_new_fans"]))] = np.nan
    peak = pd.Series(np.fmax.reduce(score, axis=1), index=grid.pages)  # NaN only where nothing was scored
    with np.errstate(invalid="ignore"):
        page, end_day = np.nonzero(score >= s["threshold"])
    run = _runs(page, end_day, 0)
    if len(run) == 0:
        return empty_rows(), peak
    first, last = _run_bounds(run)
    run_page, start_day, stop_day = page[first], end_day[first] - window + 1, end_day[last]
    top = np.maximum.reduceat(score[page, end_day], first)
    days = page_new.shape[1]
    period_new = _sum_over_spans(np.nan_to_num(page_new).reshape(-1), run_page * days + start_day,
                                 stop_day - start_day + 1)
    period_home = _sum_over_spans(np.nan_to_num(home_new).reshape(-1), run_page * days + start_day,
                                  stop_day - start_day + 1)
    base = base_abroad[run_page, start_day + window - 1]
    start_day, stop_day = _trim_to_high_days(page_new, home_new, run_page, start_day, stop_day, base + s["threshold"])
    period_new = _sum_over_spans(np.nan_to_num(page_new).reshape(-1), run_page * days + start_day,
                                 stop_day - start_day + 1)
    period_home = _sum_over_spans(np.nan_to_num(home_new).reshape(-1), run_page * days + start_day,
                                  stop_day - start_day + 1)
    excess = (period_new - period_home) - base / 100 * period_new
    share = 100 * (1 - period_home / period_new)
    notes = [NOTES["origin_shift"].format(share=a, base=b) for a, b in zip(share, base)]
    countries = np.array(grid.countries, dtype=object)[home[run_page]]
    notes = [f"Home: {c}. {n}" for c, n in zip(countries, notes)]
    rows = _rows("origin_shift", np.array(grid.pages, dtype=object)[run_page], None,
                 grid.days[start_day], grid.days[stop_day], True, top, s["threshold"], excess, notes)
    return rows, peak


# --- posts ------------------------------------------------------------------------

class PostDays:
    """Posts summed per page and local day (dense arrays page x day): posts, interactions, and the
    time (s) and fans at posting of each day's last post."""

    def __init__(self, posts: pd.DataFrame, tz: str = PAGE_TIME_ZONE):
        if posts is None or len(posts) == 0:
            raise ParameterError("the posts table is empty")
        page, self.pages = _codes(posts["page"])
        local = local_days(posts["posted_at"], tz).to_numpy(dtype="datetime64[ns]").view(np.int64)
        first = int(local.min())
        day = (local - first) // NS_PER_DAY
        self.first_day = pd.Timestamp(first)
        self.shape = (len(self.pages), int(day.max()) + 1)
        key = page * self.shape[1] + day
        cells = self.shape[0] * self.shape[1]
        seconds = posts["posted_at"].to_numpy(dtype="datetime64[ns]").view(np.int64) // 10**9
        # the POSTS schema requires both counts; a missing one counts as 0 here, never as NaN
        fans = posts["fans_at_posting"].to_numpy(dtype="float64", na_value=0.0)
        interactions = posts["interactions"].to_numpy(dtype="float64", na_value=0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            per_1000 = np.where(fans > 0, interactions / fans * 1000, 0.0)
        self.posts = np.bincount(key, minlength=cells).reshape(self.shape)
        self.interactions = np.bincount(key, weights=interactions, minlength=cells).reshape(self.shape)
        self.per_1000 = np.bincount(key, weights=per_1000, minlength=cells).reshape(self.shape)
        self.fans_sum = np.bincount(key, weights=fans, minlength=cells).reshape(self.shape)
        last = np.full(cells, np.iinfo(np.int64).min)
        np.maximum.at(last, key, seconds)
        at_last = seconds == last[key]
        last_fans = np.full(cells, -np.inf)
        np.maximum.at(last_fans, key[at_last], fans[at_last])
        self.last_second = last.reshape(self.shape)
        self.last_fans = np.where(np.isfinite(last_fans), last_fans, np.nan).reshape(self.shape)

    @property
    def days(self) -> pd.DatetimeIndex:
        return pd.date_range(self.first_day, periods=self.shape[1], freq="D").astype("datetime64[ns]")


def _rolling_median_before(values: np.ndarray, group_position: np.ndarray, window: int) -> np.ndarray:
    """Median of the `window` values before each one in its own group (groups are contiguous runs);
    NaN until a group has `window` values behind it."""
    rolled = pd.Series(values).rolling(window, min_periods=max(1, window // 2)).median().to_numpy()
    before = np.r_[np.nan, rolled[:-1]]
    before[group_position < window] = np.nan
    return before


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


# --- the whole screen ---------------------------------------------------------------

def split_settings(settings: dict) -> dict[str, dict]:
    """{'country_surge_window': 21, ...} -> {'country_surge': {'window': 21}, ...}; unknown names are errors."""
    by_signal: dict[str, dict] = {signal: {} for signal in SIGNALS}
    for name, value in settings.items():
        signal = next((s for s in SIGNALS if name.startswith(s + "_")), None)
        if signal is None:
            raise ParameterError(f"unknown screening setting {name!r} (settings start with a signal's name: "
                                 f"{', '.join(SIGNALS)})")
        by_signal[signal][name[len(signal) + 1:]] = value
    return {signal: settings_for(signal, given) for signal, given in by_signal.items()}


def screen(fan_counts: pd.DataFrame | None = None, posts: pd.DataFrame | None = None, *,
           tz: str = PAGE_TIME_ZONE, **settings) -> pd.DataFrame:
    """Every signal the tables allow, for every page: a table with `COLUMNS`, sorted.

    Settings are `<signal>_<name>` keywords (see DEFAULTS), e.g.
    `country_surge_threshold=5`. Flagged periods come with their score and
    note; a page and signal with none gets one row, flagged False, over the
    span of its data with its highest score; a signal the tables cannot feed
    gets one row per page saying so.
    """
    s = split_settings(settings)
    if (fan_counts is None or len(fan_counts) == 0) and (posts is None or len(posts) == 0):
        raise ParameterError("nothing to screen: neither fan counts nor posts")
    found, peaks, spans = [], {}, {}
    if fan_counts is not None and len(fan_counts):
        grid = FanGrid(fan_counts)
        for signal, run in (("country_surge", _country_surge), ("origin_shift", _origin_shift)):
            rows, peaks[signal] = run(grid, s[signal])
            found.append(rows)
        spans["fan_counts"] = _spans(grid)
        del grid
    if posts is not None and len(posts):
        days = PostDays(posts, tz)
        for signal, run in (("fan_jump", _fan_jump), ("engagement_dilution", _engagement_dilution)):
            rows, peaks[signal] = run(days, s[signal])
            found.append(rows)
        spans["posts"] = _post_spans(days)
    table = pd.concat([f for f in found if len(f)] or [empty_rows()], ignore_index=True)
    table = pd.concat([table, _quiet_rows(table, peaks, spans, s)], ignore_index=True)
    order = {signal: i for i, signal in enumerate(SIGNALS)}
    table = table.assign(_order=table["signal"].map(order)).sort_values(
        ["page", "_order", "start", "country", "flagged"], kind="stable").drop(columns="_order")
    return table.reset_index(drop=True)


def _spans(grid: FanGrid) -> pd.DataFrame:
    listed = ~np.isnan(grid.fans).all(axis=1)
    first, last = listed.argmax(axis=1), listed.shape[1] - 1 - listed[:, ::-1].argmax(axis=1)
    return pd.DataFrame({"start": grid.days[first], "end": grid.days[last]}, index=grid.pages)


def _post_spans(days: PostDays) -> pd.DataFrame:
    has = days.posts > 0
    first, last = has.argmax(axis=1), has.shape[1] - 1 - has[:, ::-1].argmax(axis=1)
    return pd.DataFrame({"start": days.days[first], "end": days.days[last]}, index=days.pages)


def _quiet_rows(found: pd.DataFrame, peaks: dict, spans: dict, s: dict) -> pd.DataFrame:
    """One row per page and signal that reported nothing: its highest score, or why it was not screened."""
    every = pd.concat(spans.values()).groupby(level=0).agg(start=("start", "min"), end=("end", "max"))
    reported = set(zip(found["page"], found["signal"]))
    parts = []
    for signal in SIGNALS:  # four signals, not pages or days
        quiet = [p for p in every.index if (p, signal) not in reported]
        span = spans.get(NEEDS[signal])
        held = [p for p in quiet if span is not None and p in span.index]
        missing = [p for p in quiet if p not in held]
        if held:
            peak = peaks[signal].reindex(held).to_numpy(dtype="float64")
            notes = np.where(np.isnan(peak), SHORT_NOTE.format(window=s[signal]["window"]), QUIET_NOTE)
            parts.append(_rows(signal, held, None, span.loc[held, "start"], span.loc[held, "end"], False, peak,
                               s[signal]["threshold"], np.where(np.isnan(peak), np.nan, 0.0), notes))
        if missing:
            note = f"Not screened: this signal needs {NEEDS[signal].replace('_', ' ')} of the page, which the data lack."
            parts.append(_rows(signal, missing, None, every.loc[missing, "start"], every.loc[missing, "end"], False,
                               np.full(len(missing), np.nan), s[signal]["threshold"],
                               np.full(len(missing), np.nan), [note] * len(missing)))
    return pd.concat(parts, ignore_index=True) if parts else empty_rows()


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
    new, page_new, pearson = _surge_arrays(grid, s["window"], s["min_expected"])
    c, days = grid.countries.index(code), pearson.shape[-1]
    positions = c * days + np.arange(days)
    score, expected, _ = _daily_scores(new, page_new, pearson, positions, s)
    noise = np.sqrt(np.maximum(expected, s["min_expected"])) * _surge_scale(pearson, positions, s["window"])
    return pd.DataFrame({
        "date": grid.days, "country": code, "new_fans": new[0, c], "expected": expected,
        "band_low": expected - s["threshold"] * noise, "band_high": expected + s["threshold"] * noise,
        "score": score, "page_new_fans": page_new[0]})


def country_mix(fan_counts: pd.DataFrame, page: str, start, end) -> pd.DataFrame:
    """Shares (%) by country of the new fans of START..END and of all fans at the end of the day before.

    Columns: country, new_fans, new_fans_share_pct, fans_before, fans_share_pct
    (countries listed at both ends; the rest of the world as ZZ, as `metrics.new_fans` counts it).
    """
    gained = new_fans(fan_counts, start, end, page)
    before = fans_on(fan_counts, gained.attrs["baseline_day"], page)
    new_shares = country_shares(gained).set_index("country")
    base = before.reindex([c for c in gained.index if c in before.index])
    if REST_OF_WORLD in gained.index and REST_OF_WORLD in before.index:
        base[REST_OF_WORLD] = before.drop(labels=[c for c in gained.index if c != REST_OF_WORLD]).sum()
    base_shares = country_shares(base).set_index("country")
    countries = [str(c) for c in gained.index]
    return pd.DataFrame({
        "country": countries,
        "new_fans": gained.to_numpy(dtype="float64", na_value=np.nan),
        "new_fans_share_pct": new_shares.loc[countries, "share_pct"].to_numpy(),
        "fans_before": base.reindex(countries).to_numpy(dtype="float64", na_value=np.nan),
        "fans_share_pct": base_shares["share_pct"].reindex(countries).to_numpy()})


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


def csv_ready(table: pd.DataFrame) -> pd.DataFrame:
    """The screen's table as screening.csv writes it: flagged as true/false, scores to 4 decimals."""
    return table.assign(flagged=np.where(table["flagged"], "true", "false"),
                        score=table["score"].round(4), excess=table["excess"].round(1))
