"""Tests for the gold annotations and the scorer (`flows/evaluate.py`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from schemas.vocabularies import ACTOR_KINDS, EVENT_STATUSES, PLOVER_EVENT_TYPES

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
RAW = ROOT / "raw"
DOCS = {
    "000_ccb4217a21302fe9.txt", "001_b5d4c7ccf50ad595.txt", "002_f0582899da0bf64d.txt",
    "003_29fb0ade0d62482c.txt", "004_2a8557e98f314890.txt",
}
ISO_VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2})?(/\d{4}(-\d{2}(-\d{2})?)?)?$")


def _load(name: str) -> list[dict]:
    with open(GOLD / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _text(doc: str) -> str:
    return (RAW / doc).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def actor_names() -> set[str]:
    return {row["name"] for row in _load("actors.jsonl")}


def test_gold_files_parse_and_reference_only_sample_docs() -> None:
    for name in ("quotes.jsonl", "events.jsonl", "dates.jsonl", "places.jsonl"):
        rows = _load(name)
        assert rows, name
        assert {row["doc"] for row in rows} <= DOCS, name


def test_gold_actors_are_well_formed() -> None:
    rows = _load("actors.jsonl")
    names = [row["name"] for row in rows]
    assert len(names) == len(set(names))
    for row in rows:
        assert row["kind"] in ACTOR_KINDS
        assert row["country"] is None or re.fullmatch(r"[A-Z]{3}", row["country"])
        assert isinstance(row["surface_forms"], list)
    corpus = "\n".join(_text(doc) for doc in DOCS)
    for row in rows:
        for form in row["surface_forms"]:
            assert form in corpus, form


def test_gold_events_use_plover_and_known_actors(actor_names: set[str]) -> None:
    places = {row["name"] for row in _load("places.jsonl")}
    for row in _load("events.jsonl"):
        assert row["type"] in PLOVER_EVENT_TYPES
        assert row["status"] in EVENT_STATUSES
        assert row["source"] or row["target"]
        for name in row["source"] + row["target"] + row.get("other", []):
            assert name in actor_names, name
        assert row["source"] == sorted(row["source"]) and row["target"] == sorted(row["target"])
        assert row["date"] is None or ISO_VALUE.match(row["date"]), row
        assert row["place"] is None or row["place"] in places, row


def test_gold_quotes_dates_places_occur_in_their_text(actor_names: set[str]) -> None:
    for row in _load("quotes.jsonl"):
        assert re.search(r"[\"“]" + re.escape(row["quote_head"]), _text(row["doc"])), row
        speakers = row["speaker"] if isinstance(row["speaker"], list) else [row["speaker"]]
        assert all(s is None or s in actor_names for s in speakers), row
    for name in ("dates.jsonl", "places.jsonl"):
        for row in _load(name):
            assert row["text"] in _text(row["doc"]), row
    for row in _load("dates.jsonl"):
        assert row["value"] is None or ISO_VALUE.match(row["value"]), row
