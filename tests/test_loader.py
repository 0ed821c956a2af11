"""The loader: typed round trips, and one clear line for each kind of bad input."""

import re

import pandas as pd
import pytest

from likecheck import load
from likecheck.errors import DataError
from helpers import one_line_error
from likecheck.schemas import COUNTRY_CODES, OBSERVATIONS, PUBLISHED_TABLES


def test_tables_load_typed():
    record = load.load_record()
    obs = record.observations
    assert obs["date_start"].dtype == "datetime64[ns]"
    assert obs["seed_line"].dtype == "Int64"
    assert isinstance(obs["metric"].dtype, pd.CategoricalDtype)
    assert isinstance(obs["country"].dtype, pd.CategoricalDtype)
    assert record.reference["year"].dtype == "Int64"
    assert record.reference.loc[record.reference["indicator"] == "population", "value"].min() > 1e7


def test_round_trip_is_lossless(tmp_path):
    """Writing a loaded table back out and loading it again gives the same frame."""
    for spec in PUBLISHED_TABLES:
        frame = load.read_table(load.DATA_DIR / spec.filename, spec)
        out = tmp_path / spec.filename
        frame.to_csv(out, index=False, date_format="%Y-%m-%d")
        again = load.read_table(out, spec)
        pd.testing.assert_frame_equal(frame, again)


def test_every_observation_has_a_known_source_and_valid_country():
    record = load.load_record()
    known = set(record.sources["source_id"])
    for table in (record.observations, record.events, record.reference):
        assert set(table["source_id"]) <= known
    for table in (record.observations, record.reference):
        assert set(table["country"].dropna()) <= COUNTRY_CODES


def test_a_record_read_again_is_a_copy_and_follows_every_change_to_its_files(data_copy):
    """load_record keeps the last record it read; a changed byte, even one that keeps the file's
    size and may keep its mtime, is read again, and no caller can change what the next one gets."""
    first = load.load_record(data_copy)
    first.observations.loc[0, "value"] = -1.0
    again = load.load_record(data_copy)
    assert again.observations is not first.observations and again.observations.loc[0, "value"] == 3_000_000
    path = data_copy / "observations.csv"
    text = path.read_text(encoding="utf-8")
    assert ",3000000,count," in text
    path.write_text(text.replace(",3000000,count,", ",3000001,count,", 1), encoding="utf-8")  # same size
    assert load.load_record(data_copy).observations.loc[0, "value"] == 3_000_001
    path.write_text(text.replace(",3000000,count,", ",3OOOOOO,count,", 1), encoding="utf-8")
    with pytest.raises(DataError, match=r"observations.csv.*'3OOOOOO' is not a number"):
        load.load_record(data_copy)
    path.write_text(text, encoding="utf-8")
    (data_copy / "claims.csv").unlink()
    with pytest.raises(DataError, match=r"claims.csv.*no such file"):
        load.load_record(data_copy)


def _replace_line(path, line_no, new_text):
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line_no - 1] = new_text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _row(path, line_no):
    return path.read_text(encoding="utf-8").splitlines()[line_no - 1]


def _load_obs(data_dir):
    return load.load_observations(data_dir)


def test_missing_column(data_copy):
    path = data_copy / "observations.csv"
    header = _row(path, 1).replace(",qualifier", "")
    lines = path.read_text().splitlines()
    lines = [header] + [",".join(l.split(",")) for l in lines[1:]]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as err:
        _load_obs(data_copy)
    one_line_error(err, "observations.csv", "line 1", "'qualifier'", "missing column")


def test_extra_unknown_column(data_copy):
    path = data_copy / "reference.csv"
    text = path.read_text().splitlines()
    path.write_text("\n".join([text[0] + ",colour"] + [l + ",red" for l in text[1:]]) + "\n")
    with pytest.raises(DataError) as err:
        load.load_reference(data_copy)
    one_line_error(err, "reference.csv", "line 1", "'colour'", "unknown column")


