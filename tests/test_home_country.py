"""Any page: its own home country, the countries that changed most, and HOME_COUNTRY and TOP as data.

A Thai page is drawn with Thailand as home (not "100% abroad"); a Cambodian page whose fans surge
from the Philippines shows the Philippines by name, not folded into the rest of the world. Expected
values by hand in the comments.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers import one_line_error
from likecheck import evidence, load
from likecheck.errors import ParameterError
from likecheck.importers import import_exports
from likecheck.labels import country_code
from likecheck.tools.rerun import top_count


def graph(path, name: str, days: list[dict[str, int]], totals: list[int]):
    """A Graph API response of page_fans_country and page_fans, one value a day from 1 March 2016
    (end_time 08:00 UTC of the next day: midnight in Los Angeles before daylight saving)."""
    ends = [f"2016-03-{d + 2:02d}T08:00:00+0000" for d in range(len(days))]
    document = {"name": name, "id": "1" + str(len(name)), "data": [
        {"name": "page_fans_country", "period": "lifetime",
         "values": [{"value": v, "end_time": e} for v, e in zip(days, ends)]},
        {"name": "page_fans", "period": "lifetime",
         "values": [{"value": t, "end_time": e} for t, e in zip(totals, ends)]}]}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def origins(ev, start, end, page, **kw):
    return evidence.new_fans_by_origin(ev, start, end, page, **kw).set_index("origin")


def test_a_thai_page_is_drawn_from_thailand(tmp_path):
    # 1 Mar: TH 9,000, KH 500, US 300 of 10,000 (ZZ 200); 3 Mar: TH 9,600, KH 520, US 330 of 10,700 (ZZ 250)
    path = graph(tmp_path / "thai.json", "Thai page",
                 [{"TH": 9000, "KH": 500, "US": 300}, {"TH": 9300, "KH": 510, "US": 310},
                  {"TH": 9600, "KH": 520, "US": 330}], [10_000, 10_350, 10_700])
    ev = evidence.Evidence(None, import_exports(path), "thai.json")
    code, how = evidence.home_country(ev, "2016-03-02", "Thai page")
    assert code == "TH" and "the most fans on 2016-03-01" in how
    table = origins(ev, "2016-03-02", "2016-03-03", "Thai page")
    assert list(table.index) == ["TH", "US", "KH", "ZZ", "total"]  # US +30 before KH +20
    # TH +600, US +30, KH +20, ZZ +50 of +700: every part grew, every number exact: shares
    assert table["new_fans"].to_dict() == {"TH": 600, "US": 30, "KH": 20, "ZZ": 50, "total": 700}
    assert table.loc["TH", "share_pct"] == pytest.approx(100 * 600 / 700)
    abroad = evidence.home_and_abroad(ev, table.reset_index(), "2016-03-02", "2016-03-03", "Thai page")
    assert abroad.set_index("origin").loc["abroad", "new_fans"] == 100  # 700 - 600
    caption = evidence.export_origins_caption(table.reset_index(), "Thai page")
    assert caption.startswith("Thai page:") and "Home: Thailand" in caption


def test_a_philippine_surge_on_a_cambodian_page_is_named(tmp_path):
    # KH +1,000; IN +10; PH +50,000; the rest of the world +100; ten small countries +1 each
    small = {c: 20 for c in ("AE", "BE", "CZ", "DE", "EE", "FR", "GE", "HU", "IE", "JP")}
    before = {"KH": 2_000_000, "IN": 400_000, "PH": 1_000, **small}
    after = {"KH": 2_001_000, "IN": 400_010, "PH": 51_000, **{c: 21 for c in small}}
    total_before = sum(before.values()) + 5_000
    total_after = sum(after.values()) + 5_100
    path = graph(tmp_path / "kh.json", "Samdech", [before, after], [total_before, total_after])
    ev = evidence.Evidence(None, import_exports(path), "kh.json")
    table = origins(ev, "2016-03-02", "2016-03-02", "Samdech")
    assert table.index[0] == "KH" and table.index[1] == "PH"
    assert table.loc["PH", "new_fans"] == 50_000 and table.loc["PH", "role"] == "top"
    # TOP 7: PH, IN, then five of the ten +1 countries (ties by code: AE, BE, CZ, DE, EE)
    assert list(table[table["role"] == "top"].index) == ["PH", "IN", "AE", "BE", "CZ", "DE", "EE"]
    assert table.loc["ZZ", "new_fans"] == 100 + 5 * 1  # the unlisted rest, and the other five +1 countries
    assert table.loc["total", "new_fans"] == 1_000 + 10 + 50_000 + 10 + 100
    three = origins(ev, "2016-03-02", "2016-03-02", "Samdech", top=2)
    assert list(three.index) == ["KH", "PH", "IN", "ZZ", "total"]
    assert three.loc["ZZ", "new_fans"] == 100 + 10  # the ten +1 countries now in the rest


def test_home_country_is_a_country_given_by_code_or_name():
    assert country_code("th") == "TH" and country_code("Thailand") == "TH" and country_code(" KH ") == "KH"
    with pytest.raises(ParameterError) as err:
        country_code("Narnia")
    one_line_error(err, "HOME_COUNTRY=Narnia", "not a country")
    with pytest.raises(ParameterError) as err:
        country_code("ZZ")
    one_line_error(err, "rest of the world")


def test_the_published_record_has_cambodia_as_home():
    ev = evidence.Evidence(load.load_record())
    assert evidence.home_country(ev, "2016-03-08", "hun_sen") == ("KH", "the published record's home")
    assert evidence.home_country(ev, "2016-03-08", "hun_sen", "Cambodia")[0] == "KH"
    with pytest.raises(ParameterError) as err:
        evidence.home_country(ev, "2016-03-08", "hun_sen", "TH")
    one_line_error(err, "HOME_COUNTRY=TH", "Cambodia")


@pytest.mark.parametrize("given,expected", [(None, 7), ("", 7), ("0", 0), ("12", 12), ("45", 45)])
def test_top_is_a_whole_number(given, expected):
    assert top_count(given) == expected


@pytest.mark.parametrize("given", ["-1", "seven", "46", "1.5", "$(rm -rf /)"])
def test_a_bad_top_is_one_line(given):
    with pytest.raises(ParameterError) as err:
        top_count(given)
    one_line_error(err, "TOP=", "whole number")


def test_a_shares_title_needs_two_points():
    one = pd.DataFrame({"qualifier": ["exact"], "low": [57.6], "high": [57.6], "date_end": [pd.Timestamp("2016-03-13")],
                        "as_of": ["13 Mar 2016"]})
    title = evidence.shares_title(one, "Cambodia", "fans")
    assert "was 57.6% on 13 Mar 2016" in title and "from" not in title
    two = pd.concat([one, one.assign(low=56.0, high=56.5, qualifier="interval",
                                     date_end=pd.Timestamp("2016-03-20"))], ignore_index=True)
    assert evidence.shares_title(two, "Cambodia", "fans") == \
        "Cambodia's share of all fans went from 57.6% to between 56.0% and 56.5%"


@pytest.mark.parametrize("variable,value,message", [
    ("HOME_COUNTRY", "$(x) `id`", "HOME_COUNTRY=$(x) `id`: not a country"),
    ("TOP", "$(shell echo 3)", "TOP=$(shell echo 3): give a whole number"),
])
def test_home_country_and_top_reach_python_as_data_through_make(variable, value, message):
    """`make rerun` hands HOME_COUNTRY and TOP over as START and END: through the environment, unexpanded."""
    import os
    import subprocess
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(["make", "--no-print-directory", "rerun", "START=2016-03-08", "END=2016-03-13",
                             f"{variable}={value}"], cwd=root, capture_output=True, text=True,
                            env={k: v for k, v in os.environ.items() if not k.startswith("LIKECHECK_")})
    assert result.returncode == 2, result.stderr
    assert f"error: {message}" in result.stderr


def test_the_screen_takes_the_same_home(tmp_path):
    """HOME_COUNTRY reaches the screen's origin_shift; a home the export never lists is one line, before OUT."""
    from helpers import run_cli
    path = graph(tmp_path / "thai.json", "Thai page", [{"TH": 9000, "KH": 500}, {"TH": 9300, "KH": 510}],
                 [10_000, 10_350])
    result = run_cli("screen", "--data", str(path), "--home-country", "Brazil", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    error = result.stderr.strip()
    assert "\n" not in error and "HOME_COUNTRY=BR" in error and "KH, TH" in error, error
    assert not (tmp_path / "out").exists()
