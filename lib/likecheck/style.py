"""The house style and the one way to save a figure.

Readable type, the Okabe-Ito colour-blind-safe palette, hatching so that no
meaning rests on colour alone, a source line on every figure, and files that
are byte-identical from run to run (fixed SVG hash salt, no dates in metadata).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .tables import atomic_write_bytes, csv_bytes  # noqa: E402

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


def _below_axes(fig) -> float:
    """Figure y just under everything the axes draw (tick labels, axis label, legend)."""
    renderer = fig.canvas.get_renderer()
    bottom = min(ax.get_tightbbox(renderer).y0 for ax in fig.axes)
    return bottom / (fig.dpi * fig.get_figheight()) - 0.015


def _figure_bytes(fig, fmt: str) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata=METADATA[fmt], bbox_inches="tight")
    return buffer.getvalue()


def _next_step(output_dir: Path) -> int:
    """The output's place in its notebook's reading order (the build stages into a fresh folder)."""
    return len(list(output_dir.glob("*.meta.json"))) + 1


def save_figure(fig, name: str, data: pd.DataFrame, *, output_dir, title: str, caption: str,
                alt: str, source_line: str, source_ids, notebook: str, show: bool = True) -> dict:
    """Write NAME.svg, NAME.png, NAME.csv (exactly the plotted numbers) and NAME.meta.json.

    The figure gets its title and source line here, so every figure has both.
    In a notebook the figure and its table are displayed, since a closed Agg
    figure would not appear in the executed notebook.
    """
    output_dir = Path(output_dir)
    fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold")
    fig.text(0.01, _below_axes(fig), source_line, ha="left", va="top", fontsize=8.5, color="#444444", wrap=True)
    files = {"svg": f"{name}.svg", "png": f"{name}.png", "csv": f"{name}.csv"}
    atomic_write_bytes(output_dir / files["svg"], _figure_bytes(fig, "svg"))
    atomic_write_bytes(output_dir / files["png"], _figure_bytes(fig, "png"))
    atomic_write_bytes(output_dir / files["csv"], csv_bytes(data))
    meta = {"name": name, "notebook": notebook, "step": _next_step(output_dir), "title": title,
            "caption": caption, "alt": alt, "sources": list(dict.fromkeys(source_ids)), "files": files}
    atomic_write_bytes(output_dir / f"{name}.meta.json",
                       (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode())
    if show:
        from IPython.display import Markdown, display
        display(fig)
        display(Markdown(f"**{title}.** {caption}  \n*Alt text:* {alt}"))
        display(data)
    plt.close(fig)
    return meta


def save_table(data: pd.DataFrame, name: str, *, output_dir, notebook: str, title: str,
               source_ids=(), show: bool = True) -> dict:
    """Write a table that is an output in its own right (the claims ledger)."""
    output_dir = Path(output_dir)
    files = {"csv": f"{name}.csv"}
    atomic_write_bytes(output_dir / files["csv"], csv_bytes(data))
    meta = {"name": name, "notebook": notebook, "step": _next_step(output_dir), "title": title,
            "sources": list(source_ids), "files": files, "kind": "table"}
    atomic_write_bytes(output_dir / f"{name}.meta.json",
                       (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode())
    if show:
        from IPython.display import display
        display(data)
    return meta
