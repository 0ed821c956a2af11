"""The one place that protects a user's output folder (OUT) for `make rerun` and `make screen`.

A fact-checker's folder is their evidence, so the rules are strict:

- OUT is only ever replaced when it carries MARKER, the small JSON file this
  module writes into every folder a run made (tool, parameters, time). Any
  other existing folder, a file, a symbolic link, `.`, the repository, its
  data/lib/notebooks/tests/figures (or anything inside them), a folder that
  contains the repository, and the DATA being read are refused with one line
  before anything is written.
- A relative OUT is relative to where the user typed the command (`cwd`).
- A run writes into a staging folder beside OUT (`OUT.partial`, which carries
  MARKER from its first moment) and renames it to OUT only when everything
  succeeded; on an error, Ctrl-C or SIGTERM the staging folder is removed.
  A staging folder a killed run (SIGKILL, power cut) left behind is removed by
  the next run into the same OUT, which says so.
- Two runs into the same OUT at once: the second is refused with one line
  (decision: refusing is clearer than waiting, since the waiting run would only
  replace the first one's result with its own). The lock is an fcntl.flock on
  a hidden lock file beside OUT, so runs into different OUTs go on in parallel.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import threading
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from ..errors import ParameterError
from ..paths import ROOT

MARKER = ".likecheck-run.json"
#: The content of every lock file a run makes beside OUT (see _locked).
LOCK_SIGNATURE = b"likecheck run lock\n"
#: Repository folders a run never writes into (nor into anything inside them).
PROTECTED = ("data", "lib", "notebooks", "tests", "figures", "scripts", ".git", ".venv")
EXISTING_NOT_OURS = "the folder exists and was not written by a rerun; choose a new folder or remove it yourself"


def _refuse(label: str, problem: str) -> ParameterError:
    return ParameterError(f"{label}: {problem}")


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _resolve(path: Path, label: str) -> Path:
    try:
        return path.resolve()
    except (RuntimeError, OSError) as err:  # a symlink loop (RuntimeError before Python 3.13)
        raise _refuse(label, f"cannot be resolved ({' '.join(str(err).split())})") from None


def _nearest_existing(path: Path) -> Path:
    while not os.path.lexists(path) and path != path.parent:
        path = path.parent
    return path


def resolve_out(out: str | Path | None, *, default: Path, inputs: Sequence[Path], cwd: Path) -> Path:
    """OUT as the user meant it (relative to cwd, where they typed the command; symlinks resolved),
    or ParameterError (one line) when it must not be written: repository root, data/, lib/,
    notebooks/, tests/, figures/ or inside them, any of `inputs` (the DATA file/folder) or inside them,
    a folder containing the repository, an existing file, a symlink, '.', an existing folder without
    MARKER, an unwritable parent."""
    text = "" if out is None else str(out)
    given = text.strip() != ""
    label = (f"OUT={text}" if text.isprintable() else f"OUT={text!r}") if given else f"OUT (default {default})"
    if "\0" in text:
        raise _refuse(label, "a folder name cannot hold a NUL character")
    path = Path(cwd) / text if given else Path(default)
    if given and (text.strip() in (".", "./") or _resolve(path, label) == _resolve(Path(cwd), "cwd")):
        raise _refuse(label, "that is the folder you are in; name a new folder for the run")
    if path.is_symlink():
        raise _refuse(label, "is a symbolic link; name the folder itself, or a new folder")
    resolved = _resolve(path, label)
    root = ROOT.resolve()
    if resolved == root:
        raise _refuse(label, "is the repository itself; name a new folder, e.g. runs/my-check")
    for name in PROTECTED:
        if _within(resolved, root / name):
            raise _refuse(label, f"is inside the repository's {name}/, which a run never writes; "
                                 "name a new folder, e.g. runs/my-check")
    if resolved in root.parents:
        raise _refuse(label, "contains the repository; name a new folder")
    for given_input in inputs:
        data = _resolve(Path(given_input), f"DATA={given_input}")
        if _within(resolved, data):
            raise _refuse(label, f"is the DATA being read ({given_input}) or inside it; name another folder")
        if resolved in data.parents:
            raise _refuse(label, f"contains the DATA being read ({given_input}); name another folder")
    if os.path.lexists(resolved):
        if not resolved.is_dir():
            raise _refuse(label, "is an existing file, not a folder; name a new folder")
        if not (resolved / MARKER).is_file():
            raise _refuse(label, EXISTING_NOT_OURS)
    ancestor = _nearest_existing(resolved.parent)
    if not ancestor.is_dir():
        raise _refuse(label, f"{ancestor} is not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise _refuse(label, f"cannot write in {ancestor} (read-only or immutable)")
    return resolved


def _ascii_words(text: str) -> str:
    """Letters, digits, '-', '_' and '.' only; accents folded, other scripts dropped."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "-", folded).strip("-.")


