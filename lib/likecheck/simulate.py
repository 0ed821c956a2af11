"""What bought likes would look like: a seeded simulation for students.

A synthetic page gains fans organically (mostly domestic, KH, with a small
foreign share) and, from a purchase date, also gains likes bought from click
farms abroad. Bought fans never interact with posts, so interactions per
1,000 fans fall while the fan count rises: the pattern the 2016 reporting
described. Nothing here is data about a real page; the page name and
`SIMULATION_LABEL` say so wherever the frames or figures go.

`simulate` is pure (no files, no global random state) and deterministic: the
same parameters give identical frames. Every parameter is a plain value
(numbers, ISO date strings, a dict, a list of dicts) so papermill can pass it
to a notebook.

For the screen (`screening`) the page can also be made harder to read: some
genuine foreign fans listed under their own countries (`organic_foreign_mix`),
a page-wide viral surge that lifts every country and the interactions
together (`surge_*`), and more purchases (`extra_purchases`). Their defaults
leave the frames exactly as they were without them. `posts_only(sim)` is the
simulation as a CrowdTangle-like export would show it: posts and nothing else.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

import numpy as np
import pandas as pd

from .errors import ParameterError
from .labels import SIMULATION_LABEL  # noqa: F401  (the notebooks read simulate.SIMULATION_LABEL)
from .load import validate
from .schemas import COUNTRY_CODES, FAN_COUNTS, POSTS, REST_OF_WORLD

PAGE_NAME = "SIMULATED page (synthetic)"
HOME_COUNTRY = "KH"
#: Cambodia keeps UTC+7 all year; fan counts are per local day, posts are stamped in UTC.
PAGE_UTC_OFFSET = pd.Timedelta(hours=7)
SECONDS_PER_DAY = 86_400
#: Bounds that catch unit mistakes (a weekly number passed as daily, days as seconds)
#: before they build frames too large to be a teaching example.
MAX_DAYS = 3_660
MAX_POSTS_PER_DAY = 100
#: Where organic (genuine) foreign fans are counted: they come from many
#: countries, none listed on its own, so they are "rest of world".
ORGANIC_FOREIGN_COUNTRY = REST_OF_WORLD
DEFAULT_ORIGIN_MIX = MappingProxyType({"IN": 0.5, "PH": 0.3, "ZZ": 0.2})
#: Genuine foreign fans all counted as rest of world (ZZ), as before the screen needed more.
DEFAULT_ORGANIC_FOREIGN_MIX = MappingProxyType({ORGANIC_FOREIGN_COUNTRY: 1.0})
PURCHASE_KEYS = ("start", "days", "likes", "origin_mix")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, eq=False)  # eq=False: comparing DataFrames with == is not a truth value
class Simulation:
    """Two tables in the FAN_COUNTS and POSTS formats, and the parameters that made them."""
    fan_counts: pd.DataFrame | None
    posts: pd.DataFrame
    parameters: dict


def simulate(*, seed: int = 2016, start: str = "2015-10-01", days: int = 182,
             initial_fans: int = 2_000_000, organic_daily_new_fans: float = 5_000,
             organic_foreign_share: float = 0.05, purchase_start: str = "2016-01-01",
             purchase_days: int = 60, purchased_likes: int = 500_000,
             origin_mix: Mapping = DEFAULT_ORIGIN_MIX, posts_per_day: float = 3,
             interactions_per_post_per_1000_organic_fans: float = 10,
             organic_foreign_mix: Mapping = DEFAULT_ORGANIC_FOREIGN_MIX, surge_start: str = "",
             surge_days: int = 7, surge_factor: float = 1.0, extra_purchases=(),
             page_name: str = PAGE_NAME) -> Simulation:
    """Simulate a page's fans by country per day and its posts' interactions.

    The defaults are round numbers of the same order as the 2016 reporting,
    not estimates of any real page.

    - initial_fans: fans at the end of the day before `start`, split like organic fans.
    - organic_daily_new_fans: mean genuine new fans a day (Poisson); a share
      `organic_foreign_share` of them live abroad and are counted as ZZ.
    - purchase_start, purchase_days, purchased_likes: that many bought likes,
      spread at random over the purchase days, all inside the simulated days.
    - origin_mix: {country: share} of the bought likes (ISO alpha-2 or ZZ, not KH;
      shares add up to 1).
    - posts_per_day: mean posts a day (Poisson), so fractions are allowed.
    - interactions_per_post_per_1000_organic_fans: mean interactions a post gets
      per 1,000 genuine fans; bought fans never interact.
    - organic_foreign_mix: {country: share} of the genuine foreign fans (new and
      initial), e.g. {"IN": 0.3, "US": 0.2, "ZZ": 0.5}; default all ZZ.
    - surge_start, surge_days, surge_factor: a page-wide viral surge: on those
      days genuine new fans (every country alike) and the interactions of every
      post are `surge_factor` times the usual; "" (default) for none.
    - extra_purchases: more purchases, a list of {"start": ISO date, "days": n,
      "likes": n, "origin_mix": {country: share}}, each drawn like the first.
    - page_name: the page's name in the frames, to put several simulated pages
      side by side; it must say SIMULATED.
    """
    p = check_parameters(
        seed=seed, start=start, days=days, initial_fans=initial_fans,
        organic_daily_new_fans=organic_daily_new_fans, organic_foreign_share=organic_foreign_share,
        purchase_start=purchase_start, purchase_days=purchase_days,
        purchased_likes=purchased_likes, origin_mix=origin_mix, posts_per_day=posts_per_day,
        interactions_per_post_per_1000_organic_fans=interactions_per_post_per_1000_organic_fans,
        organic_foreign_mix=organic_foreign_mix, surge_start=surge_start, surge_days=surge_days,
        surge_factor=surge_factor, extra_purchases=extra_purchases, page_name=page_name)
    # One independent stream per mechanism, so that changing the purchase leaves
    # the organic growth and the posting times of the same seed unchanged (the
    # streams added for the screen come after the first four, which they leave as they were).
    streams = np.random.default_rng(p["seed"]).spawn(5 + len(p["extra_purchases"]))
    growth_rng, purchase_rng, posting_rng, engagement_rng, foreign_rng = streams[:5]
    organic = organic_new_fans(growth_rng, foreign_rng, p)
    bought = bought_new_fans(purchase_rng, p, main_purchase(p))
    for rng, purchase in zip(streams[5:], p["extra_purchases"]):
        for country, daily in bought_new_fans(rng, p, purchase).items():
            bought[country] = bought.get(country, 0) + daily
    fan_counts = fan_counts_frame(p, organic, bought)
    posts = posts_frame(posting_rng, engagement_rng, p, organic, bought)
    return Simulation(
        fan_counts=validate(f"simulated {FAN_COUNTS.filename}", fan_counts, FAN_COUNTS),
        posts=validate(f"simulated {POSTS.filename}", posts, POSTS),
        parameters=p,
    )


# --- parameters ---------------------------------------------------------------

def check_parameters(**given) -> dict:
    """The parameters, checked and normalised; a ParameterError naming the first bad one."""
    p = {
        "seed": whole("seed", given["seed"], minimum=0),
        "start": iso_date("start", given["start"]),
        "days": whole("days", given["days"], minimum=1, maximum=MAX_DAYS),
        "initial_fans": whole("initial_fans", given["initial_fans"], minimum=1),
        "organic_daily_new_fans": real("organic_daily_new_fans", given["organic_daily_new_fans"], minimum=0),
        "organic_foreign_share": real("organic_foreign_share", given["organic_foreign_share"],
                                      minimum=0, below=1),
        "purchase_start": iso_date("purchase_start", given["purchase_start"]),
        "purchase_days": whole("purchase_days", given["purchase_days"], minimum=1),
        "purchased_likes": whole("purchased_likes", given["purchased_likes"], minimum=0),
        "origin_mix": country_mix_shares("origin_mix", given["origin_mix"]),
        "posts_per_day": real("posts_per_day", given["posts_per_day"], minimum=0, maximum=MAX_POSTS_PER_DAY),
        "interactions_per_post_per_1000_organic_fans": real(
            "interactions_per_post_per_1000_organic_fans",
            given["interactions_per_post_per_1000_organic_fans"], minimum=0),
        "organic_foreign_mix": country_mix_shares("organic_foreign_mix", given["organic_foreign_mix"]),
        "surge_start": given["surge_start"] and iso_date("surge_start", given["surge_start"]),
        "surge_days": whole("surge_days", given["surge_days"], minimum=1),
        "surge_factor": real("surge_factor", given["surge_factor"], minimum=1, maximum=1000),
    }
    if p["posts_per_day"] == 0:
        raise ParameterError("posts_per_day: must be more than 0 (a page that never posts has no engagement)")
    inside_simulation(p, "purchase_start", p["purchase_start"], "purchase_days", p["purchase_days"])
    if p["surge_start"]:
        inside_simulation(p, "surge_start", p["surge_start"], "surge_days", p["surge_days"])
    p["extra_purchases"] = extra_purchase_list(p, given["extra_purchases"])
    if not isinstance(given["page_name"], str) or "SIMULATED" not in given["page_name"]:
        raise ParameterError(f"page_name: {given['page_name']!r} must say SIMULATED (it is not a real page)")
    p["page_name"] = given["page_name"]
    return p


def inside_simulation(p: dict, start_name: str, start: str, days_name: str, days: int) -> None:
    """A ParameterError unless `days` days from `start` lie inside the simulated days."""
    first_day, last_day = date.fromisoformat(p["start"]), last_simulated_day(p)
    first = date.fromisoformat(start)
    if not first_day <= first <= last_day:
        raise ParameterError(f"{start_name}: {start} is outside the simulated days "
                             f"{p['start']} to {last_day.isoformat()}")
    last = first + timedelta(days=days - 1)
    if last > last_day:
        raise ParameterError(f"{days_name}: the period would run to {last.isoformat()}, "
                             f"after the last simulated day {last_day.isoformat()}")


def extra_purchase_list(p: dict, value) -> list[dict]:
    """The extra purchases, each checked like the first: {start, days, likes, origin_mix}."""
    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
        raise ParameterError(f"extra_purchases: {value!r} is not a list of purchases")
    purchases = []
    for i, item in enumerate(value):
        name = f"extra_purchases[{i}]"
        if not isinstance(item, Mapping) or set(item) != set(PURCHASE_KEYS):
            raise ParameterError(f"{name}: {item!r} is not a purchase with exactly {', '.join(PURCHASE_KEYS)}")
        purchase = {"start": iso_date(f"{name}.start", item["start"]),
                    "days": whole(f"{name}.days", item["days"], minimum=1),
                    "likes": whole(f"{name}.likes", item["likes"], minimum=0),
                    "origin_mix": country_mix_shares(f"{name}.origin_mix", item["origin_mix"])}
        inside_simulation(p, f"{name}.start", purchase["start"], f"{name}.days", purchase["days"])
        purchases.append(purchase)
    return purchases


def main_purchase(p: dict) -> dict:
    return {"start": p["purchase_start"], "days": p["purchase_days"], "likes": p["purchased_likes"],
            "origin_mix": p["origin_mix"]}


def whole(name: str, value, *, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ParameterError(f"{name}: {value!r} is not a whole number")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"at least {minimum}" if maximum is None else f"from {minimum} to {maximum}"
        raise ParameterError(f"{name}: {value!r} must be {bound}")
    return int(value)


def real(name: str, value, *, minimum: float, maximum: float | None = None,
         below: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ParameterError(f"{name}: {value!r} is not a finite number")
    if value < minimum:
        raise ParameterError(f"{name}: {value!r} must be at least {minimum:g}")
    if maximum is not None and value > maximum:
        raise ParameterError(f"{name}: {value!r} must be at most {maximum:g}")
    if below is not None and value >= below:
        raise ParameterError(f"{name}: {value!r} must be below {below:g}")
    return float(value)


def iso_date(name: str, value) -> str:
    """A day as 'YYYY-MM-DD' (a datetime.date is accepted too); returned as that string."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ParameterError(f"{name}: {value!r} is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ParameterError(f"{name}: {value!r} is not a date (no such day)") from None


