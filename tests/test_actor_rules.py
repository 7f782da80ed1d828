"""The decisions of the actor stage, as written in `schemas/actors.yaml` under `rules`: every example and
negative runs through the stage."""

from __future__ import annotations

import pytest

from flows.extract.actors import extract_actor_mentions
from flows.extract.actors.dictionary import actor_config

RULES = actor_config()["rules"]
CASES = [(rule["id"], case, True) for rule in RULES for case in rule["examples"]] + \
        [(rule["id"], case, False) for rule in RULES for case in rule["negatives"]]


@pytest.fixture(scope="module")
def nlp():
    from flows.extract.annotate import load_nlp

    return load_nlp()


def test_every_rule_has_an_example_and_a_negative():
    assert RULES
    for rule in RULES:
        assert rule["examples"] and rule["negatives"], rule["id"]


@pytest.mark.parametrize(("rule_id", "case", "positive"), CASES,
                         ids=[f"{r}-{'ex' if p else 'neg'}-{n}" for n, (r, _, p) in enumerate(CASES)])
def test_rule_cases(nlp, rule_id: str, case: dict, positive: bool):
    mentions, _ = extract_actor_mentions(nlp(case["text"]), "0123456789abcdef", "2023-06-28")
    found = {m.text: m for m in mentions}
    if positive:
        assert case["mention"] in found, f"{case['mention']!r} is no mention: {sorted(found)}"
        assert found[case["mention"]].value == case["expect"]
        rule = next(r for r in RULES if r["id"] == rule_id)
        assert found[case["mention"]].method in {rule["emits"], "dictionary", "title", "ner"}
    elif "expect" in case:
        assert case["mention"] not in found or found[case["mention"]].value != case["expect"]
    else:
        assert case["mention"] not in found, f"{case['mention']!r} is a mention of {found[case['mention']].value}"
