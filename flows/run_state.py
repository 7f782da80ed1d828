"""What the last run published, and from which inputs: a run with nothing new stops before any parsing.

A release depends on the bytes under the raw folder, the project's code and reference data, and the
installed packages (the spaCy model among them). Their fingerprint is recorded beside the releases after
every run that published or found its tables identical to the latest release. A later run whose
fingerprint matches, while that release is still the latest and intact, would rebuild the same tables:
it stops there, without reading a text, starting Prefect's server or running the quality suites.

This module imports neither Prefect, spaCy nor pandas, so the check costs a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import os
import site
import stat
import sys
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import flows
import schemas
from flows.ids import sha256_file
from flows.release.catalog import latest_entry, read_index, release_intact

RECORD_FILE = Path(".state") / "last-run.json"
PROJECT_FOLDERS = (Path(flows.__file__).parent, Path(schemas.__file__).parent)


@dataclass
class RunRecord:
    """The inputs fingerprint of a run and the release that holds its tables."""

    fingerprint: str
    release: str
    articles_read: int
    extracted: int  # the English articles among them
    row_counts: dict[str, int]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the project's code and reference files and of every installed package's version."""
    digest = hashlib.sha256(sys.version.encode())
    for folder in PROJECT_FOLDERS:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder.parent).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    digest.update("\n".join(installed_packages()).encode())
    return digest.hexdigest()


def installed_packages() -> list[str]:
    """The installed distributions by their metadata folders, whose names carry the versions
    (`spacy-3.8.18.dist-info`): a directory listing instead of reading every package's metadata."""
    names = []
    for entry in site.getsitepackages() + [site.getusersitepackages()]:
        try:
            with os.scandir(entry) as listing:
                names.extend(f"{entry}/{e.name}" for e in listing if e.name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return sorted(names)


def raw_fingerprint(raw_dir: Path) -> str | None:
    """Hash of every name and byte under raw_dir (links not followed); None when something cannot be read."""
    digest = hashlib.sha256()
    try:
        _hash_folder(raw_dir, raw_dir, digest)
    except OSError:
        return None
    return digest.hexdigest()


def _hash_folder(raw_dir: Path, folder: Path, digest) -> None:
    with os.scandir(folder) as listing:
        children = sorted(listing, key=lambda e: e.name)
    for child in children:
        path = Path(child.path)
        mode = child.stat(follow_symlinks=False).st_mode
        digest.update(os.fsencode(path.relative_to(raw_dir).as_posix()) + b"\0" + str(stat.S_IFMT(mode)).encode())
        if stat.S_ISLNK(mode):
            digest.update(os.fsencode(os.readlink(path)))
        elif stat.S_ISDIR(mode):
            _hash_folder(raw_dir, path, digest)
        elif stat.S_ISREG(mode):
            digest.update(sha256_file(path).encode())
        digest.update(b"\0")


def inputs_fingerprint(raw_dir: Path) -> str | None:
    """The fingerprint of everything a run's tables depend on, or None when the raw folder cannot be read."""
    raw = raw_fingerprint(raw_dir)
    return None if raw is None else hashlib.sha256(f"{raw}:{code_fingerprint()}".encode()).hexdigest()


def read_record(output_dir: Path) -> RunRecord | None:
    try:
        data = json.loads((output_dir / RECORD_FILE).read_text(encoding="utf-8"))
        return RunRecord(str(data["fingerprint"]), str(data["release"]), int(data["articles_read"]),
                         int(data["extracted"]), {str(k): int(v) for k, v in data["row_counts"].items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_record(output_dir: Path, record: RunRecord) -> None:
    """Write through a temporary file, so a reader never sees half a record."""
    path = output_dir / RECORD_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(asdict(record), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def unchanged_message(record: RunRecord) -> str:
    return f"raw files, code and reference data unchanged since release {record.release}"


def unchanged_release(raw_dir: Path, output_dir: Path, fingerprint: str | None = None) -> RunRecord | None:
    """The record of the last run when raw_dir, code and packages are as they were then and the release it
    published is still the latest and intact; else None (the run must go on)."""
    record = read_record(output_dir)
    if record is None or "/" in record.release or record.release.startswith("."):
        return None
    try:
        index = read_index(output_dir)
    except (OSError, ValueError):
        return None
    entry = latest_entry(index)
    if entry is None or entry.get("version") != record.release:
        return None
    if (fingerprint or inputs_fingerprint(raw_dir)) != record.fingerprint:
        return None
    return record if release_intact(output_dir / record.release, entry) else None
