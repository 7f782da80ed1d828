"""Every rule of the quotation codebook (`schemas/cue_verbs.yaml`) is run on its own examples and negatives.

The codebook header says what an example and a negative must give for each section; a new rule is
tested as soon as it is written, without a line of test code.
"""

from __future__ import annotations

from typing import Any

import pytest

from flows.extract.quotes import find_quote_spans, load_codebook
from flows.tools.corpus import ActorNames, extract_sentence, speaker_agrees
from flows.tools.gold import normalise

RULES = load_codebook().rules


def cases(kind: str) -> list[Any]:
    params = []
    for rule_id, rule in RULES.items():
        for n, item in enumerate(rule.get(kind, [])):
            params.append(pytest.param(rule_id, rule["section"], item, id=f"{rule_id}-{n}"))
    return params


def heads(text: str, style: str | None = None) -> list[str]:
    return [normalise(text[s.start:s.end]) for s in find_quote_spans(text) if style in (None, s.style)]


def starts(texts: list[str], head: str) -> bool:
    return any(t.startswith(normalise(head)) for t in texts)


def extracted(text: str) -> tuple[list[dict[str, Any]], ActorNames]:
    tables = extract_sentence(text)
    return tables.get("quotes", []), ActorNames(tables)


def the_quote(quotes: list[dict[str, Any]], head: str | None) -> dict[str, Any]:
    found = [q for q in quotes if head is None or normalise(q["text"]).startswith(normalise(head))]
    assert found, f"no quotation {head!r} in {[q['text'] for q in quotes]}"
    return found[0]


def check_speaker(item: dict[str, Any], quote: dict[str, Any], names: ActorNames) -> None:
    if "speaker" in item:
        assert speaker_agrees(item, quote, names), (item["speaker"], quote.get("speaker_name"))
    if "speaker_kind" in item:
        assert quote["speaker_kind"] == item["speaker_kind"], quote


def test_every_rule_has_examples_and_negatives() -> None:
    for rule_id, rule in RULES.items():
        assert rule.get("examples") and rule.get("negatives"), rule_id


@pytest.mark.parametrize(("rule_id", "section", "item"), cases("examples"))
def test_rule_example(rule_id: str, section: str, item: dict[str, Any]) -> None:
    text = item["text"]
    if section == "marks":
        assert starts(heads(text, rule_id), item["head"]), heads(text)
    elif section == "apostrophes":
        assert heads(text) == []
    elif section == "titles":
        quotes, _ = extracted(text)
        assert not starts([normalise(q["text"]) for q in quotes], item["head"])
    else:
        quotes, names = extracted(text)
        quote = the_quote(quotes, item.get("head"))
        assert rule_id in quote["rule_ids"], quote["rule_ids"]
        check_speaker(item, quote, names)


@pytest.mark.parametrize(("rule_id", "section", "item"), cases("negatives"))
def test_rule_negative(rule_id: str, section: str, item: dict[str, Any]) -> None:
    text = item["text"]
    if section == "marks":
        assert heads(text, rule_id) == []
    elif section == "apostrophes":
        assert starts(heads(text), item["head"]), heads(text)
    elif section == "titles":
        quotes, _ = extracted(text)
        assert starts([normalise(q["text"]) for q in quotes], item["head"])
    else:
        quotes, names = extracted(text)
        assert all(rule_id not in q["rule_ids"] for q in quotes), [q["rule_ids"] for q in quotes]
        if "speaker" in item or "speaker_kind" in item:
            check_speaker(item, the_quote(quotes, item.get("head")), names)
