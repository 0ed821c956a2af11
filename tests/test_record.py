"""The page's published record (data/page_record.csv, likecheck.record): intervals, growth, disagreements.

Every expected value is worked out by hand below, from the printed numbers and the calendar
(February 2016 has 29 days), never by calling the code under test.
"""

import pandas as pd
import pytest

from helpers import one_line_error
from likecheck import ledger, load, record
from likecheck.errors import DataError, ParameterError
from likecheck.ledger import CONSISTENT, INCONSISTENT

HOURS = 1 / 24


@pytest.fixture(scope="module")
def published():
    return load.load_record()


@pytest.fixture(scope="module")
def results(published):
    return ledger.results(published)


@pytest.fixture(scope="module")
def counts(published):
    table = ledger.build_ledger(published)
    claimed = published.claims.set_index("claim_id")["claimed_id"]
    disputed = {claimed[c]: f"disputed (ledger row {c})"
                for c in table.loc[(table["verdict"] == INCONSISTENT) & (table["check"] == "dated_counts"), "claim_id"]}
    return record.chain(record.timeline(published.page_record, published.observations, "hun_sen"),
                        disputed=disputed)


@pytest.fixture(scope="module")
def rates(counts):
    return record.growth_table(counts)


def count(record_id, value, qualifier, words, start, end=None, time=None):
    low, high = record.count_interval(value, qualifier, words)
    earliest, latest = record.reading_window(start, end or start, time)
    return record.Count(record_id, value, low, high, earliest, latest, words)


# -- the interval of each qualified count --------------------------------------------------------

@pytest.mark.parametrize("value,qualifier,words,expected", [
    (3_200_000, "more than", "more than 3.2 million", (3_200_000, 3_300_000)),   # up to one unit of 0.1 million
    (265_000, "more than", "more than 265,000", (265_000, 266_000)),             # 265,000 is rounded to the thousand
    (6_000_000, "more than", "over six million", (6_000_000, 7_000_000)),         # spelled out: one million
    (11_000_000, "nearly", "nearly 11 million", (10_500_000, 11_000_000)),        # half a unit below
    (9_400_000, "nearly", "almost 9.4 million", (9_350_000, 9_400_000)),
    (67_000, "about", "around 67,000", (66_500, 67_500)),
    (2_094_800, "about", "about 2,094,800", (2_094_750, 2_094_850)),             # the hundreds printed
    (1_070_000, "about", "some 1.07 million", (1_065_000, 1_075_000)),
    (14_000_000, "approximately", "approximately 14 million", (13_500_000, 14_500_000)),
    (3_000_000, "passed", "3 million", (3_000_000, 3_000_000)),                   # the milestone itself
    (1_960_258, "exact", "1,960,258", (1_960_257.5, 1_960_258.5)),
    (2_099_740, "exact", "2,099,740", (2_099_735, 2_099_745)),                    # a final zero may be rounding
    (12_987_817, "exact", "12 987 817", (12_987_816.5, 12_987_817.5)),            # French digit groups
    (2_065_000, "exact", "2 million and 65 thousand", (2_064_500, 2_065_500)),    # to the thousand
])
def test_count_interval_by_hand(value, qualifier, words, expected):
    assert record.count_interval(value, qualifier, words) == pytest.approx(expected)


def test_an_unknown_hedge_is_refused():
    with pytest.raises(ValueError, match="qualifier 'roughly' is not one of"):
        record.count_interval(1, "roughly", "roughly 1")


def test_reading_window_is_the_minute_or_the_whole_days():
    assert record.reading_window("2016-01-25", "2016-01-25", "18:50") == (
        pd.Timestamp("2016-01-25 18:50"), pd.Timestamp("2016-01-25 18:50"))
    assert record.reading_window("2016-02-02", "2016-02-09") == (
        pd.Timestamp("2016-02-02"), pd.Timestamp("2016-02-10"))


# -- growth per day between named counts -----------------------------------------------------------

