"""Publish: write an immutable, checksummed release folder and update the catalog.

A release is written to a temporary folder inside `output/` and renamed into place only when
complete; `index.json` is replaced atomically afterwards, so a crash at any point leaves the previous
release and catalog intact. A run whose tables are identical to the latest release publishes nothing,
unless that release is missing or damaged on disk.

One run publishes into an output folder at a time (an `flock` on `output/.lock`, released by the kernel
when the process dies, so a lock is never stale). Holding it, a run first repairs what a killed run may
have left: temporary `.tmp-*` folders are removed, and a release folder the catalog does not list is
catalogued when its SHA256SUMS verify, else removed.
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from flows.ids import sha256_file
from flows.release.catalog import INDEX_FILE, latest_entry, read_index, release_intact
from schemas.derive import arrow_schema, data_dictionary, frictionless_schema
from schemas.tables import SCHEMA_VERSION, TABLES

LOCK_FILE = ".lock"
TMP_PREFIX = ".tmp-"
LOCK_TIMEOUT_SECONDS = 600.0
VERSION_NAME = re.compile(r"^\d{4}\.\d{2}\.\d{2}(\.\d+)?$")
FORMULA_PREFIXES = ("=", "+", "-", "@")
LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0"}


class PublishLockedError(RuntimeError):
    """Another run is publishing into the same output folder."""


@dataclass(frozen=True)
class ReleaseDraft:
    """What files added to a release being written (the report) may say about it."""

    version: str
    previous: str | None
    changes: dict[str, dict[str, int]]
    previous_tables: list[str]


@dataclass
class PublishResult:
    version: str | None
    path: Path | None
    reason: str
    changes: dict[str, dict[str, int]]
    notes: list[str] = dataclass_field(default_factory=list)
    locked: bool = False  # another run held the output folder for longer than the wait allowed


def sorted_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in declared order, rows sorted by the primary key: the same input gives the same bytes."""
    table = TABLES[name]
    return frame[list(table.columns)].sort_values(table.primary_key, kind="stable").reset_index(drop=True)


def to_arrow(name: str, frame: pd.DataFrame) -> pa.Table:
    """Typed Arrow table from the declaration (nulls as nulls, lists as list<string>)."""
    schema = arrow_schema(TABLES[name])
    columns = {}
    for field in schema:
        series = frame[field.name]
        values = series.tolist()
        if pa.types.is_list(field.type):
            values = [list(v) if v is not None else [] for v in values]
        else:
            missing = series.isna().to_numpy()  # None, NaN and pd.NA, found column-wise rather than per value
            if missing.any():
                values = [None if gone else v for v, gone in zip(values, missing, strict=True)]
        columns[field.name] = pa.array(values, type=field.type)
    return pa.Table.from_pydict(columns, schema=schema)


def csv_cell(value: object, is_text: bool) -> str:
    """RFC 4180 cell text: '' for null, '|' between list items, formulas neutralised in text columns."""
    if isinstance(value, list):
        text = "|".join(value)
    elif value is None:
        return ""
    elif isinstance(value, bool):
        return "true" if value else "false"
    else:
        text = str(value)
    if is_text and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def write_csv(table: pa.Table, path: Path) -> None:
    """Stream the table to CSV in record batches, so memory does not grow with the row count."""
    text_columns = [pa.types.is_string(f.type) or pa.types.is_list(f.type) for f in table.schema]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(table.column_names)
        for batch in table.to_batches(max_chunksize=5000):
            cells = [[csv_cell(value, is_text) for value in column.to_pylist()]
                     for column, is_text in zip(batch.columns, text_columns, strict=True)]
            writer.writerows(zip(*cells, strict=True))


def write_table(name: str, frame: pd.DataFrame, folder: Path) -> pa.Table:
    """Write the table as Parquet and CSV; returns the Arrow table written, from which the comparison with
    the previous release takes its row digests rather than converting the frame again."""
    table = to_arrow(name, sorted_frame(name, frame))
    pq.write_table(table, folder / f"{name}.parquet", compression="zstd", write_statistics=True,
                   store_schema=True)
    write_csv(table, folder / f"{name}.csv")
    return table


