"""style.credits: one place for a figure's caption, source line and source ids."""

import pandas as pd
import pytest

from likecheck import style
from likecheck.errors import ParameterError
from likecheck.simulate import SIMULATION_LABEL

SOURCES = pd.DataFrame({"source_id": ["bbc2016", "ppp2016"],
                        "publication": ["BBC Trending (BBC News)", "The Phnom Penh Post"],
                        "published_start": pd.to_datetime(["2016-03-14", "2016-03-14"]),
                        "published_end": pd.to_datetime(["2016-03-14", "2016-03-17"])})


def test_published_credits_cite_each_source_once_in_order():
    made = style.credits("New fans by origin.", sources=SOURCES, source_ids=["ppp2016", "bbc2016", "ppp2016"])
    assert made == {"caption": "New fans by origin.", "source_ids": ["ppp2016", "bbc2016"],
                    "source_line": "Source: The Phnom Penh Post, 14-17 Mar 2016; "
                                   "BBC Trending (BBC News), 14 Mar 2016"}


def test_simulated_credits_carry_the_label_and_the_seed_and_no_source():
    made = style.credits("Weekly sums.", seed=7)
    assert made == {"caption": f"{SIMULATION_LABEL}. Weekly sums.", "source_ids": [],
                    "source_line": f"Source: {SIMULATION_LABEL}; likecheck.simulate, seed 7"}
    with pytest.raises(ParameterError, match="cites no published source"):
        style.credits("x", seed=7, sources=SOURCES, source_ids=["bbc2016"])
    with pytest.raises(ParameterError, match="sources table"):
        style.credits("x")
