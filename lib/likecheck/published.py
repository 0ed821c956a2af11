"""Tables of the published numbers, shaped for the figures: selection, never new numbers.

Each function takes the loaded observations (and reference figures), picks
the rows a figure needs and computes what the articles imply (a remainder, a
share) in code. Every output row says whether it was published or computed.
"""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pandas as pd

from .dates import parse_window, span_label
from .errors import ParameterError
from .schemas import ASSUMED, PAGE_HOME_COUNTRY, PAGE_LABELS

PUBLISHED = "published"


#: Added to the label of a period or date the articles give only in words ("the previous month"),
#: so every figure, alt text and CSV drawing it says the dates are ours (observations.date_basis).
ASSUMED_MARK = " (assumed)"


def assumed_dates(rows: pd.DataFrame) -> pd.Series:
    """For each observation, whether its dates are our assumption (date_basis 'assumed')."""
    if "date_basis" not in rows:
        return pd.Series(False, index=rows.index)
    return rows["date_basis"].eq(ASSUMED).fillna(False).astype(bool)


def dated_label(start: pd.Timestamp, end: pd.Timestamp, assumed: bool) -> str:
    """span_label, marked "(assumed)" when the dates are our reading of the articles' words."""
    return span_label(start, end) + (ASSUMED_MARK if assumed else "")


def assumed_caption(table: pd.DataFrame, label_column: str) -> str:
    """The caption's sentence naming the assumed windows a figure draws (empty when none):
    " The window 8 Feb-8 Mar 2016 is assumed: ... the exact dates were not published."."""
    if "dates_assumed" not in table:
        return ""
    labels = list(dict.fromkeys(table.loc[table["dates_assumed"].astype(bool), label_column]))
    if not labels:
        return ""
    spans = " and ".join(label.removesuffix(ASSUMED_MARK) for label in labels)
    which = f"The window {spans} is" if len(labels) == 1 else f"The windows {spans} are"
    return f" {which} assumed: our reading of the articles' words; the exact dates were not published."


def in_window(obs: pd.DataFrame, start, end) -> pd.DataFrame:
    """Observations whose whole span lies inside [start, end]; none is a ParameterError."""
    first, last = parse_window(start, end)
    dated = obs.dropna(subset=["date_start"])
    inside = obs[(obs["date_start"] >= first) & (obs["date_end"] <= last)]
    if inside.empty:
        raise ParameterError(
            f"no published observations lie within {first:%Y-%m-%d} to {last:%Y-%m-%d}; "
            f"the published record holds {dated['date_start'].min():%Y-%m-%d} to {dated['date_end'].max():%Y-%m-%d}")
    return inside


def coverage(obs: pd.DataFrame, start, end, page: str | None = None) -> dict:
    """What the published record says of a window: the dated observations lying wholly inside it, those
    it cuts (overlapping it, not inside: a rerun leaves them out), and the days of the window that no
    published period inside it covers. {'inside': rows, 'cut': rows, 'uncovered': [days]}."""
    first, last = parse_window(start, end)
    dated = obs.dropna(subset=["date_start"])
    if page is not None:
        dated = dated[dated["page"] == page]
    overlaps = dated[(dated["date_start"] <= last) & (dated["date_end"] >= first)]
    inside = overlaps[(overlaps["date_start"] >= first) & (overlaps["date_end"] <= last)]
    cut = overlaps.drop(index=inside.index)
    days = pd.date_range(first, last, freq="D")
    covered = pd.Series(False, index=days)
    for begin, finish in zip(inside["date_start"], inside["date_end"]):  # a few dozen published periods
        covered[begin:finish] = True
    return {"inside": inside, "cut": cut, "uncovered": list(days[~covered.to_numpy()])}


def select(obs: pd.DataFrame, *, metric: str, page: str | None = None, **equal) -> pd.DataFrame:
    rows = obs[obs["metric"] == metric]
    if page is not None:
        rows = rows[rows["page"] == page]
    for column, value in equal.items():
        rows = rows[rows[column] == value]
    return rows


