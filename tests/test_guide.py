"""The guided series: self-checks that never reveal the answer, solutions that stay right,
and the simulation notebook driven by papermill parameters."""

import json

import pandas as pd
import pytest

from likecheck import exercises
from likecheck.tools import runner
from likecheck.paths import NOTEBOOKS

#: Each number exercise's answer, worked by hand from the printed numbers (not by the module).
BY_HAND = {
    "kh_share_of_new_fans": 22.6,  # 100 x 34,069 / 151,000 = 22.56
    "rest_of_world_new_fans": 93_999,  # 151,000 - 34,069 - 22,932
    "implied_total_fans": 3_137_000,  # 360,791 / 0.115 = 3,137,313
    "engagement_total_change_pct": -21.9,  # (363 / 465 - 1) x 100 = -21.94
    "posts_needed_for_the_fall_pct": 78.1,  # 100 x 363 / 465 = 78.06
}
CHOICES_BY_HAND = {"what_weekly_sums_cannot_tell": "cannot tell"}


def kind_of(name):
    return exercises.EXERCISES[name].kind


def test_every_exercise_has_an_answer_worked_by_hand():
    assert sorted(BY_HAND) + sorted(CHOICES_BY_HAND) == sorted(
        [n for n in exercises.EXERCISES if kind_of(n) == exercises.NUMBER]) + sorted(
        [n for n in exercises.EXERCISES if kind_of(n) == exercises.CHOICE])


@pytest.mark.parametrize("name", sorted(BY_HAND))
def test_a_number_check_accepts_the_right_answer_and_never_shows_it(name, capsys):
    right = BY_HAND[name]
    assert exercises.is_right(name, right)
    assert not exercises.is_right(name, right + 1000) and not exercises.is_right(name, None)
    assert not exercises.is_right(name, str(right)) and not exercises.is_right(name, True)
    capsys.readouterr()
    assert exercises.check(name, right) is None, "a check cell must display its line only"
    assert exercises.check(name, right + 1000) is None and exercises.check(name, None) is None
    printed = capsys.readouterr().out
    assert printed.splitlines() == [f"{name}: right.", exercises.feedback(name, right + 1000),
                                    exercises.feedback(name, None)]
    assert "not yet" in printed and "no answer yet" in printed and "Hint:" in printed
    for shown in (f"{right:.1f}", f"{right:,.0f}", f"{right:.0f}"):
        assert shown not in printed.replace(f"{name}:", ""), f"the check printed the answer {shown}"


@pytest.mark.parametrize("name", sorted(CHOICES_BY_HAND))
def test_a_choice_check_says_the_same_for_every_wrong_choice(name):
    right, choices = CHOICES_BY_HAND[name], exercises.EXERCISES[name].choices
    assert right in choices
    assert exercises.is_right(name, f"  {right.upper()} ")
    wrong = {exercises.feedback(name, c) for c in choices if c != right}
    assert len(wrong) == 1 and "not yet" in wrong.pop()
    assert "one of:" in exercises.feedback(name, "maybe") and not exercises.is_right(name, "maybe")


def test_a_number_given_as_text_asks_for_a_number_without_a_hint_at_the_value():
    message = exercises.feedback("rest_of_world_new_fans", "93,999")
    assert "Answer with a number" in message and "93" not in message


def test_strict_check_fails_a_wrong_solution():
    with pytest.raises(AssertionError):
        exercises.check("rest_of_world_new_fans", 1, strict=True)


def _run(notebook, tmp_path, **parameters):
    job = runner.Job(NOTEBOOKS / "guide" / notebook, tmp_path / "out", tmp_path / notebook, None, parameters)
    runner.execute(job)
    return tmp_path / "out"


def _printed(executed_notebook):
    cells = json.loads(executed_notebook.read_text())["cells"]
    return [o for c in cells for o in c.get("outputs", [])]


@pytest.mark.slow
def test_solutions_notebook_runs_and_every_answer_is_right(tmp_path):
    _run("99_solutions.ipynb", tmp_path)
    outputs = _printed(tmp_path / "99_solutions.ipynb")
    text = "".join("".join(o.get("text", "")) for o in outputs)
    assert text.count("right.") == len(exercises.EXERCISES)
    assert "False" not in text and "True" not in text


@pytest.mark.slow
@pytest.mark.parametrize("notebook, checks", [("01_what_a_like_is.ipynb", 2), ("02_reading_the_numbers.ipynb", 4)])
def test_student_notebooks_run_top_to_bottom_unanswered_showing_only_the_hints(tmp_path, notebook, checks):
    _run(notebook, tmp_path)
    outputs = _printed(tmp_path / notebook)
    text = "".join("".join(o.get("text", "")) for o in outputs)
    assert text.count("no answer yet") == checks and "right." not in text
    results = ["".join(o["data"].get("text/plain", "")) for o in outputs if o["output_type"] == "execute_result"]
    assert "False" not in results, "a check cell displays its return value"


@pytest.mark.slow
def test_the_weekly_sum_illustration_has_the_same_value_per_post_and_fewer_posts(tmp_path):
    _run("02_reading_the_numbers.ipynb", tmp_path)
    tables = [o["data"]["text/plain"] for o in _printed(tmp_path / "02_reading_the_numbers.ipynb")
              if o["output_type"] == "execute_result" and "mean_per_post" in "".join(o["data"]["text/plain"])]
    text = "".join(tables[0])
    # 14 posts and 11 posts of 30 each: 420 and 330, worked by hand
    assert "420.0" in text and "330.0" in text and text.count("30.0") >= 2


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
