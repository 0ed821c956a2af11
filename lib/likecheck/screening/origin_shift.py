"""origin_shift: over a window, new fans come from abroad far more than the page's fans did before."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..labels import country_name
from ..lists import day_list
from ..metrics import country_shares, fans_on, new_fans
from ..schemas import REST_OF_WORLD
from .arrays import _run_bounds, _runs, _sum_over_spans, _trailing
from .grid import FanGrid, home_countries, page_new_fans
from .rows import NOTES, _rows, empty_rows
from .settings import settings_for

# --- origin_shift -----------------------------------------------------------------
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
    # "abroad" exists only where the total does (lists.py): without ZZ on the base day, the share
    # abroad would be a share of the listed countries, not of the page
    rest = (~np.isnan(grid.fans[:, grid.countries.index(REST_OF_WORLD), :]) if REST_OF_WORLD in grid.countries
            else np.zeros(page_new.shape, dtype=bool))
    base_abroad[:, window:][~rest[:, :-window]] = np.nan
    score = new_abroad - base_abroad
    full = page_days >= window
    score[~full | ~(page_sum >= max(1, s["min_new_fans"]))] = np.nan
    peak = pd.Series(np.fmax.reduce(score, axis=1), index=grid.pages)  # NaN only where nothing was scored
    why = _why_not_scored(grid, full, page_sum, window, s["min_new_fans"])
    for page in np.asarray(grid.pages, dtype=object)[~rest.any(axis=1)]:  # text only, for pages without a total
        why[page] = ("Not screened: origin_shift needs the page's total (the rest of the world), which the "
                     "export does not give; shares of the listed countries are not shares of the page.")
    peak.attrs["why"] = why
    with np.errstate(invalid="ignore"):
        page, end_day = np.nonzero(score >= s["threshold"])
    run = _runs(page, end_day, 0)
    if len(run) == 0:
        return empty_rows(), peak
    first, last = _run_bounds(run)
    run_page, start_day, stop_day = page[first], end_day[first] - window + 1, end_day[last]
    top = np.maximum.reduceat(score[page, end_day], first)
    days = page_new.shape[1]
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
    notes = [f"Home: {country_name(c)}. {n}" for c, n in zip(countries, notes)]  # a name, not a code
    rows = _rows("origin_shift", np.array(grid.pages, dtype=object)[run_page], None,
                 grid.days[start_day], grid.days[stop_day], True, top, s["threshold"], excess, notes)
    return rows, peak


def _why_not_scored(grid: FanGrid, full: np.ndarray, page_sum: np.ndarray, window: int, minimum: int) -> dict:
    """Each page's reason for no score, naming the minimum missed: too few days, or too few new fans."""
    with np.errstate(invalid="ignore"):
        most = np.nanmax(np.where(full, page_sum, -np.inf), axis=1, initial=-np.inf)
    days = np.count_nonzero(~np.isnan(grid.fans).all(axis=1), axis=1)
    return {page: (f"Too little data to screen: a window needs {window} days of new fans (a count on each day "
                   f"and the day before); the data hold {n} days of counts." if not f.any() else
                   f"Too little data to screen: a window needs at least {max(1, minimum):,} new fans or followers "
                   f"(min_new_fans); the most in any {window} days was {max(m, 0):,.0f}.")
            for page, f, m, n in zip(grid.pages, full, most, days)}


#: What the shares of `country_mix` are of, where the export gives no page total at either end.
OF_LISTED = "the countries listed at both ends (no page total in the export)"


def country_mix(fan_counts: pd.DataFrame, page: str, start, end) -> pd.DataFrame:
    """Shares (%) by country of the new fans of START..END and of all fans at the end of the day before.

    Where the export gives the page's total at both ends: columns country, new_fans,
    new_fans_share_pct, fans_before, fans_share_pct, every value exact (countries listed at both
    ends; the rest of the world as ZZ, as `metrics.new_fans` counts it, which keeps the total right).

    Where it does not (a Graph API response without page_fans), the page's new fans are unknown, so
    no share of them is stated and no rest of the world exists: the shares are of the countries
    listed at both ends (exact, `share_of` = OF_LISTED, `attrs['share_of']` too), and a country
    listed at one end only is a row of its own with its change as an interval (`low`, `high`,
    `kind` as in `lists`; `new_fans` and the shares blank: it is in no denominator), its count
    before likewise (`fans_before_low`, `fans_before_high`).
    """
    gained = new_fans(fan_counts, start, end, page)
    if gained.attrs["left_out"] or REST_OF_WORLD not in gained.index:
        return _mix_of_listed(fan_counts, page, gained)
    before = fans_on(fan_counts, gained.attrs["baseline_day"], page)
    new_shares = country_shares(gained).set_index("country")
    base = before.reindex([c for c in gained.index if c in before.index])
    if REST_OF_WORLD in gained.index and REST_OF_WORLD in before.index:
        base[REST_OF_WORLD] = before.drop(labels=[c for c in gained.index if c != REST_OF_WORLD]).sum()
    base_shares = country_shares(base).set_index("country")
    countries = [str(c) for c in gained.index]
    mix = pd.DataFrame({
        "country": countries,
        "new_fans": gained.to_numpy(dtype="float64", na_value=np.nan),
        "new_fans_share_pct": new_shares.loc[countries, "share_pct"].to_numpy(),
        "fans_before": base.reindex(countries).to_numpy(dtype="float64", na_value=np.nan),
        "fans_share_pct": base_shares["share_pct"].reindex(countries).to_numpy()})
    mix.attrs["share_of"] = ""
    return mix


def _shares(values: np.ndarray) -> np.ndarray:
    """Shares (%) of a positive sum; blank (NaN) otherwise (a share of a loss reads backwards)."""
    total = np.nansum(values)
    return 100 * values / total if total > 0 else np.full(len(values), np.nan)


def _mix_of_listed(fan_counts: pd.DataFrame, page: str, gained: pd.Series) -> pd.DataFrame:
    """`country_mix` without the page's total: shares of the countries listed at both ends; the
    countries listed at one end only with their intervals (`lists.DayList.country`)."""
    page = str(page) if page is not None else str(fan_counts["page"].iloc[0])
    before = day_list(fan_counts, None, page, gained.attrs["baseline_day"])
    after = day_list(fan_counts, None, page, gained.attrs["end"])
    both = [str(c) for c in gained.index]
    one_end = [c for c in sorted((set(before.counts) ^ set(after.counts)) - {REST_OF_WORLD})]
    changes = [after.country(c) - before.country(c) for c in both + one_end]
    counts = [before.country(c) for c in both + one_end]
    new = np.array([c.value for c in changes])
    old = np.array([c.value for c in counts])
    new_share, old_share = np.full(len(new), np.nan), np.full(len(new), np.nan)
    new_share[:len(both)] = _shares(new[:len(both)])
    old_share[:len(both)] = _shares(old[:len(both)])
    mix = pd.DataFrame({
        "country": both + one_end, "new_fans": new, "low": [c.low for c in changes],
        "high": [c.high for c in changes], "kind": [c.kind for c in changes],
        "new_fans_share_pct": new_share, "fans_before": old,
        "fans_before_low": [c.low for c in counts], "fans_before_high": [c.high for c in counts],
        "fans_share_pct": old_share, "share_of": [OF_LISTED] * len(both) + [""] * len(one_end)})
    mix.attrs["share_of"] = OF_LISTED
    return mix