def write_json_atomically(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def next_version(output_dir: Path, today: dt.date, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """Calendar version YYYY.MM.DD, with .N appended for further releases on the same day; a version the
    catalog lists is never reused, even when its folder is gone."""
    base = today.strftime("%Y.%m.%d")
    version, n = base, 1
    while (output_dir / version).exists() or version in taken:
        version = f"{base}.{n}"
        n += 1
    return version


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def data_file_hashes(folder: Path, names: list[str]) -> dict[str, str]:
    return {f"{n}.{ext}": sha256_file(folder / f"{n}.{ext}") for n in names for ext in ("parquet", "csv")}


def row_digests(table: pa.Table, key: str) -> pd.Series:
    """One hash per row, indexed by the primary key: enough to tell changed rows apart, in little memory."""
    frame = table.to_pandas()
    for field in table.schema:
        if pa.types.is_list(field.type):
            frame[field.name] = frame[field.name].map(lambda v: "\x1f".join(v) if v is not None else "")
    return pd.Series(pd.util.hash_pandas_object(frame, index=False).to_numpy(), index=frame[key].to_numpy())


def table_changes(name: str, fresh: pd.Series, previous_folder: Path | None) -> dict[str, int]:
    """Rows added, removed and changed against the previous release, matched by primary key (`fresh`: the
    new table's `row_digests`)."""
    key = TABLES[name].primary_key
    old_path = previous_folder / f"{name}.parquet" if previous_folder else None
    if old_path is None or not old_path.exists():
        return {"added": len(fresh), "removed": 0, "changed": 0}
    old = row_digests(pq.read_table(old_path), key)
    shared = old.index.intersection(fresh.index)
    return {
        "added": int((~fresh.index.isin(old.index)).sum()),
        "removed": int((~old.index.isin(fresh.index)).sum()),
        "changed": int((old.loc[shared] != fresh.loc[shared]).sum()),
    }


def changes_markdown(version: str, previous: str | None, changes: dict[str, dict[str, int]],
                     previous_tables: list[str]) -> str:
    lines = [f"# Changes in {version}", "",
             f"Compared with {previous}." if previous else "First release.", "",
             "| table | added | removed | changed |", "|---|---|---|---|"]
    for name, counts in changes.items():
        lines.append(f"| {name} | {counts['added']} | {counts['removed']} | {counts['changed']} |")
    for name in previous_tables:
        if name not in changes:
            lines.append(f"| {name} (no longer published) | 0 | all | 0 |")
    return "\n".join(lines) + "\n"


def datapackage(version: str, frames: dict[str, pd.DataFrame], folder: Path, sources: list[dict]) -> dict:
    resources = []
    for name in frames:
        path = folder / f"{name}.csv"
        resources.append({
            "name": name,
            "path": f"{name}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "description": TABLES[name].description,
            "bytes": path.stat().st_size,
            "hash": f"sha256:{sha256_file(path)}",
            "schema": frictionless_schema(TABLES[name]),
            "parquet": {"path": f"{name}.parquet", "hash": f"sha256:{sha256_file(folder / f'{name}.parquet')}"},
        })
    return {
        "profile": "tabular-data-package",
        "name": "accord-events-quotes",
        "title": "Accord: events and quotes from news texts",
        "description": "Events (PLOVER 2.0), quotes, actors, places and dated mentions extracted from news texts.",
        "version": version,
        "schemaVersion": SCHEMA_VERSION,
        "licenses": [LICENCE],
        "sources": sources,
        "resources": resources,
    }


def dataset_card(version: str, frames: dict[str, pd.DataFrame], notes: dict[str, str]) -> str:
    counts = "\n".join(f"| {name} | {len(frame)} |" for name, frame in frames.items())
    sections = "\n\n".join(f"## {title}\n\n{text.strip()}" for title, text in notes.items())
    return f"""# Accord release {version}

Events (who did what to whom, when and where, typed with PLOVER 2.0), quotes (who said what), and the
actors, places and dated mentions they rest on, extracted from news texts. Every value can be traced to
its evidence: an article id and character offsets into `articles.text`.

## Files

Each table comes as Parquet (zstd, typed, list columns) and CSV (UTF-8, RFC 4180, header row, list
values joined with `|`, empty cell for null). `datapackage.json` describes them as a Frictionless Data
Package; `SHA256SUMS` holds one checksum per file; `CHANGES.md` compares with the previous release;
`quality/` holds the data-quality results. [report.html](report.html), when present, shows all of it on one
page that works offline: summary, changes, plots, data quality, quarantine and extraction quality.

CSV cells in text columns that would start a spreadsheet formula (`=`, `+`, `-`, `@`) are prefixed with
a single quote `'`; the Parquet files hold the values unchanged.

## Row counts

| table | rows |
|---|---|
{counts}

## Data dictionary

{data_dictionary(list(frames))}

{sections}

## How to read

```python
import pandas as pd
events = pd.read_parquet("events.parquet")
```

```sql
-- DuckDB
SELECT event_type, count(*) FROM 'events.parquet' GROUP BY 1 ORDER BY 2 DESC;
```

## Licence and citation

Data released under {LICENCE['title']} ({LICENCE['name']}). Cite as: Accord events and quotes dataset,
release {version}, schema {SCHEMA_VERSION}.
"""


def write_checksums(folder: Path) -> None:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    lines = [f"{sha256_file(p)}  {p.relative_to(folder).as_posix()}" for p in files]
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_checksums(folder: Path) -> dict[str, str] | None:
    """SHA256SUMS of a folder as {path: sha256}, or None when it is missing or malformed."""
    try:
        text = (folder / "SHA256SUMS").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    listed = {}
    for line in text.splitlines():
        digest, sep, name = line.partition("  ")
        if not sep or not re.fullmatch(r"[0-9a-f]{64}", digest):
            return None
        listed[name] = digest
    return listed


def folder_verifies(folder: Path) -> bool:
    """Every file of the folder is listed in its SHA256SUMS with the right hash, and nothing is missing."""
    listed = read_checksums(folder)
    if not listed:
        return False
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}
    if present != set(listed) | {"SHA256SUMS"}:
        return False
    return all((folder / name).is_file() and not (folder / name).is_symlink()
               and sha256_file(folder / name) == digest for name, digest in listed.items())


def catalog_entry(folder: Path, version: str, created: str, row_counts: dict[str, int]) -> dict:
    """The catalog's record of one release: row counts, and the sha256 and size of every file."""
    listed = read_checksums(folder) or {}
    files = dict(listed) | {"SHA256SUMS": sha256_file(folder / "SHA256SUMS")}
    return {
        "version": version,
        "created": created,
        "schema_version": SCHEMA_VERSION,
        "row_counts": row_counts,
        "files": files,
        "sizes": {name: (folder / name).stat().st_size for name in files},
    }


def recover_entry(folder: Path) -> dict | None:
    """A catalog entry for a complete release folder the catalog does not list (a run killed between the
    rename and the catalog write), or None when the folder does not verify."""
    if not folder_verifies(folder):
        return None
    try:
        row_counts = {name: pq.read_metadata(folder / f"{name}.parquet").num_rows
                      for name in TABLES if (folder / f"{name}.parquet").is_file()}
    except (OSError, pa.ArrowException):
        return None
    if not row_counts:
        return None
    entry = catalog_entry(folder, folder.name, folder.name[:10].replace(".", "-"), row_counts)
    try:
        entry["schema_version"] = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))[
            "schemaVersion"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return entry


def repair_output(output_dir: Path, index: dict) -> list[str]:
    """What a killed run may have left, put right; call with the publish lock held. Returns notes.

    Temporary folders are removed. A release folder the catalog does not list is catalogued when its
    SHA256SUMS verify (and becomes `latest` when it is the newest), else removed.
    """
    notes = []
    (output_dir / f".{INDEX_FILE}.tmp").unlink(missing_ok=True)  # a catalog write that was interrupted
    listed = {v.get("version") for v in index["versions"]}
    for child in sorted(output_dir.iterdir()):
        if child.name.startswith(TMP_PREFIX) and child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
            notes.append(f"removed {child.name}, left by an interrupted run")
        elif VERSION_NAME.match(child.name) and child.name not in listed and child.is_dir() \
                and not child.is_symlink():
            entry = recover_entry(child)
            if entry is None:
                shutil.rmtree(child, ignore_errors=True)
                notes.append(f"removed release folder {child.name}: the catalog does not list it and its "
                             "checksums do not verify")
                continue
            index["versions"].append(entry)
            index["versions"].sort(key=lambda v: version_key(v["version"]))
            if index.get("latest") is None or version_key(entry["version"]) > version_key(index["latest"]):
                index["latest"] = entry["version"]
            notes.append(f"catalogued release {child.name}, complete on disk but missing from the catalog")
    if any(note.startswith("catalogued") for note in notes):
        write_json_atomically(output_dir / INDEX_FILE, index)
    return notes


@contextmanager
def publish_lock(output_dir: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Only one run publishes into an output folder at a time; another waits up to `timeout` seconds.

    An exclusive `flock` on `output/.lock`: taken atomically, released by the kernel when the holder dies
    (kill -9 included), so there is no stale lock to take over. The file is removed on release; a waiter
    that locked a file already removed tries again, so two holders are impossible.
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    path = output_dir / LOCK_FILE
    deadline = time.monotonic() + timeout
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            if time.monotonic() >= deadline:
                raise PublishLockedError(
                    f"{output_dir} is locked by another accord run (pid {holder}); waited {timeout:.0f} s, "
                    f"try again when it has finished") from None
            if not told:
                sys.stderr.write(f"waiting for another accord run (pid {holder}) to finish publishing into "
                                 f"{output_dir}\n")
                told = True
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
            continue
        try:
            same = os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder before us removed this file: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        try:
            os.unlink(path)
        finally:
            os.close(fd)


def _read_holder(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
    except OSError:
        return "?"



def write_release_documents(
    folder: Path,
    frames: dict[str, pd.DataFrame],
    draft: ReleaseDraft,
    sources: list[dict],
    notes: dict[str, str] | None,
    extra_files: Callable[[Path, dict[str, pd.DataFrame], ReleaseDraft], None] | None,
) -> None:
    """CHANGES.md, any extra files, the dataset card and datapackage.json beside the written tables."""
    (folder / "CHANGES.md").write_text(changes_markdown(draft.version, draft.previous, draft.changes,
                                                        draft.previous_tables), encoding="utf-8")
    if extra_files is not None:
        extra_files(folder, frames, draft)
    notes = dict(notes or {})
    quality_summary = folder / "quality" / "summary.md"
    if quality_summary.exists():
        notes["Data quality"] = ("Results of the expectation suites; [report.html](report.html) shows "
                                 "them with the rest of the release.\n\n"
                                 + quality_summary.read_text(encoding="utf-8"))
    (folder / "README.md").write_text(dataset_card(draft.version, frames, notes), encoding="utf-8")
    package = datapackage(draft.version, frames, folder, sources)
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")

def publish_release(
    frames: dict[str, pd.DataFrame],
    output_dir: Path,
    sources: list[dict],
    notes: dict[str, str] | None = None,
    extra_files: Callable[[Path, dict[str, pd.DataFrame], ReleaseDraft], None] | None = None,
    today: dt.date | None = None,
    lock_timeout: float = LOCK_TIMEOUT_SECONDS,
) -> PublishResult:
    """Write `output_dir/<version>/` unless the tables equal the latest release's (and that is intact).

    `extra_files(folder, frames, draft)` may add files (quality results, the report) before checksums are written.
    """
    frames = {name: frames[name] for name in TABLES if name in frames}
    with publish_lock(output_dir, lock_timeout):
        index = read_index(output_dir)
        repairs = repair_output(output_dir, index)
        latest = index.get("latest")
        previous = latest_entry(index)
        previous_folder = output_dir / latest if latest else None
        intact = release_intact(previous_folder, previous)
        if latest and not intact:
            repairs.append(f"release {latest} is missing or damaged on disk: publishing the tables again")
        tmp = output_dir / f"{TMP_PREFIX}{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            digests = {name: row_digests(write_table(name, frame, tmp), TABLES[name].primary_key)
                       for name, frame in frames.items()}
            hashes = data_file_hashes(tmp, list(frames))
            if intact and previous is not None and {k: v for k, v in previous["files"].items()
                                                    if k.endswith((".parquet", ".csv"))} == hashes:
                shutil.rmtree(tmp)
                return PublishResult(None, previous_folder, f"tables identical to release {latest}", {}, repairs)
            version = next_version(output_dir, today or dt.date.today(),
                                   {str(v.get("version")) for v in index["versions"]})
            compared = previous_folder if intact else None
            changes = {name: table_changes(name, fresh, compared) for name, fresh in digests.items()}
            previous_tables = sorted(previous["row_counts"]) if previous and intact else []
            draft = ReleaseDraft(version, latest if intact else None, changes, previous_tables)
            write_release_documents(tmp, frames, draft, sources, notes, extra_files)
            write_checksums(tmp)
            final = output_dir / version
            os.rename(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        entry = catalog_entry(final, version, (today or dt.date.today()).isoformat(),
                              {name: len(frame) for name, frame in frames.items()})
        index["versions"].append(entry)
        index["latest"] = version
        try:
            write_json_atomically(output_dir / INDEX_FILE, index)
        except BaseException:
            shutil.rmtree(final, ignore_errors=True)  # a release the catalog does not list is rolled back
            raise
        return PublishResult(version, final, "published", changes, repairs)
