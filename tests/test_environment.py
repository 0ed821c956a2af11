"""The lock file, environment.yml and pyproject.toml describe one environment."""

import importlib.util
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from write_environment_yml import environment_yml, locked_pins, requires_python  # noqa: E402


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_the_lock():
    lock = (ROOT / "requirements.lock").read_text()
    spec = requires_python((ROOT / "pyproject.toml").read_text())
    assert (ROOT / "environment.yml").read_text() == environment_yml(lock, spec), "run 'make lock'"


def test_every_declared_dependency_is_locked_exactly():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["dev"]
    locked = {_name(pin): pin for pin in locked_pins((ROOT / "requirements.lock").read_text())}
    for requirement in declared:
        assert _name(requirement) in locked, requirement
    for required in ("jupyterlab", "pandas", "matplotlib", "seaborn", "papermill"):
        assert required in locked


def test_installed_versions_are_the_locked_ones():
    from importlib.metadata import version
    locked = dict(pin.split("==") for pin in locked_pins((ROOT / "requirements.lock").read_text()))
    for name in ("pandas", "matplotlib", "papermill", "pandera", "seaborn", "jupyterlab"):
        assert version(name) == locked[name], name


def test_package_imports_from_the_venv_without_path_tricks():
    spec = importlib.util.find_spec("likecheck")
    assert spec is not None and Path(spec.origin).is_relative_to(ROOT / "lib")
    assert Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()


def test_datapackage_is_current():
    from likecheck.tools.cli import datapackage_text
    assert (ROOT / "data" / "datapackage.json").read_text() == datapackage_text(), "run 'make datapackage'"
