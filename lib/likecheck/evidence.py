"""One set of calls for the notebooks, whatever the data: the published snapshot or an export.

With `data` empty the tables come from the published observations
(`published`); with `data` naming a file or folder they are computed from
the fact-checker's own export (`importers` + `activity`). Either way a table
has the same columns, so the same figure functions draw it, and every row
says where it came from (`basis`, `source_id`).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import lists, metrics, load, published
from .errors import ParameterError
from .dates import parse_window, span_label
from .labels import cite, country_code, place_name, publication_name
from .schemas import REST_OF_WORLD

EXPORT = "export"
#: How many countries beside home are drawn: as many as the 2016 reporting named (India, the
#: Philippines, Indonesia, Myanmar, Brazil, Mexico, Turkey).
DEFAULT_TOP = 7
FROM_EXPORT = "computed from the export"


@dataclass(frozen=True)
class Evidence:
    record: load.PublishedRecord         # always loaded: it holds the sources to cite
    imported: object | None = None       # importers.Imported when rerun on an export
    data: str = ""

    @property
    def is_export(self) -> bool:
        return self.imported is not None

    @property
    def fan_counts(self) -> pd.DataFrame:
        table = self.imported.fan_counts if self.is_export else None
        if table is None:
            raise ParameterError(f"{self.data}: the export holds no fan counts by country")
        return table

    @property
    def posts(self) -> pd.DataFrame:
        table = self.imported.posts if self.is_export else None
        if table is None:
            raise ParameterError(f"{self.data}: the export holds no posts")
        return table


def open_evidence(data: str = "", data_format: str = "", page: str = "", zone: str = "") -> Evidence:
    """The published record, plus the imported export when `data` names one: a raw export (a file or
    folder), or the import `make rerun` and `make screen` saved into OUT/data/ (importers/saved.py);
    `zone`: the ZONE parameter (importers/zones.py)."""
    record = load.load_record()
    if not data:
        return Evidence(record)
    from .importers import import_exports
    imported = import_exports(Path(data), format=data_format or None, page=page or None, zone=zone or None)
    return Evidence(record, imported, imported.source or str(data))


def page_name(ev: Evidence, page: str) -> str:
    """The page as a caption names it: the export's own label, or the published page's ('Hun Sen')."""
    if ev.is_export:
        return page
    from .schemas import PAGE_LABELS
    return PAGE_LABELS.get(page, page)


def hedged_totals(ev: Evidence, by_origin: pd.DataFrame, page: str) -> str:
    """" (the published 8-13 Mar 2016 total is 'approximately 151,000')": each period drawn whose published
    total is hedged, as printed; '' when none is (a caption says only what its figure draws)."""
    obs = ev.record.observations
    said = []
    for start, end in by_origin[["period_start", "period_end"]].drop_duplicates().itertuples(index=False):
        total = obs[(obs["metric"] == "new_fans") & (obs["page"] == page) & (obs["date_start"] == start)
                    & (obs["date_end"] == end) & obs["country"].isna() & (obs["qualifier"] != "exact")]
        for row in total.itertuples():
            period = span_label(start, end)
            printed = str(row.as_printed)
            hedge = "" if printed.casefold().startswith(str(row.qualifier).casefold()) else f"{row.qualifier} "
            said.append(f"the published {period} total is '{hedge}{printed}'")
    return f" ({'; '.join(said)})" if said else ""


def hedged_shares(ev: Evidence, shares: pd.DataFrame) -> str:
    """"; BBC's figure is 'around 57%'": each share drawn that its source hedged, as printed; '' if none."""
    obs = ev.record.observations.set_index("observation_id")
    sources = ev.record.sources.set_index("source_id")
    said = [f"{sources.loc[sid, 'publication'].split()[0]}'s figure is '{obs.loc[oid, 'as_printed']}'"
            for sid, oid, q in zip(shares["source_id"], shares["observation_id"], shares["qualifier"])
            if q != "exact" and oid in obs.index]
    return "".join(f"; {s}" for s in dict.fromkeys(said))


def source_line(ev: Evidence, source_ids) -> str:
    if not ev.is_export:
        return cite(ev.record.sources, source_ids)
    files = ", ".join(sorted({p.name for p in ev.imported.files}))
    return f"Source: your own export ({files}; {', '.join(sorted(set(ev.imported.formats)))}), computed by likecheck: not published data"


def source_name(ev: Evidence, source_id) -> str:
    """The publication a row comes from, by name ('BBC Trending'), or 'your export'."""
    if ev.is_export or source_id == EXPORT:
        return "your export"
    return publication_name(ev.record.sources, source_id)


def source_ids(ev: Evidence, table: pd.DataFrame) -> list[str]:
    if ev.is_export:
        return []
    ids = table["source_id"].astype(str).tolist()
    if "also_reported_by" in table:
        ids += [s for s in ";".join(table["also_reported_by"]).split(";") if s]
    return ids


@contextmanager
def naming_the_export(ev: Evidence):
    """Errors about the export's data start with the export's path, so the user knows which files."""
    try:
        yield
    except ParameterError as err:
        if ev.is_export and not str(err).startswith(ev.data):
            raise ParameterError(f"{ev.data}: {err}") from None
        raise


def audience(ev: Evidence, start, end, page: str) -> str:
    """What the counts of the window count: 'fans' (page likes) or 'followers' (Graph API since
    15 Nov 2025). A window whose two ends lie in different eras cannot be compared: an error
    saying where the data switch."""
    if not ev.is_export or ev.imported.fan_counts is None:
        return "fans"
    from .importers import era_switch  # the importers load only with an export
    first, last = parse_window(start, end)
    eras = ev.imported.audience(page)
    era_of = dict(zip(eras["date"], eras["audience"]))
    ends = [era_of.get(day) for day in (first - pd.Timedelta(days=1), last)]
    if None not in ends and ends[0] != ends[1]:
        raise ParameterError(f"{ev.data}: the window {first:%Y-%m-%d} to {last:%Y-%m-%d} straddles the switch "
                             f"from page likes to followers ({era_switch(eras)}); choose START and END "
                             "within one era")
    return next((e for e in reversed(ends) if e), "fans")


def shares_absent_because(grouped: pd.Series, noun: str) -> str:
    """Why shares of the net change would mislead ('' when every part and the total grew)."""
    total = grouped.sum(skipna=True)
    if total < 0:
        return f"the page lost {noun} overall: shares of a net loss are not shown"
    if total == 0:
        return f"the page's {noun} did not change overall: shares of zero are undefined"
    shrinking = [place_name(str(o)) for o, v in grouped.items() if pd.notna(v) and v <= 0]
    if shrinking:
        return (f"{' and '.join(shrinking)} did not grow while the page did: shares are shown only when "
                "every part and the total grew")
    return ""


def new_fans_by_origin(ev: Evidence, start, end, page: str, home: str = "", top: int = DEFAULT_TOP) -> pd.DataFrame:
    """Net new fans (or followers) by origin, with shares where they mean something.

    Published periods: see published.new_fans_by_origin (KH, IN and the rest; always gains).
    From an export (lists.py): the home country (`home`, else `home_country`),
    the `top` countries whose fans changed most in the window (gains or losses),
    the rest of the world where the total is given at both ends, and the page's
    total (origin 'total', so the CSV holds every number drawn). Each change is
    exact, an interval (`low`, `high`) or unknown (`kind`), `why` says why it is
    not exact; `share_pct` is given only when every number is exact and every part
    and the total grew, and `shares_note` says why it is absent otherwise.
    """
    if not ev.is_export:
        table = published.new_fans_by_origin(ev.record.observations, start, end, page)
        return table.assign(audience="fans", shares_note="")
    first, last = parse_window(start, end)
    with naming_the_export(ev):
        noun = audience(ev, first, last, page)
        before, after = window_ends(ev, first, last, page)
        code, how = home_country(ev, first, page, home)
        origins = [code] + lists.movers(before, after, exclude=[code], top=top)
        table = lists.origin_changes(before, after, origins)
    table["role"] = ["home" if o == code else "rest" if o == REST_OF_WORLD else "total" if o == "total" else "top"
                     for o in table["origin"]]
    table["why"] = [lists.reasons(before, after, o, first, last, origins) for o in table["origin"]]
    return with_shares(table, first, last, noun).assign(home_chosen=how)


def with_shares(table: pd.DataFrame, first, last, noun: str) -> pd.DataFrame:
    """An export's origins table with the period's columns, and shares only where every number is exact
    and every part and the total grew (`shares_note` says why not)."""
    parts = table[table["origin"] != "total"]
    total = table.loc[table["origin"] == "total", "new_fans"].iloc[0]
    if (table["kind"] != lists.EXACT).any():
        note = (f"the page's total change in {noun} is not known: shares are not shown" if pd.isna(total)
                else "some changes are intervals or unknown (countries missing from the lists): shares are not shown")
    elif not (parts["origin"] == REST_OF_WORLD).any():
        note = "the rest of the world is not known: shares are not shown"
    else:
        note = shares_absent_because(pd.Series(parts["new_fans"].to_numpy(), index=parts["origin"]), noun)
    shares = np.full(len(table), np.nan) if note else 100 * table["new_fans"].to_numpy(dtype="float64") / total
    return table.assign(period=span_label(first, last), period_start=first, period_end=last, share_pct=shares,
                        basis=FROM_EXPORT, qualifier=table["kind"], observation_id="", source_id=EXPORT,
                        also_reported_by="", audience=noun, shares_note=note)


def window_ends(ev: Evidence, first, last, page: str):
    """The lists at the end of the day before `first` and at the end of `last`; a ParameterError naming
    the days the data hold when either is missing (a change needs two points)."""
    metrics.one_page(ev.fan_counts, page, "fan counts")
    table = ev.fan_counts[ev.fan_counts["page"] == page]
    baseline = first - pd.Timedelta(days=1)
    before = lists.day_list(ev.fan_counts, ev.imported.bare_totals, page, baseline)
    after = lists.day_list(ev.fan_counts, ev.imported.bare_totals, page, last)
    held = metrics.data_range(table["date"], count_gaps=True)
    if before is None:
        raise ParameterError(f"new fans from {first:%Y-%m-%d} need the count at the end of the day before, "
                             f"{baseline:%Y-%m-%d}, which the data lack; {held}")
    if after is None:
        raise ParameterError(f"no fan counts for the end of {last:%Y-%m-%d}; {held}")
    return before, after


def home_country(ev: Evidence, start, page: str, given: str = "") -> tuple[str, str]:
    """(the page's home country, how it was chosen): HOME_COUNTRY when given; Cambodia for the published
    record; for an export, the country with the most fans at the window's start (the end of the day
    before START, else the first day after it with countries listed)."""
    code = country_code(given) if given else ""
    if not ev.is_export:
        if code and code != "KH":
            raise ParameterError(f"HOME_COUNTRY={given}: the published record counts fans in Cambodia and India "
                                 "only; its home is Cambodia (KH)")
        return "KH", "the published record's home"
    if code:
        return code, "given as HOME_COUNTRY"
    first = parse_window(start, start)[0] - pd.Timedelta(days=1)
    rows = ev.fan_counts[(ev.fan_counts["page"] == page) & (ev.fan_counts["date"] >= first)
                         & (ev.fan_counts["country"].astype(str) != REST_OF_WORLD)]
    if rows.empty:
        raise ParameterError(f"no country is listed from {first:%Y-%m-%d} on: the home country cannot be told; "
                             "give it as HOME_COUNTRY")
    day = rows["date"].min()
    found = lists.most_fans(lists.day_list(ev.fan_counts, None, page, day))
    return found, f"the country with the most fans on {day:%Y-%m-%d} (the window's start); HOME_COUNTRY= sets another"


def home_and_abroad(ev: Evidence, by_origin: pd.DataFrame, start, end, page: str) -> pd.DataFrame:
    """The same window in two groups, home and abroad (the total minus home, only where the total is
    given), then the page's total; published periods: published.home_versus_abroad."""
    if not ev.is_export:
        return published.home_versus_abroad(by_origin)
    first, last = parse_window(start, end)
    before, after = window_ends(ev, first, last, page)
    code = by_origin.loc[by_origin["role"] == "home", "origin"].iloc[0]
    table = lists.origin_changes(before, after, [code]).replace({"origin": {REST_OF_WORLD: "abroad"}})
    table["role"] = table["origin"].map({code: "home", "abroad": "rest", "total": "total"})
    table["why"] = [lists.reasons(before, after, o if o != "abroad" else REST_OF_WORLD, first, last, [code])
                    for o in table["origin"]]
    noun = by_origin["audience"].iloc[0]
    table = with_shares(table.replace({"origin": {"abroad": REST_OF_WORLD}}), first, last, noun)
    return table.replace({"origin": {REST_OF_WORLD: "abroad"}}).assign(home_chosen=by_origin["home_chosen"].iloc[0])