def test_growth_from_2_february_to_the_3_million_of_6_march_2016():
    """2,099,740 (any moment of 2 Feb; 2,099,735 to 2,099,745) to 3,000,000 passed at 18:08 on 6 March."""
    first = count("P012", 2_099_740, "exact", "2,099,740", "2016-02-02")
    second = count("P016", 3_000_000, "passed", "3 million", "2016-03-06", time="18:08")
    g = record.growth(first, second)
    shortest = 32 + (18 + 8 / 60) * HOURS      # 3 Feb 00:00 to 6 Mar 18:08
    longest = 33 + (18 + 8 / 60) * HOURS       # 2 Feb 00:00 to 6 Mar 18:08
    assert (g.shortest_days, g.longest_days) == pytest.approx((shortest, longest))
    assert g.low == pytest.approx((3_000_000 - 2_099_745) / longest)        # 26,669.6
    assert g.high == pytest.approx((3_000_000 - 2_099_735) / shortest)      # 27,484.2
    middle_days = 33 + (6 + 8 / 60) * HOURS    # 2 Feb 12:00 to 6 Mar 18:08
    assert g.per_day == pytest.approx((3_000_000 - 2_099_740) / middle_days)  # 27,070.9
    assert g.pct_per_day == pytest.approx(100 * g.per_day / 2_099_740)
    assert g.pct_low == pytest.approx(100 * g.low / 2_099_745)


def test_growth_from_2_february_to_the_bbc_count_of_14_march_2016(rates):
    """The span of the window: 2,099,740 (2 Feb) to '3.2 million' (3,150,000 to 3,250,000, 14 Mar)."""
    span = rates.set_index(["from_id", "to_id"]).loc[("P012", "O016")]
    assert (span["shortest_days"], span["longest_days"]) == (40, 42)   # 3 Feb to 14 Mar; 2 Feb to 15 Mar
    assert span["growth_low"] == pytest.approx((3_150_000 - 2_099_745) / 42)    # 25,006.07
    assert span["growth_high"] == pytest.approx((3_250_000 - 2_099_735) / 40)   # 28,756.63
    assert span["growth_per_day"] == pytest.approx((3_200_000 - 2_099_740) / 41)
    assert span["period"] == record.DURING and span["informative"]


def test_growth_between_two_printed_minutes_is_nearly_exact(rates):
    """1,960,258 at 19:10 on 22 Jan to 2,000,105 at 18:50 on 25 Jan 2016: 2 days 23 h 40 min."""
    span = rates.set_index(["from_id", "to_id"]).loc[("P009", "P011")]
    days = 2 + (23 + 40 / 60) * HOURS
    assert span["growth_low"] == pytest.approx((2_000_104.5 - 1_960_258.5) / days)
    assert span["growth_high"] == pytest.approx((2_000_105.5 - 1_960_257.5) / days)
    assert span["period"] == record.BEFORE


def test_rounded_counts_a_few_days_apart_tell_nothing(rates):
    """'3.2 million' on 14 and on 17 March 2016: 3 to 4 days apart, any change of up to 100,000."""
    span = rates.set_index(["from_id", "to_id"]).loc[("O016", "P018")]
    assert span["growth_low"] == pytest.approx(-100_000 / 2)     # 3,250,000 -> 3,150,000 in 2 days
    assert span["growth_high"] == pytest.approx(100_000 / 2)
    assert not span["informative"]


def test_overlapping_windows_give_unbounded_growth():
    first = count("A", 100, "about", "about 100", "2016-01-01", "2016-01-05")
    second = count("B", 200, "about", "about 200", "2016-01-04", "2016-01-09")
    g = record.growth(first, second)
    # 'about 100' is 99.5 to 100.5: the lowest growth is 199.5 - 100.5 over the 9 days from 1 to 10 January
    assert g.high == float("inf") and g.low == pytest.approx((199.5 - 100.5) / 9)


# -- the chain of counts -------------------------------------------------------------------------

def test_chain_sets_aside_overlapping_disputed_and_unconfirmed_counts(counts):
    aside = counts.set_index("record_id")["set_aside"]
    assert aside["P016"] == "not confirmed"                     # the Post's first report, not found
    assert aside["P010"] == "disputed (ledger row C49)"          # 2 million on 24 January
    assert aside["P013"] == "read while P012 was"                # 2-9 February overlaps 2 February
    chain_ids = counts.loc[counts["in_chain"], "record_id"].tolist()
    assert chain_ids[:3] == ["P001", "P003", "P005"]
    moments = counts.loc[counts["in_chain"]]
    assert (moments["earliest"].iloc[1:].to_numpy() > moments["latest"].iloc[:-1].to_numpy()).all()


def test_unconfirmed_counts_join_the_chain_only_when_asked(published):
    line = record.timeline(published.page_record, published.observations)
    assert "P016" not in set(record.chain(line).query("in_chain")["record_id"])
    assert "P016" in set(record.chain(line, include_unconfirmed=True).query("in_chain")["record_id"])