def value_of(obs: pd.DataFrame, observation_id: str) -> float:
    return float(obs.loc[obs["observation_id"] == observation_id, "value"].iloc[0])


def row_of(obs: pd.DataFrame, observation_id: str) -> pd.Series:
    return obs.loc[obs["observation_id"] == observation_id].iloc[0]


def printed_bounds(value: float, qualifier: str, as_printed: str | None = None) -> tuple[float, float]:
    """The interval a printed number stands for: its rounding, or the side a hedge allows.

    '3.2 million' is 3.15 to 3.25 million; '57.6' is 57.55 to 57.65; 'more
    than 90' is above 90. 'about' and 'approximately' keep the rounding of the
    digits shown (the articles say no more than that). Given the words as
    printed, zeros the writer chose to print count as digits ('80%' is 79.5 to
    80.5, '10 million' is 9.5 to 10.5 million), except the zeros that fill out
    thousands ('151,000' is rounded to the thousand: 150,500 to 151,500).
    """
    if qualifier == "more than":
        return value, np.inf
    if qualifier == "less than":
        return -np.inf, value
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    digits = _PRINTED_DIGITS.search(as_printed or "")
    if digits and "," not in digits.group(0):
        shown = Decimal(digits.group(0))
        exponent = shown.as_tuple().exponent + (Decimal(repr(float(value))) / shown).adjusted()
    half = 0.5 * 10.0 ** exponent
    return value - half, value + half


#: The digits of a printed number ('10' in '10 million riel', '57.6' in '57.6 per cent').
_PRINTED_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


def new_fans_by_origin(obs: pd.DataFrame, start, end, page: str = "hun_sen") -> pd.DataFrame:
    """New fans in each published period inside the window: Cambodia, India, the rest.

    Where two articles report the same period, the one whose rows come first
    in observations.csv is drawn (there: the earlier publication) and the
    others are listed in `also_reported_by`; the ledger checks they agree. 'Rest of world' is the
    published total minus the countries listed: computed, never typed in.
    """
    rows = select(in_window(obs, start, end), metric="new_fans", page=page)
    if rows.empty:
        raise ParameterError(f"no published new-fan counts for page {page!r} within {start} to {end}")
    out = []
    for (first, last), period in rows.groupby(["date_start", "date_end"], sort=True):
        sources = list(dict.fromkeys(period["source_id"]))
        chosen = period[period["source_id"] == sources[0]]
        total = chosen[chosen["country"].isna()]
        listed = chosen[chosen["country"].isin(["KH", "IN"])]
        if total.empty:
            continue
        total_value = float(total["value"].iloc[0])
        assumed = bool(assumed_dates(chosen).any())
        records = [(r.country, r.value, PUBLISHED, r.qualifier, r.observation_id) for r in listed.itertuples()]
        rest = total_value - listed["value"].sum()
        records.append(("ZZ", rest, "computed: total minus the countries listed", total["qualifier"].iloc[0], ""))
        for country, value, basis, qualifier, oid in records:
            out.append({"period": dated_label(first, last, assumed), "period_start": first, "period_end": last,
                        "origin": country, "new_fans": value,
                        "share_pct": 100 * value / total_value, "basis": basis,
                        "qualifier": qualifier, "observation_id": oid, "source_id": sources[0],
                        "also_reported_by": ";".join(sources[1:]), "dates_assumed": assumed})
    table = pd.DataFrame(out)
    order = table["origin"].map({"KH": 0, "IN": 1, "ZZ": 2})
    return table.assign(_order=order).sort_values(["period_start", "_order"], kind="stable") \
        .drop(columns="_order").reset_index(drop=True)


