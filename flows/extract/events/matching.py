"""Running the codebook's patterns over a parsed article: trigger candidates and status cue matches.

The patterns are compiled once per vocabulary into one spaCy DependencyMatcher for the trigger rules, one
token Matcher for the multiword nouns, and one DependencyMatcher for the status cues.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.matcher import DependencyMatcher, Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from flows.extract.events.codebook import LEMMA_EXTENSION, Codebook, Rule, StatusCue
from flows.extract.treematch import IndexedDependencyMatcher, IndexedMatcher, set_derived_extension

NOUN_POS = ("NOUN", "PROPN")

set_derived_extension(LEMMA_EXTENSION, "LEMMA", str.lower)


@dataclass
class Candidate:
    """A trigger found in the text, with the nodes its pattern matched, before and after its roles are filled."""

    span: Span
    head: Token
    rule: Rule
    nominal: bool
    nodes: dict[str, Token] = field(default_factory=dict)
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    anchor: Token | None = None
    absorbed: bool = False
    has_between: bool = False
    event_type: str = ""
    mode: str | None = None  # a mode a callback sets when it changes the type
    implicit: bool = False
    merged: list[Candidate] = field(default_factory=list)
    implicit_source: list[str] = field(default_factory=list)
    status: str | None = None
    status_cue: str | None = None
    used_pronoun: bool = False
    disputed: bool = False  # a statement that is denied: its content is an event of its own

    def __post_init__(self) -> None:
        self.event_type = self.event_type or self.rule.event_type


@dataclass
class Compiled:
    """The codebook's patterns compiled for one vocabulary."""

    triggers: DependencyMatcher
    tokens: Matcher
    cues: DependencyMatcher
    dependency_keys: dict[str, tuple[Rule, tuple[str, ...]]]
    token_keys: dict[str, Rule]
    cue_keys: dict[str, tuple[StatusCue, tuple[str, ...]]]


_COMPILED: dict[tuple[int, int], tuple[Vocab, Codebook, Compiled]] = {}


def compiled(vocab: Vocab, codebook: Codebook) -> Compiled:
    """The matchers of a codebook for a vocabulary, built once."""
    key = (id(vocab), id(codebook))
    if key not in _COMPILED:
        _COMPILED[key] = (vocab, codebook, _compile(vocab, codebook))
    return _COMPILED[key][2]


def _compile(vocab: Vocab, codebook: Codebook) -> Compiled:
    result = Compiled(IndexedDependencyMatcher(vocab), IndexedMatcher(vocab), IndexedDependencyMatcher(vocab),
                      {}, {}, {})
    for rule in codebook.rules:
        for k, (pattern, names) in enumerate(rule.variants):
            name = f"{rule.rule_id}#{k}"
            result.triggers.add(name, [pattern])
            result.dependency_keys[name] = (rule, names)
        if rule.tokens:
            result.tokens.add(rule.rule_id, list(rule.tokens))
            result.token_keys[rule.rule_id] = rule
    for cue in codebook.cues:
        for k, (pattern, names) in enumerate(cue.variants):
            name = f"{cue.cue_id}#{k}"
            result.cues.add(name, [pattern])
            result.cue_keys[name] = (cue, names)
    return result


def outer_noun(token: Token, codebook: Codebook) -> Token:
    """'negotiation session': the participants hang from 'session'."""
    while token.dep_ == "compound" and token.head.lemma_.lower() in codebook.word("compound_heads"):
        token = token.head
    return token


def _bare_modifier(token: Token, codebook: Codebook) -> bool:
    """An event noun that only modifies another noun ('war crimes', 'talk show') is not the event."""
    return token.dep_ == "compound" and token.head.lemma_.lower() not in codebook.word("compound_heads")


def _token_candidates(doc: Doc, codebook: Codebook, matchers: Compiled, taken: set[int]) -> list[Candidate]:
    """Multiword event nouns ('peace talks', 'air strikes'), longest first."""
    found = []
    matches = sorted(matchers.tokens(doc), key=lambda m: (m[1], -(m[2] - m[1]), m[0]))
    for match_id, start, end in matches:
        if any(i in taken for i in range(start, end)):
            continue
        span = doc[start:end]
        head = span.root
        if head.pos_ not in NOUN_POS and span[-1].pos_ in NOUN_POS:
            head = span[-1]
        if _bare_modifier(head, codebook):
            continue
        rule = matchers.token_keys[doc.vocab.strings[match_id]]
        found.append(Candidate(span, outer_noun(head, codebook), rule, nominal=True, nodes={"trigger": head}))
        taken.update(range(start, end))
    return found


def find_candidates(doc: Doc, codebook: Codebook) -> list[Candidate]:
    """One candidate per trigger word: the matching rule with the most pattern nodes, then the first listed;
    a rule marked `beside` competes only with such rules, and its candidate joins the word's other one, listed
    before it so that the word's own candidate wins where candidates are looked up by word."""
    matchers = compiled(doc.vocab, codebook)
    taken: set[int] = set()
    found = _token_candidates(doc, codebook, matchers, taken)
    best: dict[tuple[int, bool], tuple[tuple[int, int], Rule, dict[str, Token]]] = {}
    for match_id, ids in sorted(matchers.triggers(doc), key=lambda m: (m[1], m[0])):
        rule, names = matchers.dependency_keys[doc.vocab.strings[match_id]]
        nodes = {name: doc[i] for name, i in zip(names, ids, strict=True)}
        trigger = nodes["trigger"]
        if trigger.i in taken or (rule.nominal and _bare_modifier(trigger, codebook)) or \
                (rule.bare and any(c.dep_ == "prep" and c.lower_ == "of" for c in trigger.children)):
            continue
        rank = (-rule.specificity, rule.order)
        key = (trigger.i, rule.beside)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, rule, nodes)
    for (i, _beside), (_rank, rule, nodes) in best.items():
        head = outer_noun(doc[i], codebook) if rule.nominal else doc[i]
        found.append(Candidate(doc[i:i + 1], head, rule, nominal=rule.nominal, nodes=nodes))
    return sorted(found, key=lambda c: (c.span.start, not c.rule.beside))


@dataclass(frozen=True)
class CueMatch:
    cue: StatusCue
    scope: Token
    word: Token


def find_cues(doc: Doc, codebook: Codebook) -> dict[int, list[CueMatch]]:
    """Status cue matches by the token they qualify (their scope), each list in codebook order."""
    matchers = compiled(doc.vocab, codebook)
    found: dict[int, list[CueMatch]] = {}
    for match_id, ids in matchers.cues(doc):
        cue, names = matchers.cue_keys[doc.vocab.strings[match_id]]
        nodes = {name: doc[i] for name, i in zip(names, ids, strict=True)}
        scope = nodes["scope"]
        found.setdefault(scope.i, []).append(CueMatch(cue, scope, nodes.get("cue", scope)))
    for matches in found.values():
        matches.sort(key=lambda m: (m.cue.order, m.word.i))
    return found
