"""The evaluation corpus: its size, its gold files, and the guard that keeps the test split frozen.

Nothing in `flows/` or `schemas/` may come from a test-split text: no run of eight or more words, and no
name in the reference data that only test-split texts contain.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
CORPUS = ROOT / "tests" / "corpus"
CODE_DIRS = (ROOT / "flows", ROOT / "schemas")
CODE_SUFFIXES = (".py", ".yaml", ".yml", ".json", ".csv", ".md", ".txt")
RUN_LENGTH = 8
NAME_KEYS = {"name", "names", "aliases", "surname", "forms"}
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def words(text: str) -> list[str]:
    """Lower-cased words; punctuation and quote marks do not break a run."""
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def runs(text: str, length: int = RUN_LENGTH) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i:i + length]) for i in range(len(tokens) - length + 1)}


def split_texts(split: str) -> dict[str, str]:
    """Every text of a split: raw documents and the sentences of its tables, keyed by where they are."""
    texts: dict[str, str] = {}
    raw = CORPUS / split / "raw"
    for path in sorted(raw.glob("*")) if raw.is_dir() else []:
        if path.is_file() and not path.name.endswith(".meta.json"):
            texts[f"{split}/raw/{path.name}"] = path.read_text(encoding="utf-8", errors="replace")
    for path in sorted((CORPUS / "sentences").glob(f"*_{split}.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            texts[f"sentences/{path.name}#{entry['id']}"] = entry["text"]
    return texts


def code_files(folders: Iterable[Path]) -> list[Path]:
    return [p for folder in folders for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix in CODE_SUFFIXES and "__pycache__" not in p.parts]


def find_leaked_runs(test_texts: dict[str, str], folders: Iterable[Path]) -> list[str]:
    """Runs of eight words shared by a test-split text and a code or reference file."""
    owner: dict[tuple[str, ...], str] = {}
    for where, text in test_texts.items():
        for run in runs(text):
            owner.setdefault(run, where)
    leaks = []
    for path in code_files(folders):
        for run in runs(path.read_text(encoding="utf-8", errors="replace")) & owner.keys():
            leaks.append(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
                         f"'{' '.join(run)}' (from {owner[run]})")
    return sorted(leaks)


def reference_names(folder: Path) -> set[str]:
    """Proper names in the reference data: values under name, names, aliases, surname and forms keys."""
    found: set[str] = set()

    def walk(node: object, collect: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, collect or key in NAME_KEYS)
        elif isinstance(node, list):
            for item in node:
                walk(item, collect)
        elif collect and isinstance(node, str) and node[:1].isupper() and len(node) >= 4:
            found.add(node)

    for path in sorted(folder.glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), False)
    return found


def other_texts() -> str:
    """Every text of the repository outside the test split that a name may legitimately come from."""
    parts = list(split_texts("dev").values())
    parts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "raw").glob("*.txt"))]
    parts += [p.read_text(encoding="utf-8", errors="replace")
              for p in sorted((ROOT / "tests").rglob("*")) if p.is_file() and p.suffix in (".txt", ".py", ".jsonl")
              and CORPUS not in p.parents]
    return "\n".join(parts)


def find_test_only_names(names: Iterable[str], test_texts: dict[str, str], elsewhere: str) -> list[str]:
    """Reference names that occur in a test-split text and in no other text of the repository."""
    test_joined = "\n".join(test_texts.values())
    leaks = []
    for name in sorted(names):
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        if pattern.search(test_joined) and not pattern.search(elsewhere):
            where = next(k for k, v in test_texts.items() if pattern.search(v))
            leaks.append(f"{name!r} (only in {where})")
    return leaks


# ---------------------------------------------------------------- the guard on main


def test_no_run_of_eight_words_from_the_test_split_in_code_or_reference_data():
    leaks = find_leaked_runs(split_texts("test"), CODE_DIRS)
    assert not leaks, "test-split text copied into code or reference data:\n" + "\n".join(leaks)


def names_at_freeze() -> set[str]:
    """Reference names that existed before any test text was written: they cannot have come from one."""
    lines = (CORPUS / "reference_names_at_freeze.txt").read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def test_no_reference_name_comes_only_from_the_test_split():
    added = reference_names(ROOT / "schemas") - names_at_freeze()
    leaks = find_test_only_names(added, split_texts("test"), other_texts())
    assert not leaks, "names in schemas/ that only test-split texts contain:\n" + "\n".join(leaks)


# ---------------------------------------------------------------- the guard catches what it should


def test_guard_finds_a_planted_run_of_eight_words(tmp_path):
    texts = {"test/raw/x.txt": "Delegates from both camps met behind closed doors at the lakeside hotel on Friday."}
    planted = tmp_path / "rules.yaml"
    planted.write_text("examples:\n  - closed doors at the lakeside hotel on Friday\n", encoding="utf-8")
    assert find_leaked_runs(texts, [tmp_path]) == [
        f"{planted}: 'closed doors at the lakeside hotel on friday' (from test/raw/x.txt)"]


def test_guard_ignores_shorter_shared_phrases(tmp_path):
    texts = {"test/raw/x.txt": "Delegates from both camps met behind closed doors at the lakeside hotel on Friday."}
    (tmp_path / "rules.py").write_text("# behind closed doors at the lakeside hotel\n", encoding="utf-8")
    assert find_leaked_runs(texts, [tmp_path]) == []


def test_guard_finds_a_name_only_test_texts_contain(tmp_path):
    (tmp_path / "actors.yaml").write_text("people:\n  - name: Ondine Varga\n    aliases: [Varga]\n"
                                          "  - name: Maria Lopes\n", encoding="utf-8")
    names = reference_names(tmp_path)
    assert names == {"Ondine Varga", "Varga", "Maria Lopes"}
    texts = {"test/raw/y.txt": "Ondine Varga, the envoy, met Maria Lopes."}
    assert find_test_only_names(names, texts, elsewhere="Maria Lopes spoke.") == [
        "'Ondine Varga' (only in test/raw/y.txt)", "'Varga' (only in test/raw/y.txt)"]


def test_words_keep_apostrophes_and_drop_quote_marks():
    assert words("“We won’t sign,” said the PM's office.") == ["we", "won't", "sign", "said", "the", "pm's", "office"]


# ---------------------------------------------------------------- the corpus itself


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("split", ["dev", "test"])
def test_every_gold_line_names_a_document_of_its_split(split):
    docs = {p.name for p in (CORPUS / split / "raw").glob("*") if not p.name.endswith(".meta.json")}
    for path in sorted((CORPUS / split / "gold").glob("*.jsonl")):
        if path.name == "actors.jsonl":
            continue
        unknown = {row["doc"] for row in read_jsonl(path)} - docs
        assert not unknown, f"{path.name} names documents not in {split}/raw: {sorted(unknown)}"


@pytest.mark.parametrize("split", ["dev", "test"])
def test_gold_surface_texts_occur_in_their_documents_ignoring_case(split):
    texts = {p.name: p.read_text(encoding="utf-8") for p in (CORPUS / split / "raw").glob("*")
             if not p.name.endswith(".meta.json")}
    missing = []
    for table, key in (("quotes", "quote_head"), ("dates", "text"), ("places", "text")):
        path = CORPUS / split / "gold" / f"{table}.jsonl"
        for row in read_jsonl(path) if path.exists() else []:
            if row[key].casefold() not in texts[row["doc"]].casefold():
                missing.append(f"{table}: {row['doc']}: {row[key]!r}")
    assert not missing, "\n".join(missing)


def test_the_corpus_has_its_documented_size():
    """48 documents besides the earlier four, at least 20 of them frozen; 300 event and 100 quote sentences."""
    docs = {split: [p for p in (CORPUS / split / "raw").glob("*") if not p.name.endswith(".meta.json")]
            for split in ("dev", "test")}
    assert len(docs["dev"]) + len(docs["test"]) >= 44 and len(docs["test"]) >= 20
    manifest = read_jsonl(CORPUS / "manifest.jsonl")
    assert {(m["doc"], m["split"]) for m in manifest} == {(p.name, s) for s, paths in docs.items() for p in paths}
    assert len({m["conflict"] for m in manifest}) >= 13
    sentences = {name: len(yaml.safe_load(p.read_text(encoding="utf-8")))
                 for p in (CORPUS / "sentences").glob("*.yaml") for name in [p.stem]}
    events = sum(n for name, n in sentences.items() if name.startswith("events"))
    quotes = sum(n for name, n in sentences.items() if name.startswith("quotes"))
    test = sum(n for name, n in sentences.items() if name.endswith("_test"))
    assert events >= 300 and quotes >= 100 and test >= 100
