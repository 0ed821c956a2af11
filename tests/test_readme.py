"""The README is the front door: short, its doors on the first screen, and its counts the ledger's.

The counts are read from figures/claims_ledger.csv with the csv module (not the ledger code), so a
change to the ledger that the README does not follow fails here.
"""

import csv
import json
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FIRST_SCREEN = 40  # lines


def ledger_verdicts() -> Counter:
    with (ROOT / "figures" / "claims_ledger.csv").open(encoding="utf-8", newline="") as fh:
        return Counter(row["verdict"] for row in csv.DictReader(fh))


def test_the_readme_is_under_160_lines():
    assert len(README.splitlines()) < 160


def test_the_counts_the_readme_states_are_the_ledger_s():
    words = " ".join(README.split())
    found = re.search(r"Of the (\d+) claims its ledger checks \([^)]*\), (\d+) hold within the rounding of their "
                      r"printed digits, "
                      r"(\d+) do not, and (\d+) cannot be checked", words)
    assert found, "the README no longer states the ledger's counts in the sentence this test reads"
    total, held, failed, unknown = map(int, found.groups())
    verdicts = ledger_verdicts()
    assert (total, held, failed, unknown) == (sum(verdicts.values()), verdicts["consistent"],
                                              verdicts["inconsistent"], verdicts["not checkable"])


def test_the_strengths_the_readme_states_are_the_ledger_s():
    words = " ".join(README.split())
    found = re.search(r"of the (\d+), (\d+) agree with independent data, (\d+) only with the same article's own "
                      r"numbers, and (\d+) only in order", words)
    assert found, "the README no longer states the strengths in the sentence this test reads"
    with (ROOT / "figures" / "claims_ledger.csv").open(encoding="utf-8", newline="") as fh:
        held = Counter(row["strength"] for row in csv.DictReader(fh) if row["verdict"] == "consistent")
    assert tuple(map(int, found.groups())) == (sum(held.values()), held["independent"], held["internal"],
                                               held["order"])


def test_every_door_is_on_the_first_screen_and_help_is_mentioned():
    first = "\n".join(README.splitlines()[:FIRST_SCREEN])
    for door in ("make site", "make lab", "make rerun", "make screen"):
        assert door in first, door
    assert "make help" in README and "--help" in README


def test_the_readme_shows_one_published_figure_and_its_links_resolve():
    images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", README)
    assert len(images) == 1
    published = {f["files"]["png"] for f in json.loads((ROOT / "figures" / "manifest.json").read_text())["figures"]}
    assert images[0].removeprefix("figures/") in published
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README):
        if not target.startswith("http"):
            assert (ROOT / target).exists(), target
