"""Assertions and fixtures' machinery shared by the test modules."""

import fcntl
import hashlib
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path


def one_line_error(excinfo, *parts) -> str:
    """The error is one line and names every part given (file, line, column, problem)."""
    text = str(excinfo.value)
    assert "\n" not in text, text
    for part in parts:
        assert part in text, f"{part!r} not in {text!r}"
    return text


def run_cli(*argv, cwd=None):
    """`python -m likecheck ARGV` run in this process, as if typed in `cwd` (default: the repository).

    The command line's own entry point and its one-line errors, without paying a fresh
    interpreter's imports (about 4 s here) for each case; tests/test_run_folders.py
    still runs the real `make rerun` in a subprocess.
    """
    import contextlib
    import io
    import subprocess
    from pathlib import Path

    from likecheck.tools import cli

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd or Path(__file__).resolve().parents[1]), \
            contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = cli.main([str(a) for a in argv])
        except SystemExit as exit_:  # argparse's own usage errors
            code = exit_.code
    return subprocess.CompletedProcess(list(argv), code, stdout.getvalue(), stderr.getvalue())


@contextmanager
def exclusive(lock_file: Path):
    """Hold an exclusive lock on `lock_file` (blocks until the holder lets go)."""
    with open(lock_file, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def made_once(tmp_path_factory, name: str, make) -> Path:
    """The folder `name`, filled by `make(folder)` once for the whole run, and its path.

    Under pytest-xdist each worker has its own session (a session fixture would
    run once per worker), so the first worker to get here makes the folder under
    a file lock in the temporary folder all workers share, and the others wait
    for it and reuse it. A folder whose making failed is not reused: the next
    worker to ask tries again and reports the failure itself.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # basetemp/popen-gwN -> basetemp, common to the workers
    folder = shared / name
    done = folder / ".complete"
    with exclusive(shared / f"{name}.lock"):
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            make(folder)
            done.touch()
    return folder


def stop_process(process: subprocess.Popen) -> None:
    """Terminate a server a test started (kill it if it will not go within 30 s), and wait for it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tree_digest(path: Path) -> str:
    """Names, kinds, modes, link targets and bytes of everything under `path` (or of the file)."""
    digest = hashlib.sha256()
    path = Path(path)
    items = [path] + (sorted(path.rglob("*")) if path.is_dir() and not path.is_symlink() else [])
    for item in items:
        info = item.lstat()
        digest.update(f"{item.relative_to(path) if item != path else '.'}|{info.st_mode}\n".encode())
        if item.is_symlink():
            digest.update(os.readlink(item).encode())
        elif item.is_file():
            digest.update(item.read_bytes())
    return digest.hexdigest()


def run_main(capsys, monkeypatch, cwd: Path, *args: str) -> tuple[int, str]:
    """The CLI in-process, as typed in `cwd`: exit status and the stderr text."""
    from likecheck.tools import cli
    monkeypatch.setenv(cli.CWD_ENVIRONMENT, str(cwd))
    capsys.readouterr()
    status = cli.main(["rerun", *args])
    return status, capsys.readouterr().err


def assert_one_line(status: int, err: str, *parts: str) -> str:
    message = err.strip()
    assert status == 2, (status, err)
    assert "\n" not in message and message.startswith("error: "), message
    for part in parts:
        assert part in message, (part, message)
    return message


#: Why the checks against the articles' own text are skipped where that text is absent.
ARTICLES_ABSENT = ("optional, skipped: the five articles' own text is not in this checkout (the articles "
                   "are not redistributed: see DATA_LICENSE.md); with it, these tests check that every "
                   "number they print is in data/")
