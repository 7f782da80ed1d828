"""The quotation codebook (`schemas/cue_verbs.yaml`): quotation marks, apostrophes, quoted names, speech
cues and speaker words as rules with ids, read once and compiled (cues into a spaCy `Matcher`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from flows.extract.actors.dictionary import load_actor_dictionary
from flows.extract.treematch import IndexedMatcher
from schemas import REFERENCE_DIR, read_yaml

CODEBOOK_PATH = REFERENCE_DIR / "cue_verbs.yaml"
VERB_TAGS = ["VERB", "AUX"]


@dataclass(frozen=True)
class MarkStyle:
    """One quotation style: marks that open, close, or do either by their context."""

    id: str
    opens: tuple[str, ...]
    closes: tuple[str, ...]
    either: tuple[str, ...]


@dataclass(frozen=True)
class Apostrophe:
    """A single mark between these contexts is an apostrophe ('N'Djamena', 'the '90s')."""

    id: str
    before: re.Pattern[str]
    after: re.Pattern[str]


@dataclass(frozen=True)
class TitleRule:
    """A quoted stretch after these words is a name, not speech."""

    id: str
    after: tuple[str, ...]
    case: str  # title | any
    max_words: int
    styles: tuple[str, ...]
    unattributed: bool


@dataclass(frozen=True)
class CueRule:
    """A speech cue: a verb class or a token pattern, and where its speaker stands."""

    id: str
    speaker: str  # subject | object | direct_object
    patterns: tuple[tuple[dict[str, Any], ...], ...]
    length: int  # tokens the cue spans from its first word


@dataclass(frozen=True)
class Codebook:
    marks: tuple[MarkStyle, ...]
    open_after: str
    close_before: str
    max_quote_chars: int
    max_continued_paragraphs: int
    apostrophes: tuple[Apostrophe, ...]
    titles: tuple[TitleRule, ...]
    cues: tuple[CueRule, ...]
    words: dict[str, frozenset[str]]
    rules: dict[str, dict[str, Any]]  # every rule by id, with its section, as written
    split_attribution: re.Pattern[str]
    abbreviation_end: re.Pattern[str]
    refers_to: dict[str, tuple[str, ...]]  # institution noun -> other words its antecedent may carry

    def speaker_words(self, *ids: str) -> frozenset[str]:
        return frozenset().union(*(self.words[i] for i in ids))

    @property
    def person_descriptors(self) -> frozenset[str]:
        return self.words["person_descriptor"]

    @property
    def institution_descriptors(self) -> frozenset[str]:
        return self.words["institution_descriptor"]

    @property
    def role_nouns(self) -> frozenset[str]:
        return self.words["role_noun"]

    @property
    def person_pronouns(self) -> frozenset[str]:
        return self.words["person_pronoun"]

    @property
    def institution_pronouns(self) -> frozenset[str]:
        return self.words["institution_pronoun"]

    def cue(self, rule_id: str) -> CueRule:
        return next(c for c in self.cues if c.id == rule_id)

    def cue_word(self, token: Token) -> CueRule | None:
        """The one-word cue whose verb a token spells, whatever its tag: a headline's 'declare' that the
        tagger read as a noun ('X, Y declare end of "..."')."""
        words = {token.lower_, token.lemma_.lower()}
        for rule in self.cues:
            if rule.speaker != "subject" or rule.length != 1:
                continue
            for (pattern,) in (p for p in rule.patterns if len(p) == 1):
                listed = {str(w).lower() for key in ("LEMMA", "LOWER") for w in pattern.get(key, {}).get("IN", [])}
                if words & listed:
                    return rule
        return None


def cue_patterns(item: dict[str, Any]) -> tuple[tuple[dict[str, Any], ...], ...]:
    """Matcher patterns of a cue: its token pattern, or its verb lemmas and written forms."""
    if "pattern" in item:
        return (tuple(item["pattern"]),)
    patterns = [({"LEMMA": {"IN": list(item["lemmas"])}, "POS": {"IN": VERB_TAGS}},)]
    forms = [str(f).lower() for f in item.get("forms", [])] + [str(w).lower() for w in item["lemmas"]]
    patterns.append(({"LOWER": {"IN": forms}, "POS": {"IN": VERB_TAGS}},))
    return tuple(patterns)


def read_rules(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    sections = ("marks", "apostrophes", "titles", "cues", "speakers")
    return {item["id"]: {**item, "section": section} for section in sections for item in data.get(section, [])}


def word_class(entry: dict[str, Any]) -> frozenset[str]:
    """A speaker word class: its own words, or a list of the actor dictionary it names (`words_from`)."""
    if "words_from" in entry:
        return frozenset(w.lower() for w in getattr(load_actor_dictionary(), entry["words_from"]))
    return frozenset(w.lower() for w in entry["words"])


@lru_cache(maxsize=4)
def load_codebook(path: Path = CODEBOOK_PATH) -> Codebook:
    """Read the codebook once; quotation and cue knowledge is data, reviewed in `schemas/`, not code."""
    data = read_yaml(path)
    marks = tuple(MarkStyle(m["id"], tuple(m.get("opens", [])), tuple(m.get("closes", [])),
                            tuple(m.get("either", []))) for m in data["marks"])
    apostrophes = tuple(Apostrophe(a["id"], re.compile(a["before"]), re.compile(a["after"]))
                        for a in data["apostrophes"])
    titles = tuple(TitleRule(t["id"], tuple(w.lower() for w in t.get("after", [])), t["case"],
                             int(t.get("max_words", 8)), tuple(t.get("styles", [])), bool(t.get("unattributed")))
                   for t in data["titles"])
    cues = tuple(CueRule(c["id"], c["speaker"], cue_patterns(c), len(c.get("pattern", [None])))
                 for c in data["cues"])
    words = {s["id"]: word_class(s) for s in data["speakers"]}
    words["title_small_word"] = frozenset(data["title_small_words"])
    words.update({name: frozenset(values) for name, values in data["attribution_grammar"].items()})
    return Codebook(marks, data["mark_context"]["open_after"], data["mark_context"]["close_before"],
                    int(data["limits"]["max_quote_chars"]), int(data["limits"]["max_continued_paragraphs"]),
                    apostrophes, titles, cues, words, read_rules(data),
                    re.compile(data["quote_kind"]["split_attribution"]),
                    re.compile(data["quote_kind"]["abbreviation_end"]),
                    {noun: tuple(w.lower() for w in words) for s in data["speakers"]
                     for noun, words in s.get("refers_to", {}).items()})


@lru_cache(maxsize=4)
def cue_matcher(vocab: Vocab, path: Path = CODEBOOK_PATH) -> Matcher:
    """The cue rules compiled into one spaCy Matcher, keyed by rule id, run on a document with only the
    rules whose words it holds (flows/extract/treematch.py)."""
    matcher = IndexedMatcher(vocab)
    for rule in load_codebook(path).cues:
        matcher.add(rule.id, [list(p) for p in rule.patterns])
    return matcher


@dataclass(frozen=True)
class CueMatch:
    rule: CueRule
    text: str


def match_cues(doc: Doc, book: Codebook) -> dict[int, CueMatch]:
    """Every cue of a doc by the index of its first token; multi-word patterns win over single verbs."""
    found: dict[int, CueMatch] = {}
    rules = {r.id: r for r in book.cues}
    matches = cue_matcher(doc.vocab)(doc)
    for match_id, start, end in sorted(matches, key=lambda m: (m[1], m[1] - m[2])):
        rule = rules[doc.vocab.strings[match_id]]
        if start not in found:
            text = doc[start:end].text.lower() if end - start > 1 else doc[start].lower_
            found[start] = CueMatch(rule, text)
    return found
