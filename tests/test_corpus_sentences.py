"""The sentence tables of the evaluation corpus, one test per sentence.

Each sentence must give exactly its expected events (type, status, source, target, and other actors when
listed) or its expected quotations with their speakers. The sentences that do not yet are listed in
`tests/corpus/sentences/known_failures.txt`; they are expected to fail (strictly: a listed sentence
that starts to pass fails the run until it is taken off the list), so the list only ever shrinks and
`accord evaluate --gold tests/corpus` reports the pass counts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.tools.corpus import SPLITS, load_sentence_table, score_event_sentence, score_quote_sentence, sentence_tables

SENTENCES = Path(__file__).parent / "corpus" / "sentences"
KNOWN_FAILURES = SENTENCES / "known_failures.txt"


def known_failures() -> set[str]:
    if not KNOWN_FAILURES.exists():
        return set()
    lines = KNOWN_FAILURES.read_text(encoding="utf-8").splitlines()
    return {line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()}


def cases(kind: str) -> list:
    failing = known_failures()
    params = []
    for split in SPLITS:
        for path in sentence_tables(SENTENCES, split, kind):
            for entry in load_sentence_table(path):
                marks = [pytest.mark.xfail(strict=True, reason="known failure")] if entry["id"] in failing else []
                params.append(pytest.param(entry, path.name, id=entry["id"], marks=marks))
    return params


def describe(result) -> str:
    return (f"{result.text}\nexpected: {result.expected}\ngot: {result.got}"
            + "".join(f"\n{note}" for note in result.notes))


@pytest.mark.parametrize(("entry", "table"), cases("events"))
def test_event_sentence(entry, table):
    result = score_event_sentence(entry, table)
    assert result.passed, describe(result)


@pytest.mark.parametrize(("entry", "table"), cases("quotes"))
def test_quote_sentence(entry, table):
    result = score_quote_sentence(entry, table)
    assert result.passed, describe(result)


def test_known_failures_name_existing_sentences():
    ids = {entry["id"] for kind in ("events", "quotes") for split in SPLITS
           for path in sentence_tables(SENTENCES, split, kind) for entry in load_sentence_table(path)}
    assert known_failures() <= ids, sorted(known_failures() - ids)
