"""Derive every other form of the contract from `schemas.tables`: pandera, Arrow, Frictionless, docs."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow

from schemas.tables import SCHEMA_VERSION, TABLES, Field, Table

ARROW_TYPES: dict[str, pa_arrow.DataType] = {
    "string": pa_arrow.string(),
    "int64": pa_arrow.int64(),
    "float64": pa_arrow.float64(),
    "bool": pa_arrow.bool_(),
    "list": pa_arrow.list_(pa_arrow.string()),
}

FRICTIONLESS_TYPES = {"string": "string", "int64": "integer", "float64": "number", "bool": "boolean",
                      "list": "string"}

PANDAS_TYPES = {"string": "str", "int64": "Int64", "float64": "Float64", "bool": "boolean", "list": "object"}


def arrow_schema(table: Table) -> pa_arrow.Schema:
    """Arrow schema with each field's description kept as field metadata."""
    return pa_arrow.schema([
        pa_arrow.field(f.name, ARROW_TYPES[f.dtype], nullable=f.nullable,
                       metadata={"description": f.description})
        for f in table.fields
    ])


def csv_header(table: Table) -> list[str]:
    return list(table.columns)


def _checks(f: Field) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if f.enum:
        checks.append(pa.Check.isin(list(f.enum)))
    if f.pattern:
        checks.append(pa.Check.str_matches(f.pattern))
    if f.minimum is not None:
        checks.append(pa.Check.ge(f.minimum))
    if f.maximum is not None:
        checks.append(pa.Check.le(f.maximum))
    if f.dtype == "list":
        checks.append(pa.Check(lambda s: s.map(_is_string_list), element_wise=False,
                               name="is_list_of_strings", error="value must be a list of strings"))
    return checks


def _is_string_list(value: object) -> bool:
    return hasattr(value, "__iter__") and not isinstance(value, str) and all(isinstance(v, str) for v in value)


def pandera_schema(table: Table, version: str | None = None) -> pa.DataFrameSchema:
    """A strict pandera schema: exact columns in order, types, enums, patterns, ranges, unique keys
    (the columns of schema `version`, for a release written before later columns were added)."""
    columns = {
        f.name: pa.Column(
            None if f.dtype == "list" else PANDAS_TYPES[f.dtype],
            checks=_checks(f),
            nullable=f.nullable,
            unique=f.unique or f.name == table.primary_key,
            coerce=f.dtype != "list",
            description=f.description,
            title=f.name,
        )
        for f in table.fields_in(version)
    }
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name=table.name,
                              description=table.description, unique=[table.primary_key])


def frictionless_schema(table: Table) -> dict:
    """Frictionless Table Schema for one table (list columns are '|'-joined strings in CSV)."""
    fields = []
    for f in table.fields:
        entry: dict = {"name": f.name, "type": FRICTIONLESS_TYPES[f.dtype], "description": f.description}
        constraints: dict = {}
        if not f.nullable and f.dtype != "list":
            constraints["required"] = True
        if f.enum:
            constraints["enum"] = list(f.enum)
        if f.unique or f.name == table.primary_key:
            constraints["unique"] = True
        if f.minimum is not None:
            constraints["minimum"] = f.minimum
        if f.maximum is not None:
            constraints["maximum"] = f.maximum
        if constraints:
            entry["constraints"] = constraints
        if f.dtype == "list":
            entry["description"] += " (CSV: values joined with '|')"
        fields.append(entry)
    schema: dict = {"fields": fields, "primaryKey": [table.primary_key], "missingValues": [""]}
    keys = [
        {"fields": [fk.column], "reference": {"resource": fk.table, "fields": [fk.target]}}
        for fk in table.foreign_keys
        if fk.table != table.name and TABLES[fk.table].fields[0].dtype != "list"
        and table_field(table, fk.column).dtype != "list"
    ]
    if keys:
        schema["foreignKeys"] = keys
    return schema


def table_field(table: Table, column: str) -> Field:
    return next(f for f in table.fields if f.name == column)


def data_dictionary(tables: list[str]) -> str:
    """Markdown data dictionary for the given tables."""
    lines = [f"Schema version {SCHEMA_VERSION}.", ""]
    for name in tables:
        table = TABLES[name]
        lines += [f"### `{name}`", "", table.description, "",
                  "| column | type | required | description |", "|---|---|---|---|"]
        for f in table.fields:
            extra = f" One of: {', '.join(f.enum)}." if f.enum else ""
            extra += f" Since schema {f.since}." if f.since != "1.0.0" else ""
            lines.append(f"| `{f.name}` | {f.dtype} | {'no' if f.nullable else 'yes'} | {f.description}{extra} |")
        lines.append("")
    return "\n".join(lines)


def empty_frame(table: Table) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="object") for c in table.columns})