def home_versus_abroad(by_origin: pd.DataFrame) -> pd.DataFrame:
    """Collapse origins to Cambodia against abroad, per period.

    Cambodia keeps its row's basis (published, or computed from an export);
    a share stays absent where the origins' shares were (min_count=1).
    Extra columns of `by_origin` that hold one value per period (audience,
    shares_note) are kept.
    """
    origin = np.where(by_origin["origin"] == "KH", "KH", "abroad")
    per_period = [c for c in ("audience", "shares_note", "dates_assumed") if c in by_origin]
    grouped = (by_origin.assign(origin=origin)
               .groupby(["period_start", "period_end", "period", "origin"], sort=True, observed=True)
               .agg(new_fans=("new_fans", "sum"), share_pct=("share_pct", lambda s: s.sum(min_count=1)),
                    source_id=("source_id", "first"), basis=("basis", "first"),
                    **{c: (c, "first") for c in per_period})
               .reset_index())
    grouped["basis"] = grouped["basis"].where(grouped["origin"] == "KH", "computed: total minus Cambodia")
    if "qualifier" in by_origin:  # a sum resting on an approximate number is approximate
        approximate = (by_origin.assign(origin=origin, approximate=by_origin["qualifier"] != "exact")
                       .groupby(["period", "origin"], observed=True)["approximate"].any())
        grouped["qualifier"] = [("approximately" if approximate.get((p, o), False) else "exact")
                                for p, o in zip(grouped["period"], grouped["origin"])]
    return grouped


def fan_shares(obs: pd.DataFrame, start, end, page: str = "hun_sen") -> pd.DataFrame:
    """Published shares of all the page's fans by country, at each report date in the window."""
    rows = select(in_window(obs, start, end), metric="fans_share", page=page)
    table = rows[["source_id", "date_start", "date_end", "country", "value", "qualifier", "observation_id"]]
    assumed = assumed_dates(rows)
    table = table.rename(columns={"value": "share_pct"}).assign(
        as_of=[dated_label(a, b, m) for a, b, m in zip(rows["date_start"], rows["date_end"], assumed)],
        dates_assumed=assumed.to_numpy())
    return table.sort_values(["date_end", "country", "source_id"]).reset_index(drop=True)


def home_shares(obs: pd.DataFrame) -> pd.DataFrame:
    """Each page's share of fans from its home country, as published (all dates)."""
    shares = obs[(obs["metric"] == "fans_share")].copy()
    shares = shares[[PAGE_HOME_COUNTRY[p] == c for p, c in zip(shares["page"], shares["country"])]]
    shares["page_label"] = shares["page"].astype(str).map(PAGE_LABELS)
    shares["dates_assumed"] = assumed_dates(shares)
    shares["as_of"] = [dated_label(a, b, m) for a, b, m in
                       zip(shares["date_start"], shares["date_end"], shares["dates_assumed"])]
    return shares[["page", "page_label", "country", "as_of", "date_end", "value", "qualifier",
                   "source_id", "observation_id", "dates_assumed"]].rename(columns={"value": "home_share_pct"}) \
        .sort_values(["page", "date_end", "source_id"]).reset_index(drop=True)


def weekly_engagement_as_published(obs: pd.DataFrame, start, end, page: str = "hun_sen") -> pd.DataFrame:
    """Published weekly interactions per 1,000 fans, with week-on-week and total change."""
    rows = select(in_window(obs, start, end), metric="interactions_per_1000_fans", page=page,
                  timing="over").sort_values("date_start")
    if rows.empty:
        raise ParameterError(f"no published weekly engagement for page {page!r} within {start} to {end}")
    values = rows["value"].to_numpy(dtype=float)
    table = pd.DataFrame({
        "week_start": rows["date_start"].to_numpy(), "week_end": rows["date_end"].to_numpy(),
        "interactions_per_1000_fans": values,
        "change": np.r_[np.nan, np.diff(values)],
        "change_pct": np.r_[np.nan, 100 * np.diff(values) / values[:-1]],
        "change_since_first_pct": 100 * (values / values[0] - 1),
        "source_id": rows["source_id"].astype(str).to_numpy(),
        "observation_id": rows["observation_id"].to_numpy()})
    return table


