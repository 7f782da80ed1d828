"""Every reference-data file in `schemas/` is checked against its JSON Schema in `schemas/jsonschema/`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
# Files whose JSON Schema is still to be written; this list may only shrink.
WITHOUT_SCHEMA = {"date_expressions.yaml", "gazetteer.yaml"}


def reference_files() -> list[Path]:
    return sorted(SCHEMAS.glob("*.yaml"))


@pytest.mark.parametrize("path", reference_files(), ids=lambda p: p.name)
def test_reference_file_matches_its_schema(path: Path) -> None:
    schema_path = SCHEMAS / "jsonschema" / f"{path.stem}.schema.json"
    if path.name in WITHOUT_SCHEMA:
        assert not schema_path.exists(), f"{path.name} has a schema now: take it off WITHOUT_SCHEMA"
        pytest.skip(f"no JSON Schema for {path.name} yet")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(
        yaml.safe_load(path.read_text(encoding="utf-8"))), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{path.name}: {'/'.join(map(str, e.path))}: {e.message}" for e in errors)


def test_a_schema_rejects_a_bad_file(tmp_path: Path) -> None:
    schema = json.loads((SCHEMAS / "jsonschema" / "grammar.schema.json").read_text(encoding="utf-8"))
    bad = {"version": 1, "dependency_labels": {"subject": ["nsubj"]}, "pronouns": {"x": [True]},
           "prepositions": {}}
    messages = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(bad)]
    assert any("True is not of type 'string'" in m for m in messages)
    assert any("should be non-empty" in m or "does not have enough properties" in m for m in messages)