def default_out_name(kind: str, *parts: str, identity: str) -> str:
    """A readable ASCII name plus a short hash of the full parameters and the data's identity, so two
    Khmer page names never collide."""
    readable = "_".join(word for word in (_ascii_words(p) for p in (kind, *parts)) if word)[:80]
    digest = hashlib.sha256(json.dumps([kind, *parts, identity]).encode()).hexdigest()
    return f"{readable.strip('-._') or kind}-{digest[:10]}"


def data_identity(paths: Sequence[Path]) -> str:
    """What tells one DATA from another without reading it: each file's full path, size and time.

    Re-exporting a file (new size or time) therefore gets a new default OUT
    rather than replacing the run made from the earlier export.
    """
    items = []
    for path in sorted(Path(p).resolve() for p in paths):
        stat = path.stat()
        items.append(f"{path}|{stat.st_size}|{stat.st_mtime_ns}")
    return "\n".join(items)


def staging_path(out: Path) -> Path:
    return out.with_name(out.name + ".partial")


def _lock_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.lock")


def _replaced_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.replaced")


def _make_parents(folder: Path, label: str) -> list[Path]:
    """Create `folder` and its missing parents; return the ones created (deepest last)."""
    missing = []
    while not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        try:
            path.mkdir()
        except OSError as err:
            _remove_empty(reversed(missing[missing.index(path) + 1:]))
            raise _refuse(label, f"cannot create {path} ({err.strerror})") from None
    return list(reversed(missing))


def _remove_empty(folders) -> None:
    for path in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        try:
            path.rmdir()
        except OSError:
            pass


@contextmanager
def _locked(out: Path, label: str) -> Iterator[None]:
    """Hold an exclusive flock on OUT's lock file, or refuse at once when another run holds it."""
    lock = _lock_path(out)
    while True:
        created = True
        try:
            try:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            except FileExistsError:
                created = False
                fd = os.open(lock, os.O_RDWR | os.O_NOFOLLOW)
        except OSError as err:
            raise _refuse(label, f"cannot create the lock file {lock} ({err.strerror})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            os.close(fd)
            if err.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise _refuse(label, "another run is writing this folder now; wait for it to finish "
                                     "or choose another OUT") from None
            raise
        try:  # the run before us may have removed the file we opened: lock the current one
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    # A lock file we did not create is ours only if it carries our signature (a killed run's);
    # anything else by that name is the user's, and is neither used nor removed.
    if created:
        os.write(fd, LOCK_SIGNATURE)
    elif os.pread(fd, len(LOCK_SIGNATURE) + 1, 0) != LOCK_SIGNATURE:
        os.close(fd)
        raise _refuse(label, f"{lock} is in the way and was not made by a run; remove it yourself")
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)  # still holding the lock, so no other run is between open and flock
        os.close(fd)


