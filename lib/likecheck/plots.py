"""Plot functions: one per figure family, each drawing exactly the table it is given.

They return the matplotlib figure; `style.save_figure` adds the title and
source line and writes the files. Values are printed on the marks and origins
carry hatches as well as colours, so nothing is read from colour alone.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from .dates import day_in_words
from .escape import figure_text
from .labels import ORIGIN_LABEL, place_name
from .style import (ORIGIN_STYLE, PALETTE, approximate_text, count_text, country_name, new_figure,
                    millions_text, number_text, share_text)

ORIGIN_ORDER = ("KH", "IN", "ZZ", "abroad")
#: Share (%) below which a stacked segment is too narrow to hold its label.
NARROW_SEGMENT = 10


def stacked_origin_bars(table: pd.DataFrame, value: str = "new_fans", label_fmt=None,
                        xlabel: str = "share of the period's new fans (%); labels give the counts"):
    """One 100% bar per period, stacked by origin share, each segment labelled with count and share.

    Shares rather than counts on the axis, so that a short period's bar is as
    readable as a long one's. 'Rest of world' means the total minus the countries
    listed; in a period that lists no foreign country it is everything abroad, and
    is drawn and named as 'Abroad', so one label never means two things in a chart.
    A count resting on an approximate number (the table's `qualifier`) is rounded
    and said to be approximate (`style.count_text`); `label_fmt` overrides that.
    """
    periods = list(dict.fromkeys(table["period"]))
    foreign_listed = {p for p, o in zip(table["period"], table["origin"]) if o not in ("KH", "ZZ", "abroad")}
    drawn = [("abroad" if o == "ZZ" and p not in foreign_listed else o)
             for p, o in zip(table["period"], table["origin"])]
    table = table.assign(_drawn=drawn)
    qualifiers = table["qualifier"] if "qualifier" in table else pd.Series("exact", index=table.index)
    table = table.assign(_qualifier=qualifiers.fillna("exact"))
    fig, ax = new_figure(figsize=(9, 1.6 + 1.1 * len(periods)))
    left = np.zeros(len(periods))
    for origin in [o for o in ORIGIN_ORDER if o in set(table["_drawn"])]:
        rows = table[table["_drawn"] == origin].set_index("period").reindex(periods)
        counts = rows[value].fillna(0).to_numpy(dtype=float)
        widths = rows["share_pct"].fillna(0).to_numpy(dtype=float)
        colour, hatch = ORIGIN_STYLE[origin]
        bars = ax.barh(periods, widths, left=left, color=colour, hatch=hatch, edgecolor="white",
                       label=ORIGIN_LABEL[origin], height=0.6)
        texts = [label_fmt.format(c) if label_fmt else count_text(c, q)
                 for c, q in zip(counts, rows["_qualifier"].fillna("exact"))]
        # A segment too narrow for its label is labelled beside the bar's end when it is the
        # last one, so no label spills over its neighbours.
        beside = [0 < w < NARROW_SEGMENT and abs(x + w - 100) < 1e-6 for x, w in zip(left, widths)]
        labels = [f"{ORIGIN_LABEL[origin]}\n{t}\n({w:.0f}%)" if w and not b else ""
                  for t, w, b in zip(texts, widths, beside)]
        ax.bar_label(bars, labels=labels, label_type="center", fontsize=8.5, color="black",
                     bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        for i, (t, w, b) in enumerate(zip(texts, widths, beside)):
            if b:
                ax.annotate(f"{ORIGIN_LABEL[origin]}\n{t}\n({w:.0f}%)", (100, i), xytext=(6, 0),
                            textcoords="offset points", ha="left", va="center", fontsize=8.5,
                            annotation_clip=False)
        left += widths
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    ax.legend(loc="lower left", ncols=4, bbox_to_anchor=(0, 1.0))
    fig.subplots_adjust(top=0.8)  # room for the title above the legend
    ax.grid(axis="y", visible=False)
    return fig


def diverging_bars(table: pd.DataFrame, value: str = "new_fans", xlabel: str = "net change in fans"):
    """One horizontal bar per origin around zero (gains right, losses left), then the page's total.

    For windows where shares would mislead (a page that shrank or stood
    still, a country losing while the page grows): the counts themselves,
    signed, each labelled. `table` holds one period.
    """
    origins = [o for o in ORIGIN_ORDER if o in set(table["origin"])]
    rows = table.set_index("origin").reindex(origins)
    values = rows[value].to_numpy(dtype=float)
    labels = [ORIGIN_LABEL[o] for o in origins] + ["Page total"]
    values = np.r_[values, np.nansum(values)]
    fig, ax = new_figure(figsize=(9, 1.6 + 0.6 * len(labels)))
    styles = [ORIGIN_STYLE[o] for o in origins] + [(PALETTE["green"], "")]
    bars = ax.barh(labels, np.nan_to_num(values), color=[c for c, _ in styles], edgecolor="white", height=0.6)
    for bar, (_, hatch) in zip(bars, styles):
        bar.set_hatch(hatch)
    ax.bar_label(bars, labels=["not listed" if np.isnan(v) else f"{v:+,.0f}" for v in values], padding=4,
                 fontsize=9)
    around_zero(ax, float(np.nanmax(np.abs(values))) or 1.0, xlabel, left=1.35, right=1.35)
    return fig


def around_zero(ax, reach: float, xlabel: str, *, left: float, right: float) -> None:
    """The axis of a chart of changes around zero: the zero line, room for the labels on each side
    (`left` and `right` times the largest change), signed ticks, rows top down."""
    ax.axvline(0, color="black", linewidth=1)
    ax.set_xlim(-left * reach, right * reach)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:+,.0f}" if x else "0")
    ax.set_xlabel(xlabel)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)


def origin_ranges(table: pd.DataFrame, xlabel: str = "net change in fans"):
    """An export's origins around zero, one row each (home, the countries that changed most, the rest of
    the world, the page's total): an exact change as a bar, an interval as a hatched range from low to
    high with end marks (never a bar: no point inside it is the value), an unknown as the word 'unknown'.

    `table`: one period with origin, low, high and kind (evidence.new_fans_by_origin of an export).
    """
    labels = [place_name(o) for o in table["origin"]]
    low, high = table["low"].to_numpy(dtype=float), table["high"].to_numpy(dtype=float)
    kinds = table["kind"].tolist()
    fig, ax = new_figure(figsize=(9, 1.6 + 0.55 * len(labels)))
    y = np.arange(len(labels))
    colours = [PALETTE["green"] if o == "total" else PALETTE["blue"] if r == "home" else PALETTE["orange"]
               for o, r in zip(table["origin"], table.get("role", [""] * len(labels)))]
    for i, kind in enumerate(kinds):
        if kind == "exact":
            ax.barh(y[i], low[i], color=colours[i], edgecolor="white", height=0.6)
            text = f"{low[i]:+,.0f}" if low[i] else "0"
        elif kind == "interval":
            ax.barh(y[i], high[i] - low[i], left=low[i], color="white", edgecolor=colours[i], hatch="///",
                    height=0.6, linewidth=1.2)
            ax.plot([low[i], low[i]], [y[i] - 0.3, y[i] + 0.3], color="black", linewidth=1.2)
            ax.plot([high[i], high[i]], [y[i] - 0.3, y[i] + 0.3], color="black", linewidth=1.2)
            text = f"between {low[i]:+,.0f} and {high[i]:+,.0f}"
        else:
            text = "unknown"
        edge = 0.0 if kind == "unknown" else max(high[i], 0.0)
        ax.annotate(text, (edge, y[i]), xytext=(4, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(y, labels)
    around_zero(ax, float(np.nanmax(np.abs(np.r_[low, high, 1.0]))), xlabel, left=1.45, right=1.6)
    return fig


def share_points(table: pd.DataFrame, *, x: str, y: str, group: str, xlabel: str):
    """Dots with value labels: a share per label, grouped (e.g. country) by marker shape."""
    fig, ax = new_figure(figsize=(8, 1.5 + 0.45 * len(table)))
    markers = iter(["o", "s", "D", "^", "v"])
    colours = iter([PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["vermillion"]])
    for name, rows in table.groupby(group, sort=False, observed=True):
        colour = next(colours)
        labels = rows[y].astype(str).map(figure_text)  # page names: drawn as typed, never as formulas
        ax.scatter(rows[x], labels, marker=next(markers), s=70, color=colour, label=figure_text(name), zorder=3)
        if {"low", "high"} <= set(rows) and (rows["low"] != rows["high"]).any():
            ranged = rows["low"] != rows["high"]  # an interval drawn as its range, the dot at its middle
            ax.hlines(labels[ranged], rows.loc[ranged, "low"], rows.loc[ranged, "high"], color=colour,
                      linewidth=3, alpha=0.6, zorder=2)
        ranges = zip(rows["low"], rows["high"]) if {"low", "high"} <= set(rows) else ((None, None) for _ in rows[x])
        qualifiers = rows["qualifier"] if "qualifier" in rows else ["exact"] * len(rows)
        for xv, yv, (low, high), q in zip(rows[x], labels, ranges, qualifiers):
            # the share with the digits it was printed with ('around 57%' is not 57.0%); an interval as its range
            about = "about " if q in ("about", "approximately", "around") else ""
            text = (f"{about}{share_text(xv)}%" if low is None or low == high
                    else f"{share_text(low)}-{share_text(high)}%")
            ax.annotate(text, (xv, yv), xytext=(7, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    ax.invert_yaxis()
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.22), ncols=4)
    return fig


def weekly_bars(table: pd.DataFrame, *, value: str = "interactions_per_1000_fans", posts: str | None = None,
                audience: str = "fans"):
    """One bar per week with its value and the change from the week before."""
    fig, ax = new_figure(figsize=(max(10, 0.9 * len(table)), 4.6))  # wide enough for a headline
    weeks = [pd.Timestamp(d) for d in table["week_start"]]
    years = sorted({w.year for w in weeks})
    # The year once, in the axis label, when every week is in one year: labels that fit side by side.
    labels = [day_in_words(w, short=True, year=len(years) > 1) for w in weeks]
    bars = ax.bar(labels, table[value], color=PALETTE["blue"], edgecolor="white", width=0.6)
    digits = 0 if table[value].max() >= 100 else 1  # small sums would all round alike
    # changes to whole per cent (the values are printed to three figures), below 1% to a tenth
    texts = [f"{v:,.{digits}f}" + ("" if np.isnan(c) else f"\n({c:+.{1 if abs(c) < 1 else 0}f}%)")
             for v, c in zip(table[value], table["change_pct"])]
    ax.bar_label(bars, labels=texts, padding=3, fontsize=9)
    ax.set_ylim(0, float(table[value].max()) * 1.22)
    ax.set_xlabel(f"week starting (Monday), {years[0]}" if len(years) == 1 else "week starting (Monday)")
    if len(years) > 1:  # full dates, slanted so that they never overprint
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
    ax.set_ylabel(f"interactions per 1,000 {audience}\n(sum over the week's posts)")
    # '1,200', as the bar labels write it (matplotlib's default ticks have no thousands separator)
    ax.yaxis.set_major_formatter(lambda y, _: f"{y:,.0f}" if y == round(y) else f"{y:,g}")
    ax.grid(axis="x", visible=False)
    if posts is not None and posts in table:
        for bar, n in zip(bars, table[posts]):
            ax.annotate(f"{int(n)}\nposts", (bar.get_x() + bar.get_width() / 2, 0), xytext=(0, 4),
                        textcoords="offset points", ha="center", fontsize=8, color="white")
    return fig


def likes_by_page(table: pd.DataFrame):
    """Total likes per page, with the home-country part hatched apart."""
    fig, ax = new_figure(figsize=(8, 3.8))
    pages = [figure_text(p) for p in table["page_label"]]
    home = table["home_likes"].fillna(0).to_numpy(dtype=float)
    total = table["likes"].to_numpy(dtype=float)
    known = ~table["home_likes"].isna().to_numpy()
    ax.barh(pages, np.where(known, home, 0), color=PALETTE["blue"], label="from the home country")
    ax.barh(pages, np.where(known, total - home, 0), left=np.where(known, home, 0), color=PALETTE["vermillion"],
            hatch="xx", edgecolor="white", label="from abroad")
    ax.barh(pages, np.where(known, 0, total), color=PALETTE["grey"], hatch="..", edgecolor="white",
            label="origin not published")
    share_qualifiers = table["home_share_qualifier"] if "home_share_qualifier" in table else [""] * len(table)
    for i, (t, h, k, q, sq) in enumerate(zip(total, home, known, table["likes_qualifier"], share_qualifiers)):
        text = f"{'about ' if q in ('about', 'approximately') else ''}{number_text(t / 1e6)} million"
        if k:
            text += f" ({'about ' if sq in ('about', 'approximately') else ''}{100 * h / t:.0f}% at home)"
        ax.annotate(text, (t, i), xytext=(5, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_xlim(0, total.max() * 1.45)
    ax.xaxis.set_major_formatter(lambda x, _: millions_text(x))
    ax.set_xlabel("page likes")
    ax.invert_yaxis()
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.2), ncols=3)
    ax.grid(axis="y", visible=False)
    return fig


def ranges_per_page(table: pd.DataFrame, *, value: str, xlabel: str, suspect: str | None = None):
    """Per page, every estimate as a dot and the spread between them as a line (log scale).

    Estimates flagged in `suspect` (a boolean column) are drawn hollow and left out of the
    range, so the range never rests on a number the record itself doubts. Range labels are
    derived numbers: rounded to two figures and said to be approximate.
    """
    fig, ax = new_figure(figsize=(9, 4.2))
    pages = list(dict.fromkeys(table["page_label"]))
    doubted = table[suspect].astype(bool) if suspect else pd.Series(False, index=table.index)
    marked = False
    for i, page in enumerate(pages):
        rows = table[table["page_label"] == page]
        kept = rows[~doubted.loc[rows.index]]
        lo, hi = kept[value].min(), kept[value].max()
        ax.plot([lo, hi], [i, i], color=PALETTE["grey"], linewidth=3, solid_capstyle="round", zorder=1)
        ax.scatter(kept[value], [i] * len(kept), color=PALETTE["blue"], zorder=2, s=40,
                   label="one published estimate" if i == 0 else None)
        odd = rows[doubted.loc[rows.index]]
        if not odd.empty:
            ax.scatter(odd[value], [i] * len(odd), facecolor="white", edgecolor=PALETTE["vermillion"],
                       linewidth=1.5, zorder=3, s=40,
                       label=None if marked else "flagged as suspect, left out of the range")
            marked = True
        low_text, high_text = approximate_text(lo), approximate_text(hi).removeprefix("about ")
        # right of every dot, the suspect one included, so the label never covers a mark
        ax.annotate(f"{low_text} to {high_text}" if approximate_text(hi) != approximate_text(lo) else low_text,
                    (rows[value].max(), i), xytext=(8, 0), textcoords="offset points", va="center", fontsize=9)
    ax.axvline(100, color=PALETTE["vermillion"], linestyle="--", linewidth=1)
    # Inside the plot, between the last two rows: clear of the title, the marks and the tick labels.
    ax.annotate("100 = as many as\ninternet users", (100, len(pages) - 1.5), xytext=(5, 0),
                textcoords="offset points", ha="left", va="center", fontsize=8.5, color=PALETTE["vermillion"])
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:,.0f}" if x >= 1 else f"{x:g}")
    ax.set_yticks(range(len(pages)), [figure_text(p) for p in pages])
    ax.set_xlim(table[value].min() / 2, table[value].max() * 6)
    ax.set_xlabel(xlabel)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.2), ncols=2)
    return fig


def verdict_counts(tally: pd.DataFrame):
    """How many claims hold, fail, or cannot be checked, the consistent ones counted apart by the
    strength of their check. `tally`: `ledger.tally` (label, verdict, strength, claims)."""
    styles = {("consistent", "independent"): (PALETTE["blue"], ""),
              ("consistent", "internal"): (PALETTE["sky"], "//"),
              ("consistent", "order"): (PALETTE["sky"], "--"),
              ("inconsistent", ""): (PALETTE["vermillion"], "xx"),
              ("not checkable", ""): (PALETTE["grey"], "..")}
    keys = list(zip(tally["verdict"], tally["strength"]))
    fig, ax = new_figure(figsize=(9, 3.4))
    bars = ax.barh(tally["label"].tolist(), tally["claims"].to_numpy(),
                   color=[styles[k][0] for k in keys], hatch=None, edgecolor="white")
    for bar, key in zip(bars, keys):
        bar.set_hatch(styles[key][1])
    ax.bar_label(bars, padding=4, fontsize=10)
    ax.set_xlabel("number of claims")
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    return fig


def flagged_series(table: pd.DataFrame, periods: pd.DataFrame, *, ylabel: str):
    """A daily series against its baseline: the value, the expectation, the band the threshold allows,
    and each flagged period shaded (hatched too, so it reads without colour).

    `table`: date, value, expected, band_low, band_high; `periods`: start, end (inclusive days).
    """
    fig, ax = new_figure(figsize=(10, 4.6))
    dates = pd.to_datetime(table["date"])
    for i, period in enumerate(periods.itertuples()):
        ax.axvspan(pd.Timestamp(period.start) - pd.Timedelta(hours=12), pd.Timestamp(period.end) + pd.Timedelta(hours=12),
                   facecolor=PALETTE["vermillion"], alpha=0.15, hatch="//", edgecolor=PALETTE["vermillion"],
                   linewidth=0, label="flagged period" if i == 0 else None)
    ax.fill_between(dates, table["band_low"].clip(lower=0), table["band_high"], step="mid",
                    color=PALETTE["sky"], alpha=0.35, linewidth=0, label="baseline band (threshold)")
    ax.plot(dates, table["expected"], color=PALETTE["blue"], linestyle="--", linewidth=1.2,
            drawstyle="steps-mid", label="expected from the page's own recent behaviour")
    ax.plot(dates, table["value"], color="black", linewidth=1.3, drawstyle="steps-mid", label="observed")
    ax.set_ylabel(ylabel)
    ax.set_xlabel("day")
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    concise = mdates.ConciseDateFormatter(locator)
    concise.offset_formats = ["", "%Y", "%Y", "%-d %b %Y", "%-d %b %Y", "%-d %b %Y %H:%M"]  # the year, not "2016-May"
    ax.xaxis.set_major_formatter(concise)
    ax.yaxis.set_major_formatter(lambda y, _: f"{y:,.0f}")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.18), ncols=2)
    return fig


def mix_comparison(table: pd.DataFrame):
    """Per country, its share of a period's new fans against its share of all fans before: paired bars.

    A table with `share_of` (`screening.country_mix` without the page's total) has shares of the
    countries listed at both ends, and the legend says so; a country without a share (listed at one
    end only: its change is an interval, in the CSV) gets no bar and the words instead of "0.0%".
    """
    fig, ax = new_figure(figsize=(8.5, 1.6 + 0.7 * len(table)))
    countries = [country_name(c) for c in table["country"]]
    y = np.arange(len(countries))
    of_listed = "share_of" in table.columns
    pairs = (("fans_share_pct", "all fans of the listed countries, the day before" if of_listed
              else "all fans, the day before", PALETTE["blue"], ""),
             ("new_fans_share_pct", "new fans of the listed countries in the period" if of_listed
              else "new fans in the period", PALETTE["vermillion"], "xx"))
    for offset, (column, label, colour, hatch) in zip((-0.2, 0.2), pairs):
        bars = ax.barh(y + offset, table[column].fillna(0), height=0.38, color=colour, hatch=hatch,
                       edgecolor="white", label=label)
        words = [f"{v:.1f}%" if pd.notna(v) else "no share: listed at one end only" if of_listed else f"{0:.1f}%"
                 for v in table[column]]
        ax.bar_label(bars, labels=words, padding=3, fontsize=9)
    ax.set_yticks(y, countries)
    ax.invert_yaxis()
    ax.set_xlim(0, 115)
    ax.set_xlabel("share (%)")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.22), ncols=2)
    ax.grid(axis="y", visible=False)
    return fig


def published_record_timeline(counts: pd.DataFrame, rates: pd.DataFrame, window, *,
                              growth_limits=(-10_000, 40_000), page_label: str = "Hun Sen",
                              other: pd.DataFrame | None = None, other_label: str = "Sam Rainsy"):
    """Top: every published count of a page, each a cross of its two intervals (the value its words
    allow, the days it may describe), on a log scale; counts the growth runs between are filled,
    those set aside hollow, another page's counts grey squares. Bottom: the growth per day between
    consecutive counts, a line at the middle value and a band over its range (clipped to
    `growth_limits`; the CSV holds every value). The reporting's window is shaded and hatched on both.

    `counts`: `record.chain` output; `rates`: `record.growth_table`; `other`: a second timeline.
    """
    fig, (top, bottom) = new_figure(nrows=2, sharex=True, figsize=(10, 7.2),
                                    gridspec_kw={"height_ratios": [3, 2], "hspace": 0.08})
    first, last = pd.Timestamp(window[0]), pd.Timestamp(window[1]) + pd.Timedelta(days=1)
    for i, ax in enumerate((top, bottom)):
        ax.axvspan(first, last, facecolor=PALETTE["vermillion"], alpha=0.18, hatch="//",
                   edgecolor=PALETTE["vermillion"], linewidth=0,
                   label="the 2016 reporting's window" if i == 0 else None)

    def crosses(ax, rows, **style):
        moment = rows["earliest"] + (rows["latest"] - rows["earliest"]) / 2
        middle = (rows["low"] + rows["high"]) / 2
        ax.errorbar(moment, middle, xerr=[moment - rows["earliest"], rows["latest"] - moment],
                    yerr=[middle - rows["low"], rows["high"] - middle], linestyle="none", capsize=2,
                    elinewidth=1, **style)

    if other is not None and not other.empty:
        crosses(top, other, marker="s", markersize=4, color=PALETTE["grey"], markerfacecolor="white",
                label=f"{other_label}'s page")
    kept = counts[counts["in_chain"]]
    aside = counts[~counts["in_chain"]]
    crosses(top, aside, marker="o", markersize=5, color=PALETTE["sky"], markerfacecolor="white",
            label=f"{page_label}: set aside (overlapping, disputed or not confirmed)")
    crosses(top, kept, marker="o", markersize=5, color=PALETTE["blue"],
            label=f"{page_label}: the counts the growth runs between")
    top.set_yscale("log")
    top.yaxis.set_major_formatter(lambda y, _: millions_text(y))
    top.set_ylabel("likes or followers (log scale)")
    top.legend(loc="lower right", fontsize=9)

    low, high = growth_limits
    for row in rates.itertuples():
        span = [row.from_moment, row.to_moment]
        solid = bool(row.informative)
        bottom.fill_between(span, max(row.growth_low, low), min(row.growth_high, high),
                            color=PALETTE["blue"] if solid else PALETTE["grey"], alpha=0.3 if solid else 0.15,
                            linewidth=0)
        bottom.plot(span, [row.growth_per_day] * 2, color=PALETTE["blue"] if solid else PALETTE["grey"],
                    linewidth=2 if solid else 1, linestyle="-" if solid else ":")
    bottom.set_ylim(low, high)
    bottom.axhline(0, color="black", linewidth=0.8)
    bottom.yaxis.set_major_formatter(lambda y, _: f"{y:,.0f}")
    bottom.set_ylabel("growth per day\n(line: middle; band: range)")
    bottom.plot([], [], color=PALETTE["blue"], linewidth=2, label="known to better than its own size")
    bottom.plot([], [], color=PALETTE["grey"], linewidth=1, linestyle=":", label="too uncertain to compare")
    bottom.legend(loc="upper right", fontsize=9)
    locator = mdates.YearLocator()
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    return fig
