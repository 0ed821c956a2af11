"""One loader for every table: read, type, validate, or raise one clear line.

`read_table` is the single path from a CSV file to a typed DataFrame; the
`load_*` functions name the published tables. Every problem becomes a
`DataError` naming the file, the line, the column and what is wrong.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .errors import DataError
from .paths import DATA
from .schemas import (CHECK_INPUTS, CLAIMS, DATE_YEARS, EVENT_INPUTS, EVENTS, LARGEST_COUNT, LIST_INPUTS,
                      OBSERVATIONS, PAGE_RECORD, PUBLISHED_TABLES, REFERENCE, SOURCES, TableSpec,
                      pandera_schema)

#: The repository's data folder; notebooks and the CLI may pass another.
DATA_DIR = DATA
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: One term of a claim's inputs: ids joined by + - / ("O002-O003", "R04/R02"); P: a page_record count.
_TERM = re.compile(r"^[ORECP]\d+(?:[-+/][ORECP]\d+)*$")
_ID = re.compile(r"[ORECP]\d+")
HEADER_LINE = 1


def read_text(path: Path) -> str:
    """The file's text as UTF-8, or a DataError saying why it is not text."""
    path = Path(path)
    if not path.is_file():
        raise DataError(path, "no such file")
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(path, "the file is empty")
    if b"\x00" in raw[:8192]:
        raise DataError(path, "this is a binary file, not text (it contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(path, f"not UTF-8 text (byte 0x{raw[err.start]:02x}); save the file as UTF-8",
                        line=line) from None


def read_raw_csv(path: Path) -> pd.DataFrame:
    """All cells as strings, empty cells as empty strings; nothing inferred yet."""
    text = read_text(path)
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.ParserError as err:
        match = re.search(r"line (\d+)", str(err))
        raise DataError(path, f"not a well-formed CSV file ({str(err).split(':')[0].strip()})",
                        line=int(match.group(1)) if match else None) from None
    except pd.errors.EmptyDataError:
        raise DataError(path, "the file has no header line") from None
    check_cell_lengths(path, raw)
    return raw


def check_cell_lengths(path: Path, raw: pd.DataFrame) -> None:
    """A DataError at the first cell longer than limits.CELL_CHARACTERS (header included)."""
    from .limits import CELL_CHARACTERS, cell_too_long
    for name in raw.columns:
        if len(str(name)) > CELL_CHARACTERS:
            raise cell_too_long(path, len(str(name)), line=HEADER_LINE)
    for name in raw.columns if not raw.empty else ():
        lengths = raw[name].str.len().to_numpy()
        too_long = (lengths > CELL_CHARACTERS).nonzero()[0]
        if too_long.size:
            pos = int(too_long[0])
            raise cell_too_long(path, int(lengths[pos]), line=line_of(pos), column=str(name))


def line_of(index_position: int) -> int:
    """File line of a data row: the header is line 1 and rows hold one line each."""
    return int(index_position) + HEADER_LINE + 1


def check_columns(path: Path, raw: pd.DataFrame, spec: TableSpec) -> None:
    missing = [c for c in spec.columns if c not in raw.columns]
    if missing:
        raise DataError(path, f"missing column (expected columns: {', '.join(spec.columns)})",
                        line=HEADER_LINE, column=missing[0])
    unknown = [c for c in raw.columns if c not in spec.columns]
    if unknown:
        raise DataError(path, f"unknown column (expected columns: {', '.join(spec.columns)})",
                        line=HEADER_LINE, column=unknown[0])
    if raw.empty:
        raise DataError(path, "the file has a header but no rows")


def _first_bad(path, mask: pd.Series, raw_column: pd.Series, column: str, problem: str):
    if mask.any():
        pos = int(mask.to_numpy().nonzero()[0][0])
        raise DataError(path, f"{raw_column.iloc[pos]!r} {problem}", line=line_of(pos), column=column)