def said_bounds(low: float, high: float, kind: str, fmt: str = "{:,.0f}") -> str:
    """'1,234', 'between 0 and 40', or 'unknown': a number as the data support it."""
    if kind == lists.EXACT:
        return fmt.format(low)
    if kind == lists.INTERVAL:
        return f"between {fmt.format(low)} and {fmt.format(high)}"
    return "unknown"


def export_origins_caption(table: pd.DataFrame, page: str, *, abroad: bool = False) -> str:
    """The caption of an export's origins figure, computed from the rows drawn: what each row is, which
    are intervals or unknown and why, and why shares are absent."""
    noun, period = table["audience"].iloc[0], table["period"].iloc[0]
    home = table.loc[table["role"] == "home", "origin"].iloc[0]
    tops = table.loc[table["role"] == "top", "origin"].tolist()
    has_rest = (table["role"] == "rest").any()
    text = (f"{page}: net change in the page's {noun} in {period}, from the end of the day before to the end of the "
            f"last day. Home: {place_name(home)} ({table['home_chosen'].iloc[0]})")
    if tops:
        text += f"; then the {len(tops)} countries whose {noun} changed most, gains or losses"
    if has_rest:
        text += "; 'abroad' is the total minus home" if abroad else "; 'rest of world' is the total minus those drawn"
    else:
        text += ("; 'abroad' and the rest of the world are not drawn: the export gives no total at one end of "
                 "the window")
    text += "; then the page's total."
    unsure = table[table["kind"] != lists.EXACT]
    if len(unsure):
        text += " Hatched ranges are intervals, not values: " + "; ".join(
            f"{place_name(r.origin)} {said_bounds(r.low, r.high, r.kind)} ({r.why})" for r in unsure.itertuples()) + "."
    note = table["shares_note"].iloc[0]
    return text + (f" Shares are not shown: {note}." if note else "") + " Computed from your export."