def country_mix_shares(name: str, value) -> dict[str, float]:
    """{country: share}: codes upper-cased, known, not the home country; shares add up to 1."""
    if not isinstance(value, Mapping) or not value:
        raise ParameterError(f"{name}: {value!r} is not a non-empty {{country: share}} mapping")
    mix: dict[str, float] = {}
    for code, share in value.items():
        country = code.strip().upper() if isinstance(code, str) else code
        if country not in COUNTRY_CODES:
            raise ParameterError(f"{name}: {code!r} is not an ISO 3166-1 alpha-2 country code (or ZZ)")
        if country == HOME_COUNTRY:
            raise ParameterError(f"{name}: {code!r} is the page's home country; "
                                 "these shares are of fans abroad")
        if country in mix:
            raise ParameterError(f"{name}: {country!r} appears more than once")
        mix[country] = real(f"{name}[{country!r}]", share, minimum=0)
    total = sum(mix.values())
    if not math.isclose(total, 1.0, rel_tol=0, abs_tol=1e-6):
        raise ParameterError(f"{name}: the shares add up to {total:g}, not 1")
    return mix


def last_simulated_day(p: dict) -> date:
    return date.fromisoformat(p["start"]) + timedelta(days=p["days"] - 1)


# --- fans ---------------------------------------------------------------------

