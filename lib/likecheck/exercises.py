"""Self-checks for the guided notebooks: say whether an answer is right, never what it is.

Each exercise's answer is computed from the published record (or from the
seeded simulation), so a correction to the data corrects the check too.
Three kinds of answer are checked:

- a number, right within the exercise's tolerance;
- an interval, a pair (low, high) whose ends are each right within the tolerance;
- a choice, one of the exercise's listed words (any case, spaces trimmed).

Guide 04's answers come from the claims ledger's own checks (`ledger`);
guide 05's from the screen (`screening`) run on its SIMULATED page
(`SCREENED_PAGE`, the defaults of the guide's parameters cell).

`check` prints one line and returns nothing, so a notebook cell shows the
message only. `is_right` and `feedback` give the outcome and the message
without printing, for the tests. `notebooks/guide/solutions/99_solutions.ipynb`
answers every exercise with ``strict=True``; the tests execute it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from . import ledger, load, published, screening, simulate

NUMBER, INTERVAL, CHOICE = "number", "interval", "choice"
VERDICTS = (ledger.CONSISTENT, ledger.INCONSISTENT, ledger.NOT_CHECKABLE)
NO_SIGNAL = "none"
#: Guide 05's SIMULATED page before the student changes anything: a page whose genuine fans are
#: mostly in Cambodia (some in India and the US) and which bought 400,000 likes over ten days.
SCREENED_PAGE = {"seed": 2016, "start": "2016-01-04", "days": 126, "organic_foreign_share": 0.1,
                 "organic_foreign_mix": {"IN": 0.3, "US": 0.2, "ZZ": 0.5},
                 "purchase_start": "2016-03-07", "purchase_days": 10, "purchased_likes": 400_000,
                 "origin_mix": {"IN": 0.6, "PH": 0.4}}
#: The viral week of guide 05: every country's new fans and every post's interactions x6 for 4 days.
VIRAL_WEEK = {"surge_start": "2016-03-07", "surge_days": 4, "surge_factor": 6.0}


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


def _printed(record, oid) -> tuple[float, float]:
    """The interval the ledger reads an observation's printed words as."""
    number = ledger.from_observation(published.row_of(record.observations, oid))
    return number.low, number.high


def _claim(record, claim_id) -> ledger.CheckResult:
    return ledger.results(record)[claim_id]


def signals_fired(base: dict, **changes) -> list[str]:
    """The signals the screen flags on the SIMULATED page `base` with `changes` made, in the screen's order."""
    sim = simulate.simulate(**{**base, **changes})
    found = screening.screen(sim.fan_counts, sim.posts)
    flagged = set(found.loc[found["flagged"], "signal"])
    return [signal for signal in screening.SIGNALS if signal in flagged]


def viral_week_mix(base: dict):
    """`screening.country_mix` of VIRAL_WEEK's days on the SIMULATED page `base` without a purchase:
    each country's share of the week's new fans against its share of all fans the day before."""
    sim = simulate.simulate(**{**base, "purchased_likes": 0, **VIRAL_WEEK})
    first = date.fromisoformat(VIRAL_WEEK["surge_start"])
    last = first + timedelta(days=VIRAL_WEEK["surge_days"] - 1)
    return screening.country_mix(sim.fan_counts, sim.parameters["page_name"], first.isoformat(),
                                 last.isoformat())


# --- what the guides show: numbers as people read them, figures in one call -------------------

def readable(value) -> str:
    """A number as people read it (`style.readable_number`): 3137313.04 -> '3,137,313'."""
    from .style import readable_number
    return readable_number(value)


def as_read(table):
    """A copy of `table` for reading: numbers as `readable` writes them, an interval (low, high) as
    '3,150,000 to 3,250,000'. For showing only; compute on the table itself."""
    def cell(value):
        if isinstance(value, tuple) and len(value) == 2:
            low, high = value
            if math.isinf(high):
                return f"more than {readable(low)}"
            return f"{readable(low)} to {readable(high)}"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return readable(value)
        return value
    return table.apply(lambda column: column.map(cell) if column.dtype == object or
                       column.dtype.kind in "if" else column)


