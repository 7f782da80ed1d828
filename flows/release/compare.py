"""`accord compare`: are two releases byte-identical, every file (or only the tables)?

Two builds from the same raw texts, code and reference data, published on the same day (or with the
same SOURCE_DATE_EPOCH), must hold identical files, so identical SHA256SUMS. A release built on another
day carries another version name in its dataset card, report and datapackage; `tables_only` then
compares the Parquet and CSV files alone.
"""

from __future__ import annotations

from pathlib import Path

TABLE_SUFFIXES = (".parquet", ".csv")
NEWLINE = b"\n"


def release_files(folder: Path, tables_only: bool = False) -> set[str]:
    """Paths of the files of a release folder, relative to it (tables only: top-level Parquet and CSV)."""
    if tables_only:
        return {p.name for p in folder.iterdir() if p.is_file() and p.suffix in TABLE_SUFFIXES}
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def first_difference(a: bytes, b: bytes) -> str:
    """Where two files part: a line number for text, a byte offset otherwise."""
    offset = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    if b"\0" in a[:8192] or b"\0" in b[:8192]:
        return f"from byte {offset}"
    return f"from line {a.count(NEWLINE, 0, offset) + 1}"


def compare_releases(first: Path, second: Path, tables_only: bool = False) -> list[str]:
    """One line per file that differs or exists in one release only; empty when byte-identical."""
    mine, theirs = release_files(first, tables_only), release_files(second, tables_only)
    differences = []
    for name in sorted(mine | theirs):
        if name not in mine or name not in theirs:
            differences.append(f"{name}: only in {first if name in mine else second}")
            continue
        a, b = (first / name).read_bytes(), (second / name).read_bytes()
        if a != b:
            differences.append(f"{name}: contents differ ({first_difference(a, b)})")
    return differences
