"""The one place that protects a user's output folder (OUT) for `make rerun` and `make screen`.

A fact-checker's folder is their evidence, so the rules are strict:

- OUT is only ever replaced when it is provably a run's: it carries MARKER,
  a regular file (not a link) that lists every file the run wrote with its
  size and SHA-256, and every folder it made; and it holds nothing else.
  A file the run did not write (the user's notes, a nested run, a link), a
  file changed since, or a marker from an earlier version that lists no files
  means refusal with one line. Replacing removes exactly the listed files and
  folders. Any other existing folder, a file, a symbolic link, `.`, the
  repository, its data/lib/notebooks/tests/figures (or anything inside them),
  a folder that contains the repository, runs/ itself, a folder inside a run
  folder, the names runs stage in (`X.partial`, `.X.lock`, `.X.replaced`) and
  the DATA being read are refused with one line before anything is written.
- A relative OUT is relative to where the user typed the command (`cwd`).
- A run writes into a staging folder beside OUT (`OUT.partial`) and, only when
  everything succeeded, writes MARKER there and puts it in place: OUT (if any)
  is renamed to `.OUT.replaced`, the staging folder to OUT, then the old run's
  listed files are removed. On an error, Ctrl-C or SIGTERM the staging folder
  is removed.
- A run stopped without cleaning up (SIGKILL, a power cut) is recovered by the
  next run into the same OUT, which says what it did: a staging folder whose
  making the lock file recorded is removed; a finished one (its MARKER
  verifies) is put in place, since its run had succeeded; an earlier run left
  at `.OUT.replaced` is removed when OUT holds its successor and put back as
  OUT when nothing took its place. A completed run is never lost.
- Two runs into the same OUT at once: the second is refused with one line
  (decision: refusing is clearer than waiting, since the waiting run would only
  replace the first one's result with its own). The lock is an fcntl.flock on
  a hidden lock file beside OUT, so runs into different OUTs go on in parallel.
- OS errors a user can cause (a name part too long, no permission to remove
  an earlier run, a full disk) are one line naming the path and what to do.
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
import stat
import threading
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import FileSystemError, ParameterError, os_error_text  # noqa: F401 (ParameterError: the refusals)
from ..escape import one_line
from ..paths import ROOT
# What a run folder holds and the proof that it is a run's (its marker's listing) live in run_listing.
from .run_listing import (EXISTING_NOT_OURS, MARKER, RunContents, _listing, _marker_bytes, _refuse,
                          check_run, read_marker, remove_run)

#: The content every lock file a run makes beside OUT starts with (see _locked); a JSON line follows.
LOCK_SIGNATURE = b"likecheck run lock\n"
STAGING_SUFFIX = ".partial"
#: Repository folders a run never writes into (nor into anything inside them).
PROTECTED = ("data", "lib", "notebooks", "tests", "figures", "scripts", ".git", ".venv")
#: Where runs go by default; never itself an OUT (it holds every run).
RUNS = ROOT / "runs"
#: The longest name part most file systems allow (bytes); os.pathconf tells the real one.
NAME_MAX = 255
#: What a run adds to OUT's name for the folders beside it (the longest: '.OUT.replaced').
LONGEST_ADDITION = len(".") + len(".replaced")


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


def is_reserved_name(name: str) -> bool:
    """The names runs give the folders and files beside OUT: 'X.partial', '.X.lock', '.X.replaced'."""
    return name.endswith(STAGING_SUFFIX) or (name.startswith(".") and name.endswith((".lock", ".replaced")))


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return NAME_MAX


def _check_name_lengths(path: Path, label: str) -> None:
    """Every part of the path fits the file system, OUT's own name with room for '.X.replaced'."""
    limit = _name_max(_nearest_existing(path.parent))
    for part in path.parts[:-1]:
        if len(os.fsencode(part)) > limit:
            raise _refuse(label, f"the folder name {one_line(part[:40])}... is {len(os.fsencode(part))} bytes "
                                 f"long, more than the {limit} the file system allows; choose a shorter one")
    size = len(os.fsencode(path.name))
    if size + LONGEST_ADDITION > limit:
        raise _refuse(label, f"the folder name is {size} bytes long; a run needs it {limit - LONGEST_ADDITION} "
                             f"bytes at most (the file system allows {limit}, and a run keeps "
                             f"'.NAME.replaced' beside it); choose a shorter name")


