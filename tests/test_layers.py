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


# ---------------------------------------------------------------- the floors of the science
#: Each science module's floor (docs/architecture.md): a module imports only from floors below
#: its own, or from its own package (screening/, importers/, ledger/). Data flow one way: files -> tidy
#: tables -> metrics -> figures; nothing reaches back up, so there is no loop.
FLOORS = {
    "likecheck.escape": 0,
    "likecheck.errors": 1, "likecheck.paths": 1,
    "likecheck.dates": 2, "likecheck.pages": 2, "likecheck.limits": 2,
    "likecheck.schemas": 3,
    "likecheck.load": 4, "likecheck.lists": 4,
    "likecheck.published": 5, "likecheck.importers": 5,
    "likecheck.metrics": 6, "likecheck.record": 6,
    "likecheck.labels": 7,
    "likecheck.evidence": 8, "likecheck.ledger": 8, "likecheck.simulate": 8, "likecheck.screening": 8,
    "likecheck.style": 9,
    "likecheck.plots": 10, "likecheck.outputs": 10,
    "likecheck.exercises": 11,
    "likecheck": 12, "likecheck.__init__": 12,
}


def unit_of(name: str) -> str | None:
    """The floor-holding unit of a dotted module name: a top module, or a package as a whole."""
    parts = name.split(".")
    if parts[0] != "likecheck":
        return None
    return ".".join(parts[:2]) if len(parts) > 1 else "likecheck"


def science_edges() -> list[tuple[str, str, Path]]:
    """(importing unit, imported unit, file) of every import between two units of the science."""
    edges = []
    for path in SCIENCE:
        parts = module_parts(path)
        own = unit_of(".".join(p for p in parts if p != "__init__"))
        for name in imported_modules(ast.parse(path.read_text(encoding="utf-8")), parts):
            other = unit_of(name)
            # `from . import metrics` names the package too: the package itself is no edge
            if other and other in FLOORS and other not in (own, "likecheck"):
                edges.append((own, other, path))
    return edges


def test_every_science_module_has_a_floor():
    units = {unit_of(".".join(p for p in module_parts(path) if p != "__init__")) for path in SCIENCE}
    assert not sorted(units - set(FLOORS)), "give the new module a floor in FLOORS and docs/architecture.md"


def test_the_science_imports_only_downwards():
    upward = [f"{path.relative_to(ROOT)}: {own} (floor {FLOORS[own]}) imports {other} (floor {FLOORS[other]})"
              for own, other, path in science_edges() if FLOORS[other] >= FLOORS[own]]
    assert not upward, "\n".join(upward)


def test_nothing_from_the_metrics_down_imports_names_credits_or_the_plots():
    below = {unit for unit, floor in FLOORS.items() if floor <= FLOORS["likecheck.metrics"]}
    wrong = [f"{path.relative_to(ROOT)} imports {other}" for own, other, path in science_edges()
             if own in below and other in {"likecheck.labels", "likecheck.style", "likecheck.plots"}]
    assert not wrong, "\n".join(wrong)


def test_no_import_loop_inside_a_package():
    """Inside screening/, importers/ and ledger/ the modules import each other without a loop."""
    for package in ("screening", "importers", "ledger"):
        folder = PACKAGE / package
        graph = {}
        for path in folder.glob("*.py"):
            parts = module_parts(path)
            names = imported_modules(ast.parse(path.read_text(encoding="utf-8")), parts)
            graph[path.stem] = {n.split(".")[2] for n in names
                                if n.startswith(f"likecheck.{package}.") and n.count(".") >= 2} - {path.stem}
        graph.pop("__init__", None)  # the package's front imports everything; nothing imports it back
        for deps in graph.values():
            deps.discard("__init__")
        done = set()

        def visit(node, trail):
            assert node not in trail, f"import loop in {package}/: {' -> '.join(trail + [node])}"
            if node in done:
                return
            for dep in graph.get(node, ()):
                visit(dep, trail + [node])
            done.add(node)

        for node in graph:
            visit(node, [])


def test_the_floor_check_catches_an_upward_import():
    """The detector turns an import of the metrics by an importer into an upward edge."""
    parts = ("likecheck", "importers", "report")
    names = imported_modules(ast.parse("from ..metrics import era_switch"), parts)
    units = {unit_of(n) for n in names}
    assert "likecheck.metrics" in units and FLOORS["likecheck.metrics"] >= FLOORS["likecheck.importers"]


def test_no_module_is_longer_than_500_lines():
    """Rooms of a size one can hold: every module of the package and of benchmarks/."""
    long = [f"{p.relative_to(ROOT)}: {n} lines" for p in sorted([*PACKAGE.rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")])
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500]
    assert not long, "\n".join(long)


def test_nothing_in_the_package_imports_the_benchmarks():
    """benchmarks/ lies outside the package: the science and the tools run without it."""
    found = [f"{p.relative_to(ROOT)}" for p in sorted(PACKAGE.rglob("*.py"))
             if any(n == "benchmarks" or n.startswith("benchmarks.")
                    for n in imported_modules(ast.parse(p.read_text(encoding="utf-8")), module_parts(p)))]
    assert not found, found