def show_country_mix(mix, *, seed: int, output_dir, notebook: str) -> None:
    """Guide 3's figure of all fans by origin at the end of every third week (columns period, date,
    origin, fans, share_pct): drawn, titled with the domestic share's fall, credited as SIMULATED
    and saved in one call, so the guide shows the lesson, not the plumbing."""
    from . import outputs, plots, style
    domestic = mix[mix["origin"] == "KH"]["share_pct"]
    fig = plots.stacked_origin_bars(mix, value="fans",
                                    xlabel="share of all fans (%); labels give the counts")
    outputs.save_figure(
        fig, "simulated_country_mix", mix, output_dir=output_dir, notebook=notebook,
        title=f"SIMULATED: the domestic share falls from {domestic.iloc[0]:.0f}% "
              f"to {domestic.iloc[-1]:.0f}% as bought likes arrive",
        alt="Simulated stacked bars of fans by origin; domestic share "
            + ", ".join(f"{v:.0f}%" for v in domestic),
        **style.credits("Share of all fans by origin at the end of every third week "
                        "(labels are fans, not new fans).", seed=seed))


def show_weekly_engagement(weekly, before: float, after: float, *, seed: int, output_dir,
                           notebook: str) -> None:
    """Guide 3's figure of interactions per 1,000 fans a week (metrics.weekly_engagement_from_posts,
    its change column named change_pct), titled with the weekly means `before` and `after` the
    purchase, credited as SIMULATED and saved in one call."""
    from . import outputs, plots, style
    fig = plots.weekly_bars(weekly, posts="posts")
    outputs.save_figure(
        fig, "simulated_engagement", weekly, output_dir=output_dir, notebook=notebook,
        title=f"SIMULATED: {before:.0f} interactions per 1,000 fans a week before the purchase, "
              f"{after:.0f} after",
        alt="Simulated weekly bars: " + ", ".join(f"{v:.0f}" for v in weekly["interactions_per_1000_fans"]),
        **style.credits("Weekly sum over posts of interactions / fans at posting x 1,000; "
                        "posts per week on each bar.", seed=seed))


def show_country_screen(daily, periods, country: str, *, seed: int, output_dir, notebook: str) -> None:
    """Guide 5's figure of one country's new fans a day against the screen's expectation: drawn,
    titled, credited as SIMULATED and saved, so the guide shows the lesson, not the plumbing."""
    from . import outputs, plots, style
    name = style.country_name(country, in_sentence=True)
    fig = plots.flagged_series(daily.rename(columns={"new_fans": "value"}), periods,
                               ylabel=f"new fans a day,\n{name}")
    outputs.save_figure(
        fig, "simulated_screen_country", daily, output_dir=output_dir, notebook=notebook,
        title=f"SIMULATED: new fans a day in {name}, {style.plural(len(periods), 'flagged period')}",
        alt=f"Simulated line chart of daily new fans in {name}: peak {daily['new_fans'].max():,.0f} "
            f"a day against at most {daily['expected'].max():,.0f} expected.",
        **style.credits(f"New fans a day in {name} against the expectation from its share of the "
                        "page's growth over the 28 days before; shaded: flagged as a country surge.",
                        seed=seed))


def show_viral_week_mix(mix, *, seed: int, output_dir, notebook: str) -> None:
    """Guide 5's figure of the viral week's country mix against the fans before it, in one call."""
    from . import outputs, plots, style
    gap = (mix["new_fans_share_pct"] - mix["fans_share_pct"]).abs().max()
    outputs.save_figure(
        plots.mix_comparison(mix), "simulated_viral_week_mix", mix, output_dir=output_dir,
        notebook=notebook,
        title=f"SIMULATED: a viral week moves no country's share more than {gap:.1f} points",
        alt="Simulated paired bars per country: " + "; ".join(
            f"{style.country_name(r.country)} {r.new_fans_share_pct:.0f}% of new, "
            f"{r.fans_share_pct:.0f}% of all" for r in mix.itertuples()),
        **style.credits("A page without a purchase, viral for four days: each country's share of the "
                        "new fans of those days against its share of all fans the day before (the "
                        f"largest difference is {gap:.1f} percentage points).", seed=seed))


