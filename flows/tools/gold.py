"""The gold format and the release side of scoring: reading gold folders and releases, and deciding which
predicted actors a gold name stands for (see `tests/gold/README.md` and `flows/tools/evaluate.py`)."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

GOLD_TABLES = ("quotes", "events", "dates", "places")
ACTORS_FILE = "actors.jsonl"
ARTICLES_FILE = "articles.jsonl"
RELEASE_TABLES = ("articles", "quotes", "events", "mentions", "actors", "places")
REQUIRED_KEYS = {
    "quotes": ("doc", "quote_head", "speaker"),
    "events": ("doc", "type", "source", "target"),
    "dates": ("doc", "text", "value"),
    "places": ("doc", "text", "name"),
}

Row = dict[str, Any]


# ---------------------------------------------------------------- loading


def normalise(text: str | None) -> str:
    """Lower-case, NFKC, dashes as spaces, punctuation dropped, whitespace collapsed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[-‐‑‒–—―]", " ", text)
    text = re.sub(r"[^\w\s]", "", text)
    return " ".join(text.split())


def clean_value(value: Any) -> Any:
    """Turn NaN into None and array-likes into lists."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "tolist") and not isinstance(value, str):
        return value.tolist()
    return value


def as_list(value: Any) -> list[Any]:
    value = clean_value(value)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [item for item in value if item is not None]


def read_jsonl(path: Path, required: tuple[str, ...] = ()) -> list[Row]:
    """Read one JSON object per line; a bad line raises ValueError naming file and line."""
    rows: list[Row] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not valid JSON ({error.msg})") from error
            if not isinstance(row, dict):
                raise ValueError(f"{path}:{number}: expected a JSON object")
            missing = [key for key in required if key not in row]
            if missing:
                raise ValueError(f"{path}:{number}: lacks {', '.join(missing)}")
            rows.append(row)
    return rows


def load_gold(gold_dir: Path) -> dict[str, list[Row] | None]:
    """Gold rows per table (None when the file is missing) plus `actors` (None when missing)."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"gold folder not found: {gold_dir}")
    gold: dict[str, list[Row] | None] = {}
    for table in GOLD_TABLES:
        path = gold_dir / f"{table}.jsonl"
        if not path.exists():
            gold[table] = None
            continue
        gold[table] = read_jsonl(path, REQUIRED_KEYS[table])
    actors_path = gold_dir / ACTORS_FILE
    gold["actors"] = read_jsonl(actors_path, ("name",)) if actors_path.exists() else None
    articles_path = gold_dir / ARTICLES_FILE
    gold["articles"] = read_jsonl(articles_path, ("doc", "published_date")) if articles_path.exists() else None
    if all(gold[table] is None for table in GOLD_TABLES):
        raise ValueError(f"no gold files ({', '.join(t + '.jsonl' for t in GOLD_TABLES)}) in {gold_dir}")
    return gold


def resolve_release_dir(release_dir: Path) -> Path:
    """The folder holding the tables: `release_dir` itself, or its `latest` version per `index.json`."""
    release_dir = Path(release_dir)
    if not release_dir.is_dir():
        raise FileNotFoundError(f"release folder not found: {release_dir}")
    if (release_dir / "articles.parquet").exists():
        return release_dir
    index = release_dir / "index.json"
    if index.exists():
        latest = json.loads(index.read_text(encoding="utf-8")).get("latest")
        if latest and (release_dir / latest).is_dir():
            return release_dir / latest
    return release_dir


def load_release(release_dir: Path) -> dict[str, list[Row]]:
    """Rows of each release table as dicts; an absent table is an empty list."""
    folder = resolve_release_dir(release_dir)
    tables: dict[str, list[Row]] = {}
    for name in RELEASE_TABLES:
        path = folder / f"{name}.parquet"
        if path.exists():
            tables[name] = [{key: clean_value(value) for key, value in row.items()}
                            for row in pq.read_table(path).to_pylist()]
        else:
            tables[name] = []
    return tables


# ---------------------------------------------------------------- matching helpers


def prf(n_gold: int, n_pred: int, n_matched: int) -> dict[str, float | None]:
    precision = n_matched / n_pred if n_pred else None
    recall = n_matched / n_gold if n_gold else None
    if precision is None or recall is None:
        f1 = 0.0 if (precision == 0 or recall == 0) else None
    elif precision + recall == 0:
        f1 = 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1}


