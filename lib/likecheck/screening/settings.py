"""The screen's settings: the signals, their defaults, and the check of what a caller gives."""

from __future__ import annotations

import numpy as np

from ..errors import ParameterError

SIGNALS = ("country_surge", "fan_jump", "origin_shift", "engagement_dilution")


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