@pytest.mark.parametrize("old,new,column,problem", [
    (",3200000,count,", ",3.2m,count,", "value", "is not a number"),
    (",3200000,count,", ",-3200000,count,", "value", "must be at least 0"),
    (",3200000,count,", ",3200000.5,count,", "value", "not a whole number"),
    (",2016-03-14,2016-03-14,,3200000", ",2016-03-14,2016-02-30,,3200000", "date_end", "is not a date"),
    (",2016-03-14,2016-03-14,,3200000", ",14/03/2016,2016-03-14,,3200000", "date_start", "is not a date"),
    (",2016-03-14,2016-03-14,,3200000", ",2016-03-15,2016-03-14,,3200000", "date_start", "after date_end"),
    (",2016-03-14,2016-03-14,,3200000", ",2016-03-14,2016-03-14,QQ,3200000", "country", "not an ISO 3166-1"),
    ("O016,bbc2016,", "O016,bbc2099,", "source_id", "is not a known source id"),
    (",count,exact,3.2 million", ",count,roughly,3.2 million", "qualifier", "must be one of"),
])
def test_bad_cell_names_line_and_column(data_copy, old, new, column, problem):
    path = data_copy / "observations.csv"
    line_no = next(i for i, l in enumerate(path.read_text().splitlines(), 1) if l.startswith("O016,"))
    row = _row(path, line_no)
    assert old in row
    _replace_line(path, line_no, row.replace(old, new))
    with pytest.raises(DataError) as err:
        _load_obs(data_copy)
    one_line_error(err, "observations.csv", f"line {line_no}", f"'{column}'", problem)


def test_share_above_100_percent(data_copy):
    path = data_copy / "observations.csv"
    line_no = next(i for i, l in enumerate(path.read_text().splitlines(), 1) if l.startswith("O027,"))
    _replace_line(path, line_no, _row(path, line_no).replace(",83,percent,", ",183,percent,"))
    with pytest.raises(DataError) as err:
        _load_obs(data_copy)
    one_line_error(err, f"line {line_no}", "'value'", "above 100%")


def test_duplicate_observation(data_copy):
    path = data_copy / "observations.csv"
    lines = path.read_text().splitlines()
    dup = next(l for l in lines if l.startswith("O017,")).replace("O017,", "O999,")
    path.write_text("\n".join(lines + [dup]) + "\n")
    with pytest.raises(DataError) as err:
        _load_obs(data_copy)
    one_line_error(err, f"line {len(lines) + 1}", "duplicate observation")


def test_duplicate_id(data_copy):
    path = data_copy / "events.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines + [lines[1].replace("Hun Sen", "Hun  Sen")]) + "\n")
    with pytest.raises(DataError) as err:
        load.load_events(data_copy)
    one_line_error(err, f"line {len(lines) + 1}", "'event_id'", "appears more than once")


@pytest.mark.parametrize("content,problem", [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ("source_id,kind\nx,caf\xe9\n".encode("latin-1"), "not UTF-8"),
])
def test_unreadable_files(data_copy, content, problem):
    (data_copy / "sources.csv").write_bytes(content)
    with pytest.raises(DataError) as err:
        load.load_sources(data_copy)
    one_line_error(err, "sources.csv", problem)


def test_header_only(data_copy):
    path = data_copy / "events.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    with pytest.raises(DataError) as err:
        load.load_events(data_copy)
    one_line_error(err, "events.csv", "no rows")


def test_required_cell_empty(data_copy):
    path = data_copy / "observations.csv"
    line_no = 3
    row = _row(path, line_no).split(",")
    row[3] = ""  # metric
    _replace_line(path, line_no, ",".join(row))
    with pytest.raises(DataError) as err:
        _load_obs(data_copy)
    one_line_error(err, "line 3", "'metric'", "empty but required")


def test_error_message_is_one_line_with_file_first(data_copy):
    (data_copy / "reference.csv").write_text("nonsense\n1\n")
    with pytest.raises(DataError) as err:
        load.load_reference(data_copy)
    assert re.match(r"^\S*reference\.csv, line 1, column '\w+': ", str(err.value))
