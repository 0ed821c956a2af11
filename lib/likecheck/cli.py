"""Command line: `python -m likecheck COMMAND`. Bad input ends as one line on stderr and exit 2."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import LikecheckError

ROOT = Path(__file__).resolve().parents[2]


def cmd_validate(args) -> int:
    from . import load
    record = load.load_record(args.data)
    print(f"data ok: {len(record.sources)} sources, {len(record.observations)} observations, "
          f"{len(record.events)} events, {len(record.reference)} reference figures")
    return 0


def datapackage_text() -> str:
    from .schemas import datapackage
    return json.dumps(datapackage(), indent=2, ensure_ascii=False) + "\n"


def cmd_datapackage(args) -> int:
    target = Path(args.data) / "datapackage.json"
    text = datapackage_text()
    if args.check:
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            raise LikecheckError(f"{target}: out of date with lib/likecheck/schemas.py; run 'make datapackage'")
        return 0
    target.write_text(text, encoding="utf-8")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from .load import DATA_DIR
    parser = argparse.ArgumentParser(prog="likecheck", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="load and validate every published table")
    p.add_argument("--data", default=DATA_DIR, type=Path)
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("datapackage", help="write (or --check) data/datapackage.json from the schemas")
    p.add_argument("--data", default=DATA_DIR, type=Path)
    p.add_argument("--check", action="store_true")
    p.set_defaults(func=cmd_datapackage)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except LikecheckError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