def export_origins_alt(table: pd.DataFrame) -> str:
    """The alt text of an export's origins figure: every row drawn, with its interval or 'unknown'."""
    return "Horizontal bars and ranges around zero. " + "; ".join(
        f"{place_name(r.origin)} {said_bounds(r.low, r.high, r.kind, '{:+,.0f}')}"
        + (f" ({r.share_pct:.1f}%)" if pd.notna(r.share_pct) else "") for r in table.itertuples())


def export_shares_caption(shares: pd.DataFrame, page: str, noun: str) -> str:
    """The caption of an export's shares of all fans: every point drawn, an interval said in full."""
    return (f"Share of all {noun} of the page {page} by country at the end of the day before the window and of "
            "its last day, from your export; an interval is drawn at its middle and said in full in the CSV (low, "
            "high) and here: " + "; ".join(
                f"{r.country_name} {r.as_of} {said_bounds(r.low, r.high, r.qualifier, '{:.1f}%')}"
                + (f" ({r.why})" if r.why else "") for r in shares.itertuples()) + ".")


def shares_title(shares: pd.DataFrame, name: str, noun: str) -> str:
    """'Cambodia's share of all fans went from 57.6% to 56.4%', from what is drawn: one point says
    'was' (a change needs two), intervals say 'between', and unknown shares are left out."""
    rows = shares[shares["qualifier"] != lists.UNKNOWN].sort_values("date_end")
    said = [said_bounds(r.low, r.high, r.qualifier, "{:.1f}%") for r in rows.itertuples()]
    if not said:
        return f"{name}'s share of all {noun} is unknown: the export gives no total"
    if len(said) == 1:
        return f"{name}'s share of all {noun} was {said[0]} on {rows['as_of'].iloc[0]} (one point: no change to show)"
    return f"{name}'s share of all {noun} went from {said[0]} to {said[-1]}"


