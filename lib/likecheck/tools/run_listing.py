"""What a run folder holds, and the proof that it is a run's: the marker that lists every file the run
wrote with its size and SHA-256 and every folder it made (outdir.py's rules, docs/security.md).

`check_run` tells whether a folder is provably a run's (and may be replaced), `remove_run` removes
exactly what its marker lists, and `_listing` / `_marker_bytes` write the marker of a finished run.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..errors import FileSystemError, ParameterError, os_error_text
from ..escape import one_line

MARKER = ".likecheck-run.json"
#: The marker's format: 2 lists every file with its size and SHA-256 (format 1 listed none).
MARKER_FORMAT = 2
#: A marker larger than this lists more files than any run writes: not ours.
MARKER_BYTES = 64 * 2**20
EXISTING_NOT_OURS = "the folder exists and was not written by a rerun; choose a new folder or remove it yourself"


def _refuse(label: str, problem: str) -> ParameterError:
    return ParameterError(f"{label}: {problem}")


# --- what a run folder holds, and the proof that it is a run's --------------------------------

@dataclass(frozen=True)
class RunContents:
    """A run folder as found: its files (relative POSIX paths) and folders, both as its marker lists."""
    folder: Path
    files: tuple[str, ...]
    folders: tuple[str, ...]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb", opener=lambda p, flags: os.open(p, flags | os.O_NOFOLLOW)) as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _walk(folder: Path) -> tuple[dict[str, os.stat_result], list[str], list[str]]:
    """Every entry below `folder`, not following links: files (with their lstat), folders, and
    anything else (links, FIFOs, sockets, devices), as relative POSIX paths."""
    files, folders, others = {}, [], []
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(folder / relative if relative else folder) as entries:
            for entry in entries:
                name = f"{relative}/{entry.name}" if relative else entry.name
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(info.st_mode):
                    folders.append(name)
                    pending.append(name)
                elif stat.S_ISREG(info.st_mode):
                    files[name] = info
                else:
                    others.append(name)
    return files, sorted(folders), sorted(others)


def _is_relative_name(name) -> bool:
    parts = name.split("/") if isinstance(name, str) else []
    return bool(parts) and "\0" not in name and all(p not in ("", ".", "..") for p in parts)


def read_marker(folder: Path) -> dict | None:
    """The marker of a folder when it is a regular file holding a run's listing (format 2), else None."""
    try:
        fd = os.open(folder / MARKER, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:  # missing, a symbolic link (ELOOP), unreadable
        return None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MARKER_BYTES:
            return None
        data = fh.read(MARKER_BYTES + 1)
    try:
        marker = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested without end
        return None
    if not isinstance(marker, dict) or marker.get("format") != MARKER_FORMAT or marker.get("complete") is not True:
        return None
    files, folders = marker.get("files"), marker.get("folders")
    if not isinstance(files, dict) or not isinstance(folders, list):
        return None
    for name, entry in files.items():
        if not (_is_relative_name(name) and isinstance(entry, dict) and isinstance(entry.get("bytes"), int)
                and isinstance(entry.get("sha256"), str) and re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])):
            return None
    if not all(_is_relative_name(name) for name in folders) or MARKER in files:
        return None
    return marker


