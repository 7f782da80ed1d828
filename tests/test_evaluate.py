"""Tests for the gold annotations and the scorer (`flows/tools/evaluate.py`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from flows.tools.evaluate import evaluate_release, format_report, normalise, run_evaluate
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


# ---------------------------------------------------------------- the scorer


def _write_release(folder: Path, **tables: list[dict]) -> Path:
    """Write each table given as rows to `folder/<name>.parquet`."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        pq.write_table(pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False), folder / f"{name}.parquet")
    return folder


def _write_gold(folder: Path, **tables: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        (folder / f"{name}.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return folder


def _slug(name: str) -> str:
    return re.sub(r"\W+", "-", name.lower()).strip("-")


def _perfect_release(folder: Path) -> Path:
    """A release that reproduces the gold annotations exactly."""
    actors = _load("actors.jsonl")
    articles, mentions, quotes, events, places = [], [], [], [], {}
    for number, doc in enumerate(sorted(DOCS)):
        aid = f"{number:016x}"
        text = _text(doc)
        articles.append({"article_id": aid, "source_path": doc, "text": text})
        for row in _load("dates.jsonl") + _load("places.jsonl"):
            if row["doc"] != doc:
                continue
            start = text.index(row["text"])
            kind = "place" if "name" in row else "date"
            value = row["value"] if kind == "date" else "p:" + _slug(row["name"])
            if kind == "place":
                places[value] = {"place_id": value, "name": row["name"], "country_iso3": row["country"]}
            mentions.append({"article_id": aid, "kind": kind, "text": row["text"], "char_start": start,
                             "char_end": start + len(row["text"]), "value": value, "is_metonym": False})
        taken: list[tuple[int, int]] = []
        forms = sorted(((f, a["name"]) for a in actors for f in a["surface_forms"]), key=lambda x: -len(x[0]))
        for form, name in forms:
            for hit in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text):
                if not any(hit.start() < e and s < hit.end() for s, e in taken):
                    taken.append(hit.span())
                    mentions.append({"article_id": aid, "kind": "actor", "text": form, "char_start": hit.start(),
                                     "char_end": hit.end(), "value": "a:" + _slug(name), "is_metonym": False})
        for row in _load("quotes.jsonl"):
            if row["doc"] == doc:
                found = re.search(r"[\"“](" + re.escape(row["quote_head"]) + r"[^\"”]*)", text)
                speaker = row["speaker"][0] if isinstance(row["speaker"], list) else row["speaker"]
                quotes.append({"article_id": aid, "text": found.group(1), "char_start": found.start(1),
                               "speaker_name": speaker, "speaker_actor_id": None})
        for row in _load("events.jsonl"):
            if row["doc"] == doc:
                events.append({"article_id": aid, "event_type": row["type"],
                               "source_actor_ids": ["a:" + _slug(n) for n in row["source"]],
                               "target_actor_ids": ["a:" + _slug(n) for n in row["target"]],
                               "other_actor_ids": [], "event_date": row["date"], "status": row["status"],
                               "place_id": None, "cluster_id": None})
    actor_rows = [{"actor_id": "a:" + _slug(a["name"]), "name": a["name"], "aliases": []} for a in actors]
    return _write_release(folder, articles=articles, mentions=mentions, quotes=quotes, events=events,
                          actors=actor_rows, places=list(places.values()))


def test_perfect_release_scores_one_everywhere(tmp_path: Path) -> None:
    report = evaluate_release(_perfect_release(tmp_path / "release"), GOLD)
    assert report["documents"] == {"gold": 5, "found": 5, "missing": []}
    for name, result in report["tables"].items():
        assert (result["precision"], result["recall"], result["f1"]) == (1.0, 1.0, 1.0), name
        for key in ("speaker_accuracy", "value_accuracy", "country_accuracy", "date_accuracy",
                    "status_accuracy"):
            assert result.get(key, 1.0) == 1.0, (name, key, result["wrong_values"])
    assert set(report["tables"]) == {"quotes", "events", "dates", "places"}
    assert report["tables"]["events"]["gold"] == len(_load("events.jsonl"))
    assert report["actor_linking"]["rate"] == 1.0
    assert report["actor_linking"]["occurrences"] > 100


def test_empty_release_has_zero_recall_and_no_precision(tmp_path: Path) -> None:
    articles = [{"article_id": f"{i:016x}", "source_path": doc, "text": _text(doc)}
                for i, doc in enumerate(sorted(DOCS))]
    report = evaluate_release(_write_release(tmp_path / "r", articles=articles), GOLD)
    for result in report["tables"].values():
        assert result["predicted"] == result["matched"] == 0
        assert result["precision"] is None and result["recall"] == 0.0 and result["f1"] == 0.0
    assert report["actor_linking"]["linked"] == 0 and report["actor_linking"]["rate"] == 0.0
    assert "-" in format_report(report, verbose=True)


def test_release_without_any_table_counts_everything_missed(tmp_path: Path) -> None:
    (tmp_path / "r").mkdir()
    report = evaluate_release(tmp_path / "r", GOLD)
    assert report["documents"]["found"] == 0 and len(report["documents"]["missing"]) == 5
    assert report["tables"]["quotes"]["recall"] == 0.0
    assert report["actor_linking"] is None


TEXT_A = ("Alice said on Monday: \"We will meet again soon.\" Bob answered \"never\". Armenia and Alice met "
          "in Washington, D.C. on May 4, 2023, and in Arlington; Baku said \"the talks failed\". War came in 2020.")


@pytest.fixture()
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    """A one-article gold folder and a partly wrong release for it."""
    gold = _write_gold(
        tmp_path / "gold",
        quotes=[{"doc": "a.txt", "quote_head": "We will meet again", "speaker": "Alice"},
                {"doc": "a.txt", "quote_head": "never", "speaker": "Bob"},
                {"doc": "a.txt", "quote_head": "the talks failed", "speaker": None}],
        dates=[{"doc": "a.txt", "text": "Monday", "value": None},
               {"doc": "a.txt", "text": "May 4, 2023", "value": "2023-05-04"}],
        places=[{"doc": "a.txt", "text": "Washington", "name": "Washington, D.C.", "country": "USA"},
                {"doc": "a.txt", "text": "Arlington", "name": "Arlington, Virginia", "country": "USA"}],
        events=[{"doc": "a.txt", "type": "CONSULT", "source": ["Armenia", "Azerbaijan"], "target": [],
                 "date": None, "place": None, "status": "planned"},
                {"doc": "a.txt", "type": "ACCUSE", "source": ["Azerbaijan"], "target": ["Armenia"],
                 "date": None, "place": None, "status": "occurred"},
                {"doc": "a.txt", "type": "REJECT", "source": ["Armenia"], "target": ["Azerbaijan"],
                 "date": None, "place": None, "status": "occurred"}],
        actors=[{"name": "Alice", "kind": "person", "country": None, "surface_forms": ["Alice"]},
                {"name": "Armenia", "kind": "state", "country": "ARM", "surface_forms": ["Armenia", "Yerevan"]},
                {"name": "Azerbaijan", "kind": "state", "country": "AZE", "surface_forms": ["Baku"]}],
    )

    def span(text: str) -> dict:
        start = TEXT_A.index(text)
        return {"article_id": "a" * 16, "text": text, "char_start": start, "char_end": start + len(text)}

    release = _write_release(
        tmp_path / "release",
        articles=[{"article_id": "a" * 16, "source_path": "feeds/a.txt", "text": TEXT_A},
                  {"article_id": "b" * 16, "source_path": "other.txt", "text": "Not in the gold."}],
        quotes=[{**span("We will meet again soon."), "speaker_name": "alice", "speaker_actor_id": None},
                {**span("the talks failed"), "speaker_name": None, "speaker_actor_id": "aze"},
                {"article_id": "b" * 16, "text": "ignored", "speaker_name": None, "speaker_actor_id": None}],
        mentions=[{**span("Monday"), "kind": "date", "value": "2023-05-01", "is_metonym": False},
                  {**span("May 4, 2023"), "kind": "date", "value": "2023-05-04", "is_metonym": False},
                  {**span("2020"), "kind": "date", "value": "2020", "is_metonym": False},
                  {**span("2023"), "kind": "date", "value": "2023", "is_metonym": False},
                  {**span("Washington, D.C."), "kind": "place", "value": "p1", "is_metonym": False},
                  {**span("Arlington"), "kind": "place", "value": "p2", "is_metonym": False},
                  {**span("Baku"), "kind": "place", "value": "p3", "is_metonym": True},
                  {**span("Alice"), "kind": "actor", "value": "alice", "is_metonym": False},
                  {**span("Armenia"), "kind": "actor", "value": "arm", "is_metonym": False},
                  {**span("Baku"), "kind": "actor", "value": "aze", "is_metonym": True}],
        actors=[{"actor_id": "alice", "name": "Alice", "aliases": []},
                {"actor_id": "arm", "name": "Republic of Armenia", "aliases": ["Yerevan"]},
                {"actor_id": "aze", "name": "Azerbaijan", "aliases": ["Baku"]}],
        places=[{"place_id": "p1", "name": "Washington, D.C.", "country_iso3": "USA"},
                {"place_id": "p2", "name": "Arlington", "country_iso3": "USA"},
                {"place_id": "p3", "name": "Baku", "country_iso3": "AZE"}],
        events=[{"article_id": "a" * 16, "event_type": "CONSULT", "source_actor_ids": ["arm", "aze"],
                 "target_actor_ids": [], "event_date": "2024-07-10", "status": "planned", "cluster_id": "c1"},
                {"article_id": "a" * 16, "event_type": "CONSULT", "source_actor_ids": ["arm"],
                 "target_actor_ids": [], "event_date": None, "status": "planned", "cluster_id": "c1"},
                {"article_id": "a" * 16, "event_type": "ACCUSE", "source_actor_ids": ["arm"],
                 "target_actor_ids": ["aze"], "event_date": None, "status": "occurred", "cluster_id": None},
                {"article_id": "a" * 16, "event_type": "ASSAULT", "source_actor_ids": ["aze"],
                 "target_actor_ids": [], "event_date": None, "status": "occurred", "cluster_id": None}],
    )
    return gold, release


def test_partly_wrong_release_gives_exact_figures(tiny: tuple[Path, Path]) -> None:
    gold, release = tiny
    report = evaluate_release(release, gold)
    quotes, dates, places, events = (report["tables"][k] for k in ("quotes", "dates", "places", "events"))
    # quotes: 2 predicted in the gold article, 2 matched ("never" missed); the null-speaker one got a speaker
    assert (quotes["predicted"], quotes["matched"]) == (2, 2)
    assert quotes["precision"] == 1.0 and quotes["recall"] == pytest.approx(2 / 3)
    assert quotes["speaker_accuracy"] == 0.5
    # dates: '2020' is spurious, '2023' inside the matched 'May 4, 2023' a duplicate, 'Monday' wrong
    assert (dates["predicted"], dates["duplicates"]) == (3, 1)
    assert dates["precision"] == pytest.approx(2 / 3) and dates["recall"] == 1.0
    assert dates["f1"] == pytest.approx(0.8) and dates["value_accuracy"] == 0.5
    assert [item["text"] for item in dates["false_positives"]] == ["2020"]
    # places: the metonym is ignored, 'Washington, D.C.' contains 'Washington', 'Arlington' heads the name
    assert (places["precision"], places["recall"], places["value_accuracy"]) == (1.0, 1.0, 1.0)
    assert places["country_accuracy"] == 1.0
    # events: gold Armenia found through its surface form 'Yerevan'; the same-cluster report is a duplicate
    assert (events["predicted"], events["matched"], events["duplicates"]) == (3, 2, 1)
    assert events["precision"] == pytest.approx(2 / 3) and events["recall"] == pytest.approx(2 / 3)
    assert events["date_accuracy"] == 0.5 and events["status_accuracy"] == 1.0
    assert [item["text"].split()[0] for item in events["false_negatives"]] == ["REJECT"]
    # actor linking: Alice once of twice; 'Armenia' through the surface form 'Yerevan'; Baku to Azerbaijan
    linking = report["actor_linking"]
    assert (linking["occurrences"], linking["linked"]) == (4, 3)
    assert linking["by_kind"]["person"] == {"occurrences": 2, "linked": 1, "rate": 0.5}


def test_gold_state_stands_for_its_government_but_not_its_ministries(tmp_path: Path) -> None:
    gold = _write_gold(
        tmp_path / "gold",
        events=[{"doc": "a.txt", "type": "REQUEST", "source": ["Azerbaijan"], "target": [], "date": None,
                 "place": None, "status": "occurred"},
                {"doc": "a.txt", "type": "ACCUSE", "source": ["Azerbaijan"], "target": [], "date": None,
                 "place": None, "status": "occurred"}],
        actors=[{"name": "Azerbaijan", "kind": "state", "country": "AZE", "surface_forms": ["Baku"]}])
    event = {"article_id": "a" * 16, "target_actor_ids": [], "event_date": None, "status": "occurred"}
    release = _write_release(
        tmp_path / "r", articles=[{"article_id": "a" * 16, "source_path": "a.txt", "text": "Baku said."}],
        actors=[{"actor_id": "gov", "name": "Government of Azerbaijan", "kind": "government",
                 "country_iso3": "AZE", "aliases": []},
                {"actor_id": "mfa", "name": "Ministry of Foreign Affairs of Azerbaijan", "kind": "government",
                 "country_iso3": "AZE", "aliases": []}],
        events=[{**event, "event_type": "REQUEST", "source_actor_ids": ["gov"]},
                {**event, "event_type": "ACCUSE", "source_actor_ids": ["mfa"]}],
        mentions=[{"article_id": "a" * 16, "kind": "actor", "text": "Baku", "char_start": 0, "char_end": 4,
                   "value": "gov", "is_metonym": True}])
    report = evaluate_release(release, gold)
    assert report["tables"]["events"]["matched"] == 1
    assert report["tables"]["events"]["false_negatives"][0]["text"].startswith("ACCUSE")
    assert report["actor_linking"]["rate"] == 1.0


def test_precision_half_recall_third(tmp_path: Path) -> None:
    gold = _write_gold(tmp_path / "gold", quotes=[
        {"doc": "a.txt", "quote_head": "one two three", "speaker": "X"},
        {"doc": "a.txt", "quote_head": "four five", "speaker": "Y"},
        {"doc": "a.txt", "quote_head": "six", "speaker": None}])
    release = _write_release(
        tmp_path / "r", articles=[{"article_id": "a" * 16, "source_path": "a.txt", "text": "..."}],
        quotes=[{"article_id": "a" * 16, "text": "One two three four", "speaker_name": "Z"},
                {"article_id": "a" * 16, "text": "sixty", "speaker_name": None}])
    result = evaluate_release(release, gold)["tables"]["quotes"]
    assert (result["precision"], result["recall"]) == (0.5, pytest.approx(1 / 3))
    assert result["f1"] == pytest.approx(0.4) and result["speaker_accuracy"] == 0.0
    assert set(evaluate_release(release, gold)["tables"]) == {"quotes"}


def test_report_rendering_and_json(tiny: tuple[Path, Path]) -> None:
    gold, release = tiny
    text = run_evaluate(gold, release, verbose=True)
    assert "quotes" in text and "'never'" in text and "REJECT Armenia -> Azerbaijan" in text
    assert "spurious" in text and "'2020'" in text
    assert json.loads(run_evaluate(gold, release, as_json=True))["tables"]["dates"]["recall"] == 1.0
    assert "'never'" not in run_evaluate(gold, release)


def test_release_folder_resolved_through_index(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    gold, release = tiny
    root = tmp_path / "output"
    root.mkdir()
    release.rename(root / "2026.01.01")
    (root / "index.json").write_text(json.dumps({"latest": "2026.01.01", "versions": []}))
    assert evaluate_release(root, gold)["tables"]["places"]["recall"] == 1.0


def test_bad_gold_is_reported_with_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "gold"
    folder.mkdir()
    with pytest.raises(ValueError, match="no gold files"):
        evaluate_release(tmp_path, folder)
    (folder / "dates.jsonl").write_text('{"doc": "a.txt", "text": "x", "value": null}\n{oops\n')
    with pytest.raises(ValueError, match=r"dates.jsonl:2"):
        evaluate_release(tmp_path, folder)
    (folder / "dates.jsonl").write_text('{"doc": "a.txt", "text": "x"}\n')
    with pytest.raises(ValueError, match="dates.jsonl:1: lacks value"):
        evaluate_release(tmp_path, folder)
    with pytest.raises(FileNotFoundError):
        evaluate_release(tmp_path, tmp_path / "no-gold")
    (folder / "dates.jsonl").write_text('{"doc": "a.txt", "text": "x", "value": null}\n')
    with pytest.raises(FileNotFoundError):
        evaluate_release(tmp_path / "nowhere", folder)


def test_normalise() -> None:
    assert normalise("Washington, D.C.") == normalise("washington DC") == "washington dc"
    assert normalise("doesn’t  reflect") == "doesnt reflect"
    assert normalise("Nagorno-Karabakh") == "nagorno karabakh"


def test_gold_event_without_participants_matches_on_type(tmp_path: Path) -> None:
    gold = _write_gold(tmp_path / "gold", events=[
        {"doc": "a.txt", "type": "ASSAULT", "source": [], "target": [], "date": "2020", "place": None,
         "status": "occurred"}])
    release = _write_release(
        tmp_path / "r", articles=[{"article_id": "a" * 16, "source_path": "a.txt", "text": "War."}],
        events=[{"article_id": "a" * 16, "event_type": "ASSAULT", "source_actor_ids": [], "target_actor_ids": [],
                 "event_date": "2020", "status": "occurred"},
                {"article_id": "a" * 16, "event_type": "COERCE", "source_actor_ids": [], "target_actor_ids": [],
                 "event_date": None, "status": "occurred"}])
    events = evaluate_release(release, gold)["tables"]["events"]
    assert (events["matched"], events["precision"], events["recall"], events["date_accuracy"]) == (1, 0.5, 1.0, 1.0)
    assert "actor_linking" in evaluate_release(release, gold)


def test_durations_times_and_publication_dates_are_scored_apart(tmp_path: Path) -> None:
    gold = _write_gold(tmp_path / "gold", dates=[
        {"doc": "a.txt", "text": "Monday", "value": "2023-06-26"},
        {"doc": "a.txt", "text": "six years", "value": "P6Y", "kind": "duration"},
        {"doc": "a.txt", "text": "1415 GMT", "value": "T14:15Z", "kind": "time"}],
        articles=[{"doc": "a.txt", "published_date": "2023-06-28", "published_basis": "dateline"}])
    aid = "a" * 16
    mention = {"article_id": aid, "char_start": 0, "char_end": 1, "is_metonym": False}
    release = _write_release(
        tmp_path / "r",
        articles=[{"article_id": aid, "source_path": "a.txt", "text": "...", "published_date": "2023-06-28",
                   "published_basis": "metadata"}],
        mentions=[mention | {"kind": "date", "text": "Monday", "value": "2023-06-26", "precision": "day"},
                  mention | {"kind": "duration", "text": "six years", "value": "P6Y", "precision": None},
                  mention | {"kind": "date", "text": "1415 GMT", "value": "2023-06-28T14:15Z",
                             "precision": "minute"}])
    report = evaluate_release(release, gold)
    assert {name: (t["gold"], t["matched"], t["value_accuracy"]) for name, t in report["tables"].items()} == {
        "dates": (1, 1, 1.0), "durations": (1, 1, 1.0), "times": (1, 1, 1.0)}
    assert report["publication_dates"] | {"wrong_values": None} == {
        "documents": 1, "date_accuracy": 1.0, "basis_accuracy": 0.0, "wrong_values": None}


def test_speaker_kinds_and_event_types_are_reported(tmp_path: Path) -> None:
    gold = _write_gold(tmp_path / "gold", quotes=[
        {"doc": "a.txt", "quote_head": "no deal", "speaker": "Jordanian diplomat", "speaker_kind": "anonymous"},
        {"doc": "a.txt", "quote_head": "we agree", "speaker": "Ann Lee", "speaker_kind": "person"}],
        events=[{"doc": "a.txt", "type": "ACCUSE", "source": ["Ann Lee"], "target": [], "date": None,
                 "status": "occurred"}],
        actors=[{"name": "Ann Lee", "kind": "person", "country": None, "surface_forms": ["Ann Lee"]}])
    aid = "a" * 16
    release = _write_release(
        tmp_path / "r", articles=[{"article_id": aid, "source_path": "a.txt", "text": "..."}],
        quotes=[{"article_id": aid, "text": "No deal", "speaker_name": "a Jordanian diplomat"},
                {"article_id": aid, "text": "We agree", "speaker_name": "Bob"}],
        events=[{"article_id": aid, "event_type": "REJECT", "source_actor_ids": ["p:ann"], "target_actor_ids": [],
                 "event_date": None, "status": "occurred", "cluster_id": None}],
        actors=[{"actor_id": "p:ann", "name": "Ann Lee", "aliases": []}])
    tables = evaluate_release(release, gold)["tables"]
    assert tables["quotes"]["speaker_by_kind"] == {
        "anonymous": {"right": 1, "matched": 1, "accuracy": 1.0}, "person": {"right": 0, "matched": 1, "accuracy": 0.0}}
    assert (tables["events"]["matched"], tables["events"]["type_accuracy"]) == (0, 0.0)
