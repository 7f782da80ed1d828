"""Hostile inputs: none stops, hangs or corrupts the batch; each problem is its own quarantine row."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import threading
from pathlib import Path

import pandas as pd
import pytest

from flows.ingest import FIELD_LIMITS, MAX_JSON_DEPTH, MAX_TEXT_CHARS, decode_bytes, ingest_raw
from flows.release.consolidate import frame
from flows.release.publish import publish_release

GOOD = "Delegations from the two neighbours met in Doha on Monday and agreed to continue talks next month."


def rows(folder: Path) -> list[tuple[str, int | None, str, str]]:
    """(file, line, reason, severity) of every quarantine row."""
    return sorted((q.source_path, q.line, q.reason, q.severity) for q in ingest_raw(folder).quarantine)


def publish(folder: Path, out: Path) -> Path:
    """Ingest and publish the articles and quarantine tables, as a run does (without extraction)."""
    result = ingest_raw(folder)
    frames = {"articles": frame("articles", result.articles), "quarantine": frame("quarantine", result.quarantine)}
    release = publish_release(frames, out, [], today=dt.date(2024, 1, 1))
    assert release.path is not None
    return release.path


def read_csv_strictly(path: Path) -> list[dict[str, str]]:
    """Python's csv module with its default settings (field size limit 131,072)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_deeply_nested_feed_line_is_one_row(tmp_path: Path) -> None:
    lines = [json.dumps({"text": GOOD}), "[" * 100_000 + "]" * 100_000, json.dumps({"text": GOOD + " Two."})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines))
    result = ingest_raw(tmp_path)
    assert [a.source_path for a in result.articles] == ["feed.jsonl#1", "feed.jsonl#3"]
    (row,) = result.quarantine
    assert (row.line, row.reason) == (2, "bad-json")
    assert f"at most {MAX_JSON_DEPTH}" in (row.detail or "")


def test_deeply_nested_sidecar_keeps_the_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "a.meta.json").write_text('{"title": ' + "[" * 50_000 + "]" * 50_000 + "}")
    result = ingest_raw(tmp_path)
    assert [a.source_path for a in result.articles] == ["a.txt"]
    assert rows(tmp_path) == [("a.txt", None, "bad-metadata", "warning")]


