"""The numerics every signal shares: integer codes, trailing sums and medians, runs of flagged days."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .settings import GATHER_CHUNK

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
    if n > window:  # fewer days than the window: every sum is a running total (the slice below would be empty)
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


def _sum_over_spans(flat: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Sum of flat[start:start+length] for each span (vectorised: one gather, one reduceat)."""
    if len(starts) == 0:
        return np.zeros(0)
    offsets = np.r_[0, np.cumsum(lengths)[:-1]]
    index = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))
    return np.add.reduceat(flat[index], offsets)
