"""Notebook hygiene: short lines, a documented `parameters` cell, no unused likecheck imports,
no Markdown that JupyterLab would typeset as maths.

Each check is a function that returns what it found wrong, tested first on small notebooks made
here (so a check that finds nothing cannot pass unnoticed), then run on every notebook.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import nbformat
import pytest
from papermill.translators import PythonTranslator

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").rglob("[0-9][0-9]_*.ipynb"))
MAX_LINE = 100


def code_cells(nb) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def long_lines(nb) -> list[str]:
    """'cell 3, line 2 (104 characters)' for every line of any cell over MAX_LINE characters."""
    return [f"cell {i}, line {n} ({len(line)} characters)"
            for i, cell in enumerate(nb.cells) for n, line in enumerate(cell.source.splitlines(), 1)
            if len(line) > MAX_LINE]


def parameter_problems(nb) -> list[str]:
    """The notebook has one `parameters` cell, and papermill reads a help text (the inline comment)
    for every name the cell assigns."""
    cells = [c for c in code_cells(nb) if "parameters" in c.metadata.get("tags", [])]
    if len(cells) != 1:
        return [f"{len(cells)} cells tagged 'parameters' (expected 1)"]
    source = cells[0].source
    assigned = [target.id for node in ast.parse(source).body
                for target in (node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)])
                if isinstance(target, ast.Name)]
    documented = {p.name for p in PythonTranslator.inspect(cells[0]) if p.help.strip()}
    return [f"parameter {name!r} has no inline comment" for name in assigned if name not in documented]


def imported_likecheck_names(tree: ast.AST) -> dict[str, str]:
    """Name bound in the notebook -> what it imports from likecheck."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "likecheck":
            names.update({(a.asname or a.name): f"{node.module}.{a.name}" for a in node.names})
        elif isinstance(node, ast.Import):
            names.update({(a.asname or a.name.split(".")[0]): a.name for a in node.names
                          if a.name.split(".")[0] == "likecheck"})
    return names


def unused_likecheck_imports(nb) -> list[str]:
    """likecheck imports that no code cell uses."""
    source = "\n".join(c.source for c in code_cells(nb) if not c.source.lstrip().startswith(("%", "!")))
    tree = ast.parse(source)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    return sorted(f"{what} (as {name})" for name, what in imported_likecheck_names(tree).items()
                  if name not in used)


# JupyterLab hands MathJax whatever lies between two unescaped dollar signs in one paragraph
# ($...$ or $$...$$), and \\(...\\) or \\[...\\] (its renderers' removeMath); code spans and
# fenced code are left alone. So "'about $2,500' ... 'about $3,750'" becomes an italic formula;
# written \\$2,500 it stays text, in Lab and in nbconvert's HTML alike.
_FENCED = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+).+?\1", re.DOTALL)
_DOLLAR = re.compile(r"(?<!\\)\$")
_TEX_DELIMITER = re.compile(r"(?<!\\)\\[(\[]")


def typeset_as_maths(nb) -> list[str]:
    """'cell 12: $2,500' ... for every Markdown paragraph Lab would typeset as maths, with its start."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        text = _CODE_SPAN.sub("", _FENCED.sub("", cell.source))
        for paragraph in re.split(r"\n\s*\n", text):
            dollars = [m.start() for m in _DOLLAR.finditer(paragraph)]
            if len(dollars) >= 2:
                found.append(f"cell {i}: {paragraph[dollars[0]:dollars[0] + 30]!r}")
            elif _TEX_DELIMITER.search(paragraph):
                found.append(f"cell {i}: {_TEX_DELIMITER.search(paragraph).group()!r}")
    return found


def comment_lines(source: str) -> set[int]:
    """Line numbers that carry a comment (a check of the check: papermill's help is that comment)."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {t.start[0] for t in tokens if t.type == tokenize.COMMENT}


def notebook(*cells) -> nbformat.NotebookNode:
    """A notebook from ('md' | 'code' | 'parameters', source) pairs."""
    nb = nbformat.v4.new_notebook()
    for kind, source in cells:
        if kind == "md":
            nb.cells.append(nbformat.v4.new_markdown_cell(source))
        else:
            cell = nbformat.v4.new_code_cell(source)
            if kind == "parameters":
                cell.metadata["tags"] = ["parameters"]
            nb.cells.append(cell)
    return nb


# --- the checks, on notebooks made here -------------------------------------------------

def test_a_line_over_100_characters_is_found_in_code_and_markdown():
    nb = notebook(("md", "# Title\n" + "x" * 101), ("code", "a = 1\nb = '" + "y" * 95 + "'"))
    assert long_lines(nb) == ["cell 0, line 2 (101 characters)", "cell 1, line 2 (101 characters)"]
    assert long_lines(notebook(("code", "z" * 100))) == []


def test_every_parameter_needs_an_inline_comment():
    good = "start = '2016-01-04'  # first day\nseed: int = 2016  # random seed\n"
    bad = "start = '2016-01-04'  # first day\nseed = 2016\n# a comment on its own line is no help\n"
    assert comment_lines(bad) == {1, 3}
    assert parameter_problems(notebook(("parameters", good), ("code", "print(start)"))) == []
    assert parameter_problems(notebook(("parameters", bad))) == ["parameter 'seed' has no inline comment"]
    assert parameter_problems(notebook(("code", good))) == ["0 cells tagged 'parameters' (expected 1)"]


def test_unused_likecheck_imports_are_found_and_used_ones_are_not():
    nb = notebook(("code", "from likecheck import load, plots, style\nimport likecheck.metrics as m\n"
                           "import pandas as pd"),
                  ("code", "record = load.load_record()\nfig = plots.weekly_bars(record)"))
    assert unused_likecheck_imports(nb) == ["likecheck.metrics (as m)", "likecheck.style (as style)"]
    assert unused_likecheck_imports(notebook(("code", "from likecheck.style import cite\ncite(1, [])"))) == []


def test_markdown_that_lab_would_typeset_as_maths_is_found():
    nb = notebook(("md", "A fine of 'about $2,500' and\ncompensation of 'about $3,750'."),
                  ("md", "Escaped: 'about \\$2,500' and 'about \\$3,750'; in code: `$HOME` and `$PATH`."),
                  ("md", "One dollar sign, $5, alone in its paragraph.\n\nAnother: $6."),
                  ("md", "A formula: \\(x^2\\)"),
                  ("md", "```\necho $HOME $PATH\n```"))
    assert [line.split(":")[0] for line in typeset_as_maths(nb)] == ["cell 0", "cell 3"]
    assert typeset_as_maths(nb)[0].startswith("cell 0: \"$2,500' and")


# --- the project's notebooks -------------------------------------------------------------

@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.relative_to(ROOT / "notebooks").as_posix())
def project_notebook(request):
    return nbformat.read(request.param, as_version=4)


def test_no_line_over_100_characters(project_notebook):
    assert long_lines(project_notebook) == []


def test_every_parameter_is_documented_for_papermill_help(project_notebook):
    assert parameter_problems(project_notebook) == []


def test_no_unused_likecheck_imports(project_notebook):
    assert unused_likecheck_imports(project_notebook) == []


def test_no_markdown_is_typeset_as_maths(project_notebook):
    assert typeset_as_maths(project_notebook) == []
