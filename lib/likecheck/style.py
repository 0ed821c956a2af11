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
        "figure.figsize": (8, 4.8), "figure.dpi": DPI, "savefig.dpi": DPI,
        "hatch.linewidth": 0.8, "legend.frameon": False, "axes.grid": True,
        "grid.alpha": 0.3, "grid.linewidth": 0.6,
    })


apply_house_style()


def new_figure(**kwargs):
    apply_house_style()
    return plt.subplots(**kwargs)
