"""Fan counts on a dense (page, country, day) grid, which both fan-count signals read."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..schemas import REST_OF_WORLD
from .arrays import _codes
from .settings import MAX_CELLS, NS_PER_DAY

# --- fan counts on a dense grid -------------------------------------------------

def check_shape(shape: tuple[int, int, int]) -> None:
    """A ParameterError when a grid of (pages, countries, days) is too large to screen at once."""
    if shape[0] * shape[1] * shape[2] > MAX_CELLS:
        raise ParameterError(f"the fan counts span {shape[2]:,} days of {shape[0]:,} pages and "
                             f"{shape[1]} countries: too many to screen at once; screen fewer pages (PAGE=)")


def check_grid_size(fan_counts: pd.DataFrame) -> None:
    """The check FanGrid makes, without making the grid: for the command line, before OUT is made."""
    dates = fan_counts["date"]
    check_shape((fan_counts["page"].nunique(), fan_counts["country"].nunique(),
                 (dates.max() - dates.min()).days + 1))


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
        check_shape(shape)
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


def _spans(grid: FanGrid) -> pd.DataFrame:
    listed = ~np.isnan(grid.fans).all(axis=1)
    first, last = listed.argmax(axis=1), listed.shape[1] - 1 - listed[:, ::-1].argmax(axis=1)
    return pd.DataFrame({"start": grid.days[first], "end": grid.days[last]}, index=grid.pages)
