import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import likecheck.tools  # noqa: F401  (first: it spares every worker jsonschema's URI-grammar import)
from helpers import made_once

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session", autouse=True)
def warm_kernels():
    """Notebooks in this run start on kernels forked from one warm process (tests/warm_kernels.py).

    A "python3" kernelspec first on JUPYTER_PATH sends papermill, the runner and
    `make rerun` subprocesses to it; JupyterLab in test_lab sets its own
    JUPYTER_PATH and keeps real kernels. LIKECHECK_TEST_KERNELS=fresh turns this off.
    """
    if os.environ.get("LIKECHECK_TEST_KERNELS") == "fresh":
        yield
        return
    import warm_kernels as warm
    # A short folder of its own: a unix socket's path has a 107-byte limit.
    folder = Path(tempfile.mkdtemp(prefix="likecheck-kernels-"))
    socket_path = str(folder / "server.sock")
    spec_dir = folder / "jupyter" / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps(warm.kernel_spec(socket_path)))
    server = subprocess.Popen([sys.executable, warm.__file__, "serve", socket_path],
                              stdin=subprocess.PIPE, cwd=folder)
    before = dict(os.environ)
    os.environ[warm.SPEC_FOLDER_VARIABLE] = str(folder / "jupyter")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(folder / "jupyter"),
                                                               before.get("JUPYTER_PATH")]))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(before)
        server.stdin.close()  # the server kills any kernel left and exits
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of data/ to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@dataclass(frozen=True)
class Build:
    """Every notebook executed once, into a repository-shaped folder outside the work tree."""
    root: Path  # holds figures/, build/ (executed notebooks, HTML) and links to data/ and notebooks/

    @property
    def figures(self) -> Path:
        return self.root / "figures"

    @property
    def build(self) -> Path:
        return self.root / "build"


@pytest.fixture(scope="session")
def fresh_build(tmp_path_factory) -> Build:
    """One clean build of every notebook for the whole run, never into the tracked figures/."""
    from likecheck.tools import build as figures_build

    def build_into(root: Path) -> None:
        for folder in ("data", "notebooks"):
            (root / folder).symlink_to(ROOT / folder, target_is_directory=True)
        figures_build.build(force=True, figures_dir=root / "figures", build_dir=root / "build", log=lambda m: None)

    return Build(made_once(tmp_path_factory, "fresh-build", build_into))


@pytest.fixture(scope="session")
def real_site_in_chromium(fresh_build, tmp_path_factory) -> dict:
    """The site of the suite's one build, opened once in headless Chromium for the whole run:
    browser.check_site_in_browser's report, with axe-core's findings when it is installed
    (test_site and test_accessibility read the same walk through the pages)."""
    from browser import AXE_JS, check_site_in_browser
    from likecheck.tools.site import build_site

    def browse(folder: Path) -> None:
        index = build_site(fresh_build.root, folder / "site")
        report = check_site_in_browser(index, folder / "site-screenshot.png", AXE_JS if AXE_JS.is_file() else None)
        (folder / "report.json").write_text(json.dumps(report), encoding="utf-8")

    return json.loads((made_once(tmp_path_factory, "real-site", browse) / "report.json").read_text(encoding="utf-8"))
