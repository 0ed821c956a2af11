"""Command line: `python -m likecheck COMMAND`. Bad input ends as one line on stderr and exit 2."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..errors import LikecheckError, os_error_text
from ..escape import one_line
from ..paths import DATA, ROOT


def log_to_stderr(message: str) -> None:
    """Progress lines of build, rerun and screen: on stderr, so stdout stays the result alone."""
    print(message, file=sys.stderr, flush=True)


def cmd_validate(args) -> int:
    from .. import load
    record = load.load_record(args.data)
    print(f"data ok: {len(record.sources)} sources, {len(record.observations)} observations, "
          f"{len(record.events)} events, {len(record.reference)} reference figures, {len(record.claims)} claims, "
          f"{len(record.page_record)} record counts")
    if args.datapackage:  # in the same process: `make figures` after `make clean` starts one Python less
        check_datapackage(Path(args.data) / "datapackage.json")
    return 0


def datapackage_text() -> str:
    from ..schemas import datapackage
    return json.dumps(datapackage(), indent=2, ensure_ascii=False) + "\n"


def cmd_datapackage(args) -> int:
    target = Path(args.data) / "datapackage.json"
    if args.check:
        check_datapackage(target)
        return 0
    target.write_text(datapackage_text(), encoding="utf-8")
    return 0


def check_datapackage(target: Path) -> None:
    if not target.is_file() or target.read_text(encoding="utf-8") != datapackage_text():
        raise LikecheckError(f"{target}: out of date with lib/likecheck/schemas.py; run 'make datapackage'")


def cmd_build(args) -> int:
    from . import build
    build.build(force=args.force, workers=args.jobs, log=log_to_stderr,
                 figures_dir=args.figures, build_dir=args.build)
    problems = build.verify_manifest(args.figures)
    if problems:
        raise LikecheckError(f"figures/: {problems[0]} (and {len(problems) - 1} more)")
    return 0


#: `make rerun` hands its parameters over in these variables, never on a shell line (see the Makefile).
RERUN_ENVIRONMENT = {"start": "LIKECHECK_START", "end": "LIKECHECK_END", "data": "LIKECHECK_DATA",
                     "page": "LIKECHECK_PAGE", "format": "LIKECHECK_FORMAT", "out": "LIKECHECK_OUT",
                     "zone": "LIKECHECK_ZONE", "home_country": "LIKECHECK_HOME_COUNTRY", "top": "LIKECHECK_TOP"}
#: The folder the user typed the command in, for a relative DATA or OUT (make sets $(CURDIR)).
CWD_ENVIRONMENT = "LIKECHECK_CWD"


def typed_in(args, names) -> Path:
    """Where the user typed the command; with --from-environment, the parameters `names` are read
    from the variables make set (RERUN_ENVIRONMENT), replacing any given on the command line."""
    if args.from_environment:
        for name in names:
            setattr(args, name, os.environ.get(RERUN_ENVIRONMENT[name]) or None)
    return Path(os.environ.get(CWD_ENVIRONMENT) or os.getcwd())


def cmd_rerun(args) -> int:
    from . import rerun  # imports pandas only once the parameters a user typed are checked
    cwd = typed_in(args, RERUN_ENVIRONMENT)
    if not args.start or not args.end:
        raise LikecheckError("make rerun needs START=YYYY-MM-DD and END=YYYY-MM-DD")
    rerun.rerun(args.start, args.end, page=args.page, data=args.data, data_format=args.format,
                out=args.out, cwd=cwd, log=log_to_stderr, zone=args.zone, home_country=args.home_country,
                top=args.top)
    return 0


def cmd_screen(args) -> int:
    from . import screen  # as rerun: pandas only after DATA and OUT are checked
    cwd = typed_in(args, ("data", "page", "format", "out", "zone", "home_country"))  # make rerun's, that it uses
    screen.screen(data=args.data, page=args.page, data_format=args.format, out=args.out, cwd=cwd,
                  log=log_to_stderr, zone=args.zone, home_country=args.home_country)
    return 0


def cmd_site(args) -> int:
    from . import site
    index = site.build_site(ROOT, ROOT / "build" / "site")
    print(f"site written to {index}")
    return 0


def cmd_lab(args) -> int:
    from . import lab
    return lab.main(ROOT, args.jupyter_args)


#: The import formats' names, for --format's help. Written out here, not read from
#: importers.FORMATS, so that a typo is answered before pandas loads; tests/test_cli_help.py
#: checks that the two lists agree.
FORMAT_NAMES = ("graph-api", "insights-xlsx", "insights-csv", "crowdtangle", "crowdtangle-xlsx", "crowdtangle-api",
                "crowdtangle-api-csv", "4cat-crowdtangle", "tidy-fans", "tidy-posts")


def add_export_options(p, *, page: str, data: str, environment: str) -> None:
    """The options rerun and screen share: which export, which page, where the output goes."""
    p.add_argument("--page", default=None, help=page)
    p.add_argument("--data", default=None, help=data)
    p.add_argument("--format", default=None, metavar="FORMAT",
                   help=f"force one import format: {', '.join(FORMAT_NAMES)} (default: told from each "
                        "file's content)")
    p.add_argument("--zone", default=None, help="the time zone of times the export cannot place itself: an "
                   "ambiguous abbreviation (IST), 4CAT's zone-less times; e.g. +0530 or Asia/Phnom_Penh")
    p.add_argument("--out", default=None, help="output folder (relative to where you typed the command)")
    p.add_argument("--home-country", default=None, help="the page's home country (code or name; "
                   "default: Cambodia for the published record, else the country with the most fans at the start)")
    p.add_argument("--from-environment", action="store_true", help=f"read {environment}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="likecheck", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="load and validate every published table")
    p.add_argument("--data", default=DATA, type=Path, help="the folder of the published tables (default data/)")
    p.add_argument("--datapackage", action="store_true", help="also check datapackage.json is current")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("datapackage", help="write (or --check) data/datapackage.json from the schemas")
    p.add_argument("--data", default=DATA, type=Path, help="the folder of the published tables (default data/)")
    p.add_argument("--check", action="store_true",
                   help="only check that datapackage.json is current; exit 1 if not (writes nothing)")
    p.set_defaults(func=cmd_datapackage)
    p = sub.add_parser("build", help="run the notebooks whose inputs changed and update figures/")
    p.add_argument("--force", action="store_true", help="rerun every notebook")
    p.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default 2)")
    p.add_argument("--figures", type=Path, default=ROOT / "figures", help="where the figures go (default figures/)")
    p.add_argument("--build", type=Path, default=ROOT / "build", help="build folder (default build/)")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("rerun", help="the notebooks on other dates, into runs/")
    p.add_argument("--start", default="", metavar="YYYY-MM-DD",
                   help="first day of the window, included (a date written YYYY-MM-DD, e.g. 2016-02-22)")
    p.add_argument("--end", default="", metavar="YYYY-MM-DD",
                   help="last day of the window, included (YYYY-MM-DD; not before --start)")
    add_export_options(p, page="page (default: hun_sen, or the export's only page)",
                       data="an export file or folder (default: the published snapshot)",
                       environment="START, END, DATA, PAGE, FORMAT, OUT, ZONE, HOME_COUNTRY, TOP from "
                       "LIKECHECK_START ... (make rerun)")
    p.add_argument("--top", default=None, help="how many countries beside home to draw (default 7)")
    p.set_defaults(func=cmd_rerun)
    p = sub.add_parser("screen", help="screen an export for the signs of bought likes, into runs/")
    add_export_options(p, page="screen only this page (default: every page)",
                       data="an export file or folder (default: the SIMULATED demonstration)",
                       environment="DATA, PAGE, FORMAT, OUT, ZONE, HOME_COUNTRY from LIKECHECK_DATA ... "
                       "(make screen)")
    p.set_defaults(func=cmd_screen)
    p = sub.add_parser("site", help="the static site under build/site/")
    p.set_defaults(func=cmd_site)
    p = sub.add_parser("lab", help="JupyterLab on the project's kernel")
    p.add_argument("jupyter_args", nargs=argparse.REMAINDER, help="passed to jupyter lab, e.g. --port=8899")
    p.set_defaults(func=cmd_lab)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except LikecheckError as err:
        # one_line: a file or page name may hold a line break or a terminal's escape sequence
        print(f"error: {one_line(err)}", file=sys.stderr)
        return 2
    except OSError as err:  # one the code did not place itself: still one line naming the path
        print(f"error: {one_line(os_error_text(err, 'read or write it'))}", file=sys.stderr)
        return 2
    except MemoryError:
        print("error: the machine ran out of memory; close other programs, or use a smaller export",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt as err:  # Ctrl-C, or SIGTERM during a run (tools.outdir); already cleaned up
        from .outdir import Terminated
        print(f"stopped: {str(err) or 'interrupted'}", file=sys.stderr)
        return 143 if isinstance(err, Terminated) else 130