def gross_change(ev: Evidence, start, end, page: str) -> pd.DataFrame:
    """The page's gross gains and losses over the window, where the export gives them for every day
    (Graph API page_fan_adds and page_fan_removes, or their follower-era metrics); else no rows.

    By page, not by country: the API gives no country split of them.
    """
    columns = ["period", "audience", "gained", "lost", "net"]
    gross = ev.imported.gross if ev.is_export else None
    if gross is None:
        return pd.DataFrame(columns=columns)
    first, last = parse_window(start, end)
    days = gross[(gross["page"] == page) & gross["date"].between(first, last)].dropna(subset=["gained", "lost"])
    if days["date"].nunique() != (last - first).days + 1 or days["audience"].nunique() != 1:
        return pd.DataFrame(columns=columns)
    gained, lost = int(days["gained"].sum()), int(days["lost"].sum())
    return pd.DataFrame({"period": [span_label(first, last)], "audience": days["audience"].iloc[0],
                         "gained": gained, "lost": lost, "net": gained - lost})


def change_headline(table: pd.DataFrame) -> str:
    """A true sentence for any sign: 'The page lost 12,400 fans in 1-14 Apr 2019; in India it lost 30,150'.

    `table`: one period's origins (new_fans, audience). The second clause
    names the origin with the largest loss (losses are what a purge or a
    shrinking country shows), else the one with the largest change. An
    export's table (with low, high, kind and a 'total' row) is said with its
    intervals: 'gained between 2 and 5', and an unknown total is said unknown.
    """
    if "kind" in table:
        return bounded_headline(table)
    noun, period = table["audience"].iloc[0], table["period"].iloc[0]
    values = pd.Series(table["new_fans"].to_numpy(dtype="float64"), index=table["origin"].astype(str)).dropna()
    total = float(values.sum())
    if total == 0:
        sentence = f"The page's {noun} did not change in {period}"
    else:
        sentence = f"The page {'gained' if total > 0 else 'lost'} {abs(total):,.0f} {noun} in {period}"
    if values.empty:
        return sentence
    pick = values.idxmin() if (values < 0).any() else values.abs().idxmax()
    change = values[pick]
    verb = "gained" if change > 0 else "lost" if change < 0 else "had no net change"
    place = {"ZZ": "in the rest of the world", "abroad": "abroad"}.get(pick, f"in {place_name(pick)}")
    return f"{sentence}; {place} it {verb}" + (f" {abs(change):,.0f}" if change else "")


