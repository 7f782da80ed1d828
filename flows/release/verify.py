"""`accord validate`: check a published release folder on its own, with no raw texts beside it.

Checks, in order: SHA256SUMS against the files, the catalog entry (when `index.json` is beside the
folder), every table against its declared schema, foreign keys and offsets, CSV against Parquet,
and the data-quality suites.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from flows.release.compare import compare_releases  # noqa: F401  (`accord compare` lives in its own module)
from flows.release.publish import INDEX_FILE, sha256_file
from flows.release.quality import run_suites
from flows.release.validate import TableValidationError, find_failures
from schemas.tables import TABLES


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    detail: str


def resolve_release(path: Path | None, output: Path = Path("output")) -> Path:
    """A release folder, or the latest release of an output folder."""
    folder = path or output
    if (folder / INDEX_FILE).exists():
        latest = json.loads((folder / INDEX_FILE).read_text(encoding="utf-8"))["latest"]
        if latest is None:
            raise FileNotFoundError(f"{folder / INDEX_FILE} lists no release")
        return folder / latest
    if not (folder / "SHA256SUMS").exists():
        raise FileNotFoundError(f"{folder} is neither a release folder (no SHA256SUMS) nor an output folder")
    return folder


def check_checksums(release: Path) -> list[Finding]:
    listed: dict[str, str] = {}
    for number, line in enumerate((release / "SHA256SUMS").read_text(encoding="utf-8").splitlines(), start=1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            return [Finding("checksums", False, f"SHA256SUMS line {number} is malformed: {line[:60]!r}")]
        listed[name] = digest
    findings = []
    present = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    for name in sorted(present - set(listed)):
        findings.append(Finding("checksums", False, f"{name} is not listed in SHA256SUMS"))
    for name, digest in sorted(listed.items()):
        path = release / name
        if ".." in Path(name).parts or not path.is_file():
            findings.append(Finding("checksums", False, f"{name} is listed in SHA256SUMS but missing"))
        elif (actual := sha256_file(path)) != digest:
            findings.append(Finding("checksums", False,
                                    f"{name}: sha256 {actual[:12]}… does not match SHA256SUMS {digest[:12]}…"))
    return findings or [Finding("checksums", True, f"{len(listed)} files match SHA256SUMS")]


def check_catalog(release: Path) -> list[Finding]:
    index_path = release.parent / INDEX_FILE
    if not index_path.exists():
        return [Finding("catalog", True, "no index.json beside the release: catalog check skipped")]
    index = json.loads(index_path.read_text(encoding="utf-8"))
    entry = next((v for v in index.get("versions", []) if v.get("version") == release.name), None)
    if entry is None:
        return [Finding("catalog", False, f"{index_path} has no entry for version {release.name}")]
    bad = [name for name, digest in entry["files"].items()
           if not (release / name).is_file() or sha256_file(release / name) != digest]
    if bad:
        return [Finding("catalog", False, f"files differ from the catalog entry: {', '.join(sorted(bad)[:5])}")]
    return [Finding("catalog", True, f"catalog entry for {release.name} matches ({len(entry['files'])} files)")]


def read_tables(release: Path) -> dict[str, pd.DataFrame]:
    frames = {}
    for name in TABLES:
        path = release / f"{name}.parquet"
        if path.exists():
            frame = pq.read_table(path).to_pandas()
            for column in frame.columns:
                if frame[column].map(lambda v: hasattr(v, "tolist") and not isinstance(v, str)).any():
                    frame[column] = frame[column].map(lambda v: list(v.tolist()) if v is not None else [])
            frames[name] = frame
    return frames


def check_tables(frames: dict[str, pd.DataFrame]) -> list[Finding]:
    try:
        failures = find_failures(frames)
    except TableValidationError as error:
        return [Finding("schema", False, str(error))]
    findings = [Finding(f"schema:{f.table}", False, f"{f.check}: {f.table} row {f.row_id}: {f.detail}")
                for f in failures[:20]]
    if len(failures) > 20:
        findings.append(Finding("schema", False, f"... and {len(failures) - 20} more failing rows"))
    return findings or [Finding("schema", True, f"{len(frames)} tables match their schemas, keys and offsets")]


def check_csv(release: Path, frames: dict[str, pd.DataFrame]) -> list[Finding]:
    findings = []
    for name, frame in frames.items():
        csv_path = release / f"{name}.csv"
        if not csv_path.exists():
            findings.append(Finding("csv", False, f"{name}.csv is missing"))
            continue
        try:
            csv = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
        except (ValueError, UnicodeDecodeError) as error:
            findings.append(Finding("csv", False, f"{name}.csv cannot be parsed: {error}"))
            continue
        if list(csv.columns) != list(TABLES[name].columns) or len(csv) != len(frame):
            findings.append(Finding("csv", False, f"{name}.csv header or row count differs from {name}.parquet"))
    return findings or [Finding("csv", True, "CSV headers and row counts match the Parquet files")]


def check_suites(frames: dict[str, pd.DataFrame]) -> list[Finding]:
    if "articles" not in frames:
        return [Finding("suites", False, "no articles table: suites cannot run")]
    outcomes = run_suites(frames)
    findings = [Finding(f"suite:{o.suite}", False,
                        f"{o.expectation}{f' on {o.column}' if o.column else ''} failed ({o.observed}): {o.why}")
                for o in outcomes if not o.success]
    return findings or [Finding("suites", True, f"{len(outcomes)} expectations met")]


def validate_release(release: Path) -> list[Finding]:
    """Every check on one release folder; a failing check is a Finding with ok False."""
    findings = check_checksums(release) + check_catalog(release)
    frames = read_tables(release)
    if "articles" not in frames:
        return findings + [Finding("tables", False, "articles.parquet is missing")]
    return findings + check_tables(frames) + check_csv(release, frames) + check_suites(frames)
