"""Write environment.yml from requirements.lock, so conda/Binder users get the same versions.

Run by `make lock`; tests/test_environment.py checks the two agree.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)")


def locked_pins(lock_text: str) -> list[str]:
    return [f"{m.group(1)}=={m.group(2)}" for line in lock_text.splitlines() if (m := PIN.match(line))]


def environment_yml(lock_text: str) -> str:
    pins = "\n".join(f"      - {pin}" for pin in locked_pins(lock_text))
    return (
        "# Generated from requirements.lock by scripts/write_environment_yml.py (make lock).\n"
        "# For conda and Binder: the same exact versions that `make` installs.\n"
        "name: likecheck\n"
        "channels:\n  - conda-forge\n"
        "dependencies:\n  - python=3.11\n  - pip\n  - pip:\n"
        f"{pins}\n"
        "      - -e .\n"
    )


if __name__ == "__main__":
    text = environment_yml((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    (ROOT / "environment.yml").write_text(text, encoding="utf-8")
