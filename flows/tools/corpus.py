"""The evaluation corpus: its splits, extraction straight from a raw folder, and the sentence tables.

A corpus folder holds one folder per split (`dev/`, `test/`), each with `raw/` texts and `gold/`
annotations, and `sentences/` with `events_*_<split>.yaml` / `quotes_<split>.yaml` tables of single
sentences and what they should give. Scoring a split needs no release: the texts are ingested and
extracted in this process (with the per-article cache) and the tables are scored as they are built.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from flows.tools.evaluate import evaluate_tables, format_report
from flows.tools.gold import Row, clean_value, normalise

SPLITS = ("dev", "test")
SYMMETRIC_TYPES = ("CONSULT", "COOPERATE")


def is_corpus(folder: Path) -> bool:
    """A corpus has a `<split>/gold` folder; a plain gold folder has the .jsonl files itself."""
    return any((folder / split / "gold").is_dir() for split in SPLITS)


def corpus_splits(folder: Path, split: str | None) -> list[str]:
    """The splits to score: the one asked for, else every split the corpus has."""
    if split is not None:
        if split not in SPLITS:
            raise ValueError(f"unknown split {split!r}: use {' or '.join(SPLITS)}")
        if not (folder / split / "gold").is_dir():
            raise FileNotFoundError(f"split {split!r} not found: {folder / split / 'gold'}")
        return [split]
    return [name for name in SPLITS if (folder / name / "gold").is_dir()]


def extract_raw_folder(raw_dir: Path, cache_dir: Path | None = None) -> dict[str, list[Row]]:
    """Ingest and extract every text of `raw_dir` and return the tables as rows, as a release holds them."""
    from flows.cache import load_cached, store_cached
    from flows.extract.article import PRODUCED_TABLES
    from flows.ingest import ingest_raw
    from flows.release.consolidate import build_tables
    from flows.workers import extract_batch

    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw_dir}")
    ingested = ingest_raw(raw_dir)
    english = [a for a in ingested.articles if a.language == "en"]
    cached = {a.article_id: load_cached(cache_dir, a) for a in english} if cache_dir else {}
    todo = [a for a in english if cached.get(a.article_id) is None]
    fresh = {e.article_id: e for e in extract_batch(todo)} if todo else {}
    if cache_dir:
        for article in todo:
            store_cached(cache_dir, article, fresh[article.article_id])
    extractions = [fresh.get(a.article_id) or cached[a.article_id] for a in english]
    frames = build_tables(ingested.articles, extractions, ingested.quarantine, PRODUCED_TABLES)
    return rows_of(frames)


def rows_of(frames: dict[str, Any]) -> dict[str, list[Row]]:
    """DataFrames as lists of plain dicts (NaN as None, arrays as lists), as `load_release` gives them."""
    return {name: [{key: clean_value(value) for key, value in row.items()} for row in frame.to_dict("records")]
            for name, frame in frames.items()}


def default_cache_dir() -> Path:
    """Per-article results of evaluation runs, outside the repository."""
    from flows.cache import user_cache_dir  # imported late: flows.cache imports the extraction stages

    return user_cache_dir() / "evaluate"


def evaluate_corpus(corpus: Path, split: str | None, release: Path | None = None, verbose: bool = False,
                    cache_dir: Path | None = None) -> tuple[dict[str, Any], str]:
    """Score each split of a corpus (its raw texts extracted here, or a given release) and its sentence tables."""
    from flows.tools.gold import load_release

    reports: dict[str, Any] = {}
    text: list[str] = []
    for name in corpus_splits(corpus, split):
        if release is not None:
            tables, label = load_release(release), str(release)
        else:
            raw = corpus / name / "raw"
            tables, label = extract_raw_folder(raw, cache_dir or default_cache_dir()), f"{raw} (extracted now)"
        report = evaluate_tables(tables, corpus / name / "gold", label)
        results = score_sentence_tables(corpus / "sentences", name)
        report["sentences"] = sentence_summary(results)
        reports[name] = report
        text += [f"== {name} split ==", format_report(report, verbose), format_sentences(results, verbose), ""]
    return reports, "\n".join(text).rstrip()


def format_sentences(results: list[SentenceResult], verbose: bool = False) -> str:
    """Pass counts of the sentence tables, per construction; `verbose` lists every failing sentence."""
    if not results:
        return "sentence tables: none"
    lines = [""]
    for kind, entry in sentence_summary(results).items():
        groups = ", ".join(f"{group} {ok}/{total}" for group, (ok, total) in sorted(entry["by_group"].items()))
        lines.append(f"{kind} sentences: {entry['passed']}/{entry['total']} pass ({groups})")
    if verbose:
        for result in results:
            if not result.passed:
                lines += [f"  {result.id}: {result.text}", f"    expected {result.expected}", f"    got {result.got}"]
                lines += [f"    {note}" for note in result.notes]
    return "\n".join(lines)


# ---------------------------------------------------------------- sentence tables


@dataclass
class SentenceResult:
    """One sentence of a table: what was expected, what came out, and whether they agree."""

    table: str
    id: str
    text: str
    group: str
    passed: bool
    expected: list[Row]
    got: list[Row]
    notes: list[str] = field(default_factory=list)


def load_sentence_table(path: Path) -> list[Row]:
    """A sentence table: a YAML list of entries with `id` and `text`; ids unique within the file."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(entries, list):
        raise ValueError(f"{path}: expected a YAML list of sentences")
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("id") or not isinstance(entry.get("text"), str):
            raise ValueError(f"{path}: entry {number} lacks an id or a text")
        if entry["id"] in seen:
            raise ValueError(f"{path}: id {entry['id']} appears twice")
        seen.add(entry["id"])
    return entries


