"""`accord validate` passes a fresh release and fails, clearly, on each kind of corruption."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from flows.ids import make_id, text_hash
from flows.pipeline import write_quality_report
from flows.release.publish import publish_release, sha256_file, write_checksums, write_table
from flows.release.verify import validate_release
from flows.tools.cli import app

TEXT = "Envoys met in Doha on Monday, officials said."
ARTICLE_ID = text_hash(TEXT)


def frames() -> dict[str, pd.DataFrame]:
    articles = pd.DataFrame([{
        "article_id": ARTICLE_ID, "source_path": "a.txt", "title": None, "outlet": None, "url": None,
        "published_date": None, "published_basis": "unknown", "published_confidence": 0.0, "language": "en",
        "n_chars": len(TEXT), "text": TEXT,
    }])
    mentions = pd.DataFrame([{
        "mention_id": make_id("mention", ARTICLE_ID, "place", 14, 18), "article_id": ARTICLE_ID, "kind": "place",
        "text": "Doha", "char_start": 14, "char_end": 18, "value": "geonames:290030", "precision": "city",
        "method": "geonames-city", "is_metonym": False, "basis": None, "confidence": 0.9,
    }])
    quarantine = pd.DataFrame(columns=["quarantine_id", "source_path", "line", "stage", "reason", "detail",
                                       "severity"])
    return {"articles": articles, "mentions": mentions, "quarantine": quarantine}


@pytest.fixture()
def release(tmp_path: Path) -> Path:
    result = publish_release(frames(), tmp_path, [], extra_files=write_quality_report, today=dt.date(2024, 1, 1))
    assert result.path is not None
    return result.path


def rewrite(release: Path, name: str, frame: pd.DataFrame) -> None:
    """Replace a table and refresh SHA256SUMS, so only the content checks can catch it."""
    write_table(name, frame, release)
    write_checksums(release)


def failed_checks(release: Path) -> list[str]:
    return [f"{f.check}: {f.detail}" for f in validate_release(release) if not f.ok]


def test_fresh_release_passes(release: Path) -> None:
    assert failed_checks(release) == []
    assert (release / "quality" / "index.html").exists()
    assert (release / "quality" / "results.json").exists()
    result = CliRunner().invoke(app, ["validate", str(release.parent)])
    assert result.exit_code == 0, result.output


def test_one_changed_byte_fails(release: Path) -> None:
    path = release / "articles.csv"
    data = bytearray(path.read_bytes())
    data[-3] ^= 1
    path.write_bytes(bytes(data))
    failures = failed_checks(release)
    assert any(f.startswith("checksums: articles.csv: sha256") for f in failures)
    result = CliRunner().invoke(app, ["validate", str(release)])
    assert result.exit_code == 1
    assert "articles.csv" in result.output


def test_row_breaking_schema_fails(release: Path) -> None:
    mentions = frames()["mentions"].assign(kind="rumour")
    rewrite(release, "mentions", mentions)
    failures = failed_checks(release)
    assert any("isin" in f and "mentions" in f for f in failures), failures
    assert any(f.startswith("catalog:") for f in failures)


def test_dangling_foreign_key_fails(release: Path) -> None:
    mentions = frames()["mentions"].assign(article_id="0" * 16)
    rewrite(release, "mentions", mentions)
    assert any("foreign_key:article_id" in f for f in failed_checks(release))


def test_wrong_offset_fails(release: Path) -> None:
    mentions = frames()["mentions"].assign(char_start=15, char_end=19)
    rewrite(release, "mentions", mentions)
    assert any("offsets" in f and "'oha '" in f for f in failed_checks(release))


def test_unlisted_file_fails(release: Path) -> None:
    (release / "extra.csv").write_text("x\n")
    assert "checksums: extra.csv is not listed in SHA256SUMS" in failed_checks(release)


def test_checksums_helper_matches(release: Path) -> None:
    line = (release / "SHA256SUMS").read_text().splitlines()[0]
    digest, name = line.split("  ")
    assert sha256_file(release / name) == digest


def test_compare_releases(release: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(release, copy)
    runner = CliRunner()
    assert runner.invoke(app, ["compare", str(release), str(copy)]).exit_code == 0
    rewrite(copy, "mentions", frames()["mentions"].assign(method="other"))
    result = runner.invoke(app, ["compare", str(release), str(copy)])
    assert result.exit_code == 1
    assert "mentions.csv: contents differ" in result.output


def validate_output(target: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["validate", str(target)])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output.splitlines()


def test_missing_checksum_list_is_a_finding(release: Path) -> None:
    (release / "SHA256SUMS").unlink()
    code, lines = validate_output(release)
    assert code == 1 and "FAIL checksums: SHA256SUMS is missing" in lines


def test_truncated_parquet_is_a_finding_and_earlier_findings_are_kept(release: Path) -> None:
    path = release / "articles.parquet"
    path.write_bytes(path.read_bytes()[:100])
    code, lines = validate_output(release)
    assert code == 1
    assert any(line.startswith("FAIL checksums: articles.parquet: sha256") for line in lines)
    assert any(line.startswith("FAIL tables: articles.parquet cannot be read") for line in lines)
    assert all(len(line) < 600 for line in lines)


def test_directory_in_place_of_a_file_is_a_finding(release: Path) -> None:
    (release / "mentions.csv").unlink()
    (release / "mentions.csv").mkdir()
    (release / "mentions.parquet").unlink()
    (release / "mentions.parquet").mkdir()
    code, lines = validate_output(release)
    assert code == 1
    assert "FAIL checksums: mentions.csv is a directory, not a file" in lines
    assert "FAIL tables: mentions.parquet is not a file" in lines


def test_latest_outside_the_output_folder_is_not_followed(release: Path, tmp_path: Path) -> None:
    import json
    import shutil

    outside = tmp_path / "elsewhere"
    shutil.copytree(release, outside / release.name)
    index_path = release.parent / "index.json"
    index = json.loads(index_path.read_text())
    for latest in ["../elsewhere/" + release.name, str(outside / release.name)]:
        index["latest"] = latest
        index_path.write_text(json.dumps(index))
        code, lines = validate_output(release.parent)
        assert code == 1 and any(line.startswith("FAIL catalog:") and "not followed" in line for line in lines)
    link = release.parent / "2099.01.01"
    link.symlink_to(outside / release.name)
    index["latest"] = "2099.01.01"
    index_path.write_text(json.dumps(index))
    code, lines = validate_output(release.parent)
    assert code == 1 and any("leads outside" in line for line in lines)


def test_catalog_entry_must_list_every_file(release: Path) -> None:
    import json

    index_path = release.parent / "index.json"
    index = json.loads(index_path.read_text())
    del index["versions"][0]["files"]["quality/results.json"]
    index_path.write_text(json.dumps(index))
    assert any("not in its catalog entry: quality/results.json" in f for f in failed_checks(release))


def test_broken_catalog_is_a_finding(release: Path) -> None:
    (release.parent / "index.json").write_text("[" * 100_000)
    code, lines = validate_output(release)
    assert code == 1 and any(line.startswith("FAIL catalog:") for line in lines)
    code, lines = validate_output(release.parent)
    assert code == 1 and any("cannot be read as a catalog" in line for line in lines)


def test_release_of_an_earlier_schema_is_checked_against_its_own_columns(release: Path) -> None:
    import json

    import pyarrow.parquet as pq

    table = pq.read_table(release / "quarantine.parquet").drop_columns(["severity"])
    pq.write_table(table, release / "quarantine.parquet")
    (release / "quarantine.csv").write_text(",".join(table.column_names) + "\r\n", encoding="utf-8")
    package = json.loads((release / "datapackage.json").read_text())
    package["schemaVersion"] = "1.0.0"
    (release / "datapackage.json").write_text(json.dumps(package))
    write_checksums(release)
    assert not [f for f in failed_checks(release) if not f.startswith("catalog:")]
    package["schemaVersion"] = "1.1.0"
    (release / "datapackage.json").write_text(json.dumps(package))
    write_checksums(release)
    assert any(f.startswith("schema:") and "quarantine" in f for f in failed_checks(release))
