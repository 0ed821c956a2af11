"""The posts side: posts summed per page and local day, which both post signals read."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..metrics import PAGE_TIME_ZONE, local_days
from .arrays import _codes
from .settings import NS_PER_DAY

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


def _post_spans(days: PostDays) -> pd.DataFrame:
    has = days.posts > 0
    first, last = has.argmax(axis=1), has.shape[1] - 1 - has[:, ::-1].argmax(axis=1)
    return pd.DataFrame({"start": days.days[first], "end": days.days[last]}, index=days.pages)
