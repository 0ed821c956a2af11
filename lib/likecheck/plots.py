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
from .labels import ORIGIN_LABEL, place_name
from .style import ORIGIN_STYLE, PALETTE, new_figure

ORIGIN_ORDER = ("KH", "IN", "ZZ", "abroad")


def stacked_origin_bars(table: pd.DataFrame, value: str = "new_fans", label_fmt="{:,.0f}",
                        xlabel: str = "share of the period's new fans (%); labels give the counts"):
    """One 100% bar per period, stacked by origin share, each segment labelled with count and share.

    Shares rather than counts on the axis, so that a short period's bar is as
    readable as a long one's.
    """
    periods = list(dict.fromkeys(table["period"]))
    fig, ax = new_figure(figsize=(9, 1.6 + 1.1 * len(periods)))
    left = np.zeros(len(periods))
    for origin in [o for o in ORIGIN_ORDER if o in set(table["origin"])]:
        rows = table[table["origin"] == origin].set_index("period").reindex(periods)
        counts = rows[value].fillna(0).to_numpy(dtype=float)
        widths = rows["share_pct"].fillna(0).to_numpy(dtype=float)
        colour, hatch = ORIGIN_STYLE[origin]
        bars = ax.barh(periods, widths, left=left, color=colour, hatch=hatch, edgecolor="white",
                       label=ORIGIN_LABEL[origin], height=0.6)
        labels = [f"{ORIGIN_LABEL[origin]}\n{label_fmt.format(c)}\n({w:.0f}%)" if w else ""
                  for c, w in zip(counts, widths)]
        ax.bar_label(bars, labels=labels, label_type="center", fontsize=8.5, color="black",
                     bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
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
    ax.axvline(0, color="black", linewidth=1)
    reach = float(np.nanmax(np.abs(values))) or 1.0
    ax.set_xlim(-1.35 * reach, 1.35 * reach)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:+,.0f}" if x else "0")
    ax.set_xlabel(xlabel)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    return fig


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
    ax.axvline(0, color="black", linewidth=1)
    reach = float(np.nanmax(np.abs(np.r_[low, high, 1.0])))
    ax.set_xlim(-1.45 * reach, 1.6 * reach)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:+,.0f}" if x else "0")
    ax.set_xlabel(xlabel)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    return fig


def share_points(table: pd.DataFrame, *, x: str, y: str, group: str, xlabel: str):
    """Dots with value labels: a share per label, grouped (e.g. country) by marker shape."""
    fig, ax = new_figure(figsize=(8, 1.5 + 0.45 * len(table)))
    markers = iter(["o", "s", "D", "^", "v"])
    colours = iter([PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["vermillion"]])
    for name, rows in table.groupby(group, sort=False, observed=True):
        colour = next(colours)
        ax.scatter(rows[x], rows[y], marker=next(markers), s=70, color=colour, label=str(name), zorder=3)
        if {"low", "high"} <= set(rows) and (rows["low"] != rows["high"]).any():
            ranged = rows[rows["low"] != rows["high"]]  # an interval drawn as its range, the dot at its middle
            ax.hlines(ranged[y], ranged["low"], ranged["high"], color=colour, linewidth=3, alpha=0.6, zorder=2)
        ranges = zip(rows["low"], rows["high"]) if {"low", "high"} <= set(rows) else ((None, None) for _ in rows[x])
        for xv, yv, (low, high) in zip(rows[x], rows[y], ranges):
            text = f"{xv:.1f}%" if low is None or low == high else f"{low:.1f}-{high:.1f}%"
            ax.annotate(text, (xv, yv), xytext=(7, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    ax.invert_yaxis()
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.22), ncols=4)
    return fig


def weekly_bars(table: pd.DataFrame, *, value: str = "interactions_per_1000_fans", posts: str | None = None,
                audience: str = "fans"):
    """One bar per week with its value and the change from the week before."""
    fig, ax = new_figure(figsize=(max(8, 0.9 * len(table)), 4.6))
    labels = [day_in_words(pd.Timestamp(d), short=True, year=False) for d in table["week_start"]]
    bars = ax.bar(labels, table[value], color=PALETTE["blue"], edgecolor="white", width=0.6)
    digits = 0 if table[value].max() >= 100 else 1  # small sums would all round alike
    texts = [f"{v:,.{digits}f}" + ("" if np.isnan(c) else f"\n({c:+.1f}%)")
             for v, c in zip(table[value], table["change_pct"])]
    ax.bar_label(bars, labels=texts, padding=3, fontsize=9)
    ax.set_ylim(0, float(table[value].max()) * 1.22)
    ax.set_xlabel("week starting (Monday)")
    ax.set_ylabel(f"interactions per 1,000 {audience}\n(sum over the week's posts)")
    ax.grid(axis="x", visible=False)
    if posts is not None and posts in table:
        for bar, n in zip(bars, table[posts]):
            ax.annotate(f"{int(n)}\nposts", (bar.get_x() + bar.get_width() / 2, 0), xytext=(0, 4),
                        textcoords="offset points", ha="center", fontsize=8, color="white")
    return fig


