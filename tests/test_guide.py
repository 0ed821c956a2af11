"""The guided series: self-checks that never reveal the answer, solutions that stay right,
and the simulation notebook driven by papermill parameters."""

import json

import pandas as pd
import pytest

from likecheck import exercises
from likecheck.tools import runner
from likecheck.paths import NOTEBOOKS


@pytest.mark.parametrize("name", sorted(exercises.EXERCISES))
def test_check_accepts_the_right_answer_and_hides_it(name, capsys):
    from likecheck import load
    right = exercises.EXERCISES[name].answer(load.load_record())
    assert exercises.check(name, right) is True
    assert exercises.check(name, right + 1000) is False
    assert exercises.check(name, None) is False
    printed = capsys.readouterr().out
    assert "right." in printed and "not yet" in printed and "Hint:" in printed
    for shown in (f"{right:.1f}", f"{right:,.0f}", f"{right:.0f}"):
        assert shown not in printed, f"the check printed the answer {shown}"


def test_strict_check_fails_a_wrong_solution():
    with pytest.raises(AssertionError):
        exercises.check("rest_of_world_new_fans", 1, strict=True)


def _run(notebook, tmp_path, **parameters):
    job = runner.Job(NOTEBOOKS / "guide" / notebook, tmp_path / "out", tmp_path / notebook, None, parameters)
    runner.execute(job)
    return tmp_path / "out"


@pytest.mark.slow
def test_solutions_notebook_runs_and_every_answer_is_right(tmp_path):
    _run("99_solutions.ipynb", tmp_path)
    executed = json.loads((tmp_path / "99_solutions.ipynb").read_text())
    text = "".join("".join(o.get("text", "")) for c in executed["cells"] for o in c.get("outputs", []))
    assert text.count("right.") == len(exercises.EXERCISES)


@pytest.mark.slow
def test_student_notebooks_run_top_to_bottom_unanswered(tmp_path):
    _run("01_what_a_like_is.ipynb", tmp_path / "a")
    executed = json.loads((tmp_path / "a" / "01_what_a_like_is.ipynb").read_text())
    text = "".join("".join(o.get("text", "")) for c in executed["cells"] for o in c.get("outputs", []))
    assert "no answer yet" in text


@pytest.mark.slow
def test_simulation_without_a_purchase_shows_no_shift(tmp_path):
    out = _run("03_bought_likes.ipynb", tmp_path, purchased_likes=0, posts_per_day=6.0)
    mix = pd.read_csv(out / "simulated_country_mix.csv")
    domestic = mix[mix["origin"] == "KH"]["share_pct"]
    assert domestic.max() - domestic.min() < 1
    meta = json.loads((out / "simulated_engagement.meta.json").read_text())
    assert meta["title"].startswith("SIMULATED") and "Simulated data (synthetic" in meta["caption"]
    weekly = pd.read_csv(out / "simulated_engagement.csv")
    assert weekly["posts"].sum() > 0
