"""Raw files read by an earlier run come from the ingest cache, equal to a fresh read; a changed text or
sidecar is read again, and entries no file uses any more are dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import flows.cache
from flows.cache import RawFileCache
from flows.ingest import ingest_raw

TEXT = "Talks resumed in Geneva on Monday.\n\nThe two delegations met for three hours and agreed to meet again."


def raw_folder(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(TEXT, encoding="utf-8")
    (raw / "b.txt").write_text(TEXT.replace("Geneva", "Vienna"), encoding="utf-8")
    (raw / "b.meta.json").write_text(json.dumps({"published_date": "2024-03-04", "outlet": "Daily"}), encoding="utf-8")
    # valid UTF-8 with one stray byte: read with a 'repaired' note, which the cache must give back too
    (raw / "c.txt").write_bytes("Café talks in Genève resumed on Monday; the delegations met again.".encode() + b"\xff")
    return raw


def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the cache had to read itself, in order."""
    seen: list[str] = []
    original = flows.cache.read_file

    def counting(path, source_path, result):
        seen.append(source_path)
        return original(path, source_path, result)

    monkeypatch.setattr(flows.cache, "read_file", counting)
    return seen


def test_cached_reads_equal_fresh_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = raw_folder(tmp_path)
    fresh = ingest_raw(raw)
    seen = reads(monkeypatch)
    first = ingest_raw(raw, RawFileCache(tmp_path / "cache").read)
    second = ingest_raw(raw, RawFileCache(tmp_path / "cache").read)
    assert first == second == fresh
    assert [q.reason for q in second.quarantine] == ["repaired"]
    assert seen == ["a.txt", "b.txt", "c.txt"]


def test_changed_text_or_sidecar_is_read_again_and_unused_entries_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = raw_folder(tmp_path)
    cache = RawFileCache(tmp_path / "cache")
    ingest_raw(raw, cache.read)
    cache.prune()
    (raw / "a.txt").write_text(TEXT + " Both sides said so.", encoding="utf-8")
    (raw / "b.meta.json").write_text(json.dumps({"published_date": "2024-03-05"}), encoding="utf-8")
    seen = reads(monkeypatch)
    again = RawFileCache(tmp_path / "cache")
    result = ingest_raw(raw, again.read)
    again.prune()
    assert seen == ["a.txt", "b.txt"]
    assert result == ingest_raw(raw)
    assert [a.published_date for a in result.articles if a.source_path == "b.txt"] == ["2024-03-05"]
    assert len(list(again.folder.glob("*.pkl"))) == 3
