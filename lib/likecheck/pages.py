"""Which page a reader means: the one page matcher of the library.

A page is named by its label (the name the data give it), or, in an export,
by an alias the import learnt (a user name or a Facebook id, `aliases` maps
each to the label). Matching ignores case and the spaces around what was
typed. The importers (keeping one page of an import), the metrics (one page
of a table) and the command line (PAGE=) all ask this function.
"""

from __future__ import annotations


def matching_pages(wanted, labels, aliases: dict[str, str] | None = None) -> list[str]:
    """The labels among `labels` that `wanted` names, by label or by alias, sorted."""
    key = str(wanted).strip().casefold()
    labels = {str(label) for label in labels}
    found = {label for label in labels if label.casefold() == key}
    found |= {label for alias, label in (aliases or {}).items() if alias.casefold() == key and label in labels}
    return sorted(found)
