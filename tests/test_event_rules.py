"""Every trigger rule and status cue of `schemas/plover.yaml` is tested by its own examples and negatives.

An example must give an event made by that rule (column rule_id) or whose status that cue set (column
status_cue); a negative must give none. An example may also be a mapping with `text` and the expected
`type`, `status`, `source` and `target` (names as the sentence gives them). A new rule is one YAML entry
with its sentences: this file needs no change.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from flows.extract.events import load_codebook
from flows.extract.events.codebook import ROWLESS_STATUSES
from flows.ingest import make_article
from flows.pipeline import extract_batch
from flows.records import Event
from flows.tools.corpus import ActorNames, same_actors
from flows.tools.gold import clean_value

CODEBOOK = load_codebook()


def _text(example: str | dict) -> str:
    return example if isinstance(example, str) else example["text"]


def cases() -> list:
    params = []
    for kind, items in (("rule", CODEBOOK.rules), ("cue", CODEBOOK.cues)):
        for item in items:
            item_id = item.rule_id if kind == "rule" else item.cue_id
            for n, example in enumerate(item.examples):
                params.append(pytest.param(kind, item_id, example, True, id=f"{item_id}-example-{n}"))
            for n, negative in enumerate(item.negatives):
                params.append(pytest.param(kind, item_id, negative, False, id=f"{item_id}-negative-{n}"))
    return params


@lru_cache(maxsize=1)
def extracted() -> dict[str, tuple[list[Event], ActorNames]]:
    """Every example and negative extracted once, as articles of their own without a publication date."""
    texts = sorted({_text(p.values[2]) for p in cases()})
    articles = [make_article(text, f"rule-example-{i}.txt", {}) for i, text in enumerate(texts)]
    results = {}
    for text, extraction in zip(texts, extract_batch(articles), strict=True):
        tables = {"actors": [vars(a) for a in extraction.actors],
                  "mentions": [{k: clean_value(v) for k, v in vars(m).items()} for m in extraction.mentions]}
        results[text] = (extraction.events, ActorNames(tables))
    return results


def _made_by(event: Event, kind: str, item_id: str) -> bool:
    return event.rule_id == item_id if kind == "rule" else event.status_cue == item_id


def _agrees(event: Event, expected: dict, names: ActorNames) -> bool:
    if expected.get("type", event.event_type) != event.event_type:
        return False
    if expected.get("status", event.status) != event.status:
        return False
    return all(same_actors(expected[role], getattr(event, f"{role}_actor_ids"), names)
               for role in ("source", "target") if role in expected)


@pytest.mark.parametrize(("kind", "item_id", "sentence", "positive"), cases())
def test_rule_sentence(kind: str, item_id: str, sentence: str | dict, positive: bool) -> None:
    events, names = extracted()[_text(sentence)]
    if kind == "cue" and next(c for c in CODEBOOK.cues if c.cue_id == item_id).status in ROWLESS_STATUSES:
        _test_rowless_cue(events, sentence, positive)
        return
    found = [e for e in events if _made_by(e, kind, item_id)]
    described = [(e.event_type, e.status, e.rule_id, e.status_cue, e.source_actor_ids, e.target_actor_ids)
                 for e in events]
    if not positive:
        assert not found, f"{item_id} fired on its negative: {described}"
        return
    assert found, f"{item_id} gave no event: {described}"
    if isinstance(sentence, dict):
        assert any(_agrees(e, sentence, names) for e in found), described


def test_every_rule_and_cue_has_an_example_and_a_negative() -> None:
    for item in (*CODEBOOK.rules, *CODEBOOK.cues):
        assert item.examples and item.negatives, getattr(item, "rule_id", getattr(item, "cue_id", None))


def _test_rowless_cue(events: list[Event], sentence: str | dict, positive: bool) -> None:
    """A cue whose status gives no row: its examples lose the event they govern, its negatives keep it."""
    wanted = sentence.get("type") if isinstance(sentence, dict) else None
    kept = [e for e in events if wanted in (None, e.event_type)]
    assert bool(kept) != positive, [(e.event_type, e.status, e.status_cue) for e in events]
