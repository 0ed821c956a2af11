"""`make figures`: rebuild the figures of every notebook whose inputs changed.

A build executes each stale notebook (tools.runner) into a staging folder;
only when every notebook has succeeded are its files moved into figures/ (one
atomic rename per file) and the manifest of hashes written last. A failed or
interrupted build therefore leaves figures/ as it was. A notebook is stale when
its fingerprint (the notebook, the data, the science's code, the lock) differs
from its stamp in build/stamps/, or its outputs differ from the manifest.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from ..errors import LikecheckError, display_path
from ..outputs import atomic_write_bytes
from ..paths import BUILD, DATA, FIGURES, NOTEBOOKS, ROOT
from .manifest import GROUPS, file_problems, file_sha256, read_manifest, write_manifest
from .runner import Job, notebook_key, run_jobs


def published_notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def guide_notebooks() -> list[Path]:
    """The guides in reading order, then their solutions (notebooks/guide/solutions/)."""
    guide = NOTEBOOKS / "guide"
    return sorted(guide.glob("[0-9][0-9]_*.ipynb")) + sorted((guide / "solutions").glob("[0-9][0-9]_*.ipynb"))


def all_notebooks() -> list[Path]:
    return published_notebooks() + guide_notebooks()


def science_sources() -> list[Path]:
    """The library code a notebook can reach: everything but the tools (editing a tool reruns nothing)."""
    package = ROOT / "lib" / "likecheck"
    return sorted(p for p in package.rglob("*.py") if "tools" not in p.relative_to(package).parts)


def input_fingerprint(notebook: Path, parameters: dict) -> str:
    """What a notebook's output depends on: itself, the data, the library, the lock, its parameters."""
    digest = hashlib.sha256()
    inputs = [notebook, ROOT / "requirements.lock", *sorted(DATA.glob("*.csv")),
              *science_sources()]
    for path in inputs:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    digest.update(json.dumps(parameters, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def commit_outputs(finished: list[Job], figures_dir: Path) -> dict:
    """Move staged outputs into figures/ and rewrite the manifest (last)."""
    manifest = read_manifest(figures_dir, missing_ok=True)
    rerun = {notebook_key(job.notebook) for job in finished}
    kept = {group: [e for e in manifest[group] if e["notebook"] not in rerun] for group in GROUPS}
    stale_files = {f for group in GROUPS for e in manifest[group]
                   if e["notebook"] in rerun for f in e["files"].values()}
    for job in finished:
        subdir = Path(notebook_key(job.notebook)).parent
        for meta_path in sorted(job.output_dir.glob("*.meta.json")):
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            meta["files"] = {k: (subdir / v).as_posix() for k, v in meta["files"].items()}
            meta["notebook"] = notebook_key(job.notebook)
            meta["sha256"] = {}
            for kind, rel in meta["files"].items():
                staged = job.output_dir / Path(rel).name
                meta["sha256"][kind] = file_sha256(staged)
                atomic_write_bytes(figures_dir / rel, staged.read_bytes())
                stale_files.discard(rel)
            kept["tables" if meta.pop("kind", "figure") == "table" else "figures"].append(meta)
    for rel in stale_files:
        (figures_dir / rel).unlink(missing_ok=True)
    return write_manifest(figures_dir, kept["figures"], kept["tables"])


#: Written into every build folder the runner uses, so that a later build may clear what it made.
BUILD_MARKER = ".likecheck-build"
MANIFEST_NAME = "manifest.json"


def claim_folder(folder: Path, own: Path, marker: str, option: str) -> None:
    """Refuse a folder given on the command line that holds files a build did not make.

    The repository's own build/ and figures/ are the build's; any other folder must be new,
    empty, or already carry `marker` (build: BUILD_MARKER; figures: a manifest.json).
    """
    folder = Path(folder)
    if folder.resolve() != own.resolve() and folder.is_dir() and any(folder.iterdir()) \
            and not (folder / marker).is_file():
        raise LikecheckError(f"{option} {display_path(folder)}: the folder exists and was not written by a "
                             "build; choose a new folder or remove it yourself")
    if marker == BUILD_MARKER:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / marker).touch()


def build(*, force: bool = False, figures_dir: Path = FIGURES, build_dir: Path = BUILD,
          notebooks: list[Path] | None = None, workers: int = 2, log=print) -> dict:
    """Rebuild the figures of every notebook whose inputs changed (all with force)."""
    notebooks = all_notebooks() if notebooks is None else notebooks
    claim_folder(build_dir, BUILD, BUILD_MARKER, "--build")
    claim_folder(figures_dir, FIGURES, MANIFEST_NAME, "--figures")
    stamps = build_dir / "stamps"
    staging = build_dir / "staging"
    shutil.rmtree(staging, ignore_errors=True)
    jobs, fingerprints = [], {}
    manifest = read_manifest(figures_dir, missing_ok=True)
    for nb in notebooks:
        key = notebook_key(nb)
        fingerprints[key] = input_fingerprint(nb, {})
        stamp = stamps / (key.replace("/", "__") + ".sha256")
        # a notebook without outputs (a guide's exercises) is up to date on its stamp alone
        if not force and stamp.is_file() and stamp.read_text() == fingerprints[key] \
                and not file_problems(manifest, figures_dir, notebook=key):
            continue
        jobs.append(Job(nb, staging / key.replace("/", "__").removesuffix(".ipynb"),
                        build_dir / "notebooks" / key, build_dir / "html" / key.replace(".ipynb", ".html")))
    if not jobs:
        log("figures are up to date")
        return manifest
    log(f"running {len(jobs)} notebook(s) with papermill, {workers} at a time")
    finished = run_jobs(jobs, workers=workers, log=log)
    manifest = commit_outputs(finished, figures_dir)
    stamps.mkdir(parents=True, exist_ok=True)
    for job in finished:
        key = notebook_key(job.notebook)
        (stamps / (key.replace("/", "__") + ".sha256")).write_text(fingerprints[key])
    shutil.rmtree(staging, ignore_errors=True)
    return manifest


def verify_manifest(figures_dir: Path = FIGURES) -> list[str]:
    """Files whose bytes differ from the manifest (empty when all match)."""
    return [str(p) for p in file_problems(read_manifest(figures_dir), figures_dir)]