@dataclass(frozen=True)
class OrganicNewFans:
    """Genuine fans: at the start, and new ones each day, at home and abroad."""
    initial_domestic: int
    initial_foreign: int
    domestic: np.ndarray  # new fans per day
    foreign: np.ndarray
    #: {country: (initial fans, new fans per day)} of the foreign ones (organic_foreign_mix)
    foreign_by_country: dict


def surge_days_mask(p: dict) -> np.ndarray:
    """True on the days of the viral surge (none without surge_start)."""
    mask = np.zeros(p["days"], dtype=bool)
    if p["surge_start"]:
        first = (date.fromisoformat(p["surge_start"]) - date.fromisoformat(p["start"])).days
        mask[first:first + p["surge_days"]] = True
    return mask


def daily_factor(p: dict) -> np.ndarray:
    """How many times the usual genuine growth and interactions each day has (the surge's factor, else 1)."""
    return np.where(surge_days_mask(p), p["surge_factor"], 1.0)


def organic_new_fans(rng: np.random.Generator, foreign_rng: np.random.Generator, p: dict) -> OrganicNewFans:
    share = p["organic_foreign_share"]
    initial_foreign = int(round(p["initial_fans"] * share))
    mean = p["organic_daily_new_fans"]
    new = rng.poisson(mean * daily_factor(p) if p["surge_start"] else mean, size=p["days"])
    foreign = rng.binomial(new, share)
    return OrganicNewFans(p["initial_fans"] - initial_foreign, initial_foreign, new - foreign, foreign,
                          split_foreign(foreign_rng, p, initial_foreign, foreign))


