"""The import cache: an export's tidy table as Parquet, keyed by the export's content.

The key is the SHA-256 of the file's bytes, so any changed byte misses. The
bytes are hashed as the reader reads them (`HashingReader`): one pass over
a file of several gigabytes, not two. So that the key is known *before*
reading on a reload, the hash of each path is remembered together with the
file's identity (device, inode, size, modification and change times); any
write to a file changes its change time (which no program can set back), so
a remembered hash is never used for changed bytes. A copy of an export
under a new name is read once more, then remembered too.

Folder: build/cache/imports under the repository, or $LIKECHECK_CACHE.

A cache folder that cannot be written (permissions, a full disk, a read-only
file system) never stops an import: the export is read without the cache, and
one line on stderr says so, once per folder and process.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from ..paths import BUILD

CACHE_ENV = "LIKECHECK_CACHE"
#: Imports expected to take more than a few seconds (files above this size) show progress on stderr.
PROGRESS_BYTES = 200 * 2**20
HASH_CHUNK = 8 * 2**20
_METADATA_KEY = b"likecheck"


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or BUILD / "cache" / "imports")


_said_unwritable: set[str] = set()


def say_unwritable(err: OSError) -> None:
    """One line on stderr (once per folder): the cache cannot be written, so imports go without it."""
    folder = str(cache_dir())
    if folder in _said_unwritable:
        return
    _said_unwritable.add(folder)
    from ..errors import os_error_text
    print(f"note: {os_error_text(err, 'write the import cache', folder)}; reading the export without "
          f"the cache (set {CACHE_ENV} to a writable folder to keep later imports fast)",
          file=sys.stderr, flush=True)


def progress_bar(total_bytes: int, description: str) -> tqdm:
    """A byte-counting bar on stderr, shown only for files large enough to take a while."""
    return tqdm(total=total_bytes, desc=description, unit="B", unit_scale=True, unit_divisor=1024,
                file=sys.stderr, leave=False, disable=total_bytes < PROGRESS_BYTES)


def file_identity(path: Path) -> list[int]:
    st = Path(path).stat()
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _hash_memo(path: Path) -> Path:
    name = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()
    return cache_dir() / "hashes" / f"{name}.json"


def remembered_sha256(path) -> str | None:
    """The content hash of `path` from an earlier read, if the file is untouched since."""
    try:
        memo = json.loads(_hash_memo(path).read_text(encoding="utf-8"))
        return memo["sha256"] if memo["identity"] == file_identity(path) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember_sha256(path, identity: list[int], sha256: str) -> None:
    """Remember a hash computed while reading, unless the file changed during the read."""
    if file_identity(path) == identity:
        try:
            with _atomic_target(_hash_memo(path)) as tmp:
                tmp.write_text(json.dumps({"identity": identity, "sha256": sha256, "path": str(path)}),
                               encoding="utf-8")
        except OSError as err:
            say_unwritable(err)


class HashingReader:
    """A binary file for pyarrow to read: what passes through is hashed and shown on a progress bar."""

    def __init__(self, path, description: str):
        self.path = Path(path)
        self.identity = file_identity(self.path)
        self._file = open(self.path, "rb")
        self._digest = hashlib.sha256()
        self._bar = progress_bar(self.identity[2], description)

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self._digest.update(data)
        self._bar.update(len(data))
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False  # every byte must pass through read(), in order

    def tell(self) -> int:
        return self._file.tell()

    @property
    def closed(self) -> bool:
        return self._file.closed

    def close(self) -> None:
        self._bar.close()
        self._file.close()

    def sha256(self) -> str:
        """The hash of the whole file (reading whatever the reader left)."""
        while self.read(HASH_CHUNK):
            pass
        return self._digest.hexdigest()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def cache_file(sha256: str, recipe: str) -> Path:
    """Where the tidy table of a file with this content, made by this recipe, is kept."""
    return cache_dir() / f"{sha256}.{recipe}.parquet"


@contextmanager
def _atomic_target(path: Path):
    """A temporary path beside `path`, renamed over it when the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


class PendingStore:
    """A cache file written in the background and committed only when the table proved valid.

    The write (compression, disk) overlaps the validation of the same table;
    `commit` renames it into place, `discard` removes it.
    """

    def __init__(self, table: pa.Table, target: Path, metadata: dict):
        self.target = target
        self._tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        self._error: BaseException | None = None
        schema_metadata = {**(table.schema.metadata or {}), _METADATA_KEY: json.dumps(metadata).encode()}
        self._thread = threading.Thread(target=self._write, args=(table.replace_schema_metadata(schema_metadata),),
                                        daemon=True)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            self._error = err  # commit() says so; the import goes on without the cache
            return
        self._thread.start()

    def _write(self, table: pa.Table) -> None:
        try:
            pq.write_table(table, self._tmp, compression="snappy")
        except BaseException as err:  # reported by commit()
            self._error = err

    def commit(self) -> None:
        """Put the written file in place; a cache that cannot be written is said once, not raised."""
        self._join()
        if self._error is None:
            try:
                os.replace(self._tmp, self.target)
                return
            except OSError as err:
                self._error = err
        self.discard()
        if not isinstance(self._error, OSError):
            raise self._error
        say_unwritable(self._error)

    def discard(self) -> None:
        self._join()
        try:
            self._tmp.unlink(missing_ok=True)
        except OSError:
            pass

    def _join(self) -> None:
        if self._thread.is_alive() or self._thread.ident is not None:
            self._thread.join()


def load_table(target: Path) -> tuple[pa.Table, dict] | None:
    """The cached table and its metadata, or None (a missing or damaged cache file is a miss)."""
    try:
        if not target.is_file():
            return None
        table = pq.read_table(target)
        metadata = json.loads((table.schema.metadata or {})[_METADATA_KEY])
    except (OSError, pa.ArrowException, KeyError, ValueError):
        try:
            target.unlink(missing_ok=True)
        except OSError:
            pass
        return None
    return table, metadata
