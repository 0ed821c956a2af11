"""The guided series: self-checks that never reveal the answer, solutions that stay right,
and the simulation notebook driven by papermill parameters."""

import itertools
import re
import json

import numpy as np
import pandas as pd
import papermill
import pytest

from likecheck import exercises, screening, simulate
from likecheck.tools import runner
from likecheck.tools.manifest import read_manifest
from likecheck.paths import NOTEBOOKS

def fired_on_guide_05_page(**changes):
    """The signals the screen flags, run here on the simulation without exercises' helpers."""
    sim = simulate.simulate(**{**exercises.SCREENED_PAGE, **changes})
    table = screening.screen(sim.fan_counts, sim.posts)
    return sorted(set(table.loc[table["flagged"], "signal"]))


def share_before_by_brute_force():
    """The 57.6% claim's range of the share before the week, over a grid of every input's interval
    (a different method from the ledger's corners), from the printed numbers."""
    def steps(low, high):
        return np.linspace(low, high, 5)
    india, india_share = steps(360_790.5, 360_791.5), steps(11.45, 11.55)  # '360,791', '11.5 per cent'
    after, gained, gained_kh = steps(56.35, 56.45), steps(150_500, 151_500), steps(34_068.5, 34_069.5)
    values = [100 * (t * a / 100 - k) / (t - g)
              for i, s, a, g, k in itertools.product(india, india_share, after, gained, gained_kh)
              for t in [i / (s / 100)]]
    return min(values), max(values)


#: Each number exercise's answer, worked by hand from the printed numbers (not by the module).
BY_HAND = {
    "kh_share_of_new_fans": 22.6,  # 100 x 34,069 / 151,000 = 22.56
    "rest_of_world_new_fans": 93_999,  # 151,000 - 34,069 - 22,932
    "implied_total_fans": 3_137_000,  # 360,791 / 0.115 = 3,137,313
    "engagement_total_change_pct": -21.9,  # (363 / 465 - 1) x 100 = -21.94
    "posts_needed_for_the_fall_pct": 78.1,  # 100 x 363 / 465 = 78.06
    "small_purchase_signal_count": len(fired_on_guide_05_page(purchased_likes=20_000)),
}
INTERVALS_BY_HAND = {
    "ten_million_riel_interval": (9_500_000, 10_500_000),  # '10': the millions digit, +- half a million
    "share_before_interval": share_before_by_brute_force(),
}
CHOICES_BY_HAND = {
    "what_weekly_sums_cannot_tell": "cannot tell",
    # 15,000,000 / 3,750 = 4,000 riel a dollar; 10,000,000 / 4,000 = 2,500: 'about $2,500'
    "riel_conversion_verdict": "consistent",
    # 360,791 / 0.115 = 3,137,313 after; (0.564 x 3,137,313 - 34,069) / (3,137,313 - 151,000) = 58.11%,
    # and the whole rounding range (brute force above) stays above 57.65
    "share_before_verdict": "inconsistent",
    "viral_week_signal": " and ".join(fired_on_guide_05_page(purchased_likes=0, **exercises.VIRAL_WEEK))
                         or "none",
    "early_purchase_signal": " and ".join(fired_on_guide_05_page(purchase_start="2016-01-11")),
    "why_not_a_country_surge": "every country keeps its share",
}


def kind_of(name):
    return exercises.EXERCISES[name].kind


def test_every_exercise_has_an_answer_worked_independently():
    for kind, answers in ((exercises.NUMBER, BY_HAND), (exercises.INTERVAL, INTERVALS_BY_HAND),
                          (exercises.CHOICE, CHOICES_BY_HAND)):
        assert sorted(answers) == sorted(n for n in exercises.EXERCISES if kind_of(n) == kind), kind
    assert INTERVALS_BY_HAND["share_before_interval"][0] > 57.65, "the 57.6% claim is out of range"


def test_the_guide_05_answers_are_one_word_each():
    for name in ("viral_week_signal", "early_purchase_signal"):
        assert CHOICES_BY_HAND[name] in exercises.EXERCISES[name].choices, name


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


@pytest.mark.parametrize("name", sorted(INTERVALS_BY_HAND))
def test_an_interval_check_wants_both_ends_and_never_shows_them(name, capsys):
    low, high = INTERVALS_BY_HAND[name]
    assert exercises.is_right(name, (low, high)) and exercises.is_right(name, [low, high])
    width = high - low
    for wrong in ((high, low), (low, high + width), (low - width, high), low, "low, high", (low,), None):
        assert not exercises.is_right(name, wrong), wrong
    assert "two numbers in brackets" in exercises.feedback(name, low)
    capsys.readouterr()
    exercises.check(name, (low - width, high + width))
    printed = capsys.readouterr().out
    assert "not yet" in printed and "Hint:" in printed
    for shown in (f"{low:,.0f}", f"{high:,.0f}", f"{low:.2f}", f"{high:.2f}", f"{low / 1e6:g} million"):
        assert shown not in printed, f"the check printed the answer {shown}"


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


