"""figures/manifest.json: its JSON Schema, its one reader and writer, and the one sha256 check.

The manifest is the contract between the build (which writes it last, after
every figure), the site (which shows what it lists) and the tests (which
check the committed files against it). All three go through this module:
`read_manifest` validates with `jsonschema` and names the first bad key in
one line; `file_problems` is the only place that compares a file's bytes
with its recorded sha256.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError, LikecheckError, display_path
from ..outputs import atomic_write_bytes

MANIFEST = "manifest.json"
GENERATED_BY = "likecheck"
NOTE = "sha256 of every file make figures writes; tests check them"
GROUPS = ("figures", "tables")

_TEXT = {"type": "string", "pattern": r"\S"}  # present and not blank
_SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
# A path inside figures/ (guide figures in guide/): relative, no part starting with '.'.
_FILE = {"type": "string", "pattern": r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$"}
# A notebook below notebooks/: the same rule, ending in .ipynb.
_NOTEBOOK = {"type": "string",
             "pattern": r"^([A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.ipynb$"}


def _files(kinds: tuple[str, ...], value: dict) -> dict:
    return {"type": "object", "required": list(kinds), "additionalProperties": False,
            "properties": {kind: value for kind in kinds}}


_COMMON = {"name": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"}, "notebook": _NOTEBOOK,
           "step": {"type": "integer", "minimum": 1}, "title": _TEXT,
           "sources": {"type": "array", "items": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+$"}}}

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "likecheck figure manifest (figures/manifest.json)",
    "type": "object",
    "required": ["generated_by", "figures", "tables"],
    "additionalProperties": False,
    "properties": {
        "generated_by": {"const": GENERATED_BY},
        "note": {"type": "string"},
        "figures": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["name", "notebook", "title", "caption", "alt", "sources", "files", "sha256"],
            "properties": {**_COMMON, "caption": _TEXT, "alt": _TEXT,
                           "files": _files(("svg", "png", "csv"), _FILE),
                           "sha256": _files(("svg", "png", "csv"), _SHA256)}}},
        "tables": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["name", "notebook", "title", "sources", "files", "sha256"],
            "properties": {**_COMMON, "files": _files(("csv",), _FILE),
                           "sha256": _files(("csv",), _SHA256)}}},
    },
}


def empty_manifest() -> dict:
    return {"generated_by": GENERATED_BY, "note": NOTE, "figures": [], "tables": []}


def _key(parts) -> str:
    """['figures', 0, 'alt'] -> 'figures[0].alt'."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problem(error) -> tuple[str, str]:
    """The key and the plain-words problem of one jsonschema error."""
    parts = list(error.absolute_path)
    if error.validator == "required":
        missing = next(p for p in error.validator_value if p not in error.instance)
        return _key(parts + [missing]), "missing"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return _key(parts + extra[:1]), "not a manifest field"
    if error.validator == "pattern" and error.schema is _TEXT:
        return _key(parts), "empty (a text is required)"
    if error.validator == "const":
        return _key(parts), f"not a likecheck figure manifest (expected {error.validator_value!r})"
    return _key(parts), error.message


def validate(data, path: Path) -> dict:
    """`data` if it matches SCHEMA and names each output once; else a DataError naming the first bad key."""
    from jsonschema import Draft202012Validator
    error = next(Draft202012Validator(SCHEMA).iter_errors(data), None)
    if error is not None:
        key, problem = _problem(error)
        raise DataError(path, problem, key=key or None)
    names = [entry["name"] for group in GROUPS for entry in data[group]]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise DataError(path, f"the name {repeated[0]!r} appears more than once", key="name")
    return data


def read_manifest(figures_dir: Path, *, missing_ok: bool = False) -> dict:
    """figures_dir/manifest.json, validated. Absent: an empty manifest if `missing_ok`, else one line
    saying what to run."""
    path = Path(figures_dir) / MANIFEST
    if not path.is_file():
        if missing_ok:
            return empty_manifest()
        raise LikecheckError(f"{display_path(path)}: no figure manifest; run 'make figures' first")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise DataError(path, f"not valid JSON ({err.msg})", line=err.lineno) from None
    return validate(data, path)


def write_manifest(figures_dir: Path, figures: list[dict], tables: list[dict]) -> dict:
    """Validate and write the manifest (atomically); entries in their notebooks' reading order."""
    def reading_order(entry):
        return entry["notebook"], entry.get("step", 0), entry["name"]
    manifest = {**empty_manifest(), "figures": sorted(figures, key=reading_order),
                "tables": sorted(tables, key=reading_order)}
    path = Path(figures_dir) / MANIFEST
    validate(manifest, path)
    atomic_write_bytes(path, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
    return manifest


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass(frozen=True)
class FileProblem:
    key: str       # where in the manifest: 'figures[1].sha256.png'
    file: str      # the path inside figures/
    notebook: str  # the notebook that wrote it
    problem: str   # 'missing' or 'differs from the manifest'

    def __str__(self) -> str:
        return f"{self.file}: {self.problem}"


def file_problems(manifest: dict, figures_dir: Path, notebook: str | None = None) -> list[FileProblem]:
    """Every listed file (of `notebook` only, if given) that is absent or whose bytes differ from its sha256."""
    problems = []
    for group in GROUPS:
        for index, entry in enumerate(manifest[group]):
            if notebook is not None and entry["notebook"] != notebook:
                continue
            for kind, rel in entry["files"].items():
                path = Path(figures_dir) / rel
                where = f"{group}[{index}].sha256.{kind}"
                if not path.is_file():
                    problems.append(FileProblem(where, rel, entry["notebook"], "missing"))
                elif file_sha256(path) != entry["sha256"][kind]:
                    problems.append(FileProblem(where, rel, entry["notebook"], "differs from the manifest"))
    return problems


def check_files(manifest: dict, figures_dir: Path) -> None:
    """A DataError naming the first file that is missing or differs from its sha256."""
    problems = file_problems(manifest, figures_dir)
    if problems:
        first = problems[0]
        raise DataError(Path(figures_dir) / MANIFEST,
                        f"{first.file} {first.problem}; run 'make figures'", key=first.key)
