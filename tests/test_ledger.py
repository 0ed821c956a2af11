"""The claims ledger: every printed number has its row, every check by hand, notes from data only."""

import csv
import inspect
import math
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers import ARTICLES_ABSENT, one_line_error
from likecheck import ledger, load, schemas
from likecheck.errors import DataError, ParameterError
from likecheck.paths import FIGURES
from likecheck.ledger import CONSISTENT, INCONSISTENT, NOT_CHECKABLE, printed
from likecheck.published import printed_bounds

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="module")
def record():
    return load.load_record()


@pytest.fixture(scope="module")
def table(record):
    return ledger.build_ledger(record)


# -- a row for every printed number ------------------------------------------------------------

def test_every_observation_is_linked(record, table):
    linked = {oid for ids in table["observation_ids"] for oid in ids.split(";")}
    assert set(record.observations["observation_id"]) - linked == set()


def test_every_printed_number_has_its_own_row(record, table):
    """Each observation is the claimed number of a row, and that row's claimed_value is its value."""
    claimed = record.claims.dropna(subset=["claimed_id"]).set_index("claimed_id")["claim_id"]
    # the page record's counts (P...) have rows only where outlets disagree (test_record.py)
    claimed = claimed[claimed.index.str.startswith("O")]
    assert sorted(claimed.index) == sorted(record.observations["observation_id"])
    values = table.set_index("claim_id")["claimed_value"]
    for row in record.observations.itertuples():
        assert values[claimed[row.observation_id]] == row.value, row.observation_id


def test_the_numbers_of_a_combined_statement_have_their_own_rows(record, table):
    """151,000, 34,069 and 22,932 each have a row; C01, which combines them, links to those rows."""
    by_claimed = table.set_index("claim_id")
    rows = {v: by_claimed.index[by_claimed["claimed_value"] == v].tolist() for v in (151000, 34069, 22932)}
    assert all(len(ids) == 1 for ids in rows.values()), rows
    assert set(by_claimed.loc["C01", "observation_ids"].split(";")) == {"O002", "O003"}


def test_ledger_columns_are_the_published_ones(table):
    assert list(table.columns) == ["claim_id", "source_id", "claim", "claimed_value", "claimed_unit",
                                   "recomputed_value", "recomputed_unit", "recomputed_is", "verdict",
                                   "strength", "observation_ids", "note", "check", "interval_low",
                                   "interval_high"]
    assert table["claim_id"].is_unique
    assert set(table["check"]) <= set(schemas.CHECKS)


def test_every_check_named_in_the_schema_is_a_ledger_function():
    assert set(schemas.CHECKS) == set(ledger.CHECKS)
    for name, function in ledger.CHECKS.items():
        assert function.__name__ == name and function.__doc__
        assert name in ledger.__doc__
        parameters = inspect.signature(function).parameters
        required, optional = schemas.CHECK_INPUTS[name]
        assert {n for n, p in parameters.items() if p.default is p.empty} - {"reason"} == set(required), name
        assert set(optional) <= set(parameters), name


def test_the_ledger_cites_the_sources_its_checks_use(record):
    cited = ledger.cited_sources(record)
    assert cited[:5] == ["bbc2016", "bt2018", "cd2016", "ppp2016", "rfa2018"]
    assert {"wb-wdi-2018", "itu-owid", "was2015-cd", "ppp2018-33years"} <= set(cited[5:])


def test_by_article_puts_the_printed_words_beside_each_number(record, table):
    view = ledger.by_article(table, record)
    order = list(dict.fromkeys(view["source_id"]))
    assert order[:5] == ["ppp2016", "bbc2016", "rfa2018", "cd2016", "bt2018"]
    # then the wider record's claims (no seed line), in ledger order
    assert order[5:] == list(dict.fromkeys(record.claims["source_id"].astype(str)))[5:]
    assert view["seed_line"].iloc[-1] is pd.NA
    row = view.set_index("claim_id").loc["C24"]
    assert (row["as_printed"], row["claimed_value"]) == ("only 34,069 hail from Cambodia", 34069)
    with pytest.raises(ParameterError, match="show_verdict: 'wrong' is not one of"):
        ledger.with_verdict(table, "wrong")


