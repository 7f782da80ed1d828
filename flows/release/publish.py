"""Publish: write an immutable, checksummed release folder and update the catalog.

A release is written to a temporary folder inside `output/` and renamed into place only when
complete; `index.json` is replaced atomically afterwards, so a crash at any point leaves the previous
release and catalog intact. A run whose tables are identical to the latest release publishes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from flows.ids import sha256_file
from schemas.derive import arrow_schema, data_dictionary, frictionless_schema
from schemas.tables import SCHEMA_VERSION, TABLES

INDEX_FILE = "index.json"
LOCK_FILE = ".lock"
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


def sorted_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in declared order, rows sorted by the primary key: the same input gives the same bytes."""
    table = TABLES[name]
    return frame[list(table.columns)].sort_values(table.primary_key, kind="stable").reset_index(drop=True)


def to_arrow(name: str, frame: pd.DataFrame) -> pa.Table:
    """Typed Arrow table from the declaration (nulls as nulls, lists as list<string>)."""
    schema = arrow_schema(TABLES[name])
    columns = {}
    for field in schema:
        values = frame[field.name].tolist()
        if pa.types.is_list(field.type):
            values = [list(v) if v is not None else [] for v in values]
        else:
            values = [None if _is_missing(v) else v for v in values]
        columns[field.name] = pa.array(values, type=field.type)
    return pa.Table.from_pydict(columns, schema=schema)


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


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
            columns = [column.to_pylist() for column in batch.columns]
            writer.writerows([csv_cell(v, is_text) for v, is_text in zip(row, text_columns, strict=True)]
                             for row in zip(*columns, strict=True))


def write_table(name: str, frame: pd.DataFrame, folder: Path) -> None:
    table = to_arrow(name, sorted_frame(name, frame))
    pq.write_table(table, folder / f"{name}.parquet", compression="zstd", write_statistics=True,
                   store_schema=True)
    write_csv(table, folder / f"{name}.csv")


def read_index(output_dir: Path) -> dict:
    path = output_dir / INDEX_FILE
    if not path.exists():
        return {"latest": None, "versions": []}
    return json.loads(path.read_text(encoding="utf-8"))


def write_json_atomically(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def next_version(output_dir: Path, today: dt.date) -> str:
    """Calendar version YYYY.MM.DD, with .N appended for further releases on the same day."""
    base = today.strftime("%Y.%m.%d")
    version, n = base, 1
    while (output_dir / version).exists():
        version = f"{base}.{n}"
        n += 1
    return version


def data_file_hashes(folder: Path, names: list[str]) -> dict[str, str]:
    return {f"{n}.{ext}": sha256_file(folder / f"{n}.{ext}") for n in names for ext in ("parquet", "csv")}


def row_digests(table: pa.Table, key: str) -> pd.Series:
    """One hash per row, indexed by the primary key: enough to tell changed rows apart, in little memory."""
    frame = table.to_pandas()
    for field in table.schema:
        if pa.types.is_list(field.type):
            frame[field.name] = frame[field.name].map(lambda v: "\x1f".join(v) if v is not None else "")
    return pd.Series(pd.util.hash_pandas_object(frame, index=False).to_numpy(), index=frame[key].to_numpy())


def table_changes(name: str, new: pd.DataFrame, previous_folder: Path | None) -> dict[str, int]:
    """Rows added, removed and changed against the previous release, matched by primary key."""
    key = TABLES[name].primary_key
    old_path = previous_folder / f"{name}.parquet" if previous_folder else None
    if old_path is None or not old_path.exists():
        return {"added": len(new), "removed": 0, "changed": 0}
    old = row_digests(pq.read_table(old_path), key)
    fresh = row_digests(to_arrow(name, sorted_frame(name, new)), key)
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


@contextmanager
def publish_lock(output_dir: Path) -> Iterator[None]:
    """Only one run publishes into an output folder at a time."""
    output_dir.mkdir(parents=True, exist_ok=True)
    lock = output_dir / LOCK_FILE
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        holder = lock.read_text(encoding="utf-8").strip() if lock.exists() else "?"
        if holder.isdigit() and not _process_alive(int(holder)):
            lock.unlink(missing_ok=True)
            with publish_lock(output_dir):
                yield
            return
        raise PublishLockedError(
            f"{output_dir} is locked by another accord run (pid {holder}); "
            f"wait for it to finish or remove {lock} if no run is active") from None
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield
    finally:
        lock.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def publish_release(
    frames: dict[str, pd.DataFrame],
    output_dir: Path,
    sources: list[dict],
    notes: dict[str, str] | None = None,
    extra_files: Callable[[Path, dict[str, pd.DataFrame], ReleaseDraft], None] | None = None,
    today: dt.date | None = None,
) -> PublishResult:
    """Write `output_dir/<version>/` unless the tables equal the latest release's.

    `extra_files(folder, frames, draft)` may add files (quality results, the report) before checksums are written.
    """
    frames = {name: frames[name] for name in TABLES if name in frames}
    with publish_lock(output_dir):
        index = read_index(output_dir)
        latest = index.get("latest")
        previous = next((v for v in index["versions"] if v["version"] == latest), None)
        previous_folder = output_dir / latest if latest else None
        tmp = output_dir / f".tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            for name, frame in frames.items():
                write_table(name, frame, tmp)
            hashes = data_file_hashes(tmp, list(frames))
            if previous is not None and {k: v for k, v in previous["files"].items()
                                         if k.endswith((".parquet", ".csv"))} == hashes:
                shutil.rmtree(tmp)
                return PublishResult(None, previous_folder, f"tables identical to release {latest}", {})
            version = next_version(output_dir, today or dt.date.today())
            changes = {name: table_changes(name, frame, previous_folder) for name, frame in frames.items()}
            previous_tables = sorted(previous["row_counts"]) if previous else []
            (tmp / "CHANGES.md").write_text(changes_markdown(version, latest, changes, previous_tables),
                                            encoding="utf-8")
            if extra_files is not None:
                extra_files(tmp, frames, ReleaseDraft(version, latest, changes, previous_tables))
            notes = dict(notes or {})
            quality_summary = tmp / "quality" / "summary.md"
            if quality_summary.exists():
                notes["Data quality"] = ("Results of the expectation suites; [report.html](report.html) shows "
                                         "them with the rest of the release.\n\n"
                                         + quality_summary.read_text(encoding="utf-8"))
            (tmp / "README.md").write_text(dataset_card(version, frames, notes), encoding="utf-8")
            package = datapackage(version, frames, tmp, sources)
            (tmp / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                                  encoding="utf-8")
            write_checksums(tmp)
            final = output_dir / version
            os.rename(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        entry = {
            "version": version,
            "created": (today or dt.date.today()).isoformat(),
            "schema_version": SCHEMA_VERSION,
            "row_counts": {name: len(frame) for name, frame in frames.items()},
            "files": {line.split("  ", 1)[1]: line.split("  ", 1)[0]
                      for line in (final / "SHA256SUMS").read_text(encoding="utf-8").splitlines()},
        }
        entry["files"]["SHA256SUMS"] = sha256_file(final / "SHA256SUMS")
        index["versions"].append(entry)
        index["latest"] = version
        try:
            write_json_atomically(output_dir / INDEX_FILE, index)
        except BaseException:
            shutil.rmtree(final, ignore_errors=True)  # a release the catalog does not list is rolled back
            raise
        return PublishResult(version, final, "published", changes)
