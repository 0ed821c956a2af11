"""JupyterLab on the project's own kernel, with every Jupyter file kept inside the repository.

Lab runs from the interpreter that runs this module (the project's venv, via
`make lab`), so its default kernel is the venv's own ``python3`` kernelspec in
``.venv/share/jupyter/kernels``: nothing is installed with
``ipykernel install --user``. The Jupyter and IPython folders (config,
data, runtime files with tokens, workspaces, kernel history, Lab's user
settings) point into ``build/jupyter/`` so that nothing is written to the home
folder.

Lab opens quietly: before it starts, the project's own Lab settings get
"fetch Jupyter news: never" and "check for updates: no", so a student is not
greeted by a pop-up asking about news, and Lab fetches nothing from the web.
The file is written only when missing, so a choice made later in Lab's
Settings Editor is kept.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..outputs import atomic_write_bytes
from ..paths import ROOT

JUPYTER_HOME = Path("build") / "jupyter"
#: Lab's notification settings for the project (schema: @jupyterlab/apputils-extension:notification).
NOTIFICATION_PLUGIN = "@jupyterlab/apputils-extension:notification"
QUIET_NOTIFICATIONS = {"fetchNews": "false", "checkForUpdates": False}


def jupyter_dirs(root: Path) -> dict[str, Path]:
    """The folders Jupyter and IPython would otherwise take from the home folder."""
    home = Path(root).resolve() / JUPYTER_HOME
    return {
        "JUPYTER_CONFIG_DIR": home / "config",
        "JUPYTER_DATA_DIR": home / "data",
        "JUPYTER_RUNTIME_DIR": home / "runtime",
        "IPYTHONDIR": home / "ipython",
        # Lab's default, named so that a JUPYTERLAB_SETTINGS_DIR in the user's environment is not used.
        "JUPYTERLAB_SETTINGS_DIR": home / "config" / "lab" / "user-settings",
    }


def settings_file(root: Path, plugin: str) -> Path:
    """Where Lab keeps the project's settings of `plugin` ('package:plugin-name')."""
    package, name = plugin.rsplit(":", 1)
    return jupyter_dirs(root)["JUPYTERLAB_SETTINGS_DIR"] / package / f"{name}.jupyterlab-settings"


def prepare(root: Path) -> None:
    """Make the Jupyter folders, and the quiet notification settings unless the student has some."""
    make_jupyter_dirs(root)
    quiet = settings_file(root, NOTIFICATION_PLUGIN)
    if not quiet.exists():
        atomic_write_bytes(quiet, (json.dumps(QUIET_NOTIFICATIONS, indent=2) + "\n").encode("utf-8"))


def lab_environment(root: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """`base` (default: this process's environment) with the Jupyter folders set for `root`.

    JUPYTER_PATH names only the venv's share/jupyter, so its kernelspec comes
    before any system-wide one of the same name.
    """
    env = dict(os.environ if base is None else base)
    env.update({name: str(path) for name, path in jupyter_dirs(root).items()})
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    return env


def make_jupyter_dirs(root: Path) -> dict[str, Path]:
    """Create the Jupyter folders; the runtime one (server and kernel tokens) is the user's alone.

    Jupyter writes its token files 0600 itself, but files written with the
    user's umask elsewhere would be readable by others in a 0755 runtime folder,
    and jupyter_core's own check wants 0700 there.
    """
    dirs = jupyter_dirs(root)
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    dirs["JUPYTER_RUNTIME_DIR"].chmod(0o700)
    return dirs


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(root: Path) -> list[str]:
    """The command that starts JupyterLab on root/notebooks without opening a browser."""
    command = [sys.executable, "-m", "jupyter", "lab",
               f"--notebook-dir={Path(root).resolve() / 'notebooks'}", "--no-browser"]
    if running_as_root():
        # Jupyter refuses to start as root without it (containers and CI run as root).
        command.append("--allow-root")
    return command


def server_info_file(root: Path, pid: int) -> Path:
    """The JSON (port, URL, token) Jupyter Server writes once it listens (jupyter_server's name)."""
    return jupyter_dirs(root)["JUPYTER_RUNTIME_DIR"] / f"jpserver-{pid}.json"


def browser_open_file(root: Path, pid: int) -> Path:
    """The page with the login token that Jupyter Server writes for a browser (jupyter_server's name)."""
    return jupyter_dirs(root)["JUPYTER_RUNTIME_DIR"] / f"jpserver-{pid}-open.html"


def start_lab(root: Path, extra_args: Sequence[str] = ()) -> subprocess.Popen:
    """Start JupyterLab (its folders and quiet settings prepared); its token page is made 0600 before the server writes into it.

    Jupyter Server writes jpserver-PID-open.html (the URL with the token) with a
    plain open(), so with the usual umask it would be 0644; it cannot be
    switched off from the command line. Opening an existing file for writing
    keeps its mode, so the file is created empty and private first (`python -m
    jupyter lab` execs the server in the same process, so the PID is known).
    """
    prepare(root)
    process = subprocess.Popen([*lab_command(root), *extra_args], env=lab_environment(root), cwd=root)
    page = browser_open_file(root, process.pid)
    fd = os.open(page, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    os.fchmod(fd, 0o600)
    os.close(fd)
    return process


def main(root: Path | None = None, extra_args: Sequence[str] = ()) -> int:
    """Run JupyterLab until it stops; `extra_args` go to `jupyter lab` (e.g. --port=8899)."""
    root = Path(root) if root is not None else ROOT
    process = start_lab(root, extra_args)
    try:
        while True:
            try:
                return process.wait()
            except KeyboardInterrupt:
                # The server received the same Ctrl-C and asks whether to shut down;
                # keep waiting so it can stop its kernels cleanly.
                continue
    finally:
        browser_open_file(root, process.pid).unlink(missing_ok=True)  # when the server could not