def test_name_that_is_not_utf8_is_published_escaped(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    with open(os.path.join(os.fsencode(raw), b"caf\xff.txt"), "w", encoding="utf-8") as handle:
        handle.write(GOOD)
    (raw / "other\udcfe.docx").write_bytes(b"PK")
    result = ingest_raw(raw)
    assert [a.source_path for a in result.articles] == ["caf\\xff.txt"]
    assert rows(raw) == [("caf\\xff.txt", None, "file-name", "warning"),
                         ("other\\xfe.docx", None, "unsupported-type", "error")]
    release = publish(raw, tmp_path / "out")
    assert pd.read_parquet(release / "articles.parquet")["source_path"].tolist() == ["caf\\xff.txt"]


def run_with_deadline(function, seconds: float):
    """Run function in a thread; fail the test (instead of hanging it) when it takes too long."""
    outcome: list = []
    thread = threading.Thread(target=lambda: outcome.append(function()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    return outcome[0]


def test_named_pipes_never_block(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text(GOOD)
    os.mkfifo(tmp_path / "x.meta.json")
    os.mkfifo(tmp_path / "pipe.txt")
    result = run_with_deadline(lambda: ingest_raw(tmp_path), 20)
    assert [a.source_path for a in result.articles] == ["x.txt"]
    found = sorted((q.source_path, q.reason, q.severity) for q in result.quarantine)
    assert found == [("pipe.txt", "not-a-file", "error"), ("x.txt", "bad-metadata", "warning")]
    assert all("named pipe" in (q.detail or "") for q in result.quarantine)


def test_latin1_text_is_western_european(tmp_path: Path) -> None:
    text = "Talks in Café Müller with São Paulo delegates and José Núñez ended on Monday, officials said."
    (tmp_path / "latin.txt").write_bytes(text.encode("latin-1"))
    (tmp_path / "windows.txt").write_bytes(("“Talks” in Genève – " + GOOD).encode("cp1252"))
    texts = {a.source_path: a.text for a in ingest_raw(tmp_path).articles}
    assert texts == {"latin.txt": text, "windows.txt": "“Talks” in Genève – " + GOOD}


def test_a_few_invalid_bytes_are_repaired_not_reguessed(tmp_path: Path) -> None:
    text = "“Progress,” the envoy said. " + GOOD
    data = text.encode("utf-8").replace(b"Doha", b"Do\xffha").replace(b"month", b"mo\xc3nth")
    (tmp_path / "damaged.txt").write_bytes(data)
    result = ingest_raw(tmp_path)
    (article,) = result.articles
    assert article.text == text.replace("Doha", "Do\ufffdha").replace("month", "mo\ufffdnth")
    (row,) = result.quarantine
    assert (row.reason, row.severity) == ("repaired", "warning")
    assert "2 invalid byte(s)" in (row.detail or "")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks_declare_the_encoding(codec: str) -> None:
    text = "Envoys met in Genève; “talks” went on. " + GOOD
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    assert decode_bytes(data).text.lstrip("\ufeff") == text


def test_utf16_file_is_published(tmp_path: Path) -> None:
    (tmp_path / "wide.txt").write_bytes(GOOD.encode("utf-16"))
    assert [a.text for a in ingest_raw(tmp_path).articles] == [GOOD]
    (tmp_path / "broken.txt").write_bytes(b"\xff\xfe" + GOOD.encode("utf-16-le")[:-1])
    assert ("broken.txt", None, "encoding", "error") in rows(tmp_path)


def test_cyrillic_still_decodes_as_cyrillic() -> None:
    russian = ("Министры иностранных дел двух стран встретились в понедельник в Дохе и договорились продолжить "
               "переговоры в следующем месяце, сообщили официальные лица.")
    assert decode_bytes(russian.encode("cp1251")).text == russian


def test_every_bad_metadata_key_is_its_own_row(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "a.meta.json").write_text(json.dumps({
        "title": 42, "outlet": ["x"], "url": "javascript:alert(1)", "published_date": "yesterday",
        "language": "english please", "licence": "", "unknown": "kept out silently"}))
    result = ingest_raw(tmp_path)
    assert len(result.articles) == 1
    details = sorted(q.detail or "" for q in result.quarantine)
    assert len(details) == 6 and len({q.quarantine_id for q in result.quarantine}) == 6
    assert [d.split(" ")[0] for d in details] == ["language", "licence", "outlet", "published_date", "title", "url"]


def test_feed_line_reports_each_problem(tmp_path: Path) -> None:
    russian = "Министры встретились в понедельник в Дохе и договорились продолжить переговоры."
    line = json.dumps({"text": russian, "published_date": "31/02/2024", "title": {"a": 1}, "url": "not a url"})
    (tmp_path / "feed.jsonl").write_text(line + "\n")
    found = rows(tmp_path)
    assert found == [("feed.jsonl", 1, "bad-metadata", "warning")] * 3 + [
        ("feed.jsonl#1", None, "not-english", "warning")]


def test_symlinks_inside_and_outside_are_recorded(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text(GOOD + " Secret.")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "real.txt").write_text(GOOD)
    (raw / "inside.txt").symlink_to(raw / "real.txt")
    (raw / "outside.txt").symlink_to(tmp_path / "secret.txt")
    (raw / "folder").symlink_to(tmp_path)
    (raw / "loop.txt").symlink_to(raw / "loop.txt")
    result = ingest_raw(raw)
    assert [a.source_path for a in result.articles] == ["real.txt"]
    found = {q.source_path: (q.reason, q.detail) for q in result.quarantine}
    assert set(found) == {"inside.txt", "outside.txt", "folder", "loop.txt"}
    assert {reason for reason, _ in found.values()} == {"symlink"}
    assert "inside the raw folder" in found["inside.txt"][1] and "outside" in found["outside.txt"][1]


def test_huge_title_is_cut_and_the_csv_stays_readable(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "feed.jsonl").write_text(json.dumps({"text": GOOD, "title": "T" * 1_000_000, "outlet": "O" * 5_000}))
    (raw / "a.txt").write_text(GOOD + " Sidecar.")
    (raw / "a.meta.json").write_text(json.dumps({"title": "T" * 1_000_000}))
    result = ingest_raw(raw)
    by_path = {a.source_path: a for a in result.articles}
    assert by_path["feed.jsonl#1"].title == "T" * FIELD_LIMITS["title"]
    assert by_path["feed.jsonl#1"].outlet == "O" * FIELD_LIMITS["outlet"]
    assert by_path["a.txt"].title is None
    assert sorted((q.source_path, q.reason, q.severity) for q in result.quarantine) == [
        ("a.txt", "bad-metadata", "warning"), ("feed.jsonl", "truncated", "warning"),
        ("feed.jsonl", "truncated", "warning")]
    assert "65,536-byte limit" in next(q.detail for q in result.quarantine if q.source_path == "a.txt")
    release = publish(raw, tmp_path / "out")
    titles = {row["source_path"]: row["title"] for row in read_csv_strictly(release / "articles.csv")}
    assert titles == {"feed.jsonl#1": "T" * FIELD_LIMITS["title"], "a.txt": ""}
    assert len(read_csv_strictly(release / "quarantine.csv")) == 3


def test_text_longer_than_a_csv_cell_allows_is_refused(tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text((GOOD + "\n") * (MAX_TEXT_CHARS // len(GOOD) + 10))
    assert rows(tmp_path) == [("long.txt", None, "too-large", "error")]


def test_orphan_sidecar_is_recorded(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "a.meta.json").write_text("{}")
    (tmp_path / "gone.meta.json").write_text("{}")
    assert rows(tmp_path) == [("gone.meta.json", None, "orphan-metadata", "error")]


def test_unreadable_file_is_recorded(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    (tmp_path / "locked.txt").write_text(GOOD)
    (tmp_path / "locked.txt").chmod(0)
    assert rows(tmp_path) == [("locked.txt", None, "unreadable", "error")]


def test_quarantine_details_stay_short_and_on_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "a.meta.json").write_text(json.dumps({"title": list(range(100_000))}))
    result = ingest_raw(tmp_path)
    assert result.quarantine and all(len(q.detail or "") <= 500 and "\n" not in (q.detail or "")
                                     for q in result.quarantine)


def test_run_that_cannot_get_the_lock_says_so_in_one_line(prefect_harness, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from flows.release.publish import publish_lock
    from flows.tools.cli import app

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(GOOD)
    out = tmp_path / "out"
    with publish_lock(out):
        result = CliRunner().invoke(app, ["run", "--raw", str(raw), "--output", str(out), "--lock-timeout", "0.5"])
    assert result.exit_code == 3, result.output
    assert "locked by another accord run" in result.output and "Traceback" not in result.output
    assert "extraction results are cached" in result.output
    assert list((out / ".cache").rglob("*.pkl")), "the extraction work was kept for the next run"
    assert not (out / "index.json").exists() and not list(out.glob(".tmp-*"))
    again = CliRunner().invoke(app, ["run", "--raw", str(raw), "--output", str(out)])
    assert again.exit_code == 0 and "from cache 1" in again.output, again.output[-2000:]


def test_lone_surrogates_from_json_escapes_are_repaired_or_ignored(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "feed.jsonl").write_text('{"text": "' + GOOD + ' \\udcff", "title": "a \\ud800 b"}\n')
    (raw / "a.txt").write_text(GOOD + " Sidecar.")
    (raw / "a.meta.json").write_text('{"outlet": "\\udfff"}')
    result = ingest_raw(raw)
    texts = {a.source_path: a for a in result.articles}
    assert texts["feed.jsonl#1"].text.endswith("\ufffd") and texts["feed.jsonl#1"].title is None
    assert texts["a.txt"].outlet is None
    assert sorted((q.source_path, q.reason) for q in result.quarantine) == [
        ("a.txt", "bad-metadata"), ("feed.jsonl", "bad-metadata"), ("feed.jsonl", "repaired")]
    release = publish(raw, tmp_path / "out")
    assert len(read_csv_strictly(release / "articles.csv")) == 2


def store_many(cache_dir: str, rounds: int) -> int:
    from flows.cache import store_cached
    from flows.records import ArticleExtraction, Mention

    article = ingest_for_cache()
    mentions = [Mention(f"mention:{i}", article.article_id, "date", "x" * 200, i, i + 1, None, None, "m")
                for i in range(2000)]  # big enough for the writes of two processes to overlap
    for _ in range(rounds):
        store_cached(Path(cache_dir), article, ArticleExtraction(article.article_id, mentions=mentions))
    return rounds


def ingest_for_cache():
    from flows.ingest import make_article

    return make_article(GOOD, "a.txt", {"language": "en"})


def test_two_runs_storing_the_same_cache_entry_do_not_collide(tmp_path: Path) -> None:
    import multiprocessing

    from flows.cache import load_cached

    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        assert pool.starmap(store_many, [(str(tmp_path), 100)] * 2) == [100, 100]
    assert load_cached(tmp_path, ingest_for_cache()) is not None
    assert not list(tmp_path.rglob("*.tmp"))


def test_unreadable_cache_entry_is_extracted_again(tmp_path: Path) -> None:
    from flows.cache import cache_path, is_cached, load_cached
    from flows.pipeline import extract_and_load

    article = ingest_for_cache()
    entry = cache_path(tmp_path, article)
    entry.parent.mkdir(parents=True)
    entry.write_bytes(b"not a pickle")
    assert is_cached(tmp_path, article) and load_cached(tmp_path, article) is None
    found = extract_and_load([], [article], tmp_path, workers=1)
    assert list(found) == [article.article_id] and found[article.article_id].mentions
    assert load_cached(tmp_path, article) is not None
