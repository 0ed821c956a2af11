"""Self-checks for the guided notebooks: say whether an answer is right, never what it is.

Each exercise's answer is computed from the published record, so a
correction to the data corrects the check too. `notebooks/guide/99_solutions.ipynb`
answers every exercise with `strict=True`; the tests execute it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import load, published


@dataclass(frozen=True)
class Exercise:
    question: str
    answer: Callable[[load.PublishedRecord], float]
    tolerance: float
    hint: str


def _v(record, oid):
    return published.value_of(record.observations, oid)


EXERCISES = {
    "kh_share_of_new_fans": Exercise(
        "What percentage of the page's new fans of 8-13 March 2016 were in Cambodia? (one decimal)",
        lambda r: 100 * _v(r, "O003") / _v(r, "O002"), 0.05,
        "divide the Cambodian new fans by all new fans in the same period, then times 100"),
    "rest_of_world_new_fans": Exercise(
        "How many of those new fans were neither in Cambodia nor in India?",
        lambda r: _v(r, "O002") - _v(r, "O003") - _v(r, "O004"), 0.5,
        "start from the total and take away the two countries the Post lists"),
    "implied_total_fans": Exercise(
        "India's 360,791 fans were 11.5% of the page's fans. How many fans did the page have? (nearest thousand)",
        lambda r: _v(r, "O005") / (_v(r, "O006") / 100), 500,
        "if 11.5% is 360,791, then 1% is 360,791 / 11.5"),
    "engagement_total_change_pct": Exercise(
        "By what percentage did interactions per 1,000 fans change from the week of 15 February to the week of 7 March? (negative for a fall, one decimal)",
        lambda r: 100 * (_v(r, "O013") / _v(r, "O010") - 1), 0.05,
        "(last week / first week - 1) x 100"),
}


def check(name: str, answer, *, strict: bool = False) -> bool:
    """Print whether `answer` is right (within the exercise's tolerance), and a hint if not."""
    exercise = EXERCISES[name]
    expected = exercise.answer(load.load_record())
    try:
        right = answer is not None and abs(float(answer) - expected) <= exercise.tolerance
    except (TypeError, ValueError):
        right = False
    if strict and not right:
        raise AssertionError(f"exercise {name}: the solution's answer is wrong")
    print(f"{name}: " + ("right." if right else
                         ("no answer yet." if answer is None else "not yet.") + f" Hint: {exercise.hint}."))
    return right
