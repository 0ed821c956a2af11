"""`python -m likecheck COMMAND --help`: every option says what it does, and --format lists its values."""

import argparse
import re

import pytest

from likecheck.importers import FORMATS
from likecheck.tools.cli import FORMAT_NAMES, build_parser


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_option_of_every_command_has_help_text(name):
    options = [a for a in subcommands()[name]._actions if not isinstance(a, argparse._HelpAction)]
    assert [a.dest for a in options if not (a.help or "").strip()] == []


def test_format_help_lists_every_import_format_the_importers_accept():
    assert set(FORMAT_NAMES) == set(FORMATS)
    for name in ("rerun", "screen"):
        text = subcommands()[name].format_help()
        joined = re.sub(r"-\s+", "-", " ".join(text.split()))  # argparse may wrap a name at its hyphen
        assert all(f in joined for f in FORMATS), name


def test_start_and_end_say_how_a_date_is_written():
    text = " ".join(subcommands()["rerun"].format_help().split())
    assert "--start YYYY-MM-DD" in text and "--end YYYY-MM-DD" in text and "2016-02-22" in text


def test_make_help_lists_the_formats_for_rerun_and_screen():
    from likecheck.paths import ROOT
    lines = [line for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
             if line.startswith(("rerun:", "screen:")) and "## " in line]
    assert len(lines) == 2
    for line in lines:
        listed = re.search(r"\[FORMAT=([^\]]+)\]", line)
        assert listed and set(listed.group(1).split("|")) == set(FORMATS), line
