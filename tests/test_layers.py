"""The house: science modules never import the tools, and notebooks import only the science."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lib" / "likecheck"
SCIENCE = sorted(p for p in PACKAGE.rglob("*.py")
                 if "tools" not in p.relative_to(PACKAGE).parts and p.name != "__main__.py")


def imported_modules(tree: ast.AST, module_parts: tuple[str, ...]) -> set[str]:
    """Absolute dotted names of every module imported in `tree` (relative imports resolved)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module_parts[: len(module_parts) - node.level]
                prefix = ".".join(base + ((node.module,) if node.module else ()))
            else:
                prefix = node.module or ""
            names.add(prefix)
            names.update(f"{prefix}.{alias.name}" for alias in node.names)
    return names


def module_parts(path: Path) -> tuple[str, ...]:
    parts = ("likecheck",) + path.relative_to(PACKAGE).with_suffix("").parts
    return parts if path.name != "__init__.py" else parts[:-1] + ("__init__",)


def reaches_tools(names: set[str]) -> list[str]:
    return sorted(n for n in names if n == "likecheck.tools" or n.startswith("likecheck.tools."))


@pytest.mark.parametrize("path", SCIENCE, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_science_module_never_imports_tools(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not reaches_tools(imported_modules(tree, module_parts(path))), \
        f"{path.relative_to(ROOT)} imports from likecheck.tools; the science must not depend on the machinery"


NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT / "notebooks").as_posix())
def test_notebook_imports_only_the_science(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tree = ast.parse("\n".join(l for l in source.splitlines() if not l.lstrip().startswith(("%", "!"))))
        assert not reaches_tools(imported_modules(tree, ("notebook",))), \
            f"{path.relative_to(ROOT)} imports from likecheck.tools"


def test_the_check_itself_catches_a_tools_import():
    """The detector sees absolute, relative and package-level imports of the tools."""
    parts = ("likecheck", "metrics")
    for text in ("from .tools import runner", "from .tools.runner import build",
                 "import likecheck.tools.site", "from likecheck.tools import cli"):
        assert reaches_tools(imported_modules(ast.parse(text), parts)), text
    assert not reaches_tools(imported_modules(ast.parse("from . import published"), parts))
    deep = ("likecheck", "importers", "common")
    assert reaches_tools(imported_modules(ast.parse("from ..tools import rerun"), deep))