def split_foreign(rng: np.random.Generator, p: dict, initial: int, daily: np.ndarray) -> dict:
    """The genuine foreign fans by country: initial ones by share (rounded down, the rest to the
    first country), new ones each day a multinomial draw."""
    mix = p["organic_foreign_mix"]
    countries = list(mix)
    if len(countries) == 1:
        return {countries[0]: (initial, daily)}
    shares = np.array([mix[c] for c in countries], dtype=float)
    start = np.floor(initial * shares / shares.sum()).astype(np.int64)
    start[0] += initial - start.sum()
    new = rng.multinomial(daily, shares / shares.sum())
    return {c: (int(start[j]), new[:, j]) for j, c in enumerate(countries)}


def bought_new_fans(rng: np.random.Generator, p: dict, purchase: dict) -> dict[str, np.ndarray]:
    """New bought fans per day of one purchase, by origin country (in its origin_mix order).

    The total is exactly the purchase's likes: the days and the countries are
    multinomial draws, as a click farm delivers in uneven daily batches.
    """
    countries = list(purchase["origin_mix"])
    bought = np.zeros((p["days"], len(countries)), dtype=np.int64)
    first = (date.fromisoformat(purchase["start"]) - date.fromisoformat(p["start"])).days
    per_day = rng.multinomial(purchase["likes"], np.full(purchase["days"], 1 / purchase["days"]))
    shares = np.array([purchase["origin_mix"][c] for c in countries], dtype=float)
    bought[first:first + purchase["days"]] = rng.multinomial(per_day, shares / shares.sum())
    return {c: bought[:, j] for j, c in enumerate(countries)}


def country_columns(p: dict) -> list[str]:
    extra = {c for purchase in p["extra_purchases"] for c in purchase["origin_mix"]}
    return sorted({HOME_COUNTRY, ORGANIC_FOREIGN_COUNTRY, *p["origin_mix"], *p["organic_foreign_mix"], *extra})


