"""Publishing: versions, crash safety, the lock and spreadsheet-safe CSV."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from flows.release import publish
from flows.release.publish import PublishLockedError, csv_cell, next_version, publish_lock, publish_release

DAY = dt.date(2024, 5, 1)


def quarantine_frame(reasons: list[str]) -> pd.DataFrame:
    return pd.DataFrame({
        "quarantine_id": [f"quarantine:{i:016x}" for i in range(len(reasons))],
        "source_path": ["x.txt"] * len(reasons),
        "line": [None] * len(reasons),
        "stage": ["ingest"] * len(reasons),
        "reason": reasons,
        "detail": ["=HYPERLINK(\"http://evil\")"] * len(reasons),
        "severity": ["error"] * len(reasons),
    })


def test_versions_are_calendar_with_suffix(tmp_path: Path) -> None:
    assert next_version(tmp_path, DAY) == "2024.05.01"
    (tmp_path / "2024.05.01").mkdir()
    assert next_version(tmp_path, DAY) == "2024.05.01.1"


def test_identical_tables_publish_nothing(tmp_path: Path) -> None:
    first = publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY)
    second = publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY)
    third = publish_release({"quarantine": quarantine_frame(["empty", "binary"])}, tmp_path, [], today=DAY)
    assert (first.version, second.version, third.version) == ("2024.05.01", None, "2024.05.01.1")
    assert json.loads((tmp_path / "index.json").read_text())["latest"] == "2024.05.01.1"


@pytest.mark.parametrize("step", ["write_table", "changes_markdown", "dataset_card", "datapackage",
                                  "write_checksums", "rename", "write_json_atomically"])
def test_crash_at_any_step_keeps_previous_release(step: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY)
    index_before = (tmp_path / "index.json").read_bytes()
    release_before = {p.name: p.read_bytes() for p in (tmp_path / "2024.05.01").iterdir() if p.is_file()}

    def explode(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt("killed")

    if step == "rename":
        monkeypatch.setattr(publish.os, "rename", explode)
    else:
        monkeypatch.setattr(publish, step, explode)
    with pytest.raises(KeyboardInterrupt):
        publish_release({"quarantine": quarantine_frame(["binary"])}, tmp_path, [], today=DAY)
    assert (tmp_path / "index.json").read_bytes() == index_before
    assert json.loads(index_before)["latest"] == "2024.05.01"
    assert {p.name: p.read_bytes() for p in (tmp_path / "2024.05.01").iterdir() if p.is_file()} == release_before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024.05.01", "index.json"]


def test_second_run_cannot_publish_while_locked(tmp_path: Path) -> None:
    with publish_lock(tmp_path), pytest.raises(PublishLockedError, match="locked by another accord run"):
        publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY)


def test_stale_lock_of_dead_process_is_taken_over(tmp_path: Path) -> None:
    (tmp_path / ".lock").write_text("999999999")
    assert publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY).version


@pytest.mark.parametrize(
    ("value", "is_text", "expected"),
    [("=1+1", True, "'=1+1"), ("+7", True, "'+7"), ("-x", True, "'-x"), ("@a", True, "'@a"),
     ("safe", True, "safe"), (-3.5, False, "-3.5"), (None, True, ""), (["a", "b"], True, "a|b"),
     (True, False, "true")],
)
def test_csv_cells(value: object, is_text: bool, expected: str) -> None:
    assert csv_cell(value, is_text) == expected


def test_csv_neutralises_formulas_but_parquet_keeps_them(tmp_path: Path) -> None:
    result = publish_release({"quarantine": quarantine_frame(["empty"])}, tmp_path, [], today=DAY)
    assert result.path is not None
    assert "'=HYPERLINK" in (result.path / "quarantine.csv").read_text()
    assert pd.read_parquet(result.path / "quarantine.parquet")["detail"][0].startswith("=HYPERLINK")