def type_columns(path: Path, raw: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Convert each string column to its kind, naming the first cell that will not convert."""
    typed = {}
    for f in spec.fields:
        col = raw[f.name].str.strip()
        empty = col == ""
        if f.required:
            if empty.any():
                pos = int(empty.to_numpy().nonzero()[0][0])
                raise DataError(path, "is empty but required", line=line_of(pos), column=f.name)
        if f.kind == "date":
            _first_bad(path, ~empty & ~col.str.match(_ISO_DATE), col, f.name, "is not a date (YYYY-MM-DD)")
            values = pd.to_datetime(col.where(~empty), format="%Y-%m-%d", errors="coerce")
            _first_bad(path, ~empty & values.isna(), col, f.name, "is not a date (no such day)")
            _first_bad(path, ~empty & ~values.dt.year.isin(DATE_YEARS), col, f.name,
                       f"is outside the years {DATE_YEARS.start}-{DATE_YEARS.stop - 1} a date can hold")
            typed[f.name] = values.astype("datetime64[ns]")
        elif f.kind == "datetime":
            values = pd.to_datetime(col.where(~empty), utc=True, errors="coerce", format="ISO8601")
            _first_bad(path, ~empty & values.isna(), col, f.name, "is not a date and time (ISO 8601)")
            typed[f.name] = values.astype("datetime64[ns, UTC]")
        elif f.kind in ("integer", "number"):
            values = pd.to_numeric(col.where(~empty).str.replace(",", "", regex=False), errors="coerce")
            _first_bad(path, ~empty & values.isna(), col, f.name, "is not a number")
            if f.kind == "integer":
                _first_bad(path, values.notna() & (values % 1 != 0), col, f.name, "is not a whole number")
                _first_bad(path, values.notna() & (values.abs() > LARGEST_COUNT), col, f.name,
                           "is too large to be a count")
                typed[f.name] = values.astype("Int64")
            else:
                typed[f.name] = values.astype("float64")
        elif f.kind in ("category", "country"):
            values = col.where(~empty)
            if f.kind == "country":
                values = values.str.upper()
            cats = list(f.allowed) if f.allowed else sorted(values.dropna().unique())
            extra = sorted(set(values.dropna()) - set(cats))
            typed[f.name] = pd.Categorical(values, categories=cats + extra)
        else:
            typed[f.name] = col.where(~empty).astype("object") if not f.required else col.astype(object)
    return pd.DataFrame(typed, index=raw.index)[spec.columns]


def shown(value) -> str:
    """A cell as a reader wrote it: '-3200000', not np.float64(-3200000.0)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, pd.Timestamp):
        value = f"{value:%Y-%m-%d}"
    return repr(value) if isinstance(value, str) else f"'{value}'"


