"""`accord validate`: check a published release folder on its own, with no raw texts beside it.

Checks, in order: SHA256SUMS against the files, the catalog entry (when `index.json` is beside the
folder), every table against its declared schema, foreign keys and offsets, CSV against Parquet,
and the data-quality suites. Every failure is a finding of one line naming the file, never a traceback:
a check that cannot run at all (a missing or truncated file, a directory in place of a file) is a
failed finding too, and the findings of the checks before it are kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from flows.release.compare import compare_releases  # noqa: F401  (`accord compare` lives in its own module)
from flows.release.download import INCOMPLETE_MARKER
from flows.release.publish import INDEX_FILE, VERSION_NAME, sha256_file
from flows.release.quality import run_suites
from flows.release.validate import TableValidationError, find_failures
from schemas.tables import SCHEMA_VERSION, TABLES


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    detail: str


def read_catalog(folder: Path) -> dict:
    """The output folder's index.json; ValueError (with the reason) when it cannot be read as a catalog."""
    path = folder / INDEX_FILE
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ValueError(f"{path} cannot be read as a catalog: {one_line(error)}") from None
    if not isinstance(index, dict) or not isinstance(index.get("versions", []), list):
        raise ValueError(f"{path} is not a catalog (an object with a 'versions' list)")
    return index


def resolve_release(path: Path | None, output: Path = Path("output")) -> Path:
    """A release folder, or the latest release of an output folder (which must lie inside it)."""
    folder = path or output
    if (folder / INDEX_FILE).exists():
        latest = read_catalog(folder).get("latest")
        if latest is None:
            raise FileNotFoundError(f"{folder / INDEX_FILE} lists no release")
        if not isinstance(latest, str) or not VERSION_NAME.match(latest):
            raise ValueError(f"{folder / INDEX_FILE}: latest {str(latest)[:80]!r} is not a version name inside "
                             f"{folder}; not followed")
        release = folder / latest
        if release.is_symlink() or not release.resolve().is_relative_to(folder.resolve()):
            raise ValueError(f"{folder / INDEX_FILE}: latest {latest} leads outside {folder}; not followed")
        if not release.is_dir():
            raise FileNotFoundError(f"{folder / INDEX_FILE}: latest release {latest} is not in {folder}")
        return release
    looks_like_release = any((folder / name).exists() for name in ("SHA256SUMS", "datapackage.json",
                                                                     INCOMPLETE_MARKER))
    if not looks_like_release and not (folder.is_dir() and any(folder.glob("*.parquet"))):
        raise FileNotFoundError(f"{folder} is neither a release folder (no SHA256SUMS) nor an output folder")
    return folder


def one_line(error: object) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= 300 else text[:299] + "…"


def release_files(release: Path) -> set[str]:
    return {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file() or p.is_symlink()}


def check_download(release: Path) -> list[Finding]:
    if (release / INCOMPLETE_MARKER).exists():
        return [Finding("download", False, f"{INCOMPLETE_MARKER}: this folder is a download that has not finished; "
                                           "run accord download again")]
    return []


