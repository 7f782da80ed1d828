"""End to end on the sample corpus: layout, immutability, reproducibility, catalog."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
from frictionless import Package

from flows.pipeline import accord_pipeline
from flows.workers import extract_in_processes
from schemas.derive import csv_header
from schemas.tables import TABLES


def latest(output: Path) -> Path:
    return output / json.loads((output / "index.json").read_text())["latest"]


def test_release_layout(sample_release: Path) -> None:
    release = latest(sample_release)
    names = {p.name for p in release.iterdir()}
    assert {"articles.parquet", "articles.csv", "datapackage.json", "README.md", "SHA256SUMS",
            "CHANGES.md", "quarantine.parquet", "quarantine.csv"} <= names
    articles = pq.read_table(release / "articles.parquet").to_pandas()
    assert len(articles) == 5
    assert list(articles.columns) == list(TABLES["articles"].columns)
    header = (release / "articles.csv").read_bytes().decode("utf-8").split("\r\n", 1)[0]
    assert header.split(",") == csv_header(TABLES["articles"])
    dated = articles.set_index("source_path").loc["003_29fb0ade0d62482c.txt"]
    assert (dated["published_date"], dated["published_basis"]) == ("2023-06-28", "dateline")


def test_datapackage_is_valid_frictionless(sample_release: Path) -> None:
    report = Package(str(latest(sample_release) / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_checksums_cover_every_file(sample_release: Path) -> None:
    from flows.release.publish import sha256_file

    release = latest(sample_release)
    listed = dict(reversed(line.split("  ", 1)) for line in (release / "SHA256SUMS").read_text().splitlines())
    files = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert set(listed) == files
    assert all(sha256_file(release / name) == digest for name, digest in listed.items())


def test_catalog_lists_release(sample_release: Path) -> None:
    index = json.loads((sample_release / "index.json").read_text())
    entry = index["versions"][-1]
    assert entry["version"] == index["latest"]
    assert entry["row_counts"]["articles"] == 5
    assert "articles.parquet" in entry["files"]


def test_rerun_publishes_nothing_and_other_folder_is_identical(sample_release: Path, sample_raw: Path,
                                                               sample_raw_copy: Path, tmp_path: Path) -> None:
    from flows.release.compare import compare_releases

    before = sorted(p.name for p in sample_release.iterdir())
    again = accord_pipeline(raw_dir=sample_raw, output_dir=sample_release)
    assert again.release.version is None
    assert sorted(p.name for p in sample_release.iterdir()) == before
    other = tmp_path / "other"
    accord_pipeline(raw_dir=sample_raw_copy, output_dir=other, full=True)
    first, second = latest(sample_release), latest(other)
    assert compare_releases(first, second) == []
    assert (first / "SHA256SUMS").read_bytes() == (second / "SHA256SUMS").read_bytes()


def test_new_text_gives_new_version_and_changes(sample_release: Path, sample_raw: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    shutil.copytree(sample_release, output)
    raw = tmp_path / "raw"
    shutil.copytree(sample_raw, raw)
    (raw / "extra.txt").write_text("Envoys of two neighbouring states met in Doha on Monday for talks, "
                                   "officials said.\n", encoding="utf-8")
    old = latest(output)
    old_bytes = {p.name: p.read_bytes() for p in old.iterdir() if p.is_file()}
    summary = accord_pipeline(raw_dir=raw, output_dir=output)
    assert summary.release.version is not None and summary.processed == 1
    new = latest(output)
    assert new != old
    assert {p.name: p.read_bytes() for p in old.iterdir() if p.is_file()} == old_bytes
    assert "| articles | 1 | 0 | 0 |" in (new / "CHANGES.md").read_text()


def test_dask_runner_gives_identical_files(sample_release: Path, sample_raw_copy: Path, tmp_path: Path) -> None:
    from flows.pipeline import pipeline_with_runner
    from flows.release.compare import compare_releases

    output = tmp_path / "dask"
    pipeline_with_runner("dask")(raw_dir=sample_raw_copy, output_dir=output)
    assert compare_releases(latest(sample_release), latest(output)) == []


def test_worker_processes_give_identical_files(sample_release: Path, sample_raw_copy: Path, tmp_path: Path,
                                               monkeypatch) -> None:
    import flows.steps
    from flows.release.compare import compare_releases

    calls: list[int] = []

    def counted(batches, workers, done, **options):
        calls.append(workers)
        return extract_in_processes(batches, workers, done, **options)

    monkeypatch.setattr(flows.steps, "BATCH_SIZE", 2)
    monkeypatch.setattr(flows.steps, "IN_PROCESS_ARTICLES", 0)
    monkeypatch.setattr(flows.steps, "extract_in_processes", counted)
    output = tmp_path / "processes"
    summary = accord_pipeline(raw_dir=sample_raw_copy, output_dir=output, workers=2)
    assert calls == [2] and summary.processed == 5
    assert compare_releases(latest(sample_release), latest(output)) == []


def test_a_few_new_articles_are_extracted_in_the_runs_process(sample_release: Path, sample_raw_copy: Path,
                                                               tmp_path: Path, monkeypatch) -> None:
    """Up to IN_PROCESS_ARTICLES new articles in a run without Prefect start no worker processes, and give the
    same files."""
    import flows.pipeline
    import flows.steps
    from flows.release.compare import compare_releases

    def refused(*_args, **_options):
        raise AssertionError("a few new articles started worker processes")

    monkeypatch.setattr(flows.steps, "extract_in_processes", refused)
    output = tmp_path / "here"
    summary = flows.pipeline.pipeline_with_runner("local", orchestrated=False)(
        raw_dir=sample_raw_copy, output_dir=output, workers=2)
    assert summary.processed == 5 <= flows.steps.IN_PROCESS_ARTICLES
    assert compare_releases(latest(sample_release), latest(output)) == []


def test_run_without_prefect_gives_identical_files(sample_release: Path, sample_raw_copy: Path,
                                                   tmp_path: Path) -> None:
    from flows.pipeline import pipeline_with_runner
    from flows.release.compare import compare_releases

    output = tmp_path / "plain"
    summary = pipeline_with_runner("local", orchestrated=False)(raw_dir=sample_raw_copy, output_dir=output)
    assert summary.processed == 5 and summary.release.version is not None
    assert compare_releases(latest(sample_release), latest(output)) == []


def test_a_step_outside_a_flow_is_tried_as_often_as_its_task() -> None:
    from prefect import task
    from prefect.utilities.annotations import quote

    from flows.pipeline import run_step

    tries: list[int] = []

    @task(retries=1)
    def flaky(values: list[int]) -> int:
        tries.append(len(values))
        if len(tries) == 1:
            raise OSError("the disk was busy")
        return sum(values)

    assert run_step(flaky, quote([1, 2, 3])) == 6
    assert tries == [3, 3]