def said_change(low: float, high: float, noun: str = "") -> str:
    """'gained 1,200', 'lost between 3 and 40', 'changed by between -3 and +5', 'had no net change'."""
    unit = f" {noun}" if noun else ""
    if low == high:
        return "had no net change" if low == 0 else f"{'gained' if low > 0 else 'lost'} {abs(low):,.0f}{unit}"
    if low >= 0:
        return f"gained between {low:,.0f} and {high:,.0f}{unit}"
    if high <= 0:
        return f"lost between {-high:,.0f} and {-low:,.0f}{unit}"
    return f"changed by between {low:+,.0f} and {high:+,.0f}{unit}"


def bounded_headline(table: pd.DataFrame) -> str:
    """change_headline of an export's table: exact where exact, intervals as intervals, unknown said."""
    noun, period = table["audience"].iloc[0], table["period"].iloc[0]
    total = table[table["origin"] == "total"].iloc[0]
    if total["kind"] == lists.UNKNOWN:
        sentence = f"The page's total change in {noun} in {period} is unknown (the export gives no total)"
    elif total["low"] == total["high"] == 0:
        sentence = f"The page's {noun} did not change in {period}"
    else:
        sentence = f"The page {said_change(total['low'], total['high'], noun)} in {period}"
    parts = table[(table["origin"] != "total") & (table["kind"] != lists.UNKNOWN)]
    if parts.empty:
        return sentence
    # a definite loss first (what a purge shows); an interval reaching below zero is no loss yet
    pick = parts.loc[parts["high"].idxmin()] if (parts["high"] < 0).any() else \
        parts.loc[parts[["low", "high"]].abs().max(axis=1).idxmax()]
    place = {"ZZ": "in the rest of the world", "abroad": "abroad"}.get(pick["origin"], f"in {place_name(pick['origin'])}")
    return f"{sentence}; {place} it {said_change(pick['low'], pick['high'])}"


def share_of(day: lists.DayList | None, code: str) -> lists.Bounds:
    """A country's share (%) of all the page's fans on a day: exact, an interval, or unknown (no total)."""
    if day is None or not day.total_given or not day.total > 0:
        return lists.Bounds()
    count = day.country(code)
    return lists.Bounds(100 * count.low / day.total, 100 * count.high / day.total)


