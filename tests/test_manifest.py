"""figures/manifest.json: the schema names the bad key in one line; one sha256 check."""

import hashlib
import json

import pytest

from helpers import one_line_error
from likecheck.errors import DataError, LikecheckError
from likecheck.tools.manifest import SCHEMA, file_problems, read_manifest, write_manifest

FIGURE = {"name": "engagement_weekly", "notebook": "02_engagement.ipynb", "step": 1,
          "title": "Engagement fell", "caption": "Interactions per 1,000 fans.", "alt": "Bars falling.",
          "sources": ["bbc2016"], "files": {k: f"engagement_weekly.{k}" for k in ("svg", "png", "csv")}}
TABLE = {"name": "claims_ledger", "notebook": "04_claims_ledger.ipynb", "step": 1, "title": "Claims ledger",
         "sources": [], "files": {"csv": "claims_ledger.csv"}}


@pytest.fixture
def figures(tmp_path):
    """A figures/ folder with the files of one figure and one table, and their manifest."""
    folder = tmp_path / "figures"
    folder.mkdir()
    for name in [*FIGURE["files"].values(), TABLE["files"]["csv"]]:
        (folder / name).write_bytes(f"bytes of {name}\r\n".encode())
    def digests(entry):
        return {k: hashlib.sha256((folder / v).read_bytes()).hexdigest() for k, v in entry["files"].items()}
    write_manifest(folder, [{**FIGURE, "sha256": digests(FIGURE)}], [{**TABLE, "sha256": digests(TABLE)}])
    return folder


def edit(folder, change):
    path = folder / "manifest.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_a_written_manifest_reads_back_and_its_files_match(figures):
    manifest = read_manifest(figures)
    assert [e["name"] for e in manifest["figures"]] == ["engagement_weekly"]
    assert manifest["tables"][0]["sha256"]["csv"] == hashlib.sha256(b"bytes of claims_ledger.csv\r\n").hexdigest()
    assert file_problems(manifest, figures) == []
    assert SCHEMA["properties"]["generated_by"] == {"const": "likecheck"}


def test_changed_and_missing_files_are_found_with_their_manifest_key(figures):
    (figures / "engagement_weekly.png").write_bytes(b"other bytes")
    (figures / "claims_ledger.csv").unlink()
    problems = file_problems(read_manifest(figures), figures)
    assert [(p.key, str(p)) for p in problems] == [
        ("figures[0].sha256.png", "engagement_weekly.png: differs from the manifest"),
        ("tables[0].sha256.csv", "claims_ledger.csv: missing")]
    assert file_problems(read_manifest(figures), figures, notebook="02_engagement.ipynb") == problems[:1]


@pytest.mark.parametrize("change, key, words", [
    (lambda d: d["figures"][0].pop("alt"), "figures[0].alt", "missing"),
    (lambda d: d["figures"][0].update(caption="  "), "figures[0].caption", "empty"),
    (lambda d: d["figures"][0]["sha256"].update(svg="abc"), "figures[0].sha256.svg", "does not match"),
    (lambda d: d["figures"][0]["files"].update(csv="../data/x.csv"), "figures[0].files.csv", "does not match"),
    (lambda d: d["tables"][0].update(notebook="/etc/x.ipynb"), "tables[0].notebook", "does not match"),
    (lambda d: d["tables"][0].update(colour="red"), "tables[0].colour", "not a manifest field"),
    (lambda d: d.update(generated_by="someone"), "generated_by", "not a likecheck figure manifest"),
    (lambda d: d["tables"][0].update(name="engagement_weekly"), "name", "more than once"),
])
def test_a_bad_manifest_is_one_line_naming_the_key(figures, change, key, words):
    edit(figures, change)
    with pytest.raises(DataError) as caught:
        read_manifest(figures)
    one_line_error(caught, "manifest.json", f"key {key!r}", words)


def test_missing_or_broken_json(figures):
    (figures / "manifest.json").write_text('{"figures": [\n')
    with pytest.raises(DataError) as caught:
        read_manifest(figures)
    one_line_error(caught, "manifest.json", "line 2", "not valid JSON")
    (figures / "manifest.json").unlink()
    assert read_manifest(figures, missing_ok=True)["figures"] == []
    with pytest.raises(LikecheckError) as caught:
        read_manifest(figures)
    one_line_error(caught, "manifest.json", "make figures")