def _only_signal(**changes) -> str:
    """The one signal that fires (NO_SIGNAL if none); several are not an answer to a one-word question."""
    fired = signals_fired(SCREENED_PAGE, **changes)
    return fired[0] if len(fired) == 1 else (NO_SIGNAL if not fired else " and ".join(fired))


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
    "ten_million_riel_interval": Exercise(
        "What interval does '10 million riel' stand for? Answer (low, high) in riel.",
        lambda r: _printed(r, "O034"),
        "which digit did the writer print last? Half a unit of that digit either side", 0.5,
        kind=INTERVAL),
    "riel_conversion_verdict": Exercise(
        "Is 'about $2,500' for '10 million riel' consistent with the rate of the other conversion, "
        "'15 million riel' for 'about $3,750'?",
        lambda r: _claim(r, "C16").verdict,
        "divide 15 million riel by 3,750 for the rate, convert 10 million riel at it, and remember that "
        "every printed number is an interval", kind=CHOICE, choices=VERDICTS),
    "share_before_verdict": Exercise(
        "Predict before you compute: with 56.4% Cambodian after the week, the fans India's share "
        "implies, and 151,000 new fans of whom 34,069 Cambodian, is 'Cambodian fans were 57.6%' "
        "before the week consistent?",
        lambda r: _claim(r, "C06").verdict,
        "Cambodian fans before = 56.4% of the fans after - the Cambodian new fans; divide by the fans "
        "before the week", kind=CHOICE, choices=VERDICTS),
    "share_before_interval": Exercise(
        "Between which shares (%) can the Cambodian share before the week lie, given the rounding of "
        "every number it is computed from? Answer (low, high).",
        lambda r: (_claim(r, "C06").low, _claim(r, "C06").high),
        "ledger.share_before_gain gives it; pass the total as the interval implied_total gives, not "
        "one number", 0.02, kind=INTERVAL),
    "viral_week_signal": Exercise(
        "Take the purchase away (purchased_likes = 0) and add the viral week (VIRAL_WEEK). Which "
        "signal fires? Answer with a signal's name, or 'none'.",
        lambda r: _only_signal(purchased_likes=0, **VIRAL_WEEK),
        "a viral week lifts every country and every post's interactions together: compare each "
        "signal's baseline with what the week changes", kind=CHOICE,
        choices=(*screening.SIGNALS, NO_SIGNAL)),
    "small_purchase_signal_count": Exercise(
        "Cut the purchase to 20,000 likes. How many of the four signals still fire?",
        lambda r: len(signals_fired(SCREENED_PAGE, purchased_likes=20_000)),
        "which signals compare the bought likes with a country's own growth, and which with the "
        "page's whole fan base?", 0),
    "early_purchase_signal": Exercise(
        "Move the purchase to the simulation's second week (purchase_start = '2016-01-11'). Which one "
        "signal still fires?",
        lambda r: _only_signal(purchase_start="2016-01-11"),
        "three signals compare a day with the page's own recent weeks; how many weeks of its own "
        "history does the page have by then?", kind=CHOICE, choices=(*screening.SIGNALS, NO_SIGNAL)),
    "why_not_a_country_surge": Exercise(
        "Why is a page-wide viral surge not a country surge? Answer 'every country keeps its share', "
        "'the surge is too short' or 'the screen skips viral weeks'.",
        lambda r: "every country keeps its share",
        "compare the country mix of the viral week's new fans with the mix before it",
        kind=CHOICE, choices=("every country keeps its share", "the surge is too short",
                              "the screen skips viral weeks")),
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
