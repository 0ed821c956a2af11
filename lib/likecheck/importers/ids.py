"""Facebook ids that Excel damaged: never used to match or select a page.

Excel holds a number in 15 significant digits. A CrowdTangle download opened
and saved again in Excel (as .xlsx, or as a CSV made from that sheet) has its
"Facebook Id" column turned into numbers: a 16- or 17-digit id loses its last
digits (10006512345678901 -> 10006512345678900), and a column shown as
"1.00065E+14" and saved so keeps only what was shown (100065000000000). Ids
of different pages then become one: in one real file eight universities
share 100065000000000.

An id is taken as damaged when

* it is written in scientific notation ("1.00065E+14");
* it has more than 15 digits (as a number Excel cannot hold it; as text, its
  digits after the 15th are zeros);
* it has 15 or more digits ending in six zeros or more (what the display of
  a rounded id leaves; a real id ends so about once in a million); or
* the same id stands for several page names in the file.

A damaged id is dropped from the page's aliases (`PAGE=` cannot select by
it, and a message naming it lists the pages that share it); pages are then
told apart by name and user name. The import report lists every damaged id.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?[eE][+]?\d+$")
#: Excel's precision, in significant digits.
EXCEL_DIGITS = 15


def damage_of(text: str) -> str | None:
    """Why an id as written cannot be trusted, or None when nothing says so on its own."""
    text = str(text).strip()
    if _SCIENTIFIC.match(text):
        return "written in scientific notation"
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if not text.isdigit():
        return None
    if len(text) > EXCEL_DIGITS:
        return f"{len(text)} digits, more than Excel's {EXCEL_DIGITS}"
    if len(text) >= EXCEL_DIGITS and len(text) - len(text.rstrip("0")) >= 6:
        return "ends in six zeros or more, as Excel leaves a rounded id"
    return None


def id_text(value) -> str:
    """An id cell as text: an Excel number (float or int) without a '.0' or an exponent."""
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else repr(value)
    return "" if value is None else str(value).strip()


def split_aliases(pairs) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """(alias, page label) pairs -> (the aliases that name one page, the damaged ids and their pages).

    An alias that stands for several pages is damaged whatever it looks like
    (an id or user name shared by pages cannot select one of them).
    """
    pages: dict[str, set[str]] = {}
    for alias, page in pairs:
        if alias and page and alias != page:
            pages.setdefault(str(alias), set()).add(str(page))
    aliases, damaged = {}, {}
    for alias, named in pages.items():
        if len(named) > 1 or damage_of(alias):
            damaged[alias] = tuple(sorted(named))
        else:
            aliases[alias] = next(iter(named))
    return aliases, damaged


def damaged_note(damaged: dict[str, tuple[str, ...]]) -> list[str]:
    """Lines for the import report: each damaged id and the pages it was given for."""
    return [f"Facebook id {alias} is damaged ({damage_of(alias) or 'shared by several pages'}), not used to "
            f"match or select a page; it was given for: {', '.join(pages)}"
            for alias, pages in sorted(damaged.items())]


def names_told_apart(raw: pa.Table, page_column: str, user_column: str | None,
                     table: pa.Table) -> tuple[pa.Table, pa.Table]:
    """Pages of a CrowdTangle CSV that share a Page Name but not a User Name are different pages:
    each is labelled 'Name (user name)', in the tidy `table` (its first column the page) and in the
    `raw` one its aliases are read from.

    Not by Facebook Id, which Excel may have damaged. Costs a group-by of two dictionary
    columns; the labels are rebuilt only when some name is shared.
    """
    if user_column is None:
        return raw, table
    pairs = pa.table({"page": raw[page_column], "user": raw[user_column]}).unify_dictionaries()
    pairs = pairs.group_by(["page", "user"]).aggregate([]).filter(pc.is_valid(pc.field("user")))
    names = pairs["page"].to_pylist()
    shared = sorted({n for n in names if names.count(n) > 1})
    if not shared:
        return raw, table
    page, users = raw[page_column].cast(pa.string()), raw[user_column].cast(pa.string())
    joined = pc.binary_join_element_wise(page, pa.scalar(" ("), users, pa.scalar(")"), "")
    label = pc.if_else(pc.and_kleene(pc.is_in(page, value_set=pa.array(shared)), pc.is_valid(users)), joined, page)
    label = label.dictionary_encode().cast(table.schema.field(0).type)
    raw = raw.set_column(raw.schema.get_field_index(page_column), page_column, label)
    return raw, table.set_column(0, "page", label)
