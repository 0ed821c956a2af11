"""Write environment.yml from requirements.lock, so conda/Binder users get the same versions.

Run by `make lock`; tests/test_environment.py checks the two agree. The lock is universal
(one file for every supported Python and platform), so a pin may carry an environment
marker (`aiohttp==3.14.5 ; python_full_version == '3.12.*'`); it goes into environment.yml
as it is, and pip, which conda hands these lines to, evaluates it. The Python line is
pyproject.toml's requires-python, written the conda way.
"""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# name==version, then an optional `; marker`, then the line's `\` before the hashes.
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)(?:\s*;\s*([^\\]*?))?\s*\\?\s*$")


def locked_requirements(lock_text: str) -> list[tuple[str, str, str]]:
    """(name, version, marker) for each pin of the lock; marker is '' where it applies everywhere."""
    return [(m.group(1), m.group(2), m.group(3) or "") for line in lock_text.splitlines() if (m := PIN.match(line))]


def locked_pins(lock_text: str) -> list[str]:
    return [f"{name}=={version}" for name, version, _ in locked_requirements(lock_text)]


def requires_python(pyproject_text: str) -> str:
    return tomllib.loads(pyproject_text)["project"]["requires-python"]


def environment_yml(lock_text: str, python_spec: str) -> str:
    lines = []
    for name, version, marker in locked_requirements(lock_text):
        # Quoted: a marker holds quotes and spaces that a plain YAML scalar would not keep.
        lines.append(f'      - "{name}=={version} ; {marker}"' if marker else f"      - {name}=={version}")
    pins = "\n".join(lines)
    return (
        "# Generated from requirements.lock by scripts/write_environment_yml.py (make lock).\n"
        "# For conda and Binder: the same exact versions that `make` installs.\n"
        "name: likecheck\n"
        "channels:\n  - conda-forge\n"
        f"dependencies:\n  - python{python_spec}\n  - pip\n  - pip:\n"
        f"{pins}\n"
        "      - -e .\n"
    )


if __name__ == "__main__":
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    spec = requires_python((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (ROOT / "environment.yml").write_text(environment_yml(lock, spec), encoding="utf-8")