def fan_shares(ev: Evidence, start, end, page: str, countries=("KH", "IN")) -> pd.DataFrame:
    """Shares of all fans in `countries` at each report date (export: the day before START and END, with
    low, high, kind and why; a share needs the page's total, so without it the share is unknown)."""
    if not ev.is_export:
        return published.fan_shares(ev.record.observations, start, end, page)
    first, last = parse_window(start, end)
    rows = []
    for day in (first - pd.Timedelta(days=1), last):
        with naming_the_export(ev):
            listed = lists.day_list(ev.fan_counts, ev.imported.bare_totals, page, day)
        for country in countries:
            share = share_of(listed, country)
            why = lists.why_not_exact(listed, "total", day) or lists.why_not_exact(listed, country, day)
            rows.append({"source_id": EXPORT, "date_start": day, "date_end": day, "country": country,
                         "share_pct": share.value, "low": share.low, "high": share.high, "qualifier": share.kind,
                         "why": why, "observation_id": "", "as_of": span_label(day, day)})
    return pd.DataFrame(rows)


def home_shares(ev: Evidence, end, pages=("hun_sen", "sam_rainsy"), home: str = "KH", start=None) -> pd.DataFrame:
    """Each page's share of fans in the home country (published: Cambodia, the periods lying wholly inside
    START..END when `start` is given; export: every page in it, at END, with low, high, kind and why, as
    fan_shares)."""
    if not ev.is_export:
        obs = ev.record.observations
        if start is not None:  # the window is the window: no published share from outside it
            first, last = parse_window(start, end)
            obs = obs[(obs["date_start"] >= first) & (obs["date_end"] <= last)]
        table = published.home_shares(obs)
        return table[table["page"].isin(pages)].reset_index(drop=True)
    last = parse_window(end, end)[1]
    rows = []
    for page in metrics.pages_in(ev.fan_counts):
        listed = lists.day_list(ev.fan_counts, ev.imported.bare_totals, page, last)
        share = share_of(listed, home)
        why = lists.why_not_exact(listed, "total", last) or lists.why_not_exact(listed, home, last)
        rows.append({"page": page, "page_label": page, "country": home, "as_of": span_label(last, last),
                     "date_end": last, "home_share_pct": share.value, "low": share.low, "high": share.high,
                     "qualifier": share.kind, "why": why, "source_id": EXPORT, "observation_id": ""})
    return pd.DataFrame(rows)


def weekly_engagement_table(ev: Evidence, start, end, page: str) -> pd.DataFrame:
    """The weekly table the engagement figure draws: interactions per 1,000 fans and their changes,
    as published or computed from the export (which adds posts per week, how many had a fan
    count at posting, and the mean per post)."""
    if not ev.is_export:
        table = published.weekly_engagement_as_published(ev.record.observations, start, end, page)
        return table.assign(posts=np.nan, posts_with_fans=np.nan, mean_per_post=np.nan)
    with naming_the_export(ev):
        weekly = metrics.weekly_engagement_from_posts(ev.posts, start, end, page=page)
    values = weekly["interactions_per_1000_fans"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame({
            "week_start": weekly["week_start"], "week_end": weekly["week_end"],
            "interactions_per_1000_fans": values,
            "change": np.r_[np.nan, np.diff(values)],
            "change_pct": weekly["week_on_week_change_pct"].to_numpy(dtype="float64"),
            "change_since_first_pct": 100 * (values / values[0] - 1) if values[0] > 0 else np.nan,
            "source_id": EXPORT, "observation_id": "",
            "posts": weekly["posts"].to_numpy(), "posts_with_fans": weekly["posts_with_fans"].to_numpy(),
            "mean_per_post": weekly["mean_per_post"].to_numpy()})


def posts_audience(ev: Evidence) -> str:
    """What engagement is per 1,000 of: 'fans' (published; Likes at Posting) or 'followers'."""
    return ev.imported.posts_audience if ev.is_export else "fans"


def import_report(ev: Evidence) -> str:
    """The import report of the export (Markdown), the same that `make rerun` writes into OUT."""
    from .importers.report import import_report as report
    return report(ev.imported)
