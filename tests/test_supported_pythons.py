"""The Pythons the project supports are declared once per file, and every file says the same.

The Makefile's PYTHON_MIN and PYTHON_MAX, pyproject.toml's requires-python, README, the
universal requirements.lock and environment.yml must agree; the lock must give one set of
packages on every supported Python; and `make` with any other Python says so in one line,
exit 2, before it installs anything. CI proves 3.11 (this machine) and 3.13 (a fresh Debian
13 root, .ci/fresh-root) for real; see docs/platforms.md.
"""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.markers import Marker, default_environment
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from write_environment_yml import locked_requirements  # noqa: E402

# What the project supports, typed here by hand: the files below must all say this.
SUPPORTED = ["3.11", "3.12", "3.13"]


def _makefile_variable(name: str) -> str:
    match = re.search(rf"^{name} := (\S+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert match, f"Makefile sets no {name}"
    return match.group(1)


def _lock() -> list[tuple[str, str, str]]:
    return locked_requirements((ROOT / "requirements.lock").read_text())


def test_makefile_declares_the_supported_range():
    assert (_makefile_variable("PYTHON_MIN"), _makefile_variable("PYTHON_MAX")) == ("3.11", "3.13")


def test_pyproject_requires_the_supported_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11,<3.14"


def test_readme_names_the_supported_range():
    ranges = re.findall(r"Python (3\.\d+) to (3\.\d+)", (ROOT / "README.md").read_text())
    assert ranges, "README names no 'Python 3.x to 3.y'"
    assert set(ranges) == {("3.11", "3.13")}


def test_environment_yml_asks_for_the_supported_range_and_the_locked_pins():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    dependencies = environment["dependencies"]
    assert "python>=3.11,<3.14" in dependencies
    pip = next(item["pip"] for item in dependencies if isinstance(item, dict))
    expected = [f"{name}=={version} ; {marker}" if marker else f"{name}=={version}" for name, version, marker in _lock()]
    assert pip == expected + ["-e ."]
    for line in pip[:-1]:
        Requirement(line)  # each line is one pip can read, marker and all


def test_lock_is_universal_from_the_oldest_supported_python():
    header = (ROOT / "requirements.lock").read_text().splitlines()[1]
    assert "--universal" in header and "--python-version 3.11" in header


def test_lock_has_one_version_of_each_package_for_every_python():
    # The figures must be the same bytes whichever supported Python builds them, so no
    # package may be locked at one version for one Python and another for another.
    names = [name for name, _, _ in _lock()]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


def _installed_on(python: str, platform: str) -> dict[str, str]:
    environment = default_environment() | {
        "python_version": python,
        "python_full_version": f"{python}.0",
        "sys_platform": platform,
        "platform_system": {"linux": "Linux", "darwin": "Darwin"}[platform],
        "os_name": "posix",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }
    return {name: version for name, version, marker in _lock() if not marker or Marker(marker).evaluate(environment)}


@pytest.mark.parametrize("platform", ["linux", "darwin"])
@pytest.mark.parametrize("python", SUPPORTED)
def test_lock_installs_every_dependency_and_their_python_only_needs(python, platform):
    installed = _installed_on(python, platform)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in map(Requirement, project["dependencies"] + project["optional-dependencies"]["dev"]):
        name = requirement.name.lower().replace("_", "-")
        assert name in installed, f"{name} not locked for Python {python} on {platform}"
        assert requirement.specifier.contains(installed[name]), f"{name}=={installed[name]} is not {requirement}"
    # papermill needs aiohttp on 3.12 alone (its own marker), and jupyter-server needs
    # overrides before 3.12: the lock carries both only where they are needed.
    assert ("aiohttp" in installed) == (python == "3.12")
    assert ("overrides" in installed) == (python == "3.11")
    assert "pywinpty" not in installed and "colorama" not in installed  # Windows only


# -- make with a Python the project does not support ----------------------------------------

def _fake_python(folder: Path, version: tuple[int, int]) -> Path:
    """A `python3` that reports `version` to whatever code make runs with it."""
    fake = folder / f"python{version[0]}.{version[1]}"
    fake.write_text(
        "#!/bin/sh\n"
        f'[ "$1" = -c ] || {{ echo "fake python: only -c" >&2; exit 99; }}\n'
        f'exec "{sys.executable}" -c "import sys; sys.version_info = ({version[0]}, {version[1]}, 0, \'final\', 0); exec(sys.argv[1])" "$2"\n'
    )
    fake.chmod(0o755)
    return fake


@pytest.fixture
def clone(tmp_path):
    """The files make reads for set-up, in a folder of their own (no .venv yet)."""
    folder = tmp_path / "clone"
    folder.mkdir()
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy(ROOT / name, folder / name)
    return folder


def _make(folder: Path, *arguments: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("MAKE", "MFLAGS"))}
    return subprocess.run(["make", *arguments], cwd=folder, env=environment, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("version", [(3, 10), (3, 9), (3, 14), (2, 7)])
def test_make_refuses_an_unsupported_python_in_one_line_before_installing(clone, tmp_path, version):
    fake = _fake_python(tmp_path, version)
    result = _make(clone, f"PYTHON={fake}")
    lines = (result.stdout + result.stderr).splitlines()
    assert result.returncode == 2
    assert len(lines) == 1, lines
    line = lines[0]
    assert "likecheck needs Python 3.11 to 3.13" in line
    assert f"is Python {version[0]}.{version[1]}" in line
    assert "uv python install 3.13" in line and "make PYTHON=python3.13" in line
    assert sorted(p.name for p in clone.iterdir()) == ["Makefile", "pyproject.toml", "requirements.lock"]


def test_make_names_a_python_that_is_not_there(clone, tmp_path):
    result = _make(clone, f"PYTHON={tmp_path / 'no-such-python'}")
    lines = (result.stdout + result.stderr).splitlines()
    assert result.returncode == 2 and len(lines) == 1, lines
    assert "no-such-python was not found" in lines[0] and "uv python install 3.13" in lines[0]
    assert not (clone / ".venv").exists()


@pytest.mark.parametrize("version", [(3, 11), (3, 12), (3, 13)])
def test_make_accepts_each_supported_python(clone, tmp_path, version):
    # -n: make expands the recipe that makes the venv (and so the check) but runs nothing.
    result = _make(clone, "-n", f"PYTHON={_fake_python(tmp_path, version)}", ".venv/bin/uv")
    assert result.returncode == 0, result.stderr
    assert "-m venv .venv" in result.stdout
    assert not (clone / ".venv").exists()
