"""The house style: type, palette, hatching and the source line every figure carries.

Readable type, the Okabe-Ito colour-blind-safe palette, hatching so that no
meaning rests on colour alone, a source line on every figure, and files that
are byte-identical from run to run (fixed SVG hash salt, no dates in metadata).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .errors import ParameterError  # noqa: E402

#: Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
PALETTE = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
           "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "grey": "#7F7F7F"}
#: Origins always get the same colour and hatch in every figure.
ORIGIN_STYLE = {"KH": (PALETTE["blue"], ""), "IN": (PALETTE["orange"], "//"),
                "ZZ": (PALETTE["grey"], ".."), "abroad": (PALETTE["vermillion"], "xx")}
ORIGIN_LABEL = {"KH": "Cambodia", "IN": "India", "ZZ": "Rest of world", "abroad": "Abroad"}
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


def cite(sources: pd.DataFrame, source_ids) -> str:
    """'Source: The Phnom Penh Post, 14-17 Mar 2016; BBC Trending (BBC News), 14 Mar 2016'."""
    parts = []
    by_id = sources.set_index("source_id")
    for sid in dict.fromkeys(source_ids):
        row = by_id.loc[sid]
        start, end = row["published_start"], row["published_end"]
        if pd.isna(start):
            when = ""
        elif start == end:
            when = f", {start:%-d %b %Y}"
        else:
            when = f", {start:%-d}-{end:%-d %b %Y}" if (start.year, start.month) == (end.year, end.month) \
                else f", {start:%-d %b}-{end:%-d %b %Y}"
        parts.append(f"{row['publication']}{when}")
    return "Source: " + "; ".join(parts)


def credits(caption: str, *, sources: pd.DataFrame | None = None, source_ids=(),
            seed: int | None = None) -> dict:
    """The caption, source line and source ids that `outputs.save_figure` takes, made in one place.

    Published numbers: give `sources` (data/sources.csv) and the ids of the
    sources the figure plots; the source line cites each once, in order, and
    the same ids go into the manifest. A simulation: give its `seed`; the
    caption then opens with the SIMULATED label and the source line names the
    simulation and its seed, so a simulated figure can never pass as published.
    Use as ``outputs.save_figure(fig, ..., **style.credits(caption, ...))``.
    """
    if seed is not None:
        from .simulate import SIMULATION_LABEL
        if sources is not None or list(source_ids):
            raise ParameterError("a simulated figure cites no published source")
        return {"caption": f"{SIMULATION_LABEL}. {caption}",
                "source_line": f"Source: {SIMULATION_LABEL}; likecheck.simulate, seed {seed}", "source_ids": []}
    if sources is None:
        raise ParameterError("give the sources table (published numbers) or the seed (a simulation)")
    ids = list(dict.fromkeys(source_ids))
    return {"caption": caption, "source_line": cite(sources, ids), "source_ids": ids}
