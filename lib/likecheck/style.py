"""The house style: type, palette, hatching and the source line every figure carries.

Readable type, the Okabe-Ito colour-blind-safe palette, hatching so that no
meaning rests on colour alone, a source line on every figure, and files that
are byte-identical from run to run (fixed SVG hash salt, no dates in metadata).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
# Names and credits live in labels (below the science and the plots); the notebooks call them as
# style.cite and style.credits, the house style's entry points.
from .labels import ORIGIN_LABEL, cite, credits  # noqa: E402, F401

#: Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
PALETTE = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
           "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "grey": "#7F7F7F"}
#: Origins always get the same colour and hatch in every figure.
ORIGIN_STYLE = {"KH": (PALETTE["blue"], ""), "IN": (PALETTE["orange"], "//"),
                "ZZ": (PALETTE["grey"], ".."), "abroad": (PALETTE["vermillion"], "xx")}
DPI = 110
#: PNGs are written at twice DPI, for sharp text on high-density screens; pages show them at half
#: their pixels (the site, the notebooks), so they look the size the figure was drawn at.
PNG_SCALE = 2
METADATA = {"svg": {"Date": None, "Creator": None}, "png": {"Software": None},
            "pdf": {"CreationDate": None, "Creator": None, "Producer": None}}


def apply_house_style() -> None:
    plt.rcParams.update({
        "svg.hashsalt": "likecheck",       # stable ids inside the SVG
        "svg.fonttype": "none",            # text stays text: searchable, smaller
        "font.family": "DejaVu Sans",      # ships with matplotlib: same glyphs everywhere
        "font.size": 11, "axes.titlesize": 13, "axes.titleweight": "bold",
        "axes.labelsize": 11, "axes.spines.top": False, "axes.spines.right": False,
        "axes.prop_cycle": plt.cycler(color=list(PALETTE.values())),
        "figure.figsize": (8, 4.8), "figure.dpi": DPI, "savefig.dpi": DPI * PNG_SCALE,
        "hatch.linewidth": 0.8, "legend.frameon": False, "axes.grid": True,
        "grid.alpha": 0.3, "grid.linewidth": 0.6,
    })


apply_house_style()


def new_figure(**kwargs):
    apply_house_style()
    return plt.subplots(**kwargs)


# --- words for readers: names, not codes; digits as printed, not beyond --------------------------

# Names, not codes, live in labels (below the science that draws); re-exported for the notebooks.
from .labels import REST_OF_WORLD_CODE, country_name, publication_name  # noqa: E402, F401


def number_text(value) -> str:
    """A recorded number with exactly the digits it was recorded with: 57.0 -> '57', 57.6 -> '57.6',
    3200000 -> '3,200,000'. (A number is stored as printed, so trailing zeros carry no precision.)"""
    text = f"{float(value):,.6f}".rstrip("0").rstrip(".")
    return text


def share_text(value) -> str:
    """A share in per cent as printed: '57', '57.6'; one decimal at most (what the articles print,
    and all a share computed from an export is shown to)."""
    return number_text(round(float(value), 1))


def approximate(value, significant: int = 2) -> float:
    """`value` rounded to `significant` figures: a derived number is no more precise than its inputs."""
    import math
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return value
    digits = significant - 1 - math.floor(math.log10(abs(value)))
    return round(value, digits)


def approximate_text(value, significant: int = 2) -> str:
    """'about 120' for 115.7, 'about 2.0' for 1.99, at two figures: the rounded value, with exactly
    its significant digits, said to be approximate."""
    import math
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return f"about {number_text(value)}"
    decimals = max(significant - 1 - math.floor(math.log10(abs(approximate(value, significant)))), 0)
    return f"about {approximate(value, significant):,.{decimals}f}"


def count_text(value, qualifier: str = "exact") -> str:
    """A count as people read it: '34,069'; a count resting on an approximate number is rounded to
    thousands and said so ('about 94,000'), since 'approximately 151,000' fixes no digit below them."""
    if str(qualifier) in ("about", "approximately", "around"):
        return f"about {approximate_thousands(value):,.0f}"
    return f"{float(value):,.0f}"


def approximate_thousands(value) -> float:
    return round(float(value) / 1000) * 1000 if abs(float(value)) >= 1000 else float(value)


def readable_number(value) -> str:
    """A number as people read it: 3137313.04 -> '3,137,313'; 58.1143 -> '58.11'; 0.5 -> '0.5'.

    Whole numbers and anything from 1,000 up without decimals (a half kept: 360,790.5 is the edge
    of '360,791', not 360,790), smaller ones to two at most; never 3.137313e+06 or 157331.0.
    """
    import math
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    if math.isinf(value):
        return "no limit"
    if value == round(value):
        return f"{value:,.0f}"
    if abs(value) >= 1000:
        return f"{value:,.1f}" if round(value, 1) == value else f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def millions_text(value) -> str:
    """An axis tick in words a graphics desk prints: 2000000 -> '2 million', 2500000 -> '2.5 million',
    500000 -> '500,000', 0 -> '0'; never '2M' or '2e6'."""
    value = float(value)
    return f"{number_text(value / 1e6)} million" if abs(value) >= 1e6 else f"{value:,.0f}"


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """'1 flagged period', '2 flagged periods'; numbers one to nine in words, as newsrooms write them."""
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    number = words[count] if 0 <= count < len(words) else f"{count:,}"
    return f"{number} {noun if count == 1 else (plural_noun or noun + 's')}"
