"""The indexed DependencyMatcher finds exactly what spaCy's finds, in the same order, for the codebook's
trigger rules and status cues, and for nodes only spaCy's Matcher reads."""

from __future__ import annotations

import pytest
from spacy.matcher import DependencyMatcher

from flows.extract.annotate import annotate_texts, load_nlp
from flows.extract.events.codebook import LEMMA_EXTENSION, load_codebook
from flows.extract.events.matching import compiled
from flows.extract.treematch import DocColumns, IndexedDependencyMatcher, compile_node, tree_roots

TEXTS = [
    "Talks between the two ministers resumed in Geneva on Monday, and both sides agreed to a ceasefire.\n"
    "The army did not attack the village, officials said, but rebels may launch new strikes next week.",
    "PEACE TALKS STALL\nThe president is expected to visit Kabul to sign the accord. Troops withdrew from "
    "the border after the government threatened sanctions and called for negotiations.",
    "Police arrested 20 protesters. The foreign minister met his counterpart and urged him to release "
    "the prisoners, who had been detained since March.",
]


def _pair(variants_of: list) -> tuple[DependencyMatcher, IndexedDependencyMatcher]:
    vocab = load_nlp().vocab
    plain, indexed = DependencyMatcher(vocab), IndexedDependencyMatcher(vocab)
    for n, variants in enumerate(variants_of):
        for k, (pattern, _names) in enumerate(variants):
            plain.add(f"t{n}#{k}", [pattern])
            indexed.add(f"t{n}#{k}", [pattern])
    return plain, indexed


@pytest.mark.parametrize("which", ["rules", "cues"])
def test_same_matches_as_spacy(which: str) -> None:
    codebook = load_codebook()
    compiled(load_nlp().vocab, codebook)  # registers the lemma extension the patterns read
    items = codebook.rules if which == "rules" else codebook.cues
    plain, indexed = _pair([item.variants for item in items])
    for doc in annotate_texts(TEXTS):
        found = indexed(doc)
        assert found == plain(doc)
    assert found


def test_nodes_spacy_alone_reads_still_match() -> None:
    pattern = [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"POS": "VERB", "LENGTH": {">=": 5}}},
               {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "subject", "RIGHT_ATTRS": {"DEP": "nsubj"}}]
    assert compile_node(pattern[0]["RIGHT_ATTRS"]) is None
    plain, indexed = _pair([[(pattern, ())]])
    for doc in annotate_texts(TEXTS):
        assert indexed(doc) == plain(doc)


def test_tree_roots_follow_heads() -> None:
    doc = next(annotate_texts(["Rebels attacked the town. Troops withdrew."]))
    assert [doc[r].text for r in tree_roots(doc)] == ["attacked"] * 5 + ["withdrew"] * 3


def test_flag_nodes_are_indexed_and_match_like_spacy() -> None:
    title = {"DEP": {"IN": ["amod", "compound", "nsubj"]}, "IS_TITLE": True}
    start = {"IS_SENT_START": True, "POS": {"IN": ["NOUN", "PROPN", "DET"]}}
    assert compile_node(title) is not None and compile_node(start) is not None
    patterns = [[{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"POS": "VERB"}},
                 {"LEFT_ID": "verb", "REL_OP": ">>", "RIGHT_ID": "word", "RIGHT_ATTRS": attrs}]
                for attrs in (title, start, {"IS_SENT_START": False, "IS_LOWER": True})]
    plain, indexed = _pair([[(pattern, ())] for pattern in patterns])
    found = []
    for doc in annotate_texts(TEXTS):
        found += indexed(doc)
        assert indexed(doc) == plain(doc)
    assert found


def test_derived_extension_column_holds_the_getters_values() -> None:
    compiled(load_nlp().vocab, load_codebook())
    doc = next(annotate_texts(TEXTS))
    attribute = ("_", LEMMA_EXTENSION)
    assert DocColumns.of(doc, [attribute]).columns[attribute] == [token._.get(LEMMA_EXTENSION) for token in doc]
