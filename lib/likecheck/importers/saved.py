"""An import saved into a folder, and read back as the same `Imported`: import once, read many times.

`make rerun` and `make screen` import the export once and save it into
OUT/data/; their notebooks get `data = "../data"` and read it back through the
same `import_exports` (and `evidence.open_evidence`) that reads a raw export,
so a notebook opened by hand on a raw export works unchanged.

The folder holds:

* `imported.json`, the manifest: what the import learnt (each file read with its
  format, what it holds and its SHA-256; files skipped and why; page aliases;
  posts without a fan count; repeats; downloads; eras; how each file was read
  and the Facebook ids Excel damaged), and the table files;
* the tables as Parquet (`fan_counts`, `posts`, `eras`, `gross`): lossless, so the
  notebooks compute from exactly what the import gave (the CSVs beside them are
  for people and spreadsheets, with text neutralised against formulas).

Files are named, never located: the manifest holds each export file's name,
not where it was, and the tables are named relative to the folder, so the
folder can move (a staging folder renamed to OUT) and two runs of the same
export into two folders write the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..errors import DataError
from .common import IMPORTED_SPECS, normalise
from .result import FileRead, Imported

MANIFEST = "imported.json"
KIND = "likecheck import"
VERSION = 1
TABLES = ("fan_counts", "posts", "eras", "gross", "bare_totals")


def saved_import(paths) -> Path | None:
    """The folder, when `paths` is one folder holding a saved import; else None."""
    if isinstance(paths, (list, tuple)):
        if len(paths) != 1:
            return None
        paths = paths[0]
    folder = Path(paths)
    return folder if (folder / MANIFEST).is_file() else None


def write_saved(imported: Imported, folder, source: str) -> Path:
    """Save `imported` into `folder` (made if needed); `source`: the name of what was imported (DATA's name)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables, dtypes = {}, {}
    for name in TABLES:
        table = getattr(imported, name)
        if table is not None:
            tables[name] = f"{name}.parquet"
            table.to_parquet(folder / tables[name], index=False)
            if name not in IMPORTED_SPECS:  # Parquet keeps days in ms: the other tables are cast back
                dtypes[name] = {column: str(dtype) for column, dtype in table.dtypes.items()}
    manifest = {
        "kind": KIND, "version": VERSION, "source": source, "tables": tables, "dtypes": dtypes,
        "read": [{"file": r.path.name, "format": r.format, "holds": r.holds, "sha256": r.sha256}
                 for r in imported.read],
        "skipped": [{"file": path.name, "why": why} for path, why in imported.skipped],
        "aliases": imported.aliases,
        "posts_without_fans": [[path.name, row] for path, row in imported.posts_without_fans],
        "repeats_dropped": imported.repeats_dropped, "posts_updated": imported.posts_updated,
        "download_times": [[path.name, when, how] for path, when, how in imported.download_times],
        "eras_overlap": list(imported.eras_overlap), "posts_audience": imported.posts_audience,
        "notes": [[path.name, note] for path, note in imported.notes],
        "damaged_ids": {alias: list(pages) for alias, pages in imported.damaged_ids.items()},
        "totals_known": [[path.name, what] for path, what in imported.totals_known],
    }
    text = json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")
    return folder


def read_saved(folder) -> Imported:
    """The `Imported` saved in `folder`; a DataError naming the manifest when it is not one we wrote."""
    folder = Path(folder)
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DataError(path, f"not a readable saved import ({type(err).__name__})") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND or manifest.get("version") != VERSION:
        raise DataError(path, f"not a saved import of this version (kind {KIND!r}, version {VERSION})")
    tables = {name: read_table(folder, manifest["tables"], name, manifest.get("dtypes", {}).get(name))
              for name in TABLES}
    read = tuple(FileRead(Path(r["file"]), r["format"], r["holds"], r["sha256"]) for r in manifest["read"])
    return Imported(
        fan_counts=tables["fan_counts"], posts=tables["posts"],
        formats=tuple(r.format for r in read), files=tuple(r.path for r in read), read=read,
        skipped=tuple((Path(s["file"]), s["why"]) for s in manifest["skipped"]),
        eras=tables["eras"], aliases=dict(manifest["aliases"]),
        posts_without_fans=tuple((Path(name), int(row)) for name, row in manifest["posts_without_fans"]),
        repeats_dropped=dict(manifest["repeats_dropped"]), posts_updated=int(manifest["posts_updated"]),
        download_times=tuple((Path(name), when, how) for name, when, how in manifest["download_times"]),
        eras_overlap=tuple(manifest["eras_overlap"]), gross=tables["gross"],
        posts_audience=manifest["posts_audience"], source=manifest["source"], bare_totals=tables["bare_totals"],
        totals_known=tuple((Path(name), what) for name, what in manifest.get("totals_known", [])),
        # absent from a manifest written before issue 24, which had neither
        notes=tuple((Path(name), note) for name, note in manifest.get("notes", [])),
        damaged_ids={alias: tuple(pages) for alias, pages in manifest.get("damaged_ids", {}).items()})


def read_table(folder: Path, tables: dict, name: str, dtypes: dict | None = None) -> pd.DataFrame | None:
    """One saved table (None when the import had none), in the dtypes every importer returns."""
    if name not in tables:
        return None
    if Path(tables[name]).name != tables[name]:
        raise DataError(folder / MANIFEST, f"table {name!r} must be a file of the folder, not {tables[name]!r}")
    path = folder / tables[name]
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as err:
        raise DataError(path, f"not a readable table of a saved import ({' '.join(str(err).split())})") from None
    if name in IMPORTED_SPECS:
        return normalise(frame, IMPORTED_SPECS[name])
    try:
        return frame.astype(dtypes) if dtypes else frame
    except (KeyError, TypeError, ValueError) as err:
        raise DataError(folder / MANIFEST, f"the dtypes given for table {name!r} do not fit it ({err})") from None
