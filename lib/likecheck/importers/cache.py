"""The import cache: an export's tidy table as Parquet, keyed by the export's content.

The key is the SHA-256 of the file's bytes (read in chunks), so a renamed or
copied export still hits and any changed byte misses. Hashing gigabytes
takes seconds, so the hash of each path is remembered together with the
file's identity (device, inode, size, modification and change times): an
untouched file is not hashed again. Any write to a file changes its
change time (which no program can set back), so a remembered hash is never
used for changed bytes.

Folder: build/cache/imports under the repository, or $LIKECHECK_CACHE.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
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


def progress_bar(total_bytes: int, description: str) -> tqdm:
    """A byte-counting bar on stderr, shown only for files large enough to take a while."""
    return tqdm(total=total_bytes, desc=description, unit="B", unit_scale=True, unit_divisor=1024,
                file=sys.stderr, leave=False, disable=total_bytes < PROGRESS_BYTES)


def _identity(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _hash_memo(path: Path) -> Path:
    name = hashlib.sha256(str(path.resolve()).encode()).hexdigest()
    return cache_dir() / "hashes" / f"{name}.json"


def content_sha256(path) -> str:
    """SHA-256 of the file's bytes, read in chunks; remembered while the file is untouched."""
    path = Path(path)
    memo, identity = _hash_memo(path), _identity(path)
    try:
        remembered = json.loads(memo.read_text(encoding="utf-8"))
        if remembered["identity"] == identity:
            return remembered["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    digest = hashlib.sha256()
    with open(path, "rb") as fh, progress_bar(identity[2], f"hashing {path.name}") as bar:
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
            bar.update(len(chunk))
    sha = digest.hexdigest()
    if _identity(path) == identity:  # not written to while we read it
        with _atomic_target(memo) as tmp:
            tmp.write_text(json.dumps({"identity": identity, "sha256": sha, "path": str(path)}), encoding="utf-8")
    return sha


def cache_file(sha256: str, recipe: str) -> Path:
    """Where the tidy table of a file with this content, made by this recipe, is kept."""
    return cache_dir() / f"{sha256}.{recipe}.parquet"


@contextmanager
def _atomic_target(path: Path):
    """A temporary path beside `path`, renamed over it when the block succeeds.

    (tables.atomic_write_bytes needs the bytes in memory; Parquet of millions
    of posts is written straight to disk instead.)
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def store_table(table: pa.Table, target: Path, metadata: dict) -> None:
    """Write the table (with `metadata`, JSON) as Parquet, atomically."""
    schema_metadata = {**(table.schema.metadata or {}), _METADATA_KEY: json.dumps(metadata).encode()}
    with _atomic_target(target) as tmp:
        pq.write_table(table.replace_schema_metadata(schema_metadata), tmp, compression="snappy")


def load_table(target: Path) -> tuple[pa.Table, dict] | None:
    """The cached table and its metadata, or None (a missing or damaged cache file is a miss)."""
    if not target.is_file():
        return None
    try:
        table = pq.read_table(target)
        metadata = json.loads((table.schema.metadata or {})[_METADATA_KEY])
    except (OSError, pa.ArrowException, KeyError, ValueError):
        target.unlink(missing_ok=True)
        return None
    return table, metadata
