"""The claims ledger: every numeric claim, recomputed from the published numbers.

A claim's verdict is one of
- consistent: the arithmetic holds within the rounding of the digits printed;
- inconsistent: no values within that rounding make it hold;
- not checkable: no public number in this collection bears on it.
Each row carries its arithmetic in `note`, so a reader can redo it by hand.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .published import printed_bounds, reference_value, row_of, value_of

CONSISTENT, INCONSISTENT, NOT_CHECKABLE = "consistent", "inconsistent", "not checkable"
COLUMNS = ["claim_id", "source_id", "claim", "claimed_value", "recomputed_value", "verdict",
           "observation_ids", "note"]


def bounds(obs, observation_id: str) -> tuple[float, float]:
    row = row_of(obs, observation_id)
    return printed_bounds(float(row["value"]), str(row["qualifier"]))


def within(value: float, low: float, high: float) -> bool:
    return bool(low <= value <= high)


def verdict(ok: bool) -> str:
    return CONSISTENT if ok else INCONSISTENT


def corner_range(function, *intervals) -> tuple[float, float]:
    """Range of a monotone function over a box of intervals, from its corners."""
    values = [function(*corner) for corner in itertools.product(*intervals)]
    return min(values), max(values)


def claim(claim_id, source_id, text, claimed, recomputed, result, ids, note) -> dict:
    return dict(zip(COLUMNS, [claim_id, source_id, text, claimed, recomputed, result, ";".join(ids), note]))


def build_ledger(obs: pd.DataFrame, ref: pd.DataFrame) -> pd.DataFrame:
    v = lambda oid: value_of(obs, oid)  # noqa: E731
    rows = []

    new_total, new_kh, new_in, new_rest_min = v("O002"), v("O003"), v("O004"), v("O047")
    abroad = new_total - new_kh
    rows.append(claim("C01", "ppp2016", "More new likes 8-13 March 2016 came from abroad than from Cambodia (34,069 of about 151,000 Cambodian)",
                      new_kh, round(100 * new_kh / new_total, 2), verdict(abroad > new_kh), ["O002", "O003"],
                      f"Cambodian share = 34,069 / 151,000 = {100 * new_kh / new_total:.2f}%; abroad = 151,000 - 34,069 = {abroad:,.0f} ({100 * abroad / new_total:.1f}%)"))
    rest = new_total - new_kh - new_in
    rows.append(claim("C02", "ppp2016", "India made up 22,932 of the international new fans; thousands more came from six other countries",
                      new_in, round(rest), verdict(rest > new_rest_min and new_in < abroad), ["O002", "O003", "O004", "O047"],
                      f"India = {100 * new_in / new_total:.1f}% of new fans; left for all other countries = 151,000 - 34,069 - 22,932 = {rest:,.0f}, which is 'thousands' and more"))

    lo_in, hi_in = bounds(obs, "O006")
    implied = v("O005") / (v("O006") / 100)
    implied_lo, implied_hi = v("O005") / (hi_in / 100), v("O005") / (lo_in / 100)
    rows.append(claim("C03", "ppp2016", "India's 360,791 fans are 11.5% of the fan count; the page passed 3 million earlier in March",
                      v("O006"), round(implied), verdict(implied_lo > v("O001")), ["O001", "O005", "O006"],
                      f"implied total = 360,791 / 0.115 = {implied:,.0f} (11.45-11.55% gives {implied_lo:,.0f}-{implied_hi:,.0f}): more than 3 million"))
    bbc_lo, bbc_hi = bounds(obs, "O016")
    rows.append(claim("C04", "bbc2016", "Hun Sen has 3.2 million likes", v("O016"), round(implied),
                      verdict(implied_hi >= bbc_lo and implied_lo <= bbc_hi), ["O005", "O006", "O016"],
                      f"'3.2 million' stands for {bbc_lo:,.0f}-{bbc_hi:,.0f}; the Post's India figures imply {implied_lo:,.0f}-{implied_hi:,.0f} at 13 March; they meet at the edge, and the page was gaining about {new_total / 6:,.0f} a day"))

    before_passed = implied - new_total
    rows.append(claim("C05", "ppp2016", "The page passed 3 million likes earlier in March 2016",
                      v("O001"), round(before_passed), CONSISTENT if implied > v("O001") else INCONSISTENT, ["O001", "O002", "O005", "O006"],
                      f"fans at 13 March implied by India's share = {implied:,.0f}; minus the 151,000 gained 8-13 March = {before_passed:,.0f} on 7 March, so 3 million was passed during 8-13 March: 'earlier this month'"))

    share_lo, share_hi = bounds(obs, "O007")
    def share_before(total_after, share_after, gained, gained_kh):
        return 100 * (total_after * share_after / 100 - gained_kh) / (total_after - gained)
    recomputed = share_before(implied, v("O008"), new_total, new_kh)
    low, high = corner_range(share_before, (implied_lo, implied_hi), bounds(obs, "O008"), bounds(obs, "O002"), (new_kh, new_kh))
    total_from_shares = (v("O008") / 100 * new_total - new_kh) / ((v("O007") - v("O008")) / 100)
    rows.append(claim("C06", "ppp2016", "Cambodian fans fell from 57.6% to 56.4% of the page's fans over the week of about 151,000 new fans (34,069 Cambodian)",
                      v("O007"), round(recomputed, 2), verdict(high >= share_lo and low <= share_hi), ["O002", "O003", "O005", "O006", "O007", "O008"],
                      f"with {implied:,.0f} fans at 13 March (India's share), 56.4% Cambodian and 151,000 new of which 34,069 Cambodian, the share before was {recomputed:.2f}% (rounding range {low:.2f}-{high:.2f}%), not 57.6%; "
                      f"read the other way, a fall of 1.2 points needs {total_from_shares:,.0f} fans before the week. The 57.6% may date from before 8 March"))

    month_total, month_kh = v("O023"), v("O024")
    abroad_pct = 100 * (1 - month_kh / month_total)
    lo80, hi80 = bounds(obs, "O025")
    rows.append(claim("C07", "bbc2016", "Of 779,000 new likes in the previous month only 157,331 were in Cambodia: 80% from abroad",
                      v("O025"), round(abroad_pct, 2), verdict(within(abroad_pct, lo80, hi80)), ["O023", "O024", "O025"],
                      f"1 - 157,331 / 779,000 = {abroad_pct:.2f}% from abroad, which rounds to 80%"))
    same = v("O041") == month_kh and v("O042") == month_total
    rows.append(claim("C08", "cd2016", "The Post's report: only 157,331 of about 779,000 new fans in the previous month were in Cambodia",
                      v("O041"), month_kh, verdict(same), ["O023", "O024", "O041", "O042"],
                      "The Cambodia Daily (Nov 2016) and BBC Trending (Mar 2016) give the same two numbers for the Post's report of 9 March 2016"))
    around = bounds(obs, "O026")
    lo_kh, hi_kh = min(v("O007"), v("O008")), max(v("O007"), v("O008"))
    rows.append(claim("C09", "bbc2016", "Around 57% of Hun Sen's likes come from inside Cambodia",
                      v("O026"), (v("O007") + v("O008")) / 2, verdict(around[1] >= lo_kh and around[0] <= hi_kh), ["O007", "O008", "O026"],
                      f"the Post's figures either side of the BBC's date are {v('O007')}% and {v('O008')}% (midpoint {(v('O007') + v('O008')) / 2:.1f}%); 'around 57%' lies between"))

    weeks = obs[obs["metric"] == "interactions_per_1000_fans"].sort_values("date_start")["value"].to_numpy(dtype=float)
    declines = int(np.sum(np.diff(weeks) < 0))
    rows.append(claim("C10", "ppp2016", "Engagement has fallen for each of the past three weeks (465, 463, 430, 363 interactions per 1,000 fans)",
                      v("O009"), declines, verdict(declines == v("O009") and bool(np.all(np.diff(weeks) < 0))), ["O009", "O010", "O011", "O012", "O013"],
                      f"week-on-week changes {', '.join(f'{d:+.0f}' for d in np.diff(weeks))}; total {100 * (weeks[-1] / weeks[0] - 1):+.1f}% from the week of 15 February to the week of 7 March"))

    ratio = {year: reference_value(ref, "GB", "population", year) / reference_value(ref, "KH", "population", year) for year in (2015, 2016)}
    r_lo, r_hi = bounds(obs, "O019")
    rows.append(claim("C11", "bbc2016", "The UK has a population about four times as large as Cambodia's",
                      v("O019"), round(ratio[2016], 3), verdict(all(within(r, r_lo, r_hi) for r in ratio.values())), ["O019"],
                      f"World Bank: 65,637,239 / 15,762,370 = {ratio[2016]:.2f} (2016); {ratio[2015]:.2f} (2015)"))
    uk = ref[(ref["country"] == "GB") & (ref["indicator"] == "internet_users_share")]
    rows.append(claim("C12", "bbc2016", "UK internet penetration is more than 90%", v("O020"), float(uk["value"].min()),
                      verdict(bool((uk["value"] > v("O020")).all())), ["O020"],
                      "ITU: " + ", ".join(f"{r.value:.2f}% ({r.year})" for r in uk.itertuples())))
    kh = ref[(ref["country"] == "KH") & ref["indicator"].isin(["internet_users_share"]) & ref["year"].isin([2015, 2016])]
    supporting = kh[kh["value"] < v("O021")]
    rows.append(claim("C13", "bbc2016", "Internet penetration in Cambodia is less than 10%", v("O021"), float(kh["value"].max()),
                      INCONSISTENT if len(supporting) < len(kh) / 2 else CONSISTENT, ["O021"],
                      "only ITU's 2015 value (6.43%, flagged as out of line with 14% in 2014 and 32.40% in 2016) is below 10%; "
                      + "; ".join(f"{r.source_id} {r.year}: {r.value:g}%" for r in kh.itertuples())
                      + f"; We Are Social counted 5.0 million users in Jan 2016 = {100 * 5e6 / reference_value(ref, 'KH', 'population', 2016):.1f}% of the population"))

    trump_us = v("O029") * v("O030") / 100
    rows.append(claim("C14", "bbc2016", "Donald Trump has 6.4 million likes, around three-quarters from US accounts; 42% in July 2015 (Vocativ)",
                      v("O030"), round(trump_us), NOT_CHECKABLE, ["O028", "O029", "O030"],
                      f"three-quarters of 6.4 million = {trump_us:,.0f} US likes; no independent country breakdown of the page is in the public record here"))
    rows.append(claim("C15", "bbc2016", "David Cameron has about one million likes", v("O018"), np.nan, NOT_CHECKABLE, ["O018"],
                      "no other published count of the page"))

    rate_fine = v("O034") / v("O035")
    rate_comp = v("O036") / v("O037")
    rows.append(claim("C16", "cd2016", "A 10 million riel fine is about $2,500 and 15 million riel compensation about $3,750",
                      v("O035"), rate_fine, verdict(rate_fine == rate_comp), ["O034", "O035", "O036", "O037"],
                      f"10,000,000 / 2,500 = {rate_fine:,.0f} and 15,000,000 / 3,750 = {rate_comp:,.0f} riel per dollar: the same round rate for both; the market rate of the day is not in this collection"))
    rows.append(claim("C17", "cd2016", "Compensation awarded (15 million riel, about $3,750) against $5,000 sought",
                      v("O015"), v("O037"), verdict(v("O037") <= v("O015")), ["O015", "O036", "O037"],
                      f"awarded ${v('O037'):,.0f} of ${v('O015'):,.0f} sought ({100 * v('O037') / v('O015'):.0f}%); with the fine, ${v('O035') + v('O037'):,.0f} in all"))
    per_year = v("O031") * 365
    rows.append(claim("C18", "rfa2018", "$15,000 a day on promotion: 'not less than several millions of dollars' a year",
                      v("O032"), per_year, verdict(per_year > v("O032")), ["O031", "O032"],
                      f"$15,000 x 365 = ${per_year:,.0f} a year (x 366 in 2016: ${v('O031') * 366:,.0f}): the arithmetic holds; the daily figure itself is not checkable from public numbers"))
    rows.append(claim("C19", "rfa2018", "Hun Sen's page ranks third among the world's most popular Facebook pages",
                      v("O033"), np.nan, NOT_CHECKABLE, ["O033"], "no ranking of pages is in the public record here"))
    foreign = implied * (1 - v("O008") / 100)
    rows.append(claim("C20", "cd2016", "Hun Sen bought millions of fake likes from click farms (Sam Rainsy)",
                      v("O040"), round(foreign), NOT_CHECKABLE, ["O005", "O006", "O008", "O040", "O045"],
                      f"by mid-March 2016 about {foreign:,.0f} fans were outside Cambodia ({100 - v('O008'):.1f}% of {implied:,.0f}); whether any were bought cannot be told from public numbers"))
    rows.append(claim("C21", "bbc2016", "Hun Sen has ruled Cambodia for more than 30 years", v("O014"), np.nan, NOT_CHECKABLE, ["O014", "O044"],
                      "no dates of office are in this collection"))
    home = {p: v(o) * v(s) / 100 for p, o, s in (("hun_sen", "O016", "O026"), ("sam_rainsy", "O017", "O027"))}
    rows.append(claim("C22", "bbc2016", "Hun Sen (3.2 million) has more likes than Sam Rainsy (2.2 million), but most of Rainsy's come from inside Cambodia (83% against 57%)",
                      v("O017"), round(home["sam_rainsy"]), verdict(v("O016") > v("O017") and v("O027") > v("O026")), ["O016", "O017", "O026", "O027"],
                      f"Cambodian likes: Hun Sen 57% of 3.2 million = {home['hun_sen']:,.0f}; Sam Rainsy 83% of 2.2 million = {home['sam_rainsy']:,.0f}: about the same at home"))
    return pd.DataFrame(rows, columns=COLUMNS)
