"""Validate: schema checks from `schemas/`, checks across tables, and quarantine of failing rows.

Row-level failures remove the row and record it in `quarantine` with the check that failed; a
table-level failure (missing column, duplicated key) raises `TableValidationError` so nothing is published.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.errors as pa_errors

from flows.ids import make_id
from flows.records import QuarantineRow
from schemas.derive import pandera_schema
from schemas.tables import TABLES

OFFSET_TABLES = {"mentions": "text", "quotes": "text", "events": "trigger"}


class TableValidationError(RuntimeError):
    """A whole table breaks the contract; the release must not be published."""


@dataclass(frozen=True)
class RowFailure:
    table: str
    row_id: str
    check: str
    detail: str


def schema_failures(name: str, frame: pd.DataFrame, version: str | None = None) -> list[RowFailure]:
    """Rows of one table that break its declared schema (of `version`); raises on table-level failures."""
    schema = pandera_schema(TABLES[name], version)
    try:
        schema.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as errors:
        cases = errors.failure_cases
        row_level = cases[cases["index"].notna()]
        table_level = cases[cases["index"].isna()]
        if len(table_level):
            first = table_level.iloc[0]
            raise TableValidationError(
                f"table {name}: {first['check']} failed on column {first['column']}") from None
        key = TABLES[name].primary_key
        return [
            RowFailure(name, str(frame.loc[int(case["index"]), key]), str(case["check"]),
                       f"column {case['column']}: value {case['failure_case']!r}")
            for _, case in row_level.iterrows()
        ]
    return []


def foreign_key_failures(frames: dict[str, pd.DataFrame]) -> list[RowFailure]:
    """Every id a table refers to must exist in the table it names (list columns: every item)."""
    failures = []
    for name, frame in frames.items():
        table = TABLES[name]
        for fk in table.foreign_keys:
            if fk.table not in frames or frame.empty:
                continue
            known = set(frames[fk.table][fk.target].dropna())
            values = frame[[table.primary_key, fk.column]].explode(fk.column).dropna(subset=[fk.column])
            dangling = values[~values[fk.column].isin(known)].drop_duplicates(table.primary_key)
            failures.extend(
                RowFailure(name, str(key), f"foreign_key:{fk.column}", f"{value!r} not in {fk.table}.{fk.target}")
                for key, value in zip(dangling[table.primary_key], dangling[fk.column], strict=True))
    return failures


def offset_failures(frames: dict[str, pd.DataFrame]) -> list[RowFailure]:
    """A span's text must equal the article text at its offsets."""
    if "articles" not in frames:
        return []
    texts = dict(zip(frames["articles"]["article_id"], frames["articles"]["text"], strict=True))
    failures = []
    for name, column in OFFSET_TABLES.items():
        if name not in frames:
            continue
        key = TABLES[name].primary_key
        for row in frames[name][[key, "article_id", "char_start", "char_end", column]].itertuples(index=False):
            text = texts.get(row.article_id)
            if text is None:
                continue
            actual = text[int(row.char_start):int(row.char_end)]
            if actual != getattr(row, column):
                failures.append(RowFailure(name, str(getattr(row, key)), "offsets",
                                           f"text[{row.char_start}:{row.char_end}] is {actual[:40]!r}, "
                                           f"not {str(getattr(row, column))[:40]!r}"))
    return failures


def find_failures(frames: dict[str, pd.DataFrame], version: str | None = None) -> list[RowFailure]:
    failures = [f for name, frame in frames.items() for f in schema_failures(name, frame, version)]
    return failures + foreign_key_failures(frames) + offset_failures(frames)


def source_paths(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    articles = frames.get("articles")
    if articles is None:
        return {}
    return dict(zip(articles["article_id"], articles["source_path"], strict=True))


def quarantine_failing_rows(frames: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], list[QuarantineRow]]:
    """Drop rows that fail a check (repeating until none fail) and describe each in quarantine rows."""
    frames = dict(frames)
    quarantined: list[QuarantineRow] = []
    paths = source_paths(frames)
    for _ in range(5):
        failures = [f for f in find_failures(frames) if f.table != "quarantine"]
        if not failures:
            return frames, quarantined
        for failure in failures:
            frame = frames[failure.table]
            key = TABLES[failure.table].primary_key
            row = frame[frame[key] == failure.row_id]
            article_id = row["article_id"].iloc[0] if "article_id" in frame and len(row) else None
            source = paths.get(article_id, failure.table) if article_id else failure.table
            quarantined.append(QuarantineRow(
                make_id("quarantine", source, failure.table, failure.row_id, failure.check),
                source, None, "validate", f"{failure.table}:{failure.check}",
                f"{failure.table} row {failure.row_id}: {failure.detail}"))
        bad = {(f.table, f.row_id) for f in failures}
        for name in {f.table for f in failures}:
            key = TABLES[name].primary_key
            frames[name] = frames[name][~frames[name][key].isin({r for t, r in bad if t == name})]
            frames[name] = frames[name].reset_index(drop=True)
    raise TableValidationError("rows kept failing checks after removing failing rows")