def likes_by_page(table: pd.DataFrame):
    """Total likes per page, with the home-country part hatched apart."""
    fig, ax = new_figure(figsize=(8, 3.8))
    pages = table["page_label"].tolist()
    home = table["home_likes"].fillna(0).to_numpy(dtype=float)
    total = table["likes"].to_numpy(dtype=float)
    known = ~table["home_likes"].isna().to_numpy()
    ax.barh(pages, np.where(known, home, 0), color=PALETTE["blue"], label="from the home country")
    ax.barh(pages, np.where(known, total - home, 0), left=np.where(known, home, 0), color=PALETTE["vermillion"],
            hatch="xx", edgecolor="white", label="from abroad")
    ax.barh(pages, np.where(known, 0, total), color=PALETTE["grey"], hatch="..", edgecolor="white",
            label="origin not published")
    for i, (t, h, k, q) in enumerate(zip(total, home, known, table["likes_qualifier"])):
        text = f"{'about ' if q in ('about', 'approximately') else ''}{t / 1e6:.1f} million"
        if k:
            text += f" ({100 * h / t:.0f}% home)"
        ax.annotate(text, (t, i), xytext=(5, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_xlim(0, total.max() * 1.45)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x / 1e6:.0f}M")
    ax.set_xlabel("page likes")
    ax.invert_yaxis()
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.2), ncols=3)
    ax.grid(axis="y", visible=False)
    return fig


def ranges_per_page(table: pd.DataFrame, *, value: str, xlabel: str):
    """Per page, every estimate as a dot and the spread between them as a line (log scale)."""
    fig, ax = new_figure(figsize=(8.5, 3.8))
    pages = list(dict.fromkeys(table["page_label"]))
    for i, page in enumerate(pages):
        rows = table[table["page_label"] == page]
        lo, hi = rows[value].min(), rows[value].max()
        ax.plot([lo, hi], [i, i], color=PALETTE["grey"], linewidth=3, solid_capstyle="round", zorder=1)
        ax.scatter(rows[value], [i] * len(rows), color=PALETTE["blue"], zorder=2, s=40)
        ax.annotate(f"{lo:,.1f} to {hi:,.1f}" if hi > lo * 1.01 else f"{lo:,.1f}", (hi, i), xytext=(8, 0),
                    textcoords="offset points", va="center", fontsize=9)
    ax.axvline(100, color=PALETTE["vermillion"], linestyle="--", linewidth=1)
    ax.text(104, len(pages) - 0.6, "100 = as many likes\nas internet users", fontsize=8.5,
            color=PALETTE["vermillion"], va="bottom")
    ax.set_xscale("log")
    ax.set_yticks(range(len(pages)), pages)
    ax.set_xlim(table[value].min() / 2, table[value].max() * 6)
    ax.set_xlabel(xlabel)
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    return fig


def verdict_counts(ledger: pd.DataFrame):
    """How many claims hold, fail, or cannot be checked."""
    order = ["consistent", "inconsistent", "not checkable"]
    counts = ledger["verdict"].value_counts().reindex(order, fill_value=0)
    fig, ax = new_figure(figsize=(7, 2.8))
    styles = {"consistent": (PALETTE["blue"], ""), "inconsistent": (PALETTE["vermillion"], "xx"),
              "not checkable": (PALETTE["grey"], "..")}
    bars = ax.barh(order, counts.to_numpy(), color=[styles[o][0] for o in order],
                   hatch=None, edgecolor="white")
    for bar, o in zip(bars, order):
        bar.set_hatch(styles[o][1])
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
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.yaxis.set_major_formatter(lambda y, _: f"{y:,.0f}")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.18), ncols=2)
    return fig


def mix_comparison(table: pd.DataFrame):
    """Per country, its share of a period's new fans against its share of all fans before: paired bars."""
    fig, ax = new_figure(figsize=(8.5, 1.6 + 0.7 * len(table)))
    countries = [str(c) for c in table["country"]]
    y = np.arange(len(countries))
    pairs = (("fans_share_pct", "all fans, the day before", PALETTE["blue"], ""),
             ("new_fans_share_pct", "new fans in the period", PALETTE["vermillion"], "xx"))
    for offset, (column, label, colour, hatch) in zip((-0.2, 0.2), pairs):
        bars = ax.barh(y + offset, table[column].fillna(0), height=0.38, color=colour, hatch=hatch,
                       edgecolor="white", label=label)
        ax.bar_label(bars, labels=[f"{v:.1f}%" for v in table[column].fillna(0)], padding=3, fontsize=9)
    ax.set_yticks(y, countries)
    ax.invert_yaxis()
    ax.set_xlim(0, 115)
    ax.set_xlabel("share (%)")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.22), ncols=2)
    ax.grid(axis="y", visible=False)
    return fig