def test_each_figure_links_to_the_ledger_rows_of_the_numbers_it_draws(table):
    """The site links a figure to rows_citing(its CSV's observation_id column)."""
    new_fans = pd.read_csv(FIGURES / "like_origin_new_fans.csv", dtype=str, keep_default_na=False)
    linked = ledger.rows_citing(table, new_fans["observation_id"])
    assert {"C24", "C02", "C01", "C06"} <= set(linked)          # 34,069 and 22,932 and what they combine into
    assert "C15" not in linked                                    # David Cameron's likes are not drawn there
    weekly = pd.read_csv(FIGURES / "engagement_weekly.csv", dtype=str)
    assert ledger.rows_citing(table, weekly["observation_id"]) == ["C10", "C28", "C29", "C30", "C31"]
    assert ledger.rows_citing(table, ["", None]) == []


def test_no_not_checkable_without_its_reason(record, table):
    rows = table[table["verdict"] == NOT_CHECKABLE]
    reasons = record.claims.set_index("claim_id")["reason"]
    assert rows["claim_id"].map(reasons).notna().all()
    assert rows["recomputed_value"].isna().all()


@pytest.mark.skipif(not SEEDS.is_dir(), reason=ARTICLES_ABSENT)
def test_each_claims_words_stand_on_its_seed_line(record):
    seed_of = dict(zip(record.sources["source_id"], record.sources["seed_file"]))
    for row in record.claims.itertuples():
        if not isinstance(seed_of[row.source_id], str):  # a record source: no seed (test_record.py)
            continue
        lines = (SEEDS / seed_of[row.source_id]).read_text(encoding="utf-8").splitlines()
        assert row.as_printed in lines[int(row.seed_line) - 1], (row.claim_id, row.as_printed)


# -- notes hold no typed-in numbers --------------------------------------------------------------

DIGITS = re.compile(r"\d+")


def _digit_runs(*texts) -> set[str]:
    return {run for text in texts for run in DIGITS.findall(str(text))}


def _number_texts(x) -> list[str]:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return []
    x = float(x)
    return [f"{x:,.0f}", f"{x:,.2f}", f"{x:.1f}", f"{x:g}", f"{x:+,.0f}", f"{x:+.1f}", str(int(x))]


def _date_texts(day) -> list[str]:
    return [] if day is None or day != day else [str(day.year), str(day.month), str(day.day), f"{day:%Y-%m-%d}"]


def _allowed_from_data(record) -> set[str]:
    texts = []
    for row in record.observations.itertuples():
        low, high = printed_bounds(row.value, row.qualifier, row.as_printed)
        texts += [row.as_printed, *_number_texts(row.value), *_date_texts(row.date_start), *_date_texts(row.date_end),
                  *_number_texts(low), *_number_texts(high)]
    for row in record.reference.itertuples():
        texts += [*_number_texts(row.value), row.year, row.source_id, row.note]
    for row in record.events.itertuples():
        texts += [row.as_printed, *_date_texts(row.date_start), *_date_texts(row.date_end)]
    for row in record.page_record.itertuples():
        count = ledger.counted(row.value, row.qualifier, row.as_printed, row.date_start, row.date_end,
                               row.time if isinstance(row.time, str) else None)
        texts += [row.as_printed, *_number_texts(row.value), *_date_texts(row.date_start),
                  *_date_texts(row.date_end), str(row.time), *_number_texts(count.low), *_number_texts(count.high)]
    return _digit_runs(*texts)


def test_no_note_holds_a_number_that_is_neither_data_nor_computed_in_its_row(record, table):
    from_data = _allowed_from_data(record)
    results = ledger.results(record)
    offenders = []
    for row in table.itertuples():
        result = results[row.claim_id]
        computed = [row.claimed_value, result.recomputed, result.low, result.high, *result.shown]
        allowed = from_data | _digit_runs(*[t for x in computed for t in _number_texts(x)])
        stray = _digit_runs(row.note) - allowed
        if stray:
            offenders.append(f"{row.claim_id}: {sorted(stray)} in {row.note!r}")
    assert not offenders, "\n".join(offenders)


def test_the_digit_test_catches_a_typed_in_number(record):
    """The check above is not vacuous: a number typed into a note is caught."""
    allowed = _allowed_from_data(record) | _digit_runs(*_number_texts(22.56))
    assert _digit_runs("34,069 / 151,000 = 22.56%") <= allowed
    assert "116" in _digit_runs("abroad = 116,931") - allowed


def test_c06_note_shows_the_interval_arithmetic_and_the_other_reading(table):
    note = table.set_index("claim_id").loc["C06", "note"]
    after = 360791 / 0.115
    before = 100 * (after * 0.564 - 34069) / (after - 151000)
    assert f"{before:.2f}%" in note and "57.55 to 57.65" in note
    assert "predates 8 March" in note and "part-way" in note and "9 March" in note
    # read the other way: the page size for which 57.6 -> 56.4 fits the week's gain
    needed = (0.564 * 151000 - 34069) / 0.012
    assert f"{needed:,.0f}" in note