def _built(fresh_build, notebook):
    """The guide notebook as the suite's one build executed it, with its default parameters."""
    return fresh_build.build / "notebooks" / "guide" / notebook


@pytest.mark.slow
def test_solutions_notebook_runs_and_every_answer_is_right(fresh_build):
    outputs = _printed(_built(fresh_build, "solutions/99_solutions.ipynb"))
    text = "".join("".join(o.get("text", "")) for o in outputs)
    assert text.count("right.") == len(exercises.EXERCISES) and "not yet" not in text
    assert "False" not in text and "True" not in text


@pytest.mark.slow
@pytest.mark.parametrize("notebook, checks", [("01_what_a_like_is.ipynb", 2), ("02_reading_the_numbers.ipynb", 4),
                                              ("04_check_a_claim.ipynb", 4), ("05_bought_or_viral.ipynb", 4)])
def test_student_notebooks_run_top_to_bottom_unanswered_showing_only_the_hints(fresh_build, notebook, checks):
    outputs = _printed(_built(fresh_build, notebook))
    text = "".join("".join(o.get("text", "")) for o in outputs)
    assert text.count("no answer yet") == checks and "right." not in text
    results = ["".join(o["data"].get("text/plain", "")) for o in outputs if o["output_type"] == "execute_result"]
    assert "False" not in results, "a check cell displays its return value"


@pytest.mark.slow
def test_the_weekly_sum_illustration_has_the_same_value_per_post_and_fewer_posts(fresh_build):
    tables = [o["data"]["text/plain"] for o in _printed(_built(fresh_build, "02_reading_the_numbers.ipynb"))
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


NEW_GUIDES = ("04_check_a_claim.ipynb", "05_bought_or_viral.ipynb")


@pytest.mark.parametrize("notebook", NEW_GUIDES)
def test_new_guides_document_every_parameter_and_keep_lines_short(notebook):
    path = NOTEBOOKS / "guide" / notebook
    parameters = papermill.inspect_notebook(str(path))
    assert parameters and all(p["help"].strip() for p in parameters.values()), "a parameter without a comment"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# Guide ")
    for cell in cells:
        for line in "".join(cell["source"]).splitlines():
            assert len(line) <= 100, f"{notebook}: a line of {len(line)} characters: {line[:40]}"


def test_guide_05_starts_from_the_page_its_exercises_assume():
    defaults = {name: eval(p["default"]) for name, p in  # noqa: S307 (literals of our own notebook)
                papermill.inspect_notebook(str(NOTEBOOKS / "guide" / "05_bought_or_viral.ipynb")).items()
                if name in exercises.SCREENED_PAGE}
    assert defaults == {k: v for k, v in exercises.SCREENED_PAGE.items() if k in defaults}
    assert set(defaults) >= {"seed", "start", "days", "purchase_start", "purchase_days", "purchased_likes",
                             "origin_mix"}


@pytest.mark.slow
def test_guide_05_figures_say_simulated_and_the_viral_week_keeps_the_mix(fresh_build):
    figures = [f for f in read_manifest(fresh_build.figures)["figures"]
               if f["notebook"] == "guide/05_bought_or_viral.ipynb"]
    assert sorted(f["name"] for f in figures) == ["simulated_screen_country", "simulated_viral_week_mix"]
    for figure in figures:
        assert figure["title"].startswith("SIMULATED") and "Simulated data (synthetic" in figure["caption"]
        assert figure["alt"].startswith("Simulated")
    mix = pd.read_csv(fresh_build.figures / "guide" / "simulated_viral_week_mix.csv")
    # worked from the plotted numbers: each country's share of new fans against its share of all fans
    new_share = 100 * mix["new_fans"] / mix["new_fans"].sum()
    old_share = 100 * mix["fans_before"] / mix["fans_before"].sum()
    assert (new_share - old_share).abs().max() < 1


@pytest.mark.parametrize("notebook", sorted(p.name for p in (NOTEBOOKS / "guide").glob("[0-9][0-9]_*.ipynb")))
def test_exercises_are_numbered_within_each_guide(notebook):
    """A student opening any guide meets Exercise 1 first, and the answers' names follow the numbers."""
    cells = json.loads((NOTEBOOKS / "guide" / notebook).read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(cell["source"]) for cell in cells)
    numbers = [int(n) for n in re.findall(r"^## Exercise (\d+)$", text, flags=re.MULTILINE)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert sorted({int(n) for n in re.findall(r"\banswer_(\d+)\b", text)}) == numbers


def test_the_solutions_have_their_own_folder():
    assert not list((NOTEBOOKS / "guide").glob("*solution*.ipynb"))
    assert [p.name for p in (NOTEBOOKS / "guide" / "solutions").glob("*.ipynb")] == ["99_solutions.ipynb"]