def resolve_out(out: str | Path | None, *, default: Path, inputs: Sequence[Path], cwd: Path) -> Path:
    """OUT as the user meant it (relative to cwd, where they typed the command; symlinks resolved),
    or ParameterError (one line) when it must not be written: repository root, data/, lib/,
    notebooks/, tests/, figures/ or inside them, runs/ itself, inside a run folder, a name runs
    stage in, any of `inputs` (the DATA file/folder) or inside them, a folder containing the
    repository, an existing file, a symlink, '.', an existing folder that is not provably a run's
    (see check_run), a name too long, an unwritable parent."""
    text = "" if out is None else str(out)
    given = text.strip() != ""
    label = (f"OUT={text}" if text.isprintable() else f"OUT={text!r}") if given else f"OUT (default {default})"
    if "\0" in text:
        raise _refuse(label, "a folder name cannot hold a NUL character")
    path = Path(cwd) / text if given else Path(default)
    _check_name_lengths(Path(os.path.abspath(path)), label)
    if given and (text.strip() in (".", "./") or _resolve(path, label) == _resolve(Path(cwd), "cwd")):
        raise _refuse(label, "that is the folder you are in; name a new folder for the run")
    if path.is_symlink():
        raise _refuse(label, "is a symbolic link; name the folder itself, or a new folder")
    resolved = _resolve(path, label)
    _check_name_lengths(resolved, label)
    root = ROOT.resolve()
    if resolved == root:
        raise _refuse(label, "is the repository itself; name a new folder, e.g. runs/my-check")
    for name in PROTECTED:
        if _within(resolved, root / name):
            raise _refuse(label, f"is inside the repository's {name}/, which a run never writes; "
                                 "name a new folder, e.g. runs/my-check")
    if resolved == RUNS.resolve():
        raise _refuse(label, "is runs/ itself, which holds every run; name a folder inside it, e.g. runs/my-check")
    if resolved in root.parents:
        raise _refuse(label, "contains the repository; name a new folder")
    for given_input in inputs:
        data = _resolve(Path(given_input), f"DATA={given_input}")
        if _within(resolved, data):
            raise _refuse(label, f"is the DATA being read ({given_input}) or inside it; name another folder")
        if resolved in data.parents:
            raise _refuse(label, f"contains the DATA being read ({given_input}); name another folder")
    if is_reserved_name(resolved.name):
        raise _refuse(label, "names end in '.partial' (or are '.NAME.lock', '.NAME.replaced') only where a run "
                             "keeps its work beside its OUT; choose another name")
    for folder in resolved.parents:
        if is_reserved_name(folder.name) or os.path.lexists(folder / MARKER):
            raise _refuse(label, f"is inside {folder}, a run's folder, which a later run may replace; "
                                 "name a folder outside it")
    if os.path.lexists(resolved):
        if not resolved.is_dir():
            raise _refuse(label, "is an existing file, not a folder; name a new folder")
        check_run(resolved, label, verify=False)
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
        stat_ = path.stat()
        items.append(f"{path}|{stat_.st_size}|{stat_.st_mtime_ns}")
    return "\n".join(items)


def staging_path(out: Path) -> Path:
    return out.with_name(out.name + STAGING_SUFFIX)


def _lock_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.lock")


def _replaced_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.replaced")


# --- the lock, and what it records of a run in progress -----------------------------------------

class _Lock:
    """An open, flock'ed lock file beside OUT; its JSON line records the staging folder a run made."""

    def __init__(self, fd: int, record: dict, inherited: bool):
        #: inherited: the lock file was there, with our signature: a run into OUT was killed
        self.fd, self.record, self.inherited = fd, record, inherited

    def remember_staging(self, staging: Path) -> None:
        info = os.stat(staging)
        line = json.dumps({"staging": [info.st_dev, info.st_ino]}).encode() + b"\n"
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, LOCK_SIGNATURE + line, 0)

    def made_staging(self, staging: Path) -> bool:
        """Whether `staging` is the very folder a run holding this lock made (and was stopped in)."""
        try:
            info = os.lstat(staging)
        except OSError:
            return False
        return stat.S_ISDIR(info.st_mode) and self.record.get("staging") == [info.st_dev, info.st_ino]


@contextmanager
def _locked(out: Path, label: str) -> Iterator[_Lock]:
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
    record = {}
    if created:
        os.write(fd, LOCK_SIGNATURE)
    else:
        head = os.pread(fd, 4096, 0)
        if not head.startswith(LOCK_SIGNATURE):
            os.close(fd)
            raise _refuse(label, f"{lock} is in the way and was not made by a run; remove it yourself")
        try:
            record = json.loads(head[len(LOCK_SIGNATURE):].decode("utf-8") or "{}")
        except ValueError:
            record = {}
        record = record if isinstance(record, dict) else {}
    try:
        yield _Lock(fd, record, inherited=not created)
    finally:
        lock.unlink(missing_ok=True)  # still holding the lock, so no other run is between open and flock
        os.close(fd)


# --- recovery after a run that was stopped without cleaning up -----------------------------------

