"""Text from an export or a path, made safe for where it is shown.

Page names, post texts, column headers and file names are written by
strangers (a page's owner chooses its name), so wherever such a string
becomes Markdown, HTML or a figure's text it goes through one of these:

* `one_line`: every character that is not printable (a line break, a tab,
  an escape sequence, a Unicode line separator) is shown as its Python escape
  (``\\n``, ``\\x1b``, ``\\u2028``), so a file name cannot start a new line in a
  report or a message; printable text (Khmer included) is kept as it is.
* `markdown`: `one_line`, then HTML's special characters as entities (no tag,
  comment or entity of the string survives as markup) and Markdown's
  punctuation backslash-escaped (no emphasis, link, table cell, heading or
  `$...$` formula). The result renders as exactly the string's characters in
  CommonMark, GitHub, JupyterLab and nbconvert.
* `html`: `one_line`, then `html.escape` (quotes included).

* `figure_text`: every `$` escaped for matplotlib, which would otherwise
  draw the text between two dollars as a formula ("Win $5 or $10 Club" as
  "Win 5or10 Club") or fail on one it cannot parse ("Bad $\\foo{$ page").
  Decision: escaped where a string from the data enters a figure (titles and
  source lines in `outputs.save_figure`, labels in `plots`), not by turning
  mathtext off for every text: matplotlib's own log-axis tick labels are
  mathtext. The SVG writer escapes XML itself.
"""

from __future__ import annotations

import html as _html

#: The punctuation with a meaning inside a Markdown line: emphasis, code, links and images, table
#: cells, strikethrough, `$` formulas (JupyterLab, MathJax), email autolinks (and, in `markdown`,
#: the `:` of `http://` and the `.` of `www.`). Characters that only
#: mean something at the start of a line (`-`, `+`, `#`, `.`, `=`) or right after one of these
#: (`(` after `]`, `!` before `[`) are left as they are: these strings are only ever placed
#: inside a line, never at its start. `_` between two letters or digits is kept too (it never
#: starts emphasis there), so file names such as insights_2019-04.json read as typed.
_MARKDOWN_PUNCTUATION = frozenset("\\`*_[]|$~@")


def one_line(text) -> str:
    """The text with every non-printable character written as its escape (see the module docstring)."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def markdown(text) -> str:
    """The text as Markdown that renders as exactly its characters, on one line."""
    text = one_line(text)
    out = []
    for i, c in enumerate(text):
        if c == "&":
            out.append("&amp;")
        elif c == "<":
            out.append("&lt;")
        elif c == ">":
            out.append("&gt;")
        elif c == "_" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
            out.append(c)
        elif c in _MARKDOWN_PUNCTUATION or (c == ":" and text.startswith("//", i + 1)) \
                or (c == "." and text[max(0, i - 3):i].casefold() == "www"):  # http:// and www. autolinks
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out)


def html(text) -> str:
    """The text as HTML that shows exactly its characters, on one line."""
    return _html.escape(one_line(text), quote=True)


def figure_text(text) -> str:
    """The text as matplotlib draws it literally: each `$` escaped, so no part of it is mathtext."""
    return str(text).replace("$", "\\$")