# -- one test per check, values by hand ------------------------------------------------------------

def test_rounding_interval_edges():
    claimed = printed(3200000, "exact", "3.2 million")      # 3,150,000 to 3,250,000
    assert ledger.rounding_interval(claimed, 3150000).verdict == CONSISTENT
    assert ledger.rounding_interval(claimed, 3250000).verdict == CONSISTENT
    assert ledger.rounding_interval(claimed, 3149999).verdict == INCONSISTENT
    assert ledger.rounding_interval(claimed, 3250001).verdict == INCONSISTENT
    result = ledger.rounding_interval(printed(80, "exact", "80%"), printed(79.8, "exact", "79.8"))
    assert (result.recomputed, result.low, result.high) == pytest.approx((79.8, 79.75, 79.85))
    assert result.verdict == CONSISTENT
    assert ledger.rounding_interval(printed(80, "exact", "80%"), 79.4).verdict == INCONSISTENT


def test_printed_interval_reads_the_digits_printed():
    ten = printed(10_000_000, "exact", "10 million riel")
    assert (ten.low, ten.high) == (9_500_000, 10_500_000)
    week = printed(151000, "approximately", "151,000")
    assert (week.low, week.high) == (150_500, 151_500)
    more = printed(3_000_000, "more than", "3 million")
    assert more.low == 3_000_000 and more.high == np.inf


def test_share_of_total_by_hand():
    result = ledger.share_of_total(34069, printed(151000, "approximately", "151,000"))
    assert result.recomputed == pytest.approx(22.5623, abs=1e-4)
    assert result.low == pytest.approx(100 * 34069 / 151500)     # plain numbers are exact
    assert result.high == pytest.approx(100 * 34069 / 150500)
    assert result.verdict == CONSISTENT  # the part fits within the total
    assert ledger.share_of_total(160000, 151000).verdict == INCONSISTENT
    assert ledger.share_of_total(34069, 151000, claimed=printed(22.6, "exact", "22.6")).verdict == CONSISTENT
    assert ledger.share_of_total(34069, 151000, claimed=printed(25, "exact", "25")).verdict == INCONSISTENT


def test_implied_total_by_hand():
    result = ledger.implied_total(360791, printed(11.5, "exact", "11.5"), printed(3000000, "more than"))
    assert result.recomputed == pytest.approx(3137313.04, abs=0.01)
    assert result.low == pytest.approx(360791 / 0.1155)
    assert result.high == pytest.approx(360791 / 0.1145)
    assert result.verdict == CONSISTENT
    assert ledger.implied_total(360791, 11.5, printed(3300000, "exact", "3.3 million")).verdict == INCONSISTENT


def test_cross_source_agreement_by_hand():
    around = printed(57, "approximately", "around 57%")     # 56.5 to 57.5
    both = ledger.cross_source_agreement(around, [57.6, 56.4])
    assert (both.low, both.high, both.recomputed) == pytest.approx((56.4, 57.6, 57.0))
    assert both.verdict == CONSISTENT
    assert ledger.cross_source_agreement(around, [57.6]).verdict == INCONSISTENT
    assert ledger.cross_source_agreement(printed(157331), printed(157331)).verdict == CONSISTENT


def test_currency_conversion_by_hand():
    fine = printed(10_000_000, "exact", "10 million riel")
    result = ledger.currency_conversion(fine, 4000, printed(2500, "about", "about $2,500"))
    assert result.recomputed == 2500
    assert result.low == pytest.approx(9_500_000 / 4000)
    assert result.high == pytest.approx(10_500_000 / 4000)
    assert result.verdict == CONSISTENT
    assert ledger.currency_conversion(fine, 4000, printed(2800, "about", "about $2,800")).verdict == INCONSISTENT


def test_rate_over_time_by_hand():
    result = ledger.rate_over_time(15000, printed(1_000_000, "more than"))
    assert result.recomputed == 15000 * 365
    assert (result.low, result.high) == (15000 * 365, 15000 * 366)
    printed_rate = ledger.rate_over_time(printed(15000, "exact", "$15,000"), printed(1_000_000, "more than"))
    assert (printed_rate.low, printed_rate.high) == (14500 * 365, 15500 * 366)
    assert result.verdict == CONSISTENT
    assert ledger.rate_over_time(15000, printed(10_000_000, "more than")).verdict == INCONSISTENT