@pytest.mark.parametrize("start,end,expected", [
    ("2016-02-02", "2016-03-14", record.DURING),    # 35 of 41 days inside 8 Feb-13 Mar
    ("2016-01-25", "2016-02-02", record.BEFORE),
    ("2016-03-14", "2016-03-17", record.AFTER),
    ("2016-01-01", "2016-02-20", record.PARTLY),     # 12 of 50 days inside
    ("2016-01-29", "2016-02-26", record.DURING),     # 18 of 28 days inside
])
def test_period_of_a_span(start, end, expected):
    assert record.period_of(pd.Timestamp(start), pd.Timestamp(end), record.REPORTING_WINDOW) == expected


# -- the robust rule, with intervals carried through --------------------------------------------------

def _rates(spans):
    return pd.DataFrame([{"growth_per_day": mid, "growth_low": mid - 0.5, "growth_high": mid + 0.5,
                          "period": period, "informative": True, "bounded": True,
                          "from_id": f"F{i}", "to_id": f"T{i}"} for i, (mid, period) in enumerate(spans)])


def test_robust_score_by_hand():
    """Outside: 1, 2, 3, 4, 100 (each +-0.5). Median 3 (lows 2.5, highs 3.5); MAD 1, so the spread is
    1.4826. The span 10 to 12 scores (10 - 3.5) / 1.4826 = 4.38 to (12 - 2.5) / 1.4826 = 6.41."""
    rates = _rates([(1, "before"), (2, "before"), (3, "after"), (4, "after"), (100, "after"), (11, "during")])
    rates.loc[5, ["growth_low", "growth_high"]] = (10, 12)
    result = record.stands_out(rates, threshold=3.5).iloc[0]
    assert (result["baseline_median_low"], result["baseline_median"], result["baseline_median_high"]) == (2.5, 3, 3.5)
    assert (result["scale_low"], result["scale_high"]) == pytest.approx((1.4826, 1.4826))
    assert result["score_low"] == pytest.approx(6.5 / 1.4826)
    assert result["score_high"] == pytest.approx(9.5 / 1.4826)
    assert result["verdict"] == record.YES
    assert record.stands_out(rates, threshold=5).iloc[0]["verdict"] == record.CANNOT_TELL
    assert record.stands_out(rates, threshold=7).iloc[0]["verdict"] == record.NO


def test_the_rule_needs_three_spans_outside():
    thin = _rates([(1, "before"), (2, "after"), (11, "during")])
    with pytest.raises(ValueError, match="at least 3 informative spans"):
        record.baseline(thin)
    result = record.stands_out(thin).iloc[0]
    assert result["verdict"] == record.CANNOT_TELL and result["baseline_spans"] == 2
    assert pd.isna(result["score_low"])


def test_february_march_2016_against_the_page_history(rates):
    """The answer of notebook 06: 25,006 to 28,757 a day is 2.5 to 4.0 robust units above the
    history in absolute terms (cannot tell at 3.5); relative to the page's size it does not stand out."""
    absolute = record.stands_out(rates).iloc[0]
    assert (absolute["from_id"], absolute["to_id"]) == ("P012", "O016")
    assert absolute["baseline_spans"] == 11
    assert absolute["score_low"] < record.THRESHOLD < absolute["score_high"]
    assert absolute["verdict"] == record.CANNOT_TELL
    relative = record.stands_out(rates, "growth_pct_per_day").iloc[0]
    assert relative["verdict"] == record.NO


def test_growth_against_the_spans_just_before_and_after(rates):
    """P011-P012 (25 Jan 18:50 to 2 Feb: 12,127 to 13,810 a day) before; 25,006 to 28,757 during."""
    before_low = (2_099_735 - 2_000_105.5) / (9 - (18 + 50 / 60) * HOURS)    # to the end of 2 Feb
    before_high = (2_099_745 - 2_000_104.5) / (8 - (18 + 50 / 60) * HOURS)   # to its start
    row = record.against_neighbours(rates).set_index("neighbour").loc["before"]
    assert (row["neighbour_low"], row["neighbour_high"]) == pytest.approx((before_low, before_high))
    assert row["ratio_low"] == pytest.approx(((3_150_000 - 2_099_745) / 42) / before_high)    # 1.81
    assert row["ratio_high"] == pytest.approx(((3_250_000 - 2_099_735) / 40) / before_low)    # 2.37


# -- each disagreement row of the ledger, by hand ------------------------------------------------------

RATE_JAN = ((2_099_735 - 1_960_258.5) / (12 - (19 + 10 / 60) * HOURS),    # 22 Jan 19:10 to the end of 2 Feb
            (2_099_745 - 1_960_257.5) / (11 - (19 + 10 / 60) * HOURS))    # to its start
