"""The bought-likes simulation: deterministic, labelled, and showing the dilution it models."""

import pandas as pd
import pytest

from likecheck.errors import ParameterError
from likecheck.schemas import FAN_COUNTS, POSTS
from likecheck.simulate import PAGE_NAME, SIMULATION_LABEL, simulate

# A small page that buys as many likes as it has genuine fans, so that the
# effect is large next to the week-to-week noise of a few posts a day.
SMALL_PAGE = dict(start="2016-01-04", days=140, initial_fans=100_000, organic_daily_new_fans=200,
                  organic_foreign_share=0.05, purchase_start="2016-02-29", purchase_days=28,
                  purchased_likes=150_000, origin_mix={"IN": 0.5, "PH": 0.3, "ZZ": 0.2},
                  posts_per_day=10, interactions_per_post_per_1000_organic_fans=10)
PURCHASE_START = pd.Timestamp(SMALL_PAGE["purchase_start"])
PURCHASE_END = PURCHASE_START + pd.Timedelta(days=SMALL_PAGE["purchase_days"] - 1)
FIRST_DAY = pd.Timestamp(SMALL_PAGE["start"])
LAST_DAY = FIRST_DAY + pd.Timedelta(days=SMALL_PAGE["days"] - 1)
ONE_DAY = pd.Timedelta(days=1)


def domestic_share_by_day(fan_counts: pd.DataFrame) -> pd.Series:
    fans = fan_counts.pivot(index="date", columns="country", values="fans").astype(float)
    return fans["KH"] / fans.sum(axis=1)


def weekly_interactions_per_1000_fans(posts: pd.DataFrame) -> pd.Series:
    """Sum over each Monday-Sunday week (UTC) of interactions / fans_at_posting * 1000."""
    per_post = posts["interactions"].astype(float) / posts["fans_at_posting"].astype(float) * 1000
    week = posts["posted_at"].dt.tz_convert(None).dt.to_period("W-SUN")
    return per_post.groupby(week).sum()


def whole_weeks_within(weekly: pd.Series, first: pd.Timestamp, last: pd.Timestamp) -> pd.Series:
    """Only weeks lying wholly between the two days, so no week is partly before and after."""
    keep = [w.start_time >= first and w.end_time <= last + ONE_DAY for w in weekly.index]
    return weekly[keep]


def test_same_parameters_give_identical_frames_and_the_seed_matters():
    first, again, other = simulate(seed=7, **SMALL_PAGE), simulate(seed=7, **SMALL_PAGE), simulate(seed=8, **SMALL_PAGE)
    pd.testing.assert_frame_equal(first.fan_counts, again.fan_counts)
    pd.testing.assert_frame_equal(first.posts, again.posts)
    assert first.parameters == again.parameters
    assert not first.posts["interactions"].equals(other.posts["interactions"])
    assert not first.fan_counts["fans"].equals(other.fan_counts["fans"])


def test_frames_are_in_the_import_formats_and_labelled_simulated():
    sim = simulate(seed=1, **SMALL_PAGE)
    assert list(sim.fan_counts.columns) == FAN_COUNTS.columns
    assert list(sim.posts.columns) == POSTS.columns
    assert set(sim.fan_counts["page"]) == set(sim.posts["page"]) == {PAGE_NAME}
    assert "SIMULATED" in PAGE_NAME and "synthetic" in PAGE_NAME
    assert "Simulated" in SIMULATION_LABEL and "not a real page" in SIMULATION_LABEL
    assert set(sim.fan_counts["country"]) == {"KH", "IN", "PH", "ZZ"}
    assert sim.posts["posted_at"].is_monotonic_increasing
    assert sim.parameters["origin_mix"] == SMALL_PAGE["origin_mix"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_domestic_share_falls_after_the_purchase_and_not_before(seed):
    share = domestic_share_by_day(simulate(seed=seed, **SMALL_PAGE).fan_counts)
    before = share[share.index < PURCHASE_START]
    assert before.max() - before.min() < 0.005  # organic growth keeps the mix
    assert share[PURCHASE_END] < before.iloc[-1] - 0.2
    assert share[share.index > PURCHASE_END].max() < before.min() - 0.2


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_interactions_per_1000_fans_per_week_fall_after_the_purchase(seed):
    weekly = weekly_interactions_per_1000_fans(simulate(seed=seed, **SMALL_PAGE).posts)
    before = whole_weeks_within(weekly, FIRST_DAY + ONE_DAY, PURCHASE_START - ONE_DAY)
    after = whole_weeks_within(weekly, PURCHASE_END + ONE_DAY, LAST_DAY)
    assert len(before) >= 6 and len(after) >= 5
    assert after.mean() < 0.7 * before.mean()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_purchase_means_no_dilution(seed):
    sim = simulate(seed=seed, **{**SMALL_PAGE, "purchased_likes": 0})
    weekly = weekly_interactions_per_1000_fans(sim.posts)
    before = whole_weeks_within(weekly, FIRST_DAY + ONE_DAY, PURCHASE_START - ONE_DAY)
    after = whole_weeks_within(weekly, PURCHASE_END + ONE_DAY, LAST_DAY)
    assert 0.85 < after.mean() / before.mean() < 1.15
    per_post = sim.posts["interactions"].astype(float) / sim.posts["fans_at_posting"].astype(float) * 1000
    posted_day = sim.posts["posted_at"].dt.tz_convert(None)
    per_post_before = per_post[posted_day < PURCHASE_START - ONE_DAY].mean()
    per_post_after = per_post[posted_day > PURCHASE_END + ONE_DAY].mean()
    assert 0.97 < per_post_after / per_post_before < 1.03
    fans = sim.fan_counts.pivot(index="date", columns="country", values="fans")
    assert (fans[["IN", "PH"]] == 0).all().all()
    share = domestic_share_by_day(sim.fan_counts)
    assert share.max() - share.min() < 0.005


def test_buying_adds_exactly_the_purchased_likes_and_changes_nothing_organic():
    bought = simulate(seed=5, **SMALL_PAGE).fan_counts
    organic = simulate(seed=5, **{**SMALL_PAGE, "purchased_likes": 0}).fan_counts
    kh = lambda frame: frame.loc[frame["country"] == "KH", "fans"].reset_index(drop=True)  # noqa: E731
    pd.testing.assert_series_equal(kh(bought), kh(organic))
    last = lambda frame: int(frame.loc[frame["date"] == LAST_DAY, "fans"].sum())  # noqa: E731
    assert last(bought) - last(organic) == SMALL_PAGE["purchased_likes"]


@pytest.mark.parametrize("name, value", [
    ("seed", -1), ("seed", 1.5), ("start", "2016/01/04"), ("start", "2016-02-30"), ("days", 0),
    ("initial_fans", 0), ("organic_daily_new_fans", -1), ("organic_foreign_share", 1.0),
    ("purchase_start", "2015-12-31"), ("purchase_days", 200), ("purchased_likes", -5),
    ("purchased_likes", True), ("origin_mix", {"KH": 1.0}), ("origin_mix", {"IN": 0.5}),
    ("origin_mix", {"XX": 1.0}), ("origin_mix", {}), ("origin_mix", {"IN": -0.5, "PH": 1.5}),
    ("posts_per_day", 0), ("posts_per_day", 1000),
    ("interactions_per_post_per_1000_organic_fans", float("nan")),
])
def test_bad_parameters_raise_one_line_naming_the_parameter(name, value):
    with pytest.raises(ParameterError) as caught:
        simulate(**{"seed": 1, **SMALL_PAGE, name: value})
    message = str(caught.value)
    assert message.startswith(name) and "\n" not in message
