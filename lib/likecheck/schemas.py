"""What each table holds: one specification per table, used three ways.

The same `TableSpec` builds the pandera schema that validates a loaded table,
the machine-readable Table Schema in ``data/datapackage.json`` and the column
lists in ``data/README.md`` checks; so the three cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandera.pandas as pa
import pycountry

#: The one code we add to ISO 3166-1 alpha-2: "ZZ" is the user-assigned code
#: for "rest of world / unspecified": every country not listed in its own row
#: for the same page, metric and period (for a 'from abroad' figure about a
#: Cambodian page that is every country except KH).
REST_OF_WORLD = "ZZ"
COUNTRY_CODES = frozenset(c.alpha_2 for c in pycountry.countries) | {REST_OF_WORLD}

QUALIFIERS = ("exact", "approximately", "about", "more than", "less than")
#: The page record's hedges (likecheck.record reads each as an interval); `passed`: a milestone.
RECORD_QUALIFIERS = ("exact", "about", "approximately", "more than", "nearly", "passed")
RECORD_PAGES = ("hun_sen", "sam_rainsy")
AUDIENCES = ("fans", "followers")
PAGES = ("hun_sen", "sam_rainsy", "david_cameron", "donald_trump")
PAGE_LABELS = {"hun_sen": "Hun Sen", "sam_rainsy": "Sam Rainsy",
               "david_cameron": "David Cameron", "donald_trump": "Donald Trump"}
PAGE_HOME_COUNTRY = {"hun_sen": "KH", "sam_rainsy": "KH",
                     "david_cameron": "GB", "donald_trump": "US"}
TIMINGS = ("as_of", "over", "undated")
METRICS = (
    "fans", "fans_share", "new_fans", "new_fans_share",
    "interactions_per_1000_fans", "consecutive_weekly_declines",
    "population_ratio_to_kh", "internet_penetration",
    "promotion_spending_per_day", "promotion_spending_per_year",
    "page_popularity_rank", "bought_likes_claimed",
    "lawsuit_compensation_sought", "fine", "compensation",
    "verdict_broadcast_duration", "prison_sentence", "report_length",
    "years_in_power", "party_years_in_power", "facebook_users_data_shared",
)
UNITS = ("count", "percent", "interactions per 1000 fans", "weeks", "ratio",
         "USD", "KHR", "USD per day", "USD per year", "rank", "days", "years",
         "pages", "persons")
INDICATORS = ("population", "internet_users_share", "internet_users",
              "social_media_active_share", "social_media_active_users",
              "internet_ever_used_share", "facebook_ever_used_share")
#: observations.date_basis: the one value it takes (empty otherwise).
ASSUMED = "assumed"
DATE_BASES = (ASSUMED,)
#: reference.rechecked: where we read the figure again ourselves.
RECHECKED = ("in the publication", "in a copy", "no")
#: Units whose values are counts of things and so must be whole numbers.
WHOLE_UNITS = frozenset({"count", "persons", "weeks", "rank", "days", "years", "pages"})


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # id | string | category | date | datetime | integer | number | country
    description: str
    required: bool = True
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    filename: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    #: Columns that together identify one observation; a repeat is an error.
    natural_key: tuple[str, ...] = ()
    foreign_keys: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


SOURCES = TableSpec(
    "sources", "sources.csv",
    "Every publication a number comes from: the five articles and the reference sources.",
    (
        Field("source_id", "id", "Short stable identifier used by every other table.", unique=True),
        Field("kind", "category", "article (one of the five seeds), reference, or record (a page of the "
              "page's wider published record, page_record.csv).", allowed=("article", "reference", "record")),
        Field("publication", "string", "Publication or organisation."),
        Field("headline", "string", "Headline or title, as published."),
        Field("author", "string", "Byline where the seed gives one.", required=False),
        Field("published_start", "date", "Earliest possible publication date.", required=False),
        Field("published_end", "date", "Latest possible publication date (equal to the start when the day is known).", required=False),
        Field("date_basis", "string", "How the publication date was established."),
        Field("seed_file", "string", "File name of the article's text in the collection of seed texts "
              "(not shipped; see DATA_LICENSE.md).", required=False),
        Field("url", "string", "Where the article or data set was published.", required=False),
    ),
    primary_key=("source_id",),
)

OBSERVATIONS = TableSpec(
    "observations", "observations.csv",
    "Every number the five articles state, one row per number per article.",
    (
        Field("observation_id", "id", "Stable row identifier.", unique=True),
        Field("source_id", "category", "The article that states the number (sources.source_id)."),
        Field("page", "category", "Facebook page the number is about; empty when it is about no page.", required=False, allowed=PAGES),
        Field("metric", "category", "What was measured; see the metric list in data/README.md.", allowed=METRICS),
        Field("timing", "category", "as_of: a level at a moment between date_start and date_end; over: a total over the whole span, both days included; undated: the article gives no date.", allowed=TIMINGS),
        Field("date_start", "date", "Start of the span (YYYY-MM-DD).", required=False),
        Field("date_end", "date", "End of the span (YYYY-MM-DD).", required=False),
        Field("country", "country", "ISO 3166-1 alpha-2 code, ZZ for rest of world / unspecified, empty for the page as a whole.", required=False),
        Field("value", "number", "The number as published, in `unit`.", minimum=0),
        Field("unit", "category", "Unit of `value`.", allowed=UNITS),
        Field("qualifier", "category", "The hedge printed with the number; exact means printed without one (it may still be rounded to the digits shown).", allowed=QUALIFIERS),
        Field("as_printed", "string", "The number exactly as printed, to find it in the seed."),
        Field("seed_line", "integer", "Line of the seed file where the number stands.", minimum=1),
        Field("note", "string", "What the number refers to, in our words.", required=False),
        Field("date_basis", "category", "assumed: date_start..date_end is our reading of a vague phrase "
              "('the previous month'), the exact dates were not published, and every figure and caption "
              "drawing the row says so; empty: the dates are printed, or bound the moment by the "
              "publication dates.", required=False, allowed=DATE_BASES),
    ),
    primary_key=("observation_id",),
    natural_key=("source_id", "page", "metric", "date_start", "date_end", "country", "unit"),
    foreign_keys={"source_id": "sources"},
)

EVENTS = TableSpec(
    "events", "events.csv",
    "Dated events the articles mention, for the timeline, and dates a claim is checked against.",
    (
        Field("event_id", "id", "Stable row identifier.", unique=True),
        Field("source_id", "category", "The article that mentions the event (sources.source_id)."),
        Field("date_start", "date", "Earliest possible date."),
        Field("date_end", "date", "Latest possible date."),
        Field("event", "string", "What happened, in our words."),
        Field("as_printed", "string", "The date as printed in the seed (or in the cited reference)."),
        Field("seed_line", "integer", "Line of the seed file; empty for an event dated by a reference source.",
              required=False, minimum=1),
        Field("note", "string", "How the date was established.", required=False),
    ),
    primary_key=("event_id",),
    foreign_keys={"source_id": "sources"},
)

REFERENCE = TableSpec(
    "reference", "reference.csv",
    "Population and internet-use figures for normalising, each with its source; disagreeing sources are all kept.",
    (
        Field("reference_id", "id", "Stable row identifier.", unique=True),
        Field("source_id", "category", "sources.source_id of the reference source."),
        Field("country", "country", "ISO 3166-1 alpha-2 code."),
        Field("indicator", "category", "What is measured.", allowed=INDICATORS),
        Field("year", "integer", "Year the figure is for.", minimum=1990, maximum=2030),
        Field("value", "number", "The figure as published.", minimum=0),
        Field("unit", "category", "persons or percent.", allowed=("persons", "percent")),
        Field("qualifier", "category", "Hedge, as for observations.", allowed=QUALIFIERS),
        Field("population_scope", "string", "Which people the figure covers (total, aged 15-65, ...)."),
        Field("rechecked", "category", "Where we read the figure again: 'in the publication' (the cited "
              "publication itself), 'in a copy' (a copy or repost of it, not the publication), 'no' "
              "(not re-checked).", allowed=RECHECKED),
        Field("verification", "string", "What we could confirm of the figure, where and when."),
        Field("note", "string", "Caveats, including flags on suspect values.", required=False),
    ),
    primary_key=("reference_id",),
    natural_key=("source_id", "country", "indicator", "year", "population_scope"),
    foreign_keys={"source_id": "sources"},
)

#: The kinds of check a claim can name (claims.csv `check`), each a function of
#: likecheck.ledger of the same name, with the inputs claims.csv gives it: the
#: required ones, then the optional ones. `claimed` may come from claimed_id.
CHECK_INPUTS = {
    "share_of_total": (("part", "total"), ("claimed",)),
    "implied_total": (("part", "share", "claimed"), ()),
    "rounding_interval": (("claimed", "computed"), ()),
    "cross_source_agreement": (("claimed", "others"), ()),
    "currency_conversion": (("amount", "rate", "claimed"), ()),
    "rate_over_time": (("rate", "claimed"), ()),
    "reference_comparison": (("claimed", "figures"), ()),
    "larger_than": (("larger", "smaller"), ()),
    "declines_in_a_row": (("claimed", "values"), ()),
    "share_before_gain": (("claimed", "after", "total_after", "gained", "gained_part"), ()),
    "share_after_gain": (("claimed", "before", "total_after", "gained", "gained_part"), ()),
    "time_since": (("since", "claimed"), ()),
    "dated_counts": (("claimed", "other", "before", "after"), ()),
    "not_checkable": (("claimed",), ()),
}
CHECKS = tuple(CHECK_INPUTS)
#: Inputs that take a list of numbers, and the one that takes a dated event (E...).
LIST_INPUTS = frozenset({"others", "figures", "values"})
EVENT_INPUTS = frozenset({"since"})

CLAIMS = TableSpec(
    "claims", "claims.csv",
    "Every claim of the five articles: the printed words, the numbers it rests on and the check that tests it.",
    (
        Field("claim_id", "id", "Stable identifier (C01...); the site links to ledger.html#claim-<claim_id>.", unique=True),
        Field("source_id", "category", "The article that makes the claim (sources.source_id)."),
        Field("claim", "string", "What the article claims, in our words."),
        Field("as_printed", "string", "A few of the article's words, as printed on seed_line, to find the claim."),
        Field("seed_line", "integer", "Line of the seed file where the words stand; empty for a claim of a "
              "record source (no seed), whose words are its claimed count's as_printed.", required=False,
              minimum=1),
        Field("claimed_id", "string", "The observation (O...) or record count (P...) whose number the claim "
              "states (its claimed_value); empty for a statement that prints no number of its own.",
              required=False),
        Field("observation_ids", "string", "Every observation (O...) or record count (P...) the claim rests "
              "on, separated by ';'."),
        Field("check", "category", "The check that tests the claim: a function of likecheck.ledger.", allowed=CHECKS),
        Field("inputs", "string", "The check's inputs as name=expression, separated by spaces; an expression "
              "is an id (O..., R..., E..., or C... for another claim's recomputed value) or ids joined by "
              "+ - /, or a list of ids joined by ','. A check's `claimed` input defaults to claimed_id.",
              required=False),
        Field("reason", "string", "Why a claim is not checkable, or what else the note should say, in our "
              "words (no digits).", required=False),
    ),
    primary_key=("claim_id",),
    foreign_keys={"source_id": "sources"},
)

PAGE_RECORD = TableSpec(
    "page_record", "page_record.csv",
    "The page's published record beyond the five articles: every printed count of Hun Sen's (and Sam "
    "Rainsy's) page, 2013-2023, with its words, hedge, date window and whether it was confirmed.",
    (
        Field("record_id", "id", "Stable row identifier (P001...).", unique=True),
        Field("source_id", "category", "The publication that printed the count (sources.source_id)."),
        Field("page", "category", "The page counted.", allowed=RECORD_PAGES),
        Field("audience", "category", "What the outlet's word counts: fans (page likes) or followers.",
              allowed=AUDIENCES),
        Field("date_start", "date", "First day the count may describe (Phnom Penh)."),
        Field("date_end", "date", "Last day the count may describe (equal to date_start when the day is printed)."),
        Field("time", "string", "The minute printed with the count (HH:MM, Phnom Penh), only when the day is known.",
              required=False),
        Field("value", "number", "The count as printed, in units.", minimum=0),
        Field("qualifier", "category", "The printed hedge: exact, about, approximately, more than, nearly, or "
              "passed (a milestone crossed within the window).", allowed=RECORD_QUALIFIERS),
        Field("as_printed", "string", "The number exactly as printed, hedge included."),
        Field("confirmed", "category", "yes: the number and its date words were read on the page (or a repost "
              "named in `confirmation`); no: they could not be, and the row is drawn but not used.",
              allowed=("yes", "no")),
        Field("confirmation", "string", "What the row was checked against, or why it could not be."),
        Field("note", "string", "What the count refers to, in our words.", required=False),
    ),
    primary_key=("record_id",),
    natural_key=("source_id", "page", "audience", "date_start", "date_end", "time", "value"),
    foreign_keys={"source_id": "sources"},
)

# The tidy tables that importers produce from a fact-checker's own exports
# (Graph API, Page Insights, CrowdTangle) and that a tidy CSV may hold directly.
FAN_COUNTS = TableSpec(
    "fan_counts", "fan_counts.csv",
    "Lifetime fans of a page by country at the end of a calendar day (the page's own time zone).",
    (
        Field("page", "string", "Page name or id."),
        Field("date", "date", "The day whose end the count describes."),
        Field("country", "country", "ISO 3166-1 alpha-2, or ZZ for fans outside the listed countries."),
        Field("fans", "integer", "Lifetime fans (page likes) from that country.", minimum=0),
    ),
    natural_key=("page", "date", "country"),
)

POSTS = TableSpec(
    "posts", "posts.csv",
    "One row per post, for engagement: interactions and the page's fans when it was posted.",
    (
        Field("page", "string", "Page name or id."),
        Field("post_id", "string", "Post identifier (or a row number when the export has none)."),
        Field("posted_at", "datetime", "When the post was published (ISO 8601)."),
        Field("interactions", "integer", "Reactions + comments + shares.", minimum=0),
        Field("fans_at_posting", "integer", "The page's fans (or followers) when the post was published; "
              "blank when the export does not give it (the post then counts in posts per week, "
              "not in engagement per 1000 fans).", required=False, minimum=1),
        Field("message", "string", "Post text, if any.", required=False),
    ),
    natural_key=("page", "post_id"),
)

#: The largest whole number an integer column (64-bit) can hold.
LARGEST_COUNT = 2**63 - 1
#: Years a date column can hold (pandas' nanosecond timestamps run from 1677-09-21 to 2262-04-11).
DATE_YEARS = range(1678, 2262)

PUBLISHED_TABLES = (SOURCES, OBSERVATIONS, EVENTS, REFERENCE, CLAIMS, PAGE_RECORD)
ALL_TABLES = PUBLISHED_TABLES + (FAN_COUNTS, POSTS)

_PANDAS_TYPE = {"id": str, "string": str, "category": "category", "date": "datetime64[ns]",
                "datetime": "datetime64[ns, UTC]", "integer": "Int64", "number": "float64",
                "country": "category"}


def pandera_schema(spec: TableSpec) -> pa.DataFrameSchema:
    """The pandera schema for a table that `load.read_table` has typed."""
    columns = {}
    for f in spec.fields:
        checks = []
        if f.allowed is not None:
            checks.append(pa.Check.isin(f.allowed, error=f"must be one of {', '.join(f.allowed)}"))
        if f.kind == "country":
            checks.append(pa.Check.isin(sorted(COUNTRY_CODES),
                                        error="is not an ISO 3166-1 alpha-2 country code (or ZZ)"))
        if f.minimum is not None:
            checks.append(pa.Check.ge(f.minimum, error=f"must be at least {f.minimum:g}"))
        if f.maximum is not None:
            checks.append(pa.Check.le(f.maximum, error=f"must be at most {f.maximum:g}"))
        columns[f.name] = pa.Column(_PANDAS_TYPE[f.kind], checks=checks, nullable=not f.required,
                                    unique=f.unique, coerce=False,
                                    report_duplicates="exclude_first")
    frame_checks = []
    names = set(spec.columns)
    if {"value", "unit"} <= names:
        frame_checks.append(pa.Check(lambda df: ~((df["unit"] == "percent") & (df["value"] > 100)),
                                     error="value: a share above 100%"))
        frame_checks.append(pa.Check(lambda df: ~(df["unit"].isin(WHOLE_UNITS) & (df["value"] % 1 != 0)),
                                     error="value: a count that is not a whole number"))
    if {"date_start", "date_end"} <= names:
        frame_checks.append(pa.Check(lambda df: ~(df["date_start"] > df["date_end"]),
                                     error="date_start: after date_end"))
    if "timing" in names:
        frame_checks.append(pa.Check(
            lambda df: (df["timing"] == "undated") == (df["date_start"].isna() & df["date_end"].isna()),
            error="timing: 'undated' rows, and only they, leave both dates empty"))
    if "time" in names:
        frame_checks.append(pa.Check(
            lambda df: df["time"].isna() | (df["time"].astype(str).str.fullmatch(r"([01]\d|2[0-3]):[0-5]\d")
                                            & (df["date_start"] == df["date_end"])),
            error="time: not HH:MM, or given where the day is not known (date_start differs from date_end)"))
    if {"published_start", "published_end"} <= names:
        frame_checks.append(pa.Check(lambda df: ~(df["published_start"] > df["published_end"]),
                                     error="published_start: after published_end"))
    return pa.DataFrameSchema(columns, checks=frame_checks, strict=True, ordered=False,
                              unique=list(spec.natural_key) or None,
                              report_duplicates="exclude_first", name=spec.name)


def table_schema(spec: TableSpec) -> dict:
    """The Frictionless Table Schema of a table (for data/datapackage.json)."""
    kinds = {"id": "string", "string": "string", "category": "string", "date": "date",
             "datetime": "datetime", "integer": "integer", "number": "number", "country": "string"}
    fields = []
    for f in spec.fields:
        entry = {"name": f.name, "type": kinds[f.kind], "description": f.description}
        constraints = {}
        if f.required:
            constraints["required"] = True
        if f.unique:
            constraints["unique"] = True
        if f.allowed is not None:
            constraints["enum"] = list(f.allowed)
        if f.kind == "country":
            constraints["pattern"] = "[A-Z]{2}"
        if f.minimum is not None:
            constraints["minimum"] = f.minimum
        if f.maximum is not None:
            constraints["maximum"] = f.maximum
        if constraints:
            entry["constraints"] = constraints
        fields.append(entry)
    schema: dict = {"fields": fields, "missingValues": [""]}
    if spec.primary_key:
        schema["primaryKey"] = list(spec.primary_key)
    if spec.foreign_keys:
        schema["foreignKeys"] = [{"fields": col, "reference": {"resource": res, "fields": col}}
                                 for col, res in spec.foreign_keys.items()]
    return schema


def datapackage() -> dict:
    """data/datapackage.json: the published tables and the import formats' tidy tables."""
    resources = []
    for spec in ALL_TABLES:
        published = spec in PUBLISHED_TABLES
        resources.append({
            "name": spec.name,
            "path": spec.filename if published else None,
            "description": spec.description + ("" if published else " (import format; no file ships)"),
            "format": "csv", "encoding": "utf-8",
            "schema": table_schema(spec),
        })
    for r in resources:
        if r["path"] is None:
            del r["path"]
    return {"name": "likecheck-published-record", "title": "Published numbers on Hun Sen's Facebook likes, 2013-2023",
            "licenses": [{"name": "see DATA_LICENSE.md"}], "resources": resources}
