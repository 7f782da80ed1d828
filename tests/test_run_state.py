"""A run with nothing new: decided from fingerprints, before any parsing, and nothing published."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows import run_state
from flows.run_state import RECORD_FILE, raw_fingerprint, unchanged_release
from flows.tools.cli import app


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def snapshot(output: Path) -> dict[str, bytes]:
    """Every file of an output folder but the extraction cache, with its bytes."""
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*"))
            if p.is_file() and ".cache" not in p.parts}


def test_raw_fingerprint_follows_names_and_bytes(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "a.txt").write_text("First text.\n", encoding="utf-8")
    (raw / "sub" / "b.txt").write_text("Second text.\n", encoding="utf-8")
    first = raw_fingerprint(raw)
    assert first == raw_fingerprint(raw)
    (raw / "a.meta.json").write_text('{"title": "A"}', encoding="utf-8")
    with_sidecar = raw_fingerprint(raw)
    assert with_sidecar != first
    (raw / "sub" / "b.txt").write_text("Second text!\n", encoding="utf-8")
    assert raw_fingerprint(raw) not in (first, with_sidecar)
    (raw / "sub" / "b.txt").rename(raw / "sub" / "c.txt")
    assert len({first, with_sidecar, raw_fingerprint(raw)}) == 3


def test_unchanged_inputs_are_recognised(sample_release: Path, sample_raw_copy: Path) -> None:
    record = unchanged_release(sample_raw_copy, sample_release)
    assert record is not None
    assert record.release == json.loads((sample_release / "index.json").read_text())["latest"]
    assert record.articles_read == 5 and record.row_counts["articles"] == 5


def test_other_code_or_reference_data_runs_again(sample_release: Path, sample_raw_copy: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run_state, "code_fingerprint", lambda: "other code")
    assert unchanged_release(sample_raw_copy, sample_release) is None


def test_damaged_or_superseded_release_runs_again(sample_release: Path, sample_raw_copy: Path,
                                                  tmp_path: Path) -> None:
    damaged = copy_tree(sample_release, tmp_path / "damaged")
    latest = json.loads((damaged / "index.json").read_text())["latest"]
    (damaged / latest / "events.csv").write_text("damaged\r\n", encoding="utf-8")
    assert unchanged_release(sample_raw_copy, damaged) is None
    superseded = copy_tree(sample_release, tmp_path / "superseded")
    record = json.loads((superseded / RECORD_FILE).read_text())
    (superseded / RECORD_FILE).write_text(json.dumps(record | {"release": "2001.01.01"}), encoding="utf-8")
    assert unchanged_release(sample_raw_copy, superseded) is None
    (superseded / RECORD_FILE).write_text("{not json", encoding="utf-8")
    assert unchanged_release(sample_raw_copy, superseded) is None


def test_run_with_nothing_new_parses_and_publishes_nothing(sample_release: Path, sample_raw_copy: Path,
                                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.pipeline

    def fail(*_args, **_kwargs):
        raise AssertionError("the pipeline ran")

    monkeypatch.setattr(flows.pipeline, "pipeline_with_runner", fail)
    output = copy_tree(sample_release, tmp_path / "out")
    before = snapshot(output)
    result = CliRunner().invoke(app, ["run", "--raw", str(sample_raw_copy), "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "nothing new" in result.output and "unchanged since release" in " ".join(result.output.split())
    assert snapshot(output) == before


def test_flow_with_nothing_new_reads_no_text(sample_release: Path, sample_raw_copy: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.pipeline
    import flows.steps
    from flows.steps import Step

    def fail(*_args, **_kwargs):
        raise AssertionError("raw texts were read")

    monkeypatch.setattr(flows.steps, "ingest_task", Step("ingest", fail))
    output = copy_tree(sample_release, tmp_path / "out")
    before = snapshot(output)
    summary = flows.pipeline.accord_pipeline(raw_dir=sample_raw_copy, output_dir=output)
    assert summary.release.version is None and "unchanged since release" in summary.release.reason
    assert summary.processed == 0 and summary.row_counts["articles"] == 5
    assert snapshot(output) == before


def test_changed_raw_file_is_picked_up(sample_release: Path, sample_raw_copy: Path, tmp_path: Path) -> None:
    from flows.pipeline import accord_pipeline

    output = copy_tree(sample_release, tmp_path / "out")
    raw = copy_tree(sample_raw_copy, tmp_path / "raw")
    changed = sorted(raw.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe talks resume on Friday, officials said.\n",
                       encoding="utf-8")
    summary = accord_pipeline(raw_dir=raw, output_dir=output)
    assert summary.processed == 1 and summary.release.version is not None
    record = unchanged_release(raw, output)
    assert record is not None and record.release == summary.release.version
