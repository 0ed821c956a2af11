"""Writing outputs: the one way to save a figure or a table, atomic and deterministic.

Figures are byte-identical from run to run (fixed SVG hash salt and no dates in
metadata, from `style`); CSVs are safe to open in a spreadsheet.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from .errors import FileSystemError
from .escape import figure_text, markdown

#: A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a quote.

    Only text columns are touched: numbers (negative ones included) stay numbers.
    """
    out = frame.copy()
    for column in _text_columns(out):
        text = out[column].astype("object")
        risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_PREFIXES))
        if risky.any():
            out[column] = text.where(~risky, "'" + text.astype(str))
    return out


def _text_columns(frame: pd.DataFrame) -> list:
    return [column for column in frame.columns
            if pd.api.types.is_string_dtype(frame[column]) or frame[column].dtype == object
            or isinstance(frame[column].dtype, pd.CategoricalDtype)]


def _umask() -> int:
    """The process's umask, read without changing it where Linux allows (threads write files too)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: What a file the user's own tools would create gets (0644 with the usual umask 022);
#: mkstemp alone gives 0600, which other users and a web server cannot read.
FILE_MODE = 0o666 & ~_umask()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename over it; the file gets the user's umask.

    An OS error (a full disk, the file-size limit, permissions, a name too long) is a
    FileSystemError of one line naming `path` and what to do; the temporary file is removed,
    and `path` keeps its earlier bytes.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:200]}.", suffix=".tmp")
    except OSError as err:
        raise FileSystemError.of(err, "create the file", path) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            os.fchmod(fh.fileno(), FILE_MODE)
        os.replace(tmp, path)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise FileSystemError.of(err, "write the file", path) from None
        raise


def _holds_carriage_return(frame: pd.DataFrame) -> bool:
    return any(frame[c].astype("object").map(lambda v: isinstance(v, str) and "\r" in v).any()
               for c in _text_columns(frame))


def _unix_record_ends(text: str) -> str:
    """'\r\n' to '\n' between records only: outside quotes, i.e. in the even pieces between '"'."""
    pieces = text.split('"')
    pieces[::2] = [piece.replace("\r\n", "\n") for piece in pieces[::2]]
    return '"'.join(pieces)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Deterministic CSV: no index, ISO dates, '\\n' line ends, floats to 10 significant digits.

    Dates (naive datetimes) are written as YYYY-MM-DD; moments (tz-aware
    datetimes, such as a post's time) keep their time of day, in UTC.
    A text cell holding a line break is quoted, so it stays one row. Python's
    csv writer quotes only the characters of its line terminator, so a lone
    '\\r' in a post's text would split its row: such tables are written with
    '\\r\\n' (quoting every '\\r') and their record ends turned back into '\\n'.
    """
    safe = neutralise_formulas(frame)
    for column in safe.columns:
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    carriage_returns = _holds_carriage_return(safe)
    text = safe.to_csv(index=False, lineterminator="\r\n" if carriage_returns else "\n",
                       date_format="%Y-%m-%d", float_format="%.10g")
    return (_unix_record_ends(text) if carriage_returns else text).encode("utf-8")


def write_csv(frame: pd.DataFrame, path) -> Path:
    """Write `frame` as CSV atomically; the one way the project writes a table."""
    path = Path(path)
    atomic_write_bytes(path, csv_bytes(frame))
    return path


def _below_axes(fig) -> float:
    """Figure y just under everything the axes draw (tick labels, axis label, legend)."""
    renderer = fig.canvas.get_renderer()
    bottom = min(ax.get_tightbbox(renderer).y0 for ax in fig.axes)
    return bottom / (fig.dpi * fig.get_figheight()) - 0.015


def _left_edge(fig) -> float:
    """Figure x of the leftmost thing the axes draw (long tick labels reach left of the figure): the
    title and source line start there, flush left with the chart, as a graphics desk sets them."""
    renderer = fig.canvas.get_renderer()
    left = min(ax.get_tightbbox(renderer).x0 for ax in fig.axes)
    return min(0.01, left / (fig.dpi * fig.get_figwidth()))