def _remove_leftover(folder: Path, out: Path, label: str, log, *, unfinished_only: bool) -> None:
    """Remove what a killed run into OUT left: a folder carrying MARKER (for a staging folder, a
    MARKER that says the run never finished); refuse anything else, an empty folder included."""
    if not os.path.lexists(folder):
        return
    if folder.is_symlink() or not folder.is_dir():
        raise _refuse(label, f"{folder} is in the way and was not made by a run; remove it yourself")
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        marker = None
    if not isinstance(marker, dict) or (unfinished_only and marker.get("complete") is not False):
        raise _refuse(label, f"{folder} exists and was not written by a rerun; remove it yourself")
    shutil.rmtree(folder)
    log(f"removed {folder}, left by a run into {out} that was stopped before it finished")


def _marker_bytes(tool: str, params: Mapping[str, str], complete: bool) -> bytes:
    marker = {"tool": tool, "parameters": dict(params), "complete": complete,
              "written": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
              "note": "written by likecheck: a later run with the same OUT may replace this folder"}
    # ASCII escapes keep a file name that is not UTF-8 (a lone surrogate) writable as JSON
    return (json.dumps(marker, indent=2) + "\n").encode("utf-8")


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so that the staging folder is removed as after Ctrl-C."""


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise Terminated(f"{signal.Signals(signum).name} received")

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def staged_output(out: Path, *, tool: str, params: Mapping[str, str], log=print) -> Iterator[Path]:
    """Lock OUT's staging folder (fcntl.flock; a second run into the same OUT is refused with one line),
    remove a staging folder a killed run left (saying so), yield the staging folder; on success write
    MARKER and move it into place as OUT (replacing only a folder that carries MARKER); on any
    exception, KeyboardInterrupt or SIGTERM, remove the staging folder, re-raise (a KeyboardInterrupt,
    or Terminated for SIGTERM, then says "...; OUT not written"). Ctrl-C and SIGTERM wait during the
    two renames that put OUT in place, so OUT is always either the old run or the new one.

    `out` is what resolve_out returned; `log` gets the line about a removed leftover.
    """
    from ..outputs import atomic_write_bytes  # here: outputs imports pandas, which resolve_out must not wait for
    out = Path(out)
    label = f"OUT={out}"
    staging = staging_path(out)
    created = _make_parents(out.parent, label)
    try:
        with _locked(out, label):
            _remove_leftover(staging, out, label, log, unfinished_only=True)
            _remove_leftover(_replaced_path(out), out, label, log, unfinished_only=False)
            try:
                staging.mkdir()
            except OSError as err:  # a name too long once '.partial' is added, a full disk, ...
                raise _refuse(label, f"cannot create {staging} ({err.strerror})") from None
            try:
                with _sigterm_interrupts():
                    atomic_write_bytes(staging / MARKER, _marker_bytes(tool, params, complete=False))
                    yield staging
                    atomic_write_bytes(staging / MARKER, _marker_bytes(tool, params, complete=True))
            except KeyboardInterrupt as err:  # say what became of OUT, in the one line the CLI prints
                shutil.rmtree(staging, ignore_errors=True)
                raise type(err)(f"{str(err) or 'interrupted'}; {out} not written") from None
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            # Ctrl-C or SIGTERM between the two renames would leave no OUT: they wait until it is in place
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
            try:
                _move_into_place(staging, out, label)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    except BaseException:
        _remove_empty(created)
        raise


def _move_into_place(staging: Path, out: Path, label: str) -> None:
    """Rename the finished staging folder to OUT; an earlier run's OUT (with MARKER) is removed after."""
    if not os.path.lexists(out):
        staging.rename(out)
        return
    # checked again here, under the lock: the folder may have appeared while the notebooks ran
    if out.is_symlink() or not out.is_dir() or not (out / MARKER).is_file():
        raise _refuse(label, EXISTING_NOT_OURS)
    old = _replaced_path(out)
    out.rename(old)
    staging.rename(out)
    shutil.rmtree(old)
