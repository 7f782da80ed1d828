"""Coreference (flows/extract/coref.py): every rule's examples and negatives from schemas/coreference.yaml,
run through the actor stage, and the interface later stages read (doc.spans["coref"], doc._.coref)."""

from __future__ import annotations

import datetime

import pytest

from flows.extract.actors import extract_actor_mentions
from flows.extract.coref import SPAN_KEY, coref_of, load_coref_config, role_antecedent
from flows.extract.roles import parse_role

ARTICLE = "0123456789abcdef"
CASES = [(rule.id, case, True) for rule in load_coref_config().rules for case in rule.examples] + \
        [(rule.id, case, False) for rule in load_coref_config().rules for case in rule.negatives]


@pytest.fixture(scope="module")
def nlp():
    from flows.extract.annotate import load_nlp

    return load_nlp()


def resolved(nlp, text: str) -> tuple[object, dict[str, set[str]]]:
    """The doc and, per resolved phrase head word, the names (canonical and aliases) of its actors."""
    doc = nlp(text)
    _, actors = extract_actor_mentions(doc, ARTICLE, "2023-06-28")
    names = {a.actor_id: {a.name, *a.aliases} for a in actors}
    return doc, names


def test_every_rule_has_an_example_and_a_negative():
    for rule in load_coref_config().rules:
        assert rule.examples and rule.negatives, rule.id


@pytest.mark.parametrize(("rule_id", "case", "positive"), CASES,
                         ids=[f"{r}-{'ex' if p else 'neg'}-{n}" for n, (r, _, p) in enumerate(CASES)])
def test_rule_cases(nlp, rule_id: str, case: dict, positive: bool):
    doc, names = resolved(nlp, case["text"])
    words = [t for t in doc if t.text == case["word"]]
    assert words, f"{case['word']!r} not in the sentence"
    ids = coref_of(words[-1])
    if not positive:
        assert not ids, f"{case['word']} resolved to {ids}"
        return
    spans = [s for s in doc.spans[SPAN_KEY] if s.start <= words[-1].i < s.end]
    assert spans and spans[0].label_ == rule_id or rule_id == "role-descriptor"
    assert len(ids) == len(case["expect"])
    for name in case["expect"]:
        assert any(name in names.get(actor, set()) for actor in ids), f"{name} not among {ids}"


def test_spans_carry_sorted_ids_and_every_token_is_indexed(nlp):
    doc, _ = resolved(nlp, "Azerbaijan and Armenia met in Geneva. The two sides agreed to talk again.")
    (span,) = [s for s in doc.spans[SPAN_KEY] if "sides" in s.text]
    assert span.text == "The two sides"
    assert span._.actor_ids == ("state:ARM", "state:AZE")
    assert all(doc._.coref[i] == span._.actor_ids for i in range(span.start, span.end))


def test_a_named_actor_is_not_resolved_again(nlp):
    doc, _ = resolved(nlp, "Armenia and Azerbaijan met. The Azerbaijani side said it wanted peace.")
    side = next(t for t in doc if t.text == "side")
    assert "state:ARM" not in coref_of(side)


def test_antecedents_inside_quotes_do_not_count_outside(nlp):
    doc, _ = resolved(nlp, 'Lena Varga spoke. "Tomas Herrera is wrong," she said.')
    she = next(t for t in doc if t.lower_ == "she")
    assert coref_of(she) == ("person:lena-varga",)


def test_role_antecedent_respects_country_and_date():
    offices = {"person:a": [parse_role("foreign minister@ARM 2021..")],
               "person:b": [parse_role("foreign minister@AZE 2020..")]}
    people = [(0, "person:a"), (10, "person:b")]
    day = datetime.date(2023, 1, 1)
    assert role_antecedent(people, 20, "foreign minister", "ARM", offices, day) == "person:a"
    assert role_antecedent(people, 20, "minister", None, offices, day) == "person:b"
    assert role_antecedent(people, 5, "foreign minister", "AZE", offices, day) is None
    assert role_antecedent(people, 20, "foreign minister", "ARM", offices, datetime.date(2019, 1, 1)) is None


def test_the_army_of_a_state_with_no_listed_army_is_one_stable_actor(nlp):
    from flows.extract.actors import extract_actor_mentions
    from flows.extract.coref_base import unlisted_army

    text = "Fighting between Chad and the rebels resumed on Monday. The army said its soldiers had retaken the town."
    doc = nlp(text)
    _, actors = extract_actor_mentions(doc, "0123456789abcdef", "2023-06-28")
    rows = {a.actor_id: a for a in actors}
    army = unlisted_army("TCD")
    assert army == "gov:TCD:armed-forces"
    assert coref_of(next(t for t in doc if t.text == "army")) == (army,)
    assert coref_of(next(t for t in doc if t.text == "its")) == (army,)  # 'its soldiers': the army's
    assert (rows[army].name, rows[army].kind, rows[army].country_iso3) == ("Armed Forces of Chad", "government", "TCD")
