import fcntl
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEEDS = ROOT.parent / "shared" / "seeds"


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


@contextmanager
def exclusive(lock_file: Path):
    """Hold an exclusive lock on `lock_file` (blocks until the holder lets go)."""
    with open(lock_file, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def fresh_build(tmp_path_factory) -> Build:
    """One clean build of every notebook for the whole run, never into the tracked figures/.

    Under pytest-xdist each worker has its own session, so the first worker to
    get here builds under a file lock in the folder all workers share, and the
    others wait for it and reuse the result. A build that failed is not reused:
    the next worker to ask tries again and reports the failure itself.
    """
    from likecheck.tools import runner
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # basetemp/popen-gwN -> basetemp, common to the workers
    build = Build(shared / "fresh-build")
    done = build.root / ".complete"
    with exclusive(shared / "fresh-build.lock"):
        if not done.is_file():
            shutil.rmtree(build.root, ignore_errors=True)
            build.root.mkdir(parents=True)
            for folder in ("data", "notebooks"):
                (build.root / folder).symlink_to(ROOT / folder, target_is_directory=True)
            runner.build(force=True, figures_dir=build.figures, build_dir=build.build, log=lambda m: None)
            done.touch()
    return build
