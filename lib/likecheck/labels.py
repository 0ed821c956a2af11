"""Names and credits: what a reader sees for an origin, a published source and a simulation.

Below the science that draws and the plots (evidence, simulate, style, plots
import it) and above the metrics: nothing from the metrics down imports it
(tests/test_layers.py), so a name changes here and nowhere else.

* `ORIGIN_LABEL`: the words for each origin of fans (KH, IN, ZZ, abroad);
* `SIMULATION_LABEL`: the words every simulated table, caption and figure carries;
* `country_name(code)`, `publication_name(sources, id)`: names, never codes or ids, on what a
  reader sees;
* `cite(sources, ids)`: the source line of published numbers; `credits(...)`:
  caption, source line and source ids of a figure, as `outputs.save_figure` takes them.
"""

from __future__ import annotations

import pandas as pd

from .dates import span_label
from .errors import ParameterError

ORIGIN_LABEL = {"KH": "Cambodia", "IN": "India", "ZZ": "Rest of world", "abroad": "Abroad"}
SIMULATION_LABEL = "Simulated data (synthetic, seeded): not a real page"


def place_name(code: str) -> str:
    """The words for an origin: ORIGIN_LABEL's, else the country's common name from ISO 3166 ('TH' -> 'Thailand')."""
    code = str(code)
    if code in ORIGIN_LABEL:
        return ORIGIN_LABEL[code]
    if code == "total":
        return "Page total"
    return country_name(code)  # one way to name a country (below)


def country_code(text: str, what: str = "HOME_COUNTRY") -> str:
    """A country as a user names it (a two-letter code like TH, or a name like Thailand) -> its code."""
    import pycountry
    given = " ".join(str(text).split())
    shown = given if given.isprintable() else repr(given)
    if given.upper() in ("ZZ", "XX"):
        raise ParameterError(f"{what}={shown}: a home is one country, not the rest of the world")
    try:
        return pycountry.countries.lookup(given).alpha_2
    except LookupError:
        raise ParameterError(f"{what}={shown}: not a country (give a two-letter code like KH or a name "
                             "like Cambodia)") from None


def cite(sources: pd.DataFrame, source_ids) -> str:
    """'Source: The Phnom Penh Post, 14-17 Mar 2016; BBC Trending (BBC News), 14 Mar 2016'."""
    parts = []
    by_id = sources.set_index("source_id")
    for sid in dict.fromkeys(source_ids):
        row = by_id.loc[sid]
        start, end = row["published_start"], row["published_end"]
        when = "" if pd.isna(start) else f", {span_label(start, end)}"
        parts.append(f"{row['publication']}{when}")
    return "Source: " + "; ".join(parts)


def credits(caption: str, *, sources: pd.DataFrame | None = None, source_ids=(),
            seed: int | None = None) -> dict:
    """The caption, source line and source ids that `outputs.save_figure` takes, made in one place.

    Published numbers: give `sources` (data/sources.csv) and the ids of the
    sources the figure plots; the source line cites each once, in order, and
    the same ids go into the manifest. A simulation: give its `seed`; the
    caption then opens with the SIMULATED label and the source line names the
    simulation and its seed, so a simulated figure can never pass as published.
    Use as ``outputs.save_figure(fig, ..., **style.credits(caption, ...))``.
    """
    if seed is not None:
        if sources is not None or list(source_ids):
            raise ParameterError("a simulated figure cites no published source")
        return {"caption": f"{SIMULATION_LABEL}. {caption}",
                "source_line": f"Source: {SIMULATION_LABEL}; likecheck.simulate, seed {seed}", "source_ids": []}
    if sources is None:
        raise ParameterError("give the sources table (published numbers) or the seed (a simulation)")
    ids = list(dict.fromkeys(source_ids))
    return {"caption": caption, "source_line": cite(sources, ids), "source_ids": ids}


# --- names, not codes ----------------------------------------------------------------------------

REST_OF_WORLD_CODE = "ZZ"
#: Countries whose names take "the" inside a sentence.
_WITH_ARTICLE = {"PH", "US", "GB", "NL", "AE", "CZ", "DO", "BS", "GM", "CF", "KM", "MV", "MH", "SB"}


def country_name(code, *, in_sentence: bool = False) -> str:
    """'IN' -> 'India', 'PH' -> 'Philippines' ('the Philippines' in a sentence), 'ZZ' -> 'Rest of world'.

    Common names where ISO 3166 has a formal one ('Viet Nam' -> 'Vietnam'); a code ISO does not know
    is returned as it is, so nothing is hidden.
    """
    import pycountry
    code = str(code)
    if code == REST_OF_WORLD_CODE:
        return "the rest of the world" if in_sentence else "Rest of world"
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    name = getattr(found, "common_name", None) or found.name
    return f"the {name}" if in_sentence and code in _WITH_ARTICLE else name


def publication_name(sources: pd.DataFrame, source_id) -> str:
    """'bbc2016' -> 'BBC Trending': the publication, without the parent outlet in brackets."""
    by_id = sources.set_index("source_id") if "source_id" in sources.columns else sources
    if source_id not in by_id.index:
        return str(source_id)
    return str(by_id.loc[source_id, "publication"]).split(" (")[0].strip()