def _figure_bytes(fig, fmt: str) -> bytes:
    from .style import METADATA  # matplotlib only where a figure is saved: the runner imports this module too
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata=METADATA[fmt], bbox_inches="tight")  # PNG at savefig.dpi: 2x
    return buffer.getvalue()


def _next_step(output_dir: Path) -> int:
    """The output's place in its notebook's reading order (the build stages into a fresh folder)."""
    return len(list(output_dir.glob("*.meta.json"))) + 1


def save_figure(fig, name: str, data: pd.DataFrame, *, output_dir, title: str, caption: str,
                alt: str, source_line: str, source_ids, notebook: str, show: bool = True) -> None:
    """Write NAME.svg, NAME.png, NAME.csv (exactly the plotted numbers) and NAME.meta.json.

    Returns nothing, so a notebook cell that ends with it shows the figure and no stray value.

    The figure gets its title and source line here, so every figure has both.
    In a notebook the saved PNG and the table are displayed, since a closed Agg
    figure would not appear in the executed notebook.
    """
    output_dir = Path(output_dir)
    # figure_text: a title or source line may hold a page's or a file's name, never a formula
    left = _left_edge(fig)
    fig.suptitle(figure_text(title), x=left, ha="left", fontsize=13, fontweight="bold")
    fig.text(left, _below_axes(fig), figure_text(source_line), ha="left", va="top", fontsize=8.5,
             color="#444444", wrap=True)
    files = {"svg": f"{name}.svg", "png": f"{name}.png", "csv": f"{name}.csv"}
    atomic_write_bytes(output_dir / files["svg"], _figure_bytes(fig, "svg"))
    png = _figure_bytes(fig, "png")
    atomic_write_bytes(output_dir / files["png"], png)
    atomic_write_bytes(output_dir / files["csv"], csv_bytes(data))
    meta = {"name": name, "notebook": notebook, "step": _next_step(output_dir), "title": title,
            "caption": caption, "alt": alt, "sources": list(dict.fromkeys(source_ids)), "files": files}
    atomic_write_bytes(output_dir / f"{name}.meta.json",
                       (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode())
    if show:
        from IPython.display import Image, Markdown, display
        # The file just written, not a new drawing: the notebook shows the very pixels of
        # figures/NAME.png, and the figure is not drawn a third time.
        from .style import PNG_SCALE
        # Shown at the size it was drawn at: the PNG holds twice the pixels, for sharp screens.
        display(Image(data=png, format="png", width=int.from_bytes(png[16:20], "big") // PNG_SCALE))
        # Title, caption and alt text may hold a page's name, which its owner chose: escaped, so
        # that no tag, link or formula in it is rendered (escape.markdown).
        display(Markdown(f"**{markdown(title)}.** {markdown(caption)}  \n*Alt text:* {markdown(alt)}"))
        display(readable(data))
    import matplotlib.pyplot as plt
    plt.close(fig)


def readable(data: pd.DataFrame) -> pd.DataFrame:
    """The table as a reader sees it in a notebook (the CSV keeps every digit): a float column of
    whole numbers (a count with a gap, which pandas stores as floats) as whole numbers, not
    157331.0; any other float column as `style.readable_number` writes each value, never 1.0e+06."""
    from .style import readable_number
    shown = data.copy()
    for column in shown.columns:
        values = shown[column]
        if not pd.api.types.is_float_dtype(values) or not values.notna().any():
            continue
        known = values.dropna()
        shown[column] = (values.round().astype("Int64") if (known == known.round()).all()
                         else values.map(readable_number))
    return shown


def save_table(data: pd.DataFrame, name: str, *, output_dir, notebook: str, title: str,
               source_ids=(), show: bool = True) -> None:
    """Write a table that is an output in its own right (the claims ledger).

    Returns nothing, so a notebook cell that ends with it shows the table and no stray value."""
    output_dir = Path(output_dir)
    files = {"csv": f"{name}.csv"}
    atomic_write_bytes(output_dir / files["csv"], csv_bytes(data))
    meta = {"name": name, "notebook": notebook, "step": _next_step(output_dir), "title": title,
            "sources": list(source_ids), "files": files, "kind": "table"}
    atomic_write_bytes(output_dir / f"{name}.meta.json",
                       (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode())
    if show:
        from IPython.display import display
        display(readable(data))
