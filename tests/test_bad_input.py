"""Bad input is quarantined with the file and the reason; the rest of the batch is kept."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.ingest import MAX_INPUT_BYTES, MAX_LINE_CHARS, ingest_raw

GOOD = "Delegations from the two neighbours met in Doha on Monday and agreed to continue talks next month."
RUSSIAN = ("Министры иностранных дел двух стран встретились в понедельник в Дохе и договорились продолжить "
           "переговоры в следующем месяце, сообщили официальные лица.")


def reasons(folder: Path) -> dict[str, str]:
    return {q.source_path: q.reason for q in ingest_raw(folder).quarantine}


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\t \n")
    (tmp_path / "good.txt").write_text(GOOD)
    result = ingest_raw(tmp_path)
    assert [a.source_path for a in result.articles] == ["good.txt"]
    assert reasons(tmp_path) == {"empty.txt": "empty", "blank.txt": "empty"}


def test_binary_file(tmp_path: Path) -> None:
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert reasons(tmp_path) == {"image.txt": "binary"}


def test_latin1_and_cp1251_are_decoded(tmp_path: Path) -> None:
    latin = "Les délégués se sont réunis à Genève lundi; the envoys' café talks in Genève continued for hours."
    (tmp_path / "latin.txt").write_bytes((GOOD + " Genève, Zürich, café.").encode("latin-1"))
    (tmp_path / "cyrillic.txt").write_bytes(RUSSIAN.encode("cp1251"))
    (tmp_path / "french.txt").write_bytes(latin.encode("latin-1"))
    texts = {a.source_path: a.text for a in ingest_raw(tmp_path).articles}
    assert texts["latin.txt"].endswith("Genève, Zürich, café.")
    assert texts["cyrillic.txt"] == RUSSIAN


def test_non_english_is_published_and_reported(tmp_path: Path) -> None:
    (tmp_path / "ru.txt").write_text(RUSSIAN)
    result = ingest_raw(tmp_path)
    assert [a.language for a in result.articles] == ["ru"]
    assert reasons(tmp_path) == {"ru.txt": "not-english"}


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper
    (tmp_path / "good.txt").write_text(GOOD)
    result = ingest_raw(tmp_path)
    assert [a.source_path for a in result.articles] == ["good.txt"]
    (row,) = result.quarantine
    assert (row.source_path, row.reason) == ("huge.txt", "too-large")
    assert f"{MAX_INPUT_BYTES:,}" in (row.detail or "")


def test_one_enormous_line(tmp_path: Path) -> None:
    (tmp_path / "line.txt").write_text("word " * (MAX_LINE_CHARS // 4))
    assert reasons(tmp_path) == {"line.txt": "too-large"}


def test_malformed_sidecar_keeps_article(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "a.meta.json").write_text("{title: oops")
    (tmp_path / "b.txt").write_text(GOOD + " Second.")
    (tmp_path / "b.meta.json").write_text(json.dumps({"published_date": "last Tuesday", "title": 42,
                                                      "outlet": "Wire"}))
    result = ingest_raw(tmp_path)
    by_path = {a.source_path: a for a in result.articles}
    assert set(by_path) == {"a.txt", "b.txt"}
    assert (by_path["b.txt"].outlet, by_path["b.txt"].published_basis) == ("Wire", "unknown")
    details = sorted((q.source_path, q.reason, q.detail or "") for q in result.quarantine)
    assert [d[:2] for d in details] == [("a.txt", "bad-metadata"), ("b.txt", "bad-metadata"),
                                        ("b.txt", "bad-metadata")]
    assert "a.meta.json" in details[0][2]
    assert any("'last Tuesday' is not an ISO date" in d[2] for d in details)


def test_odd_file_names(tmp_path: Path) -> None:
    (tmp_path / "with space.txt").write_text(GOOD)
    (tmp_path / "ünïcode—名前.txt").write_text(GOOD + " Unicode.")
    (tmp_path / "report..v2..txt").write_text(GOOD + " Dots.")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    result = ingest_raw(tmp_path)
    assert sorted(a.source_path for a in result.articles) == ["report..v2..txt", "with space.txt", "ünïcode—名前.txt"]
    assert reasons(tmp_path) == {"notes.docx": "unsupported-type"}


def test_symlink_outside_raw_is_ignored(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text(GOOD)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "link.txt").symlink_to(outside)
    assert ingest_raw(raw).articles == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_never_crash_ingest(tmp_path_factory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "x.txt").write_bytes(data)
    (folder / "x.jsonl").write_bytes(data)
    result = ingest_raw(folder)
    for article in result.articles:
        assert article.n_chars == len(article.text) > 0
        assert article.text == article.text.strip()
    assert all(q.reason and q.detail for q in result.quarantine)


def test_run_summary_and_release_list_every_rejection(prefect_harness, tmp_path: Path) -> None:
    import pandas as pd
    from typer.testing import CliRunner

    from flows.tools.cli import app

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(GOOD)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "feed.jsonl").write_text(json.dumps({"text": GOOD + " Feed."}) + "\n{broken\n")
    result = CliRunner().invoke(app, ["run", "--raw", str(raw), "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "quarantined: 2" in result.output
    assert "empty.txt: empty:" in result.output
    assert "feed.jsonl:2: bad-json:" in result.output
    index = json.loads((tmp_path / "out" / "index.json").read_text())
    quarantine = pd.read_parquet(tmp_path / "out" / index["latest"] / "quarantine.parquet")
    assert sorted(zip(quarantine["source_path"], quarantine["reason"], strict=True)) == [
        ("empty.txt", "empty"), ("feed.jsonl", "bad-json")]
