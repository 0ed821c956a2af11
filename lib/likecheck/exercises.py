"""Self-checks for the guided notebooks: say whether an answer is right, never what it is.

Each exercise's answer is computed from the published record (or from the
seeded simulation), so a correction to the data corrects the check too.
Three kinds of answer are checked:

- a number, right within the exercise's tolerance;
- an interval, a pair (low, high) whose ends are each right within the tolerance;
- a choice, one of the exercise's listed words (any case, spaces trimmed).

`check` prints one line and returns nothing, so a notebook cell shows the
message only. `is_right` and `feedback` give the outcome and the message
without printing, for the tests. `notebooks/guide/99_solutions.ipynb`
answers every exercise with ``strict=True``; the tests execute it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from . import load, published

NUMBER, INTERVAL, CHOICE = "number", "interval", "choice"


@dataclass(frozen=True)
class Exercise:
    question: str
    answer: Callable[[load.PublishedRecord], object]
    hint: str
    tolerance: float = 0.0
    kind: str = NUMBER
    #: For a choice: every word the student may answer with (listing them all reveals nothing).
    choices: tuple[str, ...] = ()


def _v(record, oid):
    return published.value_of(record.observations, oid)


EXERCISES = {
    "kh_share_of_new_fans": Exercise(
        "What percentage of the page's new fans of 8-13 March 2016 were in Cambodia? (one decimal)",
        lambda r: 100 * _v(r, "O003") / _v(r, "O002"),
        "divide the Cambodian new fans by all new fans in the same period, then times 100", 0.05),
    "rest_of_world_new_fans": Exercise(
        "How many of those new fans were neither in Cambodia nor in India?",
        lambda r: _v(r, "O002") - _v(r, "O003") - _v(r, "O004"),
        "start from the total and take away the two countries the Post lists", 0.5),
    "implied_total_fans": Exercise(
        "India's 360,791 fans were 11.5% of the page's fans. How many fans did the page have? "
        "(nearest thousand)",
        lambda r: _v(r, "O005") / (_v(r, "O006") / 100),
        "if 11.5% is 360,791, then 1% is 360,791 / 11.5", 500),
    "engagement_total_change_pct": Exercise(
        "By what percentage did interactions per 1,000 fans change from the week of 15 February "
        "to the week of 7 March? (negative for a fall, one decimal)",
        lambda r: 100 * (_v(r, "O013") / _v(r, "O010") - 1),
        "(last week / first week - 1) x 100", 0.05),
    "posts_needed_for_the_fall_pct": Exercise(
        "If every post had earned the same interactions per 1,000 fans in both weeks, the week of "
        "7 March would have needed what percentage of the posts of the week of 15 February to sum "
        "to the Post's last weekly value? (one decimal)",
        lambda r: 100 * _v(r, "O013") / _v(r, "O010"),
        "the weekly sum is posts x interactions per post; with the same per-post value, the sums "
        "scale with the number of posts", 0.05),
    "what_weekly_sums_cannot_tell": Exercise(
        "The Post printed weekly sums only. Do they show whether each post earned less, or the page "
        "posted less? Answer 'each post earned less', 'the page posted less' or 'cannot tell'.",
        lambda r: "cannot tell",
        "write the week of 7 March as posts x mean per post: how many pairs give the same sum?",
        kind=CHOICE, choices=("each post earned less", "the page posted less", "cannot tell")),
}


def _number(value) -> float | None:
    """`value` as a finite float, or None if it is not a number."""
    if isinstance(value, (bool, str)):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _close(given, expected: float, tolerance: float) -> bool:
    number = _number(given)
    return number is not None and abs(number - expected) <= tolerance


def _pair(given) -> tuple | None:
    try:
        low, high = given
    except (TypeError, ValueError):
        return None
    return None if isinstance(given, str) else (low, high)


def _matches(exercise: Exercise, given, expected) -> bool:
    if exercise.kind == CHOICE:
        return isinstance(given, str) and given.strip().lower() == str(expected).lower()
    if exercise.kind == INTERVAL:
        pair = _pair(given)
        return pair is not None and all(_close(g, e, exercise.tolerance) for g, e in zip(pair, expected))
    return _close(given, float(expected), exercise.tolerance)


def is_right(name: str, answer) -> bool:
    """Whether `answer` is right for the exercise `name`; prints nothing."""
    exercise = EXERCISES[name]
    return answer is not None and _matches(exercise, answer, exercise.answer(load.load_record()))


def _wrong_form(exercise: Exercise, answer) -> str:
    """Why an answer cannot be judged, said without a hint at the value."""
    if exercise.kind == CHOICE and not (isinstance(answer, str)
                                        and answer.strip().lower() in exercise.choices):
        return " Answer with one of: " + ", ".join(f"'{c}'" for c in exercise.choices) + "."
    if exercise.kind == INTERVAL and (_pair(answer) is None or None in map(_number, _pair(answer))):
        return " Answer with two numbers in brackets: (low, high)."
    if exercise.kind == NUMBER and _number(answer) is None:
        return " Answer with a number (no quotes, no thousands separators)."
    return ""


def feedback(name: str, answer) -> str:
    """The line `check` prints: right, or not yet with the exercise's hint; never the answer."""
    exercise = EXERCISES[name]
    if is_right(name, answer):
        return f"{name}: right."
    hint = exercise.hint if exercise.hint.endswith(("?", ".")) else exercise.hint + "."
    if answer is None:
        return f"{name}: no answer yet. Hint: {hint}"
    return f"{name}: not yet.{_wrong_form(exercise, answer)} Hint: {hint}"


def check(name: str, answer, *, strict: bool = False) -> None:
    """Print whether `answer` is right, and a hint if not; return nothing, so a cell shows the line only.

    With `strict=True` (the solutions notebook) a wrong answer raises AssertionError.
    """
    if strict and not is_right(name, answer):
        raise AssertionError(f"exercise {name}: the solution's answer is wrong")
    print(feedback(name, answer))