def share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def word_prefix(short: str, long: str) -> bool:
    return bool(short) and long.startswith(short) and (len(long) == len(short) or long[len(short)] == " ")


def contains_words(outer: str, inner: str) -> bool:
    return bool(inner) and f" {inner} " in f" {outer} "


def greedy(pairs: Iterable[tuple[float, int, int]]) -> dict[int, int]:
    """One-to-one assignment gold index -> predicted index, best score first."""
    used_gold: dict[int, int] = {}
    used_pred: set[int] = set()
    for _score, g, p in sorted(pairs, key=lambda item: (-item[0], item[1], item[2])):
        if g not in used_gold and p not in used_pred:
            used_gold[g] = p
            used_pred.add(p)
    return used_gold


class Context:
    """What every table scorer needs: document mapping, actors and gold surface forms."""

    def __init__(self, gold: dict[str, list[Row] | None], release: dict[str, list[Row]]) -> None:
        self.docs = sorted({row["doc"] for table in GOLD_TABLES for row in (gold[table] or [])})
        by_path = {doc: doc for doc in self.docs}
        by_name = {Path(doc).name: doc for doc in self.docs}
        self.doc_of: dict[str, str] = {}
        self.text_of: dict[str, str] = {}
        for article in release["articles"]:
            path = article.get("source_path") or ""
            doc = by_path.get(path) or by_name.get(Path(path).name)
            if doc is not None and article.get("article_id"):
                self.doc_of[article["article_id"]] = doc
                if article.get("text"):
                    self.text_of[doc] = article["text"]
        self.missing_docs = sorted(set(self.docs) - set(self.doc_of.values()))
        self.actors = {row["actor_id"]: row for row in release["actors"] if row.get("actor_id")}
        self.places = {row["place_id"]: row for row in release["places"] if row.get("place_id")}
        self.actor_index: dict[str, set[str]] = defaultdict(set)
        for actor_id in self.actors:
            for name in self.actor_names(actor_id):
                self.actor_index[name].add(actor_id)
        self.gold_actors = {row["name"]: row for row in (gold.get("actors") or []) if row.get("name")}
        self._ids_cache: dict[str, set[str]] = {}

    def actor_names(self, actor_id: str | None) -> set[str]:
        """Normalised name and aliases of a predicted actor."""
        row = self.actors.get(actor_id or "")
        if row is None:
            return set()
        return {normalise(name) for name in [row.get("name"), *as_list(row.get("aliases"))]} - {""}

    def accepted_names(self, gold_name: str) -> set[str]:
        """Normalised gold name plus its gold surface forms."""
        forms = self.gold_actors.get(gold_name, {}).get("surface_forms") or []
        return {normalise(gold_name), *(normalise(form) for form in forms)} - {""}

    def ids_for(self, gold_name: str) -> set[str]:
        """Predicted actor ids a gold name stands for."""
        if gold_name not in self._ids_cache:
            ids = set(self.actor_index.get(normalise(gold_name), set()))
            gold = self.gold_actors.get(gold_name, {})
            if gold.get("kind") == "state":
                ids |= self._state_or_government(gold_name, gold)
            if not ids:
                for form in self.gold_actors.get(gold_name, {}).get("surface_forms") or []:
                    ids |= self.actor_index.get(normalise(form), set())
            self._ids_cache[gold_name] = ids
        return self._ids_cache[gold_name]

    def _state_or_government(self, gold_name: str, gold: Row) -> set[str]:
        """Predicted state or government actors of the gold state's country that carry one of its names."""
        forms = self.accepted_names(gold_name)
        return {actor_id for actor_id, row in self.actors.items()
                if row.get("kind") in ("state", "government") and row.get("country_iso3")
                and row.get("country_iso3") == gold.get("country")
                and (self.actor_names(actor_id) & forms
                     or normalise(row.get("name")) == normalise(f"government of {gold_name}"))}

    def label(self, actor_id: str) -> str:
        row = self.actors.get(actor_id)
        return str(row.get("name") or actor_id) if row else actor_id

    def predicted(self, rows: list[Row]) -> list[tuple[str, Row]]:
        """(doc, row) for rows of gold documents, in a stable order."""
        found = [(self.doc_of[row["article_id"]], row) for row in rows if row.get("article_id") in self.doc_of]
        return sorted(found, key=lambda item: (item[0], item[1].get("char_start") or 0))