def reference_value(ref: pd.DataFrame, country: str, indicator: str, year: int, source_id: str | None = None) -> float:
    rows = ref[(ref["country"] == country) & (ref["indicator"] == indicator) & (ref["year"] == year)]
    if source_id is not None:
        rows = rows[rows["source_id"] == source_id]
    return float(rows["value"].iloc[0])


def internet_estimates(obs: pd.DataFrame, ref: pd.DataFrame, country: str, year: int = 2016) -> pd.DataFrame:
    """Every published estimate of a country's internet users (2014-2016), as a head count.

    Shares are applied to that year's population; a share given as 'less than'
    or 'more than' becomes a bound and says so. Surveys of part of the
    population (Open Institute: aged 15-65) are applied to the whole and flagged.
    """
    population = reference_value(ref, country, "population", year)
    rows = []
    for r in ref[(ref["country"] == country) & ref["indicator"].isin(["internet_users_share", "internet_users", "internet_ever_used_share"])].itertuples():
        users = r.value if r.unit == "persons" else population * r.value / 100
        rows.append({"estimate": f"{r.source_id} {r.year}", "source_id": r.source_id, "year": int(r.year),
                     "internet_users": users, "qualifier": r.qualifier,
                     "note": (r.note if isinstance(r.note, str) else "") +
                             ("" if r.population_scope == "total" else f" (survey of people {r.population_scope}, applied to all)")})
    for r in select(obs, metric="internet_penetration", country=country).itertuples():
        rows.append({"estimate": f"{r.source_id} (as printed)", "source_id": r.source_id, "year": int(r.date_end.year),
                     "internet_users": population * r.value / 100, "qualifier": r.qualifier,
                     "note": f"'{r.as_printed}': a bound, not a value"})
    table = pd.DataFrame(rows)
    table["internet_share_pct"] = 100 * table["internet_users"] / population
    table["population"] = population
    return table.sort_values(["internet_users", "estimate"]).reset_index(drop=True)


def page_comparison(obs: pd.DataFrame, ref: pd.DataFrame, source_id: str = "bbc2016", year: int = 2016) -> pd.DataFrame:
    """Likes, home share, likes per 100 home-country people and per 100 internet users.

    Uses the one article that compares the four pages (BBC Trending), so the
    pages are compared at one date; one row per page and internet estimate, so
    the disagreement between internet sources shows as a range.
    """
    out = []
    for page, home in PAGE_HOME_COUNTRY.items():
        likes = select(obs, metric="fans", page=page, source_id=source_id)
        likes = likes[likes["country"].isna()].iloc[0]
        shares = select(obs, metric="fans_share", page=page, source_id=source_id, country=home)
        shares = shares[shares["date_end"] == likes["date_end"]]
        home_share = float(shares["value"].iloc[0]) if not shares.empty else np.nan
        home_share_qualifier = shares["qualifier"].iloc[0] if not shares.empty else ""
        population = reference_value(ref, home, "population", year)
        for net in internet_estimates(obs, ref, home, year).itertuples():
            out.append({
                "page": page, "page_label": PAGE_LABELS[page], "home_country": home,
                "likes": likes["value"], "likes_qualifier": likes["qualifier"],
                "home_share_pct": home_share, "home_share_qualifier": home_share_qualifier,
                "home_likes": likes["value"] * home_share / 100,
                "population": population,
                "internet_estimate": net.estimate, "internet_share_pct": net.internet_share_pct,
                "internet_users": net.internet_users,
                # the record's own doubt about an estimate (reference.csv's note starts FLAGGED)
                "internet_estimate_suspect": str(net.note).startswith("FLAGGED"),
                "likes_per_100_people": 100 * likes["value"] / population,
                "likes_per_100_internet_users": 100 * likes["value"] / net.internet_users,
                "home_likes_per_100_internet_users": 100 * likes["value"] * home_share / 100 / net.internet_users,
                "source_id": source_id,
            })
    return pd.DataFrame(out)