def fans_by_country(p: dict, organic: OrganicNewFans, bought: dict[str, np.ndarray]) -> np.ndarray:
    """Lifetime fans at the end of each day (rows) per country (country_columns order)."""
    countries = country_columns(p)
    new = np.zeros((p["days"], len(countries)), dtype=np.int64)
    initial = np.zeros(len(countries), dtype=np.int64)
    new[:, countries.index(HOME_COUNTRY)] += organic.domestic
    initial[countries.index(HOME_COUNTRY)] = organic.initial_domestic
    for country, (start, daily) in organic.foreign_by_country.items():
        new[:, countries.index(country)] += daily
        initial[countries.index(country)] += start
    for country, daily in bought.items():
        new[:, countries.index(country)] += daily
    return initial + np.cumsum(new, axis=0)


def simulated_days(p: dict) -> pd.DatetimeIndex:
    return pd.date_range(p["start"], periods=p["days"], freq="D").astype("datetime64[ns]")


def fan_counts_frame(p: dict, organic: OrganicNewFans, bought: dict[str, np.ndarray]) -> pd.DataFrame:
    countries = country_columns(p)
    fans = fans_by_country(p, organic, bought)
    return pd.DataFrame({
        "page": pd.Series([p["page_name"]] * fans.size, dtype=object),
        "date": np.repeat(simulated_days(p).to_numpy(), len(countries)),
        "country": pd.Categorical(np.tile(countries, p["days"]), categories=countries),
        "fans": pd.array(fans.ravel(), dtype="Int64"),
    })


# --- posts --------------------------------------------------------------------

def posts_frame(posting_rng: np.random.Generator, engagement_rng: np.random.Generator,
                p: dict, organic: OrganicNewFans, bought: dict[str, np.ndarray]) -> pd.DataFrame:
    """One row per post: when, the page's fans then, and the interactions it got.

    Fans at posting are the previous day's end count plus the part of the day's
    new fans that arrived before the post (new fans arrive evenly over the day).
    Interactions are Poisson with a mean proportional to organic fans only
    (times the surge's factor on its days: a viral post's reach).
    """
    per_day = posting_rng.poisson(p["posts_per_day"], size=p["days"])
    day = np.repeat(np.arange(p["days"]), per_day)
    second = posting_rng.integers(0, SECONDS_PER_DAY, size=day.size)
    order = np.lexsort((second, day))  # by day, then time of day
    day, second = day[order], second[order]
    fraction = second / SECONDS_PER_DAY

    organic_new = organic.domestic + organic.foreign
    organic_before = organic.initial_domestic + organic.initial_foreign + np.cumsum(organic_new) - organic_new
    bought_new = sum(bought.values(), np.zeros(p["days"], dtype=np.int64))
    bought_before = np.cumsum(bought_new) - bought_new
    organic_at_posting = organic_before[day] + np.floor(organic_new[day] * fraction).astype(np.int64)
    bought_at_posting = bought_before[day] + np.floor(bought_new[day] * fraction).astype(np.int64)
    mean = p["interactions_per_post_per_1000_organic_fans"] * organic_at_posting / 1000
    if p["surge_start"]:
        mean = mean * daily_factor(p)[day]
    interactions = engagement_rng.poisson(mean)

    local_midnight = simulated_days(p)[day]
    posted_at = (local_midnight + pd.to_timedelta(second, unit="s") - PAGE_UTC_OFFSET).tz_localize("UTC")
    post_numbers = np.arange(1, day.size + 1)
    width = len(str(day.size))
    return pd.DataFrame({
        "page": pd.Series([p["page_name"]] * day.size, dtype=object),
        "post_id": pd.Series([f"sim-{n:0{width}d}" for n in post_numbers], dtype=object),
        "posted_at": pd.DatetimeIndex(posted_at).astype("datetime64[ns, UTC]"),
        "interactions": pd.array(interactions, dtype="Int64"),
        "fans_at_posting": pd.array(organic_at_posting + bought_at_posting, dtype="Int64"),
        "message": pd.Series([f"Simulated post {n} (synthetic)" for n in post_numbers], dtype=object),
    })


def posts_only(sim: Simulation) -> Simulation:
    """The simulation as a posts-only export (CrowdTangle) shows it: the posts, no fan counts."""
    return Simulation(fan_counts=None, posts=sim.posts, parameters=sim.parameters)