def check_run(folder: Path, label: str, *, verify: bool, partial: bool = False) -> RunContents:
    """The contents of `folder` when it is provably a run's, else a ParameterError of one line.

    Provably a run's: MARKER is a regular file listing files and folders (format 2); every entry
    of the folder is listed (no file of the user's, no nested run, no link) and every listed file
    has its size (and with `verify`, its SHA-256). With `partial` (an earlier run being removed),
    listed files may be missing. The folders a removal must change are checked writable, so that
    an earlier run is never half removed for want of a permission.
    """
    shown = one_line(folder)
    marker = read_marker(folder)
    if marker is None:
        if not os.path.lexists(folder / MARKER):
            raise _refuse(label, EXISTING_NOT_OURS if not partial else
                          f"{shown} exists and was not written by a rerun; remove it yourself")
        raise _refuse(label, f"{shown}/{MARKER} is not a run's listing of its files (a link, damaged, or from "
                             "an earlier version of likecheck); nothing in the folder is provably a run's, so "
                             "it is not replaced: choose a new folder or remove it yourself")
    try:
        files, folders, others = _walk(folder)
    except OSError as err:
        raise _refuse(label, os_error_text(err, "look inside the earlier run")) from None
    listed, listed_folders = marker["files"], set(marker["folders"])
    for name in others:
        raise _refuse(label, f"{shown} holds {one_line(name)}, a link or special file no run writes; not "
                             "replacing it: move it out, or choose another OUT")
    for name in folders:
        if name not in listed_folders:
            raise _refuse(label, f"{shown} holds the folder {one_line(name)}, which its run did not make; not "
                                 "replacing it: move it out, or choose another OUT")
    for name, info in files.items():
        if name == MARKER:
            continue
        if name not in listed:
            raise _refuse(label, f"{shown} holds {one_line(name)}, which its run did not write; not replacing "
                                 "it: move your files out, or choose another OUT")
        if info.st_size != listed[name]["bytes"] or (verify and _sha256(folder / name) != listed[name]["sha256"]):
            raise _refuse(label, f"{shown}/{one_line(name)} was changed after its run wrote it; not replacing "
                                 "it: move it out, or choose another OUT")
    missing = [name for name in listed if name not in files]
    if missing and not partial:
        raise _refuse(label, f"{shown}/{one_line(missing[0])}, written by its run, is missing: the folder was "
                             "changed since; not replacing it: choose another OUT or remove it yourself")
    for name in ["", *folders]:
        place = folder / name if name else folder
        if not os.access(place, os.W_OK | os.X_OK):
            raise _refuse(label, f"cannot remove the earlier run's files in {one_line(place)} (no permission to "
                                 f"write there); make it writable (chmod -R u+w {shown}) or choose another OUT")
    for name in ["", *folders, *(n for n in files if n != MARKER), MARKER]:
        place = folder / name if name else folder
        if _undeletable_flags(place):
            raise _refuse(label, f"cannot remove the earlier run's {one_line(place)}: it is marked immutable or "
                                 f"append-only (lsattr); clear the flag (chattr -i -a) or choose another OUT")
    if not os.access(folder.parent, os.W_OK | os.X_OK):
        raise _refuse(label, f"cannot replace {shown}: no permission to write in {one_line(folder.parent)}")
    return RunContents(folder, tuple(n for n in files if n != MARKER), tuple(folders))


#: Linux inode flags (FS_IOC_GETFLAGS) that stop a file from being removed, or a folder's entries.
_FS_IOC_GETFLAGS = 0x80086601
_IMMUTABLE_OR_APPEND_ONLY = 0x10 | 0x20


def _undeletable_flags(path: Path) -> bool:
    """Whether Linux marks `path` immutable or append-only (even root cannot remove it or, for a
    folder, its entries). False where the system or file system keeps no such flags."""
    if not hasattr(os, "O_NOFOLLOW") or os.uname().sysname != "Linux":
        return False
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        flags = fcntl.ioctl(fd, _FS_IOC_GETFLAGS, b"\0" * 8)
        return bool(int.from_bytes(flags[:4], "little") & _IMMUTABLE_OR_APPEND_ONLY)
    except OSError:
        return False
    finally:
        os.close(fd)


def remove_run(contents: RunContents) -> None:
    """Remove exactly what a run wrote (as check_run found it): its files, its marker, its folders
    (deepest first, each only when empty), the folder itself. OSError when the system refuses."""
    folder = contents.folder
    for name in contents.files:
        (folder / name).unlink(missing_ok=True)
    (folder / MARKER).unlink(missing_ok=True)
    for name in sorted(contents.folders, key=lambda n: n.count("/"), reverse=True):
        (folder / name).rmdir()
    folder.rmdir()


def _listing(staging: Path) -> tuple[dict, list[str]]:
    """What a finished run wrote into its staging folder: each file's size and SHA-256, each folder."""
    files, folders, others = _walk(staging)
    if others:  # nothing a run writes; kept out of the listing, so the folder will never be replaced
        raise FileSystemError(f"{one_line(staging)}/{one_line(others[0])}: a link or special file appeared in "
                              "the run's folder while it ran; the run is not put in place")
    listed = {name: {"bytes": info.st_size, "sha256": _sha256(staging / name)}
              for name, info in sorted(files.items()) if name != MARKER}
    return listed, folders


def _marker_bytes(tool: str, params: Mapping[str, str], files: dict, folders: list[str]) -> bytes:
    marker = {"tool": tool, "format": MARKER_FORMAT, "parameters": dict(params), "complete": True,
              "written": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
              "note": "written by likecheck: a later run with the same OUT may replace this folder, removing "
                      "exactly the files and folders listed here, and only while nothing else is in it",
              "folders": folders, "files": files}
    # ASCII escapes keep a file name that is not UTF-8 (a lone surrogate) writable as JSON
    return (json.dumps(marker, indent=1) + "\n").encode("utf-8")