def test_reference_comparison_by_hand():
    less_than_10 = printed(10, "less than")
    result = ledger.reference_comparison(less_than_10, [6.43, 32.4, 32])
    assert result.verdict == INCONSISTENT and result.recomputed == 32
    assert "1 of 3" in result.note
    assert ledger.reference_comparison(less_than_10, [6.43, 8, 32.4]).verdict == CONSISTENT


def test_larger_than_by_hand():
    result = ledger.larger_than(printed(465, words="465"), printed(463, words="463"))
    assert (result.recomputed, result.low, result.high) == (2, 1, 3)
    assert result.verdict == CONSISTENT
    assert ledger.larger_than(463, 465).verdict == INCONSISTENT
    # at the edge: 3.2 million cannot exceed 3.3 million within their rounding (3.25 = 3.25)
    assert ledger.larger_than(printed(3200000, "exact", "3.2 million"),
                              printed(3300000, "exact", "3.3 million")).verdict == INCONSISTENT


def test_declines_in_a_row_by_hand():
    result = ledger.declines_in_a_row(3, [465, 463, 430, 363])
    assert result.recomputed == 3 and result.verdict == CONSISTENT
    assert f"{100 * (363 / 465 - 1):+.1f}%" in result.note
    assert ledger.declines_in_a_row(3, [465, 470, 430, 363]).recomputed == 2
    assert ledger.declines_in_a_row(3, [465, 470, 430, 363]).verdict == INCONSISTENT


def test_share_before_and_after_gain_by_hand():
    total, gained = 3137313, printed(151000, "approximately", "151,000")
    before = ledger.share_before_gain(57.6, 56.4, total, gained, 34069)
    assert before.recomputed == pytest.approx(100 * (total * 0.564 - 34069) / (total - 151000))
    assert before.verdict == INCONSISTENT
    assert ledger.share_before_gain(printed(58.1), 56.4, total, gained, 34069).verdict == CONSISTENT
    after = ledger.share_after_gain(56.4, 57.6, total, gained, 34069)
    assert after.recomputed == pytest.approx(100 * ((total - 151000) * 0.576 + 34069) / total)
    assert after.verdict == INCONSISTENT
    # the share of the gain that must follow a 57.6% reading for both shares to hold
    part = total * (0.564 - 0.576) / (34069 - 0.576 * 151000)
    assert f"{100 * part:.2f}%" in before.note


def test_time_since_by_hand():
    years = (date(2016, 3, 14) - date(1985, 1, 14)).days / 365.2425
    result = ledger.time_since("1985-01-14", printed(30, "more than"), as_of="2016-03-14")
    assert result.recomputed == pytest.approx(years) and result.verdict == CONSISTENT
    assert ledger.time_since("1990-01-01", printed(30, "more than"), as_of="2016-03-14").verdict == INCONSISTENT


def test_not_checkable_keeps_the_printed_interval_and_reason():
    result = ledger.not_checkable(printed(1_000_000, "about", "about one million"), "no other count")
    assert result.verdict == NOT_CHECKABLE and math.isnan(result.recomputed)
    assert (result.low, result.high) == (500_000, 1_500_000)
    assert result.note.endswith("no other count")


# -- bad claims.csv: one line, naming file, line and column ----------------------------------------

def _edit_claim(path, claim_id, column, value):
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for i, row in enumerate(rows):
        if row["claim_id"] == claim_id:
            row[column] = value
            line = i + 2
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return line


@pytest.mark.parametrize("column,value,problem", [
    ("observation_ids", "O002;O999", "'O999' is not an observation id"),
    ("inputs", "part=O004 total=O002-O003-O047", "'O047' is used but not listed in observation_ids"),
    ("inputs", "part=O004 total", "'total' is not name=ids"),
    ("inputs", "part=O004 total=R99", "'R99' is not a known id"),
    ("claimed_id", "O005", "'O005' is not among the claim's observation_ids"),
    ("check", "guess", "must be one of"),
    ("reason", "about 3 weeks", "a reason holds no digits"),
    ("inputs", "part=O004 whole=O002", "share_of_total takes no input 'whole' (it takes part, total, claimed)"),
    ("inputs", "part=O004", "share_of_total needs the input 'total'"),
    ("inputs", "part=O004,O003 total=O002", "input 'part' takes one number, not a list"),
    ("inputs", "part=E16 total=O002", "input 'part' takes numbers, not events"),
    ("inputs", "part=O004 total=C02", "'C02' uses its own result"),
])
def test_bad_claims_give_one_line(data_copy, column, value, problem):
    line = _edit_claim(data_copy / "claims.csv", "C02", column, value)
    with pytest.raises(DataError) as err:
        load.load_record(data_copy)
    one_line_error(err, "claims.csv", f"line {line}", f"column {column!r}", problem)