def validate(path: Path, frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Run the pandera schema; report the first failing cell as one line."""
    try:
        return pandera_schema(spec).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        cases = cases.assign(_order=cases["index"].fillna(-1)).sort_values("_order", kind="stable")
        case = cases.iloc[0]
        column = case["column"] if isinstance(case["column"], str) else None
        check = str(case["check"])
        index = case["index"]
        line = line_of(index) if pd.notna(index) else None
        if "uniqueness" in check and case["schema_context"] == "Column":
            problem = f"{shown(case['failure_case'])} appears more than once"
        elif "uniqueness" in check:
            problem = f"duplicate observation: the same {', '.join(spec.natural_key)} as an earlier row"
            column = None
        elif case["schema_context"] == "DataFrameSchema":
            # a row check: its message starts with the column it is about
            column, _, problem = check.partition(": ")
            if pd.notna(index):
                problem = f"{shown(frame[column].iloc[int(index)])}: {problem}"
        else:
            problem = f"{shown(case['failure_case'])} {check}"
        raise DataError(path, problem, line=line, column=column) from None


def read_table(path, spec: TableSpec) -> pd.DataFrame:
    """Read one CSV table, typed and validated against its specification."""
    path = Path(path)
    raw = read_raw_csv(path)
    check_columns(path, raw, spec)
    typed = type_columns(path, raw, spec)
    return validate(path, typed, spec)


def check_foreign_key(path, frame: pd.DataFrame, column: str, known, what: str) -> None:
    bad = ~frame[column].isin(list(known))
    _first_bad(path, bad, frame[column].astype(str), column, f"is not a known {what}")


def load_sources(data_dir=DATA_DIR) -> pd.DataFrame:
    return read_table(Path(data_dir) / SOURCES.filename, SOURCES)


def _load_sourced(spec: TableSpec, data_dir, sources: pd.DataFrame | None) -> pd.DataFrame:
    sources = load_sources(data_dir) if sources is None else sources
    path = Path(data_dir) / spec.filename
    frame = read_table(path, spec)
    check_foreign_key(path, frame, "source_id", sources["source_id"], "source id (see sources.csv)")
    frame["source_id"] = frame["source_id"].cat.set_categories(list(sources["source_id"]))
    return frame


def load_observations(data_dir=DATA_DIR, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    return _load_sourced(OBSERVATIONS, data_dir, sources)


def load_events(data_dir=DATA_DIR, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    return _load_sourced(EVENTS, data_dir, sources)


def load_reference(data_dir=DATA_DIR, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    return _load_sourced(REFERENCE, data_dir, sources)


def load_page_record(data_dir=DATA_DIR, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """data/page_record.csv: the page's published counts beyond the five articles (likecheck.record)."""
    return _load_sourced(PAGE_RECORD, data_dir, sources)


def split_ids(text) -> list[str]:
    """The ids of a ';'-separated cell ("O002;O003"), empty cells giving none."""
    return [part.strip() for part in str(text).split(";") if part.strip()] if isinstance(text, str) else []


def parse_inputs(text) -> dict[str, tuple[str, ...]]:
    """A claim's `inputs` cell as {name: terms}: "part=O003 total=O002-O003" ->
    {"part": ("O003",), "total": ("O002-O003",)}; a list ("values=O010,O011") keeps
    every term. Raises ValueError naming the first piece that is not name=terms."""
    inputs: dict[str, tuple[str, ...]] = {}
    for piece in str(text).split() if isinstance(text, str) else []:
        name, sep, expression = piece.partition("=")
        terms = tuple(expression.split(","))
        if not sep or not name.isidentifier() or not all(_TERM.match(t) for t in terms):
            raise ValueError(f"{piece!r} is not name=ids (ids like O002, joined by + - / or listed with ',')")
        if name in inputs:
            raise ValueError(f"{name!r} is given twice")
        inputs[name] = terms
    return inputs


def input_ids(inputs: dict[str, tuple[str, ...]]) -> list[str]:
    """Every id the inputs name, in order, each once."""
    return list(dict.fromkeys(i for terms in inputs.values() for t in terms for i in _ID.findall(t)))


def check_claims(path, claims: pd.DataFrame, observations: pd.DataFrame,
                 reference: pd.DataFrame, events: pd.DataFrame, page_record: pd.DataFrame | None = None) -> None:
    """Every id a claim names exists, and the ids it computes with are among those it rests on."""
    counts = set() if page_record is None else set(page_record["record_id"])
    known = {"O": set(observations["observation_id"]), "R": set(reference["reference_id"]),
             "E": set(events["event_id"]), "C": set(claims["claim_id"]), "P": counts}
    for pos, row in enumerate(claims.itertuples()):
        line = line_of(pos)
        rests_on = split_ids(row.observation_ids)
        for oid in rests_on:
            if oid not in known["O"] | known["P"]:
                raise DataError(path, f"{oid!r} is not an observation id (see observations.csv) "
                                "or a record id (page_record.csv)", line=line, column="observation_ids")
        if isinstance(row.claimed_id, str) and row.claimed_id not in rests_on:
            raise DataError(path, f"{row.claimed_id!r} is not among the claim's observation_ids",
                            line=line, column="claimed_id")
        try:
            inputs = parse_inputs(row.inputs)
        except ValueError as err:
            raise DataError(path, str(err), line=line, column="inputs") from None
        check_input_names(path, row, inputs, line)
        for iid in input_ids(inputs):
            if iid not in known[iid[0]]:
                raise DataError(path, f"{iid!r} is not a known id", line=line, column="inputs")
            if iid[0] in "OP" and iid not in rests_on:
                raise DataError(path, f"{iid!r} is used but not listed in observation_ids",
                                line=line, column="inputs")
            if iid == row.claim_id:
                raise DataError(path, f"{iid!r} uses its own result", line=line, column="inputs")
        if row.check == "not_checkable" and not isinstance(row.reason, str):
            raise DataError(path, "a claim that is not checkable needs its reason", line=line,
                            column="reason")
        if isinstance(row.reason, str) and re.search(r"\d", row.reason):
            raise DataError(path, f"{row.reason!r}: a reason holds no digits (numbers come from "
                            "the observations)", line=line, column="reason")
    check_no_circle(path, claims)


def check_input_names(path, row, inputs: dict[str, tuple[str, ...]], line: int) -> None:
    """The inputs a claim gives are those its check takes; events only where a date is wanted."""
    required, optional = CHECK_INPUTS[str(row.check)]
    for name, terms in inputs.items():
        if name not in required + optional:
            raise DataError(path, f"{row.check} takes no input {name!r} (it takes "
                            f"{', '.join(required + optional)})", line=line, column="inputs")
        if len(terms) > 1 and name not in LIST_INPUTS:
            raise DataError(path, f"input {name!r} takes one number, not a list", line=line, column="inputs")
        dates = [re.fullmatch(r"E\d+", t) is not None for t in terms]
        if (name in EVENT_INPUTS) != all(dates) or any(dates) != all(dates) or \
                (name in EVENT_INPUTS and len(terms) > 1):
            wanted = "one event id (E...)" if name in EVENT_INPUTS else "numbers, not events"
            raise DataError(path, f"input {name!r} takes {wanted}", line=line, column="inputs")
    given = set(inputs) | ({"claimed"} if isinstance(row.claimed_id, str) else set())
    missing = [name for name in required if name not in given]
    if missing:
        raise DataError(path, f"{row.check} needs the input {missing[0]!r}", line=line, column="inputs")


def check_no_circle(path, claims: pd.DataFrame) -> None:
    """No claim is computed, through other claims, from its own result."""
    uses = {row.claim_id: [i for i in input_ids(parse_inputs(row.inputs)) if i.startswith("C")]
            for row in claims.itertuples()}
    for pos, start in enumerate(claims["claim_id"]):
        todo = [(start, [start])]
        while todo:
            claim_id, trail = todo.pop()
            for used in uses.get(claim_id, []):
                if used == start:
                    raise DataError(path, f"inputs go round in a circle: {' -> '.join(trail + [used])}",
                                    line=line_of(pos), column="inputs")
                if used not in trail:
                    todo.append((used, trail + [used]))


def load_claims(data_dir=DATA_DIR, sources: pd.DataFrame | None = None,
                observations: pd.DataFrame | None = None, reference: pd.DataFrame | None = None,
                events: pd.DataFrame | None = None, page_record: pd.DataFrame | None = None) -> pd.DataFrame:
    """data/claims.csv, typed, validated and checked against the tables it points into."""
    sources = load_sources(data_dir) if sources is None else sources
    claims = _load_sourced(CLAIMS, data_dir, sources)
    check_claims(Path(data_dir) / CLAIMS.filename, claims,
                 load_observations(data_dir, sources) if observations is None else observations,
                 load_reference(data_dir, sources) if reference is None else reference,
                 load_events(data_dir, sources) if events is None else events,
                 load_page_record(data_dir, sources) if page_record is None else page_record)
    return claims


@dataclass(frozen=True)
class PublishedRecord:
    """The published tables, loaded and cross-checked together."""
    sources: pd.DataFrame
    observations: pd.DataFrame
    events: pd.DataFrame
    reference: pd.DataFrame
    claims: pd.DataFrame
    #: The page's wider published record (page_record.csv), last so older positional uses still hold.
    page_record: pd.DataFrame | None = None


#: The last record read, keyed by the bytes of its six files (see load_record).
_last_record: dict[tuple[bytes, ...], PublishedRecord] = {}


def read_record(data_dir=DATA_DIR) -> PublishedRecord:
    """The six tables read, typed, validated and cross-checked (about 0.2 s, nearly all pandera)."""
    sources = load_sources(data_dir)
    observations = load_observations(data_dir, sources)
    events = load_events(data_dir, sources)
    reference = load_reference(data_dir, sources)
    page_record = load_page_record(data_dir, sources)
    claims = load_claims(data_dir, sources, observations, reference, events, page_record)
    return PublishedRecord(sources, observations, events, reference, claims, page_record)


def load_record(data_dir=DATA_DIR) -> PublishedRecord:
    """The published record; read again only when a byte of its six files has changed.

    A guide notebook checks every answer against the record, so a student's
    kernel would otherwise read and validate it once per `check` (the solutions
    notebook: fourteen times). The key is the files' bytes, not their times: two
    saves within one clock tick keep the same mtime. Each call gets its own
    copies of the tables, so a caller may change them freely.
    """
    try:
        key = tuple((Path(data_dir) / spec.filename).read_bytes() for spec in PUBLISHED_TABLES)
    except OSError:
        return read_record(data_dir)  # a file missing or unreadable: read_record names it
    if key not in _last_record:
        record = read_record(data_dir)
        _last_record.clear()
        _last_record[key] = record
    kept = _last_record[key]
    return PublishedRecord(*(getattr(kept, field.name).copy() for field in fields(kept)))