RATE_2015 = ((1_960_257.5 - 266_000) / (720 + (19 + 10 / 60) * HOURS),    # 1 Feb 2014 to 22 Jan 2016
             (1_960_258.5 - 265_000) / (482 + (19 + 10 / 60) * HOURS))    # 27 Sep 2014 to 22 Jan 2016
RATE_FEB = ((3_000_000 - 2_000_105.5) / (52 + (5 + 10 / 60) * HOURS),     # 25 Jan 18:50 to 18 Mar
            (3_000_000 - 2_000_104.5) / (35 + (5 + 10 / 60) * HOURS))     # to 1 Mar
RATE_RAINSY = ((3_000_000 - 2_094_850) / 247, (4_000_000 - 2_094_750) / 238)   # 2-9 Feb to 5 Oct 2016
RATE_2017 = ((7_150_000 - 6_150_000) / 174, (7_250_000 - 6_050_000) / 93)     # Nov 2016 to Feb-Apr 2017


@pytest.mark.parametrize("claim_id,low,high,verdict", [
    # 2,000,105 at 18:50 on 25 Jan carried back 0.78 to 1.78 days: the page was not yet at 2 million on 24 Jan
    ("C49", 2_000_104.5 - RATE_JAN[1] * (1 + (18 + 50 / 60) * HOURS),
     2_000_105.5 - RATE_JAN[0] * (18 + 50 / 60) * HOURS, INCONSISTENT),
    # 1 million on 22 Aug 2015 carried 9 to 40 days into September: past it already
    ("C50", 1_000_000 + RATE_2015[0] * 9, 1_000_000 + RATE_2015[1] * 40, INCONSISTENT),
    ("C51", 1_000_000 + RATE_2015[0] * 9, 1_000_000 + RATE_2015[1] * 40, INCONSISTENT),
    # to 21-31 August: 2 days back to 10 days on
    ("C52", 1_000_000 - RATE_2015[1] * 2, 1_000_000 + RATE_2015[1] * 10, CONSISTENT),
    # 2,099,740 on 2 Feb carried to 2-9 Feb (1 day back to 8 on): 'more than 2,108,800' fits
    ("C53", 2_099_735 - RATE_FEB[1], 2_099_745 + RATE_FEB[1] * 8, CONSISTENT),
    # Newsweek's 2.2 million (17-18 Mar) carried to 17 Mar reaches 2,258,005: touches 'nearly 2.3 million'
    ("C54", 2_150_000 - RATE_RAINSY[1] * 2, 2_250_000 + RATE_RAINSY[1], CONSISTENT),
    # 'over 6.84 million' (9 Feb 2017) carried to 9-10 Feb stays far below 'more than 7 million'
    ("C55", 6_840_000 - RATE_2017[1], 6_850_000 + RATE_2017[1] * 2, INCONSISTENT),
    ("C56", 6_840_000 - RATE_2017[1], 6_850_000 + RATE_2017[1], CONSISTENT),
    # followers 13,075,160 (a final zero: +-5) against fans 12,987,817 on 5 August 2020
    ("C57", 13_075_155 - 12_987_817.5, 13_075_165 - 12_987_816.5, CONSISTENT),
])
def test_each_disagreement_row_by_hand(results, claim_id, low, high, verdict):
    result = results[claim_id]
    assert (result.low, result.high) == pytest.approx((low, high))
    assert result.verdict == verdict, result.note


def test_fans_against_followers_difference(results):
    assert results["C57"].recomputed == 13_075_160 - 12_987_817      # 87,343
    assert "13 075 160" in results["C57"].note


def test_dated_counts_can_be_called_directly():
    """A student's call: two readings a day apart, the page gaining about 750 a day around them."""
    result = ledger.dated_counts(
        claimed=ledger.counted(11_003, "exact", "11,003", "2020-01-02"),
        other=ledger.counted(10_003, "exact", "10,003", "2020-01-01", time="12:00"),
        before=ledger.counted(5_003, "exact", "5,003", "2019-12-22", time="12:00"),
        after=ledger.counted(20_003, "exact", "20,003", "2020-01-11", time="12:00"))
    # 15,000 in 20 days, each count +-0.5: 749.95 to 750.05 a day
    rate = ((20_002.5 - 5_003.5) / 20, (20_003.5 - 5_002.5) / 20)
    # 2 Jan 00:00-24:00 is 0.5 to 1.5 days after noon on 1 Jan
    assert (result.low, result.high) == pytest.approx((10_002.5 + rate[0] * 0.5, 10_003.5 + rate[1] * 1.5))
    assert result.verdict == CONSISTENT     # 11,003 within 10,377.5 to 11,128.6
    late = ledger.dated_counts(ledger.counted(12_003, "exact", "12,003", "2020-01-02"),
                               *[ledger.counted(v, "exact", f"{v:,}", d, time="12:00")
                                 for v, d in ((10_003, "2020-01-01"), (5_003, "2019-12-22"), (20_003, "2020-01-11"))])
    assert late.verdict == INCONSISTENT     # 12,003 is beyond what a day and a half of growth allows


