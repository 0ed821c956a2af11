"""The one exception type the package raises for bad input.

Every message is a single line that names the file, the place in it (line or
key) and the column or field, then says what is wrong, so a fact-checker can
fix the input without reading a traceback.
"""

from __future__ import annotations

import errno
from pathlib import Path

from .escape import one_line


class LikecheckError(Exception):
    """Base class: anything the command line reports as one line and exit 2."""


class DataError(LikecheckError):
    """Bad input data: names file, line (or key), column, and the problem."""

    def __init__(self, file, problem: str, *, line: int | None = None,
                 column: str | None = None, key: str | None = None):
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        self.key = key
        self.problem = shortened(" ".join(str(problem).split()))  # always one line, and readable
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [one_line(display_path(self.file))] if self.file else []  # a file name may hold a line break
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.key is not None:
            where.append(f"key {self.key!r}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return ", ".join(where) + f": {self.problem}" if where else self.problem


#: A problem longer than this quotes a cell too long to read in a terminal: its middle is left out.
PROBLEM_CHARACTERS = 600


def shortened(text: str, limit: int = PROBLEM_CHARACTERS) -> str:
    if len(text) <= limit:
        return text
    keep = (limit - 40) // 2
    return f"{text[:keep]} …({len(text) - 2 * keep:,} characters left out)… {text[-keep:]}"


class ParameterError(LikecheckError):
    """A run parameter (dates, page, format) that cannot be used."""


class FileSystemError(LikecheckError):
    """An operating-system error a user can cause or fix (a full disk, a file-size limit, permissions,
    a name too long): one line naming the path, what could not be done, and what to do."""

    @classmethod
    def of(cls, err: OSError, doing: str, path=None) -> "FileSystemError":
        return cls(os_error_text(err, doing, path))


#: What a user can do about each OS error a run can meet.
_REMEDIES = {
    errno.ENOSPC: "the disk is full: free some space, or choose a folder on another disk",
    errno.EDQUOT: "your disk quota is used up: free some space, or choose a folder on another disk",
    errno.EFBIG: "the file is larger than the file-size limit (ulimit -f): raise the limit, or free a disk "
                 "that allows larger files",
    errno.EACCES: "you lack the permission: check the folder's permissions (ls -ld), or choose another folder",
    errno.EPERM: "the system does not allow it: check the permissions and flags (ls -ld, lsattr), or choose "
                 "another folder",
    errno.EROFS: "that file system is read-only: choose a folder on another one",
    errno.ENAMETOOLONG: "a folder or file name is too long (255 bytes at most): choose a shorter one",
    errno.ELOOP: "a symbolic link leads back to itself: name the folder itself",
    errno.ENOTDIR: "a part of the path is a file, not a folder: choose another path",
    errno.EISDIR: "that is a folder, not a file: name a file",
    errno.ENOENT: "it does not exist (any more): check the path",
    errno.EMFILE: "too many files are open at once: close other programs, or raise ulimit -n",
    errno.ENOMEM: "the machine is out of memory: close other programs, or use a smaller export",
    errno.EIO: "the disk reported an input/output error: check the disk",
}


def os_error_text(err: OSError, doing: str, path=None) -> str:
    """'PATH: cannot DOING (the system's words); what to do' on one line."""
    where = path if path is not None else (err.filename if err.filename is not None else "")
    reason = err.strerror or type(err).__name__
    remedy = _REMEDIES.get(err.errno, "check the path and try again")
    text = f"{one_line(display_path(where))}: " if str(where) else ""
    return f"{text}cannot {doing} ({reason}); {remedy}"


def display_path(path, cwd=None) -> str:
    """Show a path relative to the working directory (or `cwd`, where the user typed the command)
    when it lies below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path(cwd or Path.cwd()).resolve()))
    except ValueError:
        return str(p)