def test_claims_computed_from_each_other_in_a_circle_are_refused(data_copy):
    """C06 uses C05's result; make C05 use C06's: the first of the two in the file is named."""
    _edit_claim(data_copy / "claims.csv", "C05", "inputs", "part=O005 share=C06")
    c06_line = _edit_claim(data_copy / "claims.csv", "C06", "check", "share_before_gain")
    with pytest.raises(DataError) as err:
        load.load_record(data_copy)
    one_line_error(err, "claims.csv", f"line {c06_line}", "column 'inputs'",
                   "inputs go round in a circle: C06 -> C05 -> C06")


def test_not_checkable_needs_a_reason(data_copy):
    line = _edit_claim(data_copy / "claims.csv", "C15", "reason", "")
    with pytest.raises(DataError) as err:
        load.load_record(data_copy)
    one_line_error(err, "claims.csv", f"line {line}", "column 'reason'", "needs its reason")


def test_a_share_of_nothing_is_refused_not_divided_by_zero():
    with pytest.raises(ParameterError, match="the total must be more than 0"):
        ledger.share_of_total(5, 0)
    with pytest.raises(ParameterError, match="the share must be more than 0"):
        ledger.implied_total(5, 0, 10)


# -- what each recomputed value is, and how strong each check is (issue #26) ------------------------

#: By hand, from each claim's check and the numbers it uses (data/claims.csv, observations.csv):
#: (recomputed_unit, recomputed_is).
EXPECTED_MEANING = {
    "C24": ("%", "value"),               # 34,069 of approximately 151,000
    "C23": ("%", "lower bound"),         # the part holds 'Thousands' = more than 1,000
    "C25": ("%", "lower bound"),         # the same 'Thousands' of what is left
    "C03": ("%", "upper bound"),         # 360,791 of more than 3 million: at most 12.03%
    "C05": ("fans", "value"),            # 360,791 / 11.5%
    "C06": ("%", "value"),
    "C01": ("fans", "difference"),       # new fans from abroad minus from Cambodia
    "C17": ("US$", "difference"),        # $5,000 sought minus $3,750 awarded
    "C22": ("fans", "difference"),
    "C32": ("percentage points", "difference"),  # 83% minus around 57%
    "C29": ("interactions per 1,000 fans", "difference"),
    "C10": ("falls in a row", "count"),
    "C21": ("years", "value"),           # 14 January 1985 to 14 March 2016, both days known
    "C11": ("ratio", "median"),          # UK population / Cambodia's
    "C12": ("%", "median"),
    "C13": ("%", "median"),
    "C09": ("%", "mean"),                # the Post's 57.6% and 56.4%
    "C33": ("fans", "lower bound"),      # the Post's 'more than 3 million'
    "C34": ("fans", "value"),
    "C04": ("fans", "value"),
    "C18": ("US$ per year", "value"),    # $15,000 a day over a year
    "C16": ("US$", "value"),
    "C28": ("", ""),                     # not checkable: no recomputed value
}

#: By hand: independent = a number from another publication than the claim's; internal = the
#: article's own numbers; order = only a comparison (larger_than, declines_in_a_row, a part
#: fitting within its total). The 16 claims not checked have none.
EXPECTED_STRENGTH = {
    **dict.fromkeys(["C21", "C04", "C11", "C12", "C13", "C33", "C34", "C09", "C08", "C44"], "independent"),
    # the page record's disagreements: one outlet's count against another outlet's (C57: only which is larger)
    **dict.fromkeys(["C49", "C50", "C51", "C52", "C53", "C54", "C55", "C56"], "independent"),
    "C57": "order",
    **dict.fromkeys(["C03", "C05", "C06", "C27", "C07", "C18", "C16", "C41"], "internal"),
    **dict.fromkeys(["C01", "C23", "C24", "C02", "C26", "C25", "C10", "C29", "C30", "C31", "C17", "C22",
                     "C35", "C32"], "order"),
}


@pytest.mark.parametrize("claim_id", sorted(EXPECTED_MEANING))
def test_each_recomputed_value_says_its_unit_and_what_it_is(table, claim_id):
    row = table.set_index("claim_id").loc[claim_id]
    assert (row["recomputed_unit"], row["recomputed_is"]) == EXPECTED_MEANING[claim_id], row["note"]