# -- the data: every row sourced, confirmed or marked; bad rows refused in one line -------------------

def test_every_count_is_sourced_and_confirmed_or_marked(published):
    rows = published.page_record
    kinds = published.sources.set_index("source_id")["kind"]
    assert (rows["source_id"].map(kinds) == "record").all()
    assert (rows["confirmed"].isin(["yes", "no"])).all()
    assert rows.loc[rows["confirmed"] == "yes", "confirmation"].str.startswith("read").all()
    assert rows.loc[rows["confirmed"] == "no", "record_id"].tolist() == ["P016"]
    assert published.sources.set_index("source_id").loc[rows["source_id"], "url"].notna().sum() >= len(rows) - 1


def test_each_record_claims_words_are_its_counts(published):
    """A claim of a record source has no seed line: its words are its claimed count's as_printed."""
    words = published.page_record.set_index("record_id")["as_printed"]
    record_claims = published.claims[published.claims["claimed_id"].astype(str).str.startswith("P")]
    assert len(record_claims) == 9
    for row in record_claims.itertuples():
        assert row.as_printed == words[row.claimed_id], row.claim_id
        assert pd.isna(row.seed_line)


def _edit(path, record_id, column, value):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame["record_id"] == record_id, column] = value
    frame.to_csv(path, index=False)
    return int(frame.index[frame["record_id"] == record_id][0]) + 2


@pytest.mark.parametrize("column,value,problem", [
    ("time", "18:50", "given where the day is not known"),          # P013 spans 2-9 February
    ("qualifier", "roughly", "must be one of"),
    ("confirmed", "maybe", "must be one of"),
    ("source_id", "nowhere", "is not a known source id"),
])
def test_a_bad_record_row_is_one_line(data_copy, column, value, problem):
    line = _edit(data_copy / "page_record.csv", "P013", column, value)
    with pytest.raises(DataError) as err:
        load.read_record(data_copy)
    one_line_error(err, "page_record.csv", f"line {line}", problem)


def test_a_claim_naming_an_unknown_count_is_one_line(data_copy):
    claims = pd.read_csv(data_copy / "claims.csv", dtype=str, keep_default_na=False)
    claims.loc[claims["claim_id"] == "C49", "inputs"] = "other=P999 before=P009 after=P012"
    claims.to_csv(data_copy / "claims.csv", index=False)
    with pytest.raises(DataError) as err:
        load.read_record(data_copy)
    one_line_error(err, "claims.csv", "column 'inputs'", "'P999' is not a known id")


@pytest.mark.slow
def test_the_notebook_runs_for_sam_rainsys_page(tmp_path):
    from likecheck.paths import NOTEBOOKS
    from likecheck.tools import runner
    job = runner.Job(NOTEBOOKS / "06_published_record.ipynb", tmp_path / "out", tmp_path / "nb.ipynb", None,
                     {"page": "sam_rainsy", "include_unconfirmed": True})
    runner.execute(job)
    drawn = pd.read_csv(tmp_path / "out" / "record_timeline.csv", dtype=str)
    assert set(drawn.loc[drawn["drawn_as"] == "count", "page"]) == {"sam_rainsy"}
    assert (tmp_path / "out" / "record_growth_test.csv").is_file()


@pytest.mark.parametrize("arguments,problem", [
    (("trump", "2016-02-08", "2016-03-13", 3.5, False), "parameter page"),
    (("hun_sen", "2016-03-13", "2016-02-08", 3.5, False), "parameter window_start"),
    (("hun_sen", "2016-02-08", "13 March", 3.5, False), "parameter window_end"),
    (("hun_sen", "2016-02-08", "2016-03-13", -1, False), "parameter threshold"),
    (("hun_sen", "2016-02-08", "2016-03-13", 3.5, "yes"), "parameter include_unconfirmed"),
])
def test_bad_parameters_are_one_line(arguments, problem):
    with pytest.raises(ParameterError) as err:
        record.parameters(*arguments)
    one_line_error(err, problem)