def _recover(out: Path, lock: _Lock, label: str, log) -> None:
    """Put right what a run into OUT left when it was killed (see the module docstring); say what."""
    staging, replaced = staging_path(out), _replaced_path(out)
    if os.path.lexists(staging):
        finished = read_marker(staging) if staging.is_dir() and not staging.is_symlink() else None
        if finished is not None:
            check_run(staging, label, verify=True)
            _move_into_place(staging, out, label, log)
            log(f"put {one_line(staging)} in place as {one_line(out)}: its run had finished but was stopped before it was "
                "moved there")
        elif lock.inherited and staging.is_dir() and not staging.is_symlink() and not any(staging.iterdir()):
            staging.rmdir()  # killed between making it and recording it: empty, so nothing is lost
            log(f"removed {one_line(staging)}, left empty by a run into {one_line(out)} that was stopped as it began")
        elif lock.made_staging(staging):
            try:
                shutil.rmtree(staging)
            except OSError as err:
                raise FileSystemError(os_error_text(err, "remove the unfinished run's folder", staging)) from None
            log(f"removed {one_line(staging)}, left by a run into {one_line(out)} that was stopped before it finished")
        else:
            raise _refuse(label, f"{one_line(staging)} exists and was not written by a rerun; remove it yourself")
    if os.path.lexists(replaced):
        if replaced.is_symlink() or not replaced.is_dir():
            raise _refuse(label, f"{one_line(replaced)} is in the way and was not made by a run; remove it yourself")
        if os.path.lexists(out):
            contents = check_run(replaced, label, verify=True, partial=True)
            _remove_replaced(contents, out)
            log(f"removed {one_line(replaced)}, the earlier run that {one_line(out)} replaced (the run that replaced it "
                "was stopped "
                "before it had removed it)")
        else:
            check_run(replaced, label, verify=True)
            replaced.rename(out)
            log(f"put {one_line(replaced)} back as {one_line(out)}: a run replacing it was stopped between its two renames")


def _remove_replaced(contents: RunContents, out: Path) -> None:
    try:
        remove_run(contents)
    except OSError as err:
        raise FileSystemError(
            f"{out} holds the new run, but the earlier run moved aside to {one_line(contents.folder)} could not be "
            f"fully removed ({os_error_text(err, 'remove')}); remove {one_line(contents.folder)} yourself") from None


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
    """Lock OUT (fcntl.flock; a second run into the same OUT is refused with one line), recover
    what a killed run into OUT left (saying what), yield a new staging folder; on success list
    every file it holds in MARKER and move it into place as OUT (replacing only a folder that is
    provably a run's, removing exactly its files); on any exception, KeyboardInterrupt or SIGTERM,
    remove the staging folder and re-raise (a KeyboardInterrupt, or Terminated for SIGTERM, then
    says "...; OUT not written"). Ctrl-C and SIGTERM wait during the two renames that put OUT in
    place, so OUT is always either the old run or the new one; a SIGKILL there is recovered by the
    next run (_recover).

    `out` is what resolve_out returned; `log` gets the lines about what recovery did.
    """
    from ..outputs import atomic_write_bytes  # here: outputs imports pandas, which resolve_out must not wait for
    out = Path(out)
    label = f"OUT={out}"
    staging = staging_path(out)
    created = _make_parents(out.parent, label)
    try:
        with _locked(out, label) as lock:
            _recover(out, lock, label, log)
            try:
                staging.mkdir()
            except OSError as err:  # a name too long once '.partial' is added, a full disk, ...
                raise _refuse(label, f"cannot create {staging} ({err.strerror})") from None
            try:
                lock.remember_staging(staging)
                with _sigterm_interrupts():
                    yield staging
                    files, folders = _listing(staging)
                    atomic_write_bytes(staging / MARKER, _marker_bytes(tool, params, files, folders))
            except KeyboardInterrupt as err:  # say what became of OUT, in the one line the CLI prints
                shutil.rmtree(staging, ignore_errors=True)
                raise type(err)(f"{str(err) or 'interrupted'}; {out} not written") from None
            except OSError as err:  # a full disk while listing or marking: one line, nothing left
                shutil.rmtree(staging, ignore_errors=True)
                raise FileSystemError(os_error_text(err, "write the run's files", err.filename or staging)) from None
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            # Ctrl-C or SIGTERM between the two renames would leave no OUT: they wait until it is in place
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
            try:
                _move_into_place(staging, out, label, log)
            except BaseException:
                if os.path.lexists(staging):  # not yet in place: the run's files go, OUT stays as it was
                    shutil.rmtree(staging, ignore_errors=True)
                raise
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    except BaseException:
        _remove_empty(created)
        raise


def _move_into_place(staging: Path, out: Path, label: str, log) -> None:
    """Rename the finished staging folder to OUT. An earlier run's OUT, checked again here under the
    lock (the folder may have changed while the notebooks ran), is renamed aside first and its
    listed files removed once the new run is in place."""
    try:
        if not os.path.lexists(out):
            staging.rename(out)
            return
        if out.is_symlink() or not out.is_dir():
            raise _refuse(label, EXISTING_NOT_OURS)
        found = check_run(out, label, verify=True)
        old = _replaced_path(out)
        out.rename(old)
        try:
            staging.rename(out)
        except OSError:
            old.rename(out)
            raise
    except OSError as err:
        raise FileSystemError(os_error_text(err, "put the run in place")) from None
    _remove_replaced(RunContents(old, found.files, found.folders), out)


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