def check_checksums(release: Path) -> list[Finding]:
    sums = release / "SHA256SUMS"
    if not sums.is_file():
        return [Finding("checksums", False, "SHA256SUMS is missing" + (" (a directory in its place)"
                                                                       if sums.is_dir() else ""))]
    listed: dict[str, str] = {}
    try:
        text = sums.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [Finding("checksums", False, f"SHA256SUMS cannot be read: {one_line(error)}")]
    for number, line in enumerate(text.splitlines(), start=1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            return [Finding("checksums", False, f"SHA256SUMS line {number} is malformed: {line[:60]!r}")]
        listed[name] = digest
    findings = []
    present = release_files(release) - {"SHA256SUMS", INCOMPLETE_MARKER}
    for name in sorted(present - set(listed)):
        findings.append(Finding("checksums", False, f"{name} is not listed in SHA256SUMS"))
    for name, digest in sorted(listed.items()):
        path = release / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            findings.append(Finding("checksums", False, f"{name} in SHA256SUMS points outside the release"))
        elif path.is_dir():
            findings.append(Finding("checksums", False, f"{name} is a directory, not a file"))
        elif path.is_symlink():
            findings.append(Finding("checksums", False, f"{name} is a symbolic link, not a file"))
        elif not path.is_file():
            findings.append(Finding("checksums", False, f"{name} is listed in SHA256SUMS but missing"))
        elif (actual := sha256_file(path)) != digest:
            findings.append(Finding("checksums", False,
                                    f"{name}: sha256 {actual[:12]}… does not match SHA256SUMS {digest[:12]}…"))
    return findings or [Finding("checksums", True, f"{len(listed)} files match SHA256SUMS")]


def check_catalog(release: Path) -> list[Finding]:
    index_path = release.parent / INDEX_FILE
    if not index_path.exists():
        return [Finding("catalog", True, "no index.json beside the release: catalog check skipped")]
    try:
        index = read_catalog(release.parent)
    except ValueError as error:
        return [Finding("catalog", False, one_line(error))]
    entry = next((v for v in index.get("versions", []) if isinstance(v, dict) and v.get("version") == release.name),
                 None)
    if entry is None:
        return [Finding("catalog", False, f"{index_path} has no entry for version {release.name}")]
    files = entry.get("files")
    if not isinstance(files, dict):
        return [Finding("catalog", False, f"the catalog entry for {release.name} lists no files")]
    findings = []
    bad = [name for name, digest in files.items()
           if ".." in Path(name).parts or not (release / name).is_file() or sha256_file(release / name) != digest]
    if bad:
        findings.append(Finding("catalog", False, f"files differ from the catalog entry: {', '.join(sorted(bad)[:5])}"))
    unlisted = sorted(release_files(release) - set(files) - {INCOMPLETE_MARKER})
    if unlisted:
        findings.append(Finding("catalog", False, f"{len(unlisted)} file(s) of the release are not in its catalog "
                                                  f"entry: {', '.join(unlisted[:5])}"))
    sizes = entry.get("sizes")
    if isinstance(sizes, dict):
        wrong = sorted(name for name in files if not (release / name).is_file()
                       or sizes.get(name) != (release / name).stat().st_size)
        if wrong and not bad:
            findings.append(Finding("catalog", False, f"sizes differ from the catalog entry: {', '.join(wrong[:5])}"))
    return findings or [Finding("catalog", True, f"catalog entry for {release.name} matches ({len(files)} files)")]


def read_tables(release: Path) -> tuple[dict[str, pd.DataFrame], list[Finding]]:
    frames, findings = {}, []
    for name in TABLES:
        path = release / f"{name}.parquet"
        if not path.exists():
            continue
        if not path.is_file():
            findings.append(Finding("tables", False, f"{name}.parquet is not a file"))
            continue
        try:
            frame = pq.read_table(path).to_pandas()
        except Exception as error:  # noqa: BLE001 - a damaged file is a finding
            findings.append(Finding("tables", False, f"{name}.parquet cannot be read: {one_line(error)}"))
            continue
        for column in frame.columns:
            if frame[column].map(lambda v: hasattr(v, "tolist") and not isinstance(v, str)).any():
                frame[column] = frame[column].map(lambda v: list(v.tolist()) if v is not None else [])
        frames[name] = frame
    return frames, findings


def schema_version_of(release: Path) -> str:
    """The schema version a release was written with (its datapackage.json), else the current one."""
    try:
        version = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))["schemaVersion"]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return SCHEMA_VERSION
    return version if isinstance(version, str) else SCHEMA_VERSION


def check_tables(frames: dict[str, pd.DataFrame], version: str | None = None) -> list[Finding]:
    try:
        failures = find_failures(frames, version)
    except TableValidationError as error:
        return [Finding("schema", False, str(error))]
    findings = [Finding(f"schema:{f.table}", False, f"{f.check}: {f.table} row {f.row_id}: {f.detail}")
                for f in failures[:20]]
    if len(failures) > 20:
        findings.append(Finding("schema", False, f"... and {len(failures) - 20} more failing rows"))
    return findings or [Finding("schema", True, f"{len(frames)} tables match their schemas, keys and offsets")]


def check_csv(release: Path, frames: dict[str, pd.DataFrame], version: str | None = None) -> list[Finding]:
    findings = []
    for name, frame in frames.items():
        csv_path = release / f"{name}.csv"
        if not csv_path.exists():
            findings.append(Finding("csv", False, f"{name}.csv is missing"))
            continue
        if not csv_path.is_file():
            findings.append(Finding("csv", False, f"{name}.csv is not a file"))
            continue
        try:
            csv = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
        except Exception as error:  # noqa: BLE001 - a damaged file is a finding
            findings.append(Finding("csv", False, f"{name}.csv cannot be parsed: {one_line(error)}"))
            continue
        if list(csv.columns) != TABLES[name].columns_in(version) or len(csv) != len(frame):
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


def guarded(check: str, run: Callable[[], list[Finding]]) -> list[Finding]:
    """A check's findings; a check that breaks on what it reads is one failed finding, not a traceback."""
    try:
        return run()
    except Exception as error:  # noqa: BLE001 - whatever a release holds, the other checks go on
        return [Finding(check, False, f"check could not run: {type(error).__name__}: {one_line(error)}")]


def validate_release(release: Path) -> list[Finding]:
    """Every check on one release folder; a failing check is a Finding with ok False."""
    findings = guarded("download", lambda: check_download(release))
    findings += guarded("checksums", lambda: check_checksums(release))
    findings += guarded("catalog", lambda: check_catalog(release))
    frames, problems = read_tables(release)
    findings += problems
    if "articles" not in frames:
        if not problems:
            findings.append(Finding("tables", False, "articles.parquet is missing"))
    else:
        version = schema_version_of(release)
        findings += guarded("schema", lambda: check_tables(frames, version))
        findings += guarded("csv", lambda: check_csv(release, frames, version))
        findings += guarded("suites", lambda: check_suites(frames))
    return [Finding(f.check, f.ok, one_line(f.detail)) for f in findings]