def sentence_tables(folder: Path, split: str, kind: str) -> list[Path]:
    """The `kind` (events or quotes) tables of a split: `<kind>_<split>.yaml` and `<kind>_*_<split>.yaml`."""
    return sorted(folder.glob(f"{kind}_{split}.yaml")) + sorted(folder.glob(f"{kind}_*_{split}.yaml"))


def extract_sentence(text: str) -> dict[str, list[Row]]:
    """Extract one sentence as an article of its own, with no metadata."""
    from flows.extract.article import PRODUCED_TABLES
    from flows.ingest import make_article
    from flows.release.consolidate import build_tables
    from flows.workers import extract_batch

    article = make_article(text, f"sentence-{hashlib.sha256(text.encode()).hexdigest()[:12]}.txt", {})
    frames = build_tables([article], extract_batch([article]), [], PRODUCED_TABLES)
    return rows_of(frames)


class ActorNames:
    """Which predicted actors an expected name stands for: by name, alias or surface text in the sentence."""

    def __init__(self, tables: dict[str, list[Row]]) -> None:
        self.names: dict[str, set[str]] = {}
        self.country: dict[str, str | None] = {}
        self.display: dict[str, str] = {}
        for actor in tables.get("actors", []):
            self.display[actor["actor_id"]] = actor["name"]
            names = {actor["name"], *(actor.get("aliases") or [])}
            self.names[actor["actor_id"]] = {normalise(n) for n in names if n}
            if actor.get("kind") in ("state", "government"):
                self.country[actor["actor_id"]] = actor.get("country_iso3")
        for mention in tables.get("mentions", []):
            if mention.get("kind") == "actor" and mention.get("value") in self.names:
                self.names[mention["value"]].add(normalise(mention["text"]))

    def stands_for(self, expected: str, actor_id: str) -> bool:
        """Equal names, a surname of a full name, or a state named by its country code's short name."""
        wanted = normalise(expected)
        names = self.names.get(actor_id, set())
        if wanted in names or any(n.endswith(" " + wanted) or wanted.endswith(" " + n) for n in names if n):
            return True
        iso3 = self.country.get(actor_id)
        return bool(iso3) and wanted in state_names(iso3)

    def label(self, actor_id: str) -> str:
        return self.display.get(actor_id, actor_id)


def state_names(iso3: str) -> set[str]:
    """Normalised English names of a state (pycountry's name, common and official name)."""
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return set()
    names = {getattr(country, key, None) for key in ("name", "common_name", "official_name")}
    return {normalise(n) for n in names if n}


def same_actors(expected: Iterable[str], predicted: Iterable[str], names: ActorNames) -> bool:
    """A one-to-one correspondence between the expected names and the predicted actor ids."""
    left, right = list(dict.fromkeys(expected)), list(dict.fromkeys(predicted))
    if len(left) != len(right):
        return False
    unused = set(right)
    for name in sorted(left, key=lambda n: sum(names.stands_for(n, a) for a in right)):
        match = next((a for a in right if a in unused and names.stands_for(name, a)), None)
        if match is None:
            return False
        unused.discard(match)
    return True


