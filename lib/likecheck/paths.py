"""Where things live in the repository, and where a notebook writes its figures."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
FIGURES = ROOT / "figures"
BUILD = ROOT / "build"


def notebook_output_dir(output_dir: str, notebook: str) -> Path:
    """The folder a notebook writes into.

    The build passes a staging folder; run by hand (empty parameter) a notebook
    writes under build/interactive/, so the published figures/ are only ever
    replaced by `make figures`, all at once.
    """
    path = Path(output_dir) if output_dir else BUILD / "interactive" / Path(notebook).stem
    path.mkdir(parents=True, exist_ok=True)
    return path
