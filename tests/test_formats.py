"""The registry of import formats: each tells its own files apart, says what it holds and what it feeds."""

from __future__ import annotations

import pytest

import fixtures_exports as fx
from likecheck import screening
from likecheck.importers import FORMATS, detect_format, import_exports
from likecheck.importers import registry
from likecheck.importers.format import Format, Part, fan_counts_part
from likecheck.importers.tidy import read_tidy

#: Each fixture file and the format it is written in, named by hand.
FIXTURE_FORMATS = {"graph-api": "graph-api", "insights-xlsx": "insights-xlsx", "insights-csv": "insights-csv",
                   "crowdtangle": "crowdtangle", "crowdtangle-old": "crowdtangle"}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return fx.write_all(tmp_path_factory.mktemp("exports"))


def test_each_fixture_is_recognised_as_its_own_format(written):
    for key, name in FIXTURE_FORMATS.items():
        paths = written[key] if isinstance(written[key], list) else [written[key]]
        assert {detect_format(p) for p in paths} == {name}, key
    fans, posts = written["tidy"]
    assert (detect_format(fans), detect_format(posts)) == ("tidy-fans", "tidy-posts")


@pytest.fixture(scope="module")
def post_formats(tmp_path_factory):
    return fx.write_post_formats(tmp_path_factory.mktemp("post-formats"))


@pytest.mark.parametrize("name", ["crowdtangle-xlsx", "crowdtangle-api", "crowdtangle-api-csv", "4cat-crowdtangle"])
def test_each_post_format_is_recognised_and_reads_the_same_posts(post_formats, name):
    """The same SYNTHETIC posts written in each post format of issue 24: recognised as that format, and read
    back as the truth (the UTC time, the sum of the reactions, the likes at posting, per post URL)."""
    path = post_formats[name]
    assert detect_format(path) == name
    imported = import_exports(path, zone="+0700" if name == "4cat-crowdtangle" else None)  # 4CAT dropped the zone
    assert imported.formats == (name,)
    got = {row.post_id: (row.posted_at.to_pydatetime(), int(row.interactions), int(row.fans_at_posting))
           for row in imported.posts.itertuples()}
    truth = {p["url"]: (p["utc"], fx.interactions_of(p), p["fans"]) for p in fx.post_truth()}
    assert got == truth
    assert set(imported.posts["page"].astype(str)) == {fx.PAGE, fx.OTHER_PAGE}


def test_the_registry_is_every_format_once_by_name():
    assert list(FORMATS) == [fmt.name for fmt in registry.REGISTRY]
    assert len(set(FORMATS)) == len(registry.REGISTRY) == 10
    assert {fmt.holds for fmt in registry.REGISTRY} == {"fan_counts", "posts"}


def test_what_a_format_feeds_follows_what_each_signal_needs():
    """A format holding fan counts feeds the signals that need fan counts, and posts the others."""
    for fmt in registry.REGISTRY:
        fed = {s for s in screening.SIGNALS if f"05_screening: {s}" in fmt.feeds}
        assert fed == {s for s, needs in screening.NEEDS.items() if needs == fmt.holds}, fmt.name


def test_a_format_is_one_record_and_one_registry_line(written, monkeypatch, tmp_path):
    """A new format (here: our tidy fan counts saved with a .fans extension and a marker column) is
    recognised and imported once it is in the registry, with nothing else changed."""
    source = written["tidy"][0]
    path = tmp_path / "counts.fans"
    path.write_text(source.read_text(encoding="utf-8").replace("page,", "page,", 1), encoding="utf-8")

    def is_dot_fans(sniffed):
        return sniffed.kind == "csv" and sniffed.path.suffix == ".fans"

    def read(paths, page=None, zone=None) -> Part:
        return fan_counts_part(paths[0], "dot-fans", read_tidy(paths[0], "fan_counts"))

    new = Format("dot-fans", "tidy fan counts in a .fans file", "fan_counts", is_dot_fans, read)
    monkeypatch.setattr(registry, "REGISTRY", (new, *registry.REGISTRY))
    monkeypatch.setitem(FORMATS, "dot-fans", new)
    assert detect_format(path) == "dot-fans"
    imported = import_exports(path)
    assert imported.formats == ("dot-fans",) and len(imported.fan_counts) == len(import_exports(source).fan_counts)