def test_every_recomputed_value_has_a_unit_and_a_meaning(table):
    checked = table[table["verdict"] != NOT_CHECKABLE]
    assert checked["recomputed_value"].notna().all()
    assert (checked["recomputed_unit"] != "").all()
    assert set(checked["recomputed_is"]) <= {"value", "lower bound", "upper bound", "difference", "median",
                                            "mean", "count"}
    unchecked = table[table["verdict"] == NOT_CHECKABLE]
    assert (unchecked["recomputed_unit"] == "").all() and (unchecked["recomputed_is"] == "").all()
    assert (unchecked["strength"] == "").all()
    claimed = table.set_index("claim_id")
    assert claimed.loc["C07", "claimed_unit"] == "%" and claimed.loc["C10", "claimed_unit"] == "weeks"
    assert claimed.loc["C01", "claimed_unit"] == ""   # prints no number of its own


def test_each_check_has_its_strength(table):
    strengths = table.set_index("claim_id")["strength"]
    assert {c: s for c, s in strengths.items() if s} == EXPECTED_STRENGTH


def test_headline_counts_the_strengths_apart(table):
    # by hand from EXPECTED_STRENGTH and the verdicts: C06, C27, C13 and the record's C49, C50, C51, C55
    # inconsistent (so 10 - 1 + 4 independent ones hold), 16 not checked
    assert list(ledger.tally(table)["claims"]) == [13, 6, 15, 7, 16]
    assert ledger.headline(table) == ("Of 57 claims, 34 are consistent: 13 with independent data, 6 internally, "
                                      "15 only in order; 7 are inconsistent (C06, C27, C13, C49, C50, C51, C55), "
                                      "16 not checkable")


def test_value_or_bound_by_hand():
    more_than_3m, exact = printed(3_000_000, "more than"), printed(360791, words="360,791")
    share = 100 * 360791 / 3_000_000
    assert ledger.value_or_bound(share, 0, share + 1e-5, [exact, more_than_3m]) == "upper bound"
    assert ledger.value_or_bound(38.41, 38.28, np.inf, [printed(1000, "more than")]) == "lower bound"
    assert ledger.value_or_bound(22.56, 22.49, 22.64, [exact, printed(151000, "approximately")]) == "value"
    assert ledger.value_or_bound(6.36, 6.36, 6.36, [exact]) == "value"


def test_a_flagged_reference_figure_is_listed_but_not_counted():
    less_than_10 = printed(10, "less than")
    flagged = ledger.Printed(6.43, 6.43, 6.43, "6.43%", flagged=True)
    result = ledger.reference_comparison(less_than_10, [flagged, 32.4, 32])
    assert result.verdict == INCONSISTENT
    assert result.recomputed == pytest.approx((32.4 + 32) / 2)   # the median of the two that count
    assert "0 of 2 reference figures that count within it" in result.note
    assert "not counted, flagged as a likely error: 6.43%, which lies within it" in result.note
    assert "every figure that counts lies outside it, the nearest 22 beyond its bound" in result.note  # 32 - 10
    split = ledger.reference_comparison(less_than_10, [8, 32])
    assert split.verdict == INCONSISTENT and "split, 1 of 2" in split.note
    with pytest.raises(ParameterError, match="not flagged"):
        ledger.reference_comparison(less_than_10, [flagged])


def test_c13_rests_on_cited_rechecked_figures_and_says_how_firm(record, table):
    row = table.set_index("claim_id").loc["C13"]
    assert row["verdict"] == INCONSISTENT and row["strength"] == "independent"
    assert row["recomputed_value"] == pytest.approx((32.40 + 32) / 2)   # R11 and R16; R10 is flagged
    assert "0 of 2 reference figures that count" in row["note"] and "6.43% (itu-owid 2015, flagged)" in row["note"]
    # 32% printed whole stands for 31.5 to 32.5: the nearest lies 31.5 - 10 = 21.5 beyond 'less than 10'
    assert "how firm: every figure that counts lies outside it, the nearest 21.50 beyond its bound" in row["note"]
    assert "1 read again in its publication, 1 read again only in a copy" in row["note"]
    reference = record.reference.set_index("reference_id")
    assert reference.loc["R16", "rechecked"] == "in the publication"
    assert reference.loc["R11", "rechecked"] == "in a copy"
    assert reference.loc["R10", "note"].startswith("FLAGGED")
