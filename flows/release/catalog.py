"""The catalog of an output folder (`index.json`) and the check that a catalogued release is intact.

Kept apart from publishing, which needs pandas and pyarrow, so that a run can tell in a fraction of a
second that the latest release still stands.
"""

from __future__ import annotations

import json
from pathlib import Path

from flows.ids import sha256_file

INDEX_FILE = "index.json"


def read_index(output_dir: Path) -> dict:
    path = output_dir / INDEX_FILE
    if not path.exists():
        return {"latest": None, "versions": []}
    return json.loads(path.read_text(encoding="utf-8"))


def latest_entry(index: dict) -> dict | None:
    """The catalog entry of the latest release, or None."""
    latest = index.get("latest")
    return next((v for v in index.get("versions", []) if v.get("version") == latest), None) if latest else None


def release_intact(folder: Path | None, entry: dict | None) -> bool:
    """The release's table files are on disk with the hashes the catalog records."""
    if folder is None or entry is None or not folder.is_dir():
        return False
    tables = {k: v for k, v in entry.get("files", {}).items() if k.endswith((".parquet", ".csv"))}
    return bool(tables) and all((folder / name).is_file() and sha256_file(folder / name) == digest
                                for name, digest in tables.items())
