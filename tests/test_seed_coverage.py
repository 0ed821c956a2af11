"""Every number the five articles print is in data/, with its source and place.

The seeds are the articles' text in ../shared/seeds (not copied into this
repository). Each numeric token and number word on each line must be covered
by an observation or event of that article whose `as_printed` stands on that
line, or be listed, with a reason, in seed_numbers_not_recorded.csv.
"""

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import ARTICLES_ABSENT
from likecheck import load

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
NUMBER = re.compile(
    r"\d[\d,.]*\d|\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|third|half|"
    r"quarters?|millions?|thousands?|hundreds?|dozens?|several)\b", re.IGNORECASE)
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=ARTICLES_ABSENT)


def _exclusions():
    path = Path(__file__).with_name("seed_numbers_not_recorded.csv")
    with path.open(encoding="utf-8") as fh:
        return {(r["seed_file"], int(r["line"]), r["token"].lower()): r["reason"] for r in csv.DictReader(fh)}


def _printed_spans(record):
    """(seed file, line) -> the as_printed strings of rows citing that line."""
    seed_of = dict(zip(record.sources["source_id"], record.sources["seed_file"]))
    spans = {}
    for table in (record.observations, record.events):
        for row in table.itertuples():
            if pd.isna(row.seed_line):  # an event dated by a reference source, not by a seed
                continue
            spans.setdefault((seed_of[row.source_id], int(row.seed_line)), []).append(row.as_printed)
    return spans


def test_every_printed_number_is_recorded_or_excused():
    record = load.load_record()
    spans = _printed_spans(record)
    excused = _exclusions()
    articles = record.sources.dropna(subset=["seed_file"])
    uncovered = []
    for seed in articles["seed_file"]:
        for line_no, line in enumerate((SEEDS / seed).read_text(encoding="utf-8").splitlines(), 1):
            covered = [m.span() for text in spans.get((seed, line_no), [])
                       for m in re.finditer(re.escape(text), line)]
            for match in NUMBER.finditer(line):
                inside = any(a <= match.start() and match.end() <= b for a, b in covered)
                if not inside and (seed, line_no, match.group(0).lower()) not in excused:
                    uncovered.append(f"{seed}:{line_no}: {match.group(0)!r}")
    assert not uncovered, "numbers in the articles that data/ does not record:\n" + "\n".join(uncovered)


@pytest.mark.parametrize("source_id", ["ppp2016", "bbc2016", "rfa2018", "cd2016", "bt2018"])
def test_each_article_row_points_at_its_number(source_id):
    record = load.load_record()
    seed = record.sources.set_index("source_id").loc[source_id, "seed_file"]
    lines = (SEEDS / seed).read_text(encoding="utf-8").splitlines()
    rows = [r for t in (record.observations, record.events) for r in t.itertuples() if r.source_id == source_id]
    assert rows, f"no observations for {source_id}"
    for row in rows:
        assert row.as_printed in lines[int(row.seed_line) - 1], (source_id, row)


def test_events_without_a_seed_line_come_from_reference_sources():
    record = load.load_record()
    kind = dict(zip(record.sources["source_id"], record.sources["kind"]))
    undated = record.events[record.events["seed_line"].isna()]
    assert {kind[s] for s in undated["source_id"]} <= {"reference"}
    assert record.events[record.events["source_id"].map(kind) == "article"]["seed_line"].notna().all()


def test_exclusions_are_still_needed():
    """An excused token must still be in its seed line, or the excuse is stale."""
    for (seed, line_no, token), reason in _exclusions().items():
        assert reason.strip()
        line = (SEEDS / seed).read_text(encoding="utf-8").splitlines()[line_no - 1]
        assert token in line.lower(), (seed, line_no, token)
