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
    quarantine = pd.DataFrame(columns=["quarantine_id", "source_path", "line", "stage", "reason", "detail"])
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