def event_agrees(expected: Row, event: Row, names: ActorNames) -> bool:
    if event["event_type"] != expected["type"] or event["status"] != expected.get("status", "occurred"):
        return False
    if expected.get("mode") and event.get("event_mode") != expected["mode"]:
        return False
    if expected.get("other") and not same_actors(expected["other"], event.get("other_actor_ids") or [], names):
        return False
    source, target = expected.get("source") or [], expected.get("target") or []
    got_source, got_target = event.get("source_actor_ids") or [], event.get("target_actor_ids") or []
    if same_actors(source, got_source, names) and same_actors(target, got_target, names):
        return True
    # Meetings and cooperation are symmetric by the gold convention: 'A met B' is source [A, B] or A -> B.
    return (expected["type"] in SYMMETRIC_TYPES and not (target and got_target)
            and same_actors(source + target, got_source + got_target, names))


def score_event_sentence(entry: Row, table: str) -> SentenceResult:
    """Passed when the sentence gives exactly the expected events, one to one."""
    tables = extract_sentence(entry["text"])
    names = ActorNames(tables)
    events = tables.get("events", [])
    expected = entry.get("events") or []
    unused = list(range(len(events)))
    matched = 0
    for item in expected:
        hit = next((i for i in unused if event_agrees(item, events[i], names)), None)
        if hit is not None:
            unused.remove(hit)
            matched += 1
    got = [{"type": e["event_type"], "status": e["status"],
            "source": [names.label(a) for a in e.get("source_actor_ids") or []],
            "target": [names.label(a) for a in e.get("target_actor_ids") or []],
            "other": [names.label(a) for a in e.get("other_actor_ids") or []]} for e in events]
    passed = matched == len(expected) and not unused
    return SentenceResult(table, entry["id"], entry["text"], entry.get("construction", ""), passed, expected, got)


def speaker_agrees(expected: Row, quote: Row, names: ActorNames) -> bool:
    """The expected speaker (a name, a description or null) against the quote's speaker."""
    wanted = expected.get("speaker")
    if wanted is None:
        return not quote.get("speaker_actor_id") and not quote.get("speaker_name")
    wanted_list = wanted if isinstance(wanted, list) else [wanted]
    for name in wanted_list:
        if quote.get("speaker_actor_id") and names.stands_for(name, quote["speaker_actor_id"]):
            return True
        said = without_article(quote.get("speaker_name"))
        if said and said == without_article(name):
            return True
    return False


def without_article(text: str | None) -> str:
    """'a Jordanian diplomat' and 'Jordanian diplomat' name the same anonymous source."""
    return re.sub(r"^(a|an|the) ", "", normalise(text))


def score_quote_sentence(entry: Row, table: str) -> SentenceResult:
    """Passed when every expected quotation is found with its speaker and nothing else is."""
    tables = extract_sentence(entry["text"])
    names = ActorNames(tables)
    quotes = tables.get("quotes", [])
    expected = entry.get("quotes") or []
    unused = list(range(len(quotes)))
    matched, notes = 0, []
    for item in expected:
        head = normalise(item["head"])
        hit = next((i for i in unused if normalise(quotes[i]["text"]).startswith(head)
                    or head.startswith(normalise(quotes[i]["text"]) or "\0")), None)
        if hit is None:
            notes.append(f"quote not found: {item['head']!r}")
            continue
        unused.remove(hit)
        if speaker_agrees(item, quotes[hit], names):
            matched += 1
        else:
            notes.append(f"speaker of {item['head']!r}: expected {item.get('speaker')!r}, "
                         f"got {quotes[hit].get('speaker_name')!r}")
    got = [{"text": q["text"], "speaker": q.get("speaker_name"), "speaker_kind": q.get("speaker_kind"),
            "attribution": q.get("attribution")} for q in quotes]
    passed = matched == len(expected) and not unused
    return SentenceResult(table, entry["id"], entry["text"], entry.get("case", ""), passed, expected, got, notes)


def score_sentence_tables(folder: Path, split: str) -> list[SentenceResult]:
    """Every sentence of the split's event and quote tables, scored."""
    results: list[SentenceResult] = []
    for kind, scorer in (("events", score_event_sentence), ("quotes", score_quote_sentence)):
        for path in sentence_tables(folder, split, kind):
            results += [scorer(entry, path.name) for entry in load_sentence_table(path)]
    return results


def sentence_summary(results: list[SentenceResult]) -> dict[str, Any]:
    """Passed and total per table kind and per construction or case."""
    summary: dict[str, Any] = {}
    for result in results:
        kind = "quotes" if result.table.startswith("quotes") else "events"
        entry = summary.setdefault(kind, {"passed": 0, "total": 0, "by_group": {}})
        entry["passed"] += result.passed
        entry["total"] += 1
        group = entry["by_group"].setdefault(result.group or "-", [0, 0])
        group[0] += result.passed
        group[1] += 1
    return summary
