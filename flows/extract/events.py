"""Events: who did what to whom, when and where, typed with PLOVER 2.0.

Triggers come from the codebook `schemas/plover.yaml` (data, not code); participants come from the
spaCy dependency parse and are resolved to actor ids through the actor mentions that overlap them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import yaml
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from flows.extract.dateline import in_dateline
from flows.extract.grammar import (
    ACTIVE_SUBJECT,
    ANY_SUBJECT,
    EMBEDDED_CLAUSE,
    EVENT_PLACE_PREPOSITIONS,
    NEUTER_PRONOUNS,
    PASSIVE_SUBJECT,
    PERSONAL_PRONOUNS,
    PLURAL_PRONOUNS,
    RELATIVE_PRONOUNS,
)
from flows.ids import make_id
from flows.records import Article, Event, Mention
from schemas import REFERENCE_DIR

CODEBOOK_PATH = REFERENCE_DIR / "plover.yaml"

CONJ_VERB_POS = ("VERB", "AUX")
# Event types a promise turns into a threat ('vowed to resume the offensive').
CONFLICT_TYPES = ("ASSAULT", "COERCE", "SANCTION", "MOBILIZE")
# The status of an event that another event asks for, threatens or turns down ('called for talks').
REQUESTED_STATUS = {"REQUEST": "hypothetical", "THREATEN": "hypothetical", "REJECT": "negated"}
# Prepositions whose object is the target of a verb trigger, by event type ('return X *to* Y').
TARGET_PREPOSITIONS: dict[str, tuple[str, ...]] = {
    "REQUEST": ("on", "to"),
    "SANCTION": ("on", "against"),
    "ASSAULT": ("on", "against", "at"),
    "THREATEN": ("against",),
    "PROTEST": ("against",),
    "AGREE": (),
}


# ---------------------------------------------------------------------------------------------------
# Codebook
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriggerRule:
    """One lexicon entry: words that signal an event type, and the pattern they need."""

    event_type: str
    pos: str
    lemmas: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    mode: str | None = None
    objects: tuple[str, ...] = ()
    particle: tuple[str, ...] = ()
    symmetric: bool = False
    symmetric_lemmas: tuple[str, ...] = ()
    role: str | None = None
    implicit_parties: bool = False
    needs_support_verb: bool = False
    needs_target: bool = False
    needs_motion: bool = False
    governors: tuple[str, ...] = ()

    @property
    def specificity(self) -> int:
        """Entries with an object or particle constraint are tried before bare lemmas."""
        return int(bool(self.objects)) + int(bool(self.particle))

    def is_symmetric(self, lemma: str) -> bool:
        return self.symmetric or lemma in self.symmetric_lemmas


@dataclass(frozen=True)
class Codebook:
    """The PLOVER types, coding conventions, status cues and trigger lexicon."""

    version: str
    event_types: dict
    conventions: dict[str, str]
    clustering: str
    status_cues: dict[str, frozenset[str]]
    support_verbs: frozenset[str]
    occurrence_verbs: frozenset[str]
    mediator_verbs: frozenset[str]
    organiser_verbs: frozenset[str]
    mediator_modifiers: frozenset[str]
    mediator_participles: frozenset[str]
    descriptors: dict[str, frozenset[str]]
    willingness: frozenset[str]
    speech_verbs: frozenset[str]
    motion_verbs: frozenset[str]
    grammar: dict[str, frozenset[str]]
    rules: tuple[TriggerRule, ...]
    third_party_nouns: frozenset[str] = frozenset()
    verb_rules: dict[str, tuple[TriggerRule, ...]] = field(default_factory=dict)
    noun_rules: dict[str, tuple[TriggerRule, ...]] = field(default_factory=dict)
    form_rules: dict[str, TriggerRule] = field(default_factory=dict)


def _tuple(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(item) for item in value)


def _rule(entry: dict) -> TriggerRule:
    return TriggerRule(
        event_type=entry["type"],
        pos=entry["pos"],
        lemmas=_tuple(entry.get("lemmas")),
        forms=_tuple(entry.get("forms")),
        mode=entry.get("mode"),
        objects=_tuple(entry.get("objects")),
        particle=_tuple(entry.get("particle")),
        symmetric=bool(entry.get("symmetric", False)),
        symmetric_lemmas=_tuple(entry.get("symmetric_lemmas")),
        role=entry.get("role"),
        implicit_parties=bool(entry.get("implicit_parties", False)),
        needs_support_verb=bool(entry.get("needs_support_verb", False)),
        needs_target=bool(entry.get("needs_target", False)),
        needs_motion=bool(entry.get("needs_motion", False)),
        governors=_tuple(entry.get("governors")),
    )


def _index(rules: Iterable[TriggerRule], pos: str) -> dict[str, tuple[TriggerRule, ...]]:
    index: dict[str, list[TriggerRule]] = {}
    for rule in rules:
        if rule.pos == pos:
            for lemma in rule.lemmas:
                index.setdefault(lemma, []).append(rule)
    return {lemma: tuple(sorted(found, key=lambda r: -r.specificity)) for lemma, found in index.items()}


def parse_codebook(data: dict) -> Codebook:
    """Build the codebook from its YAML mapping (separate from loading so tests can pass variants)."""
    rules = tuple(_rule(entry) for entry in data["triggers"])
    forms = {form: rule for rule in rules for form in rule.forms}
    return Codebook(
        version=str(data["version"]),
        event_types=data["event_types"],
        conventions=data["conventions"],
        clustering=data["clustering"],
        status_cues={key: frozenset(_tuple(value)) for key, value in data["status_cues"].items()},
        support_verbs=frozenset(data["support_verbs"]),
        occurrence_verbs=frozenset(data["occurrence_verbs"]),
        mediator_verbs=frozenset(data["mediator_verbs"]),
        organiser_verbs=frozenset(data["organiser_verbs"]),
        mediator_modifiers=frozenset(data["mediator_modifiers"]),
        mediator_participles=frozenset(data["mediator_participles"]),
        descriptors={key: frozenset(value) for key, value in data["descriptors"].items()},
        willingness=frozenset(data["willingness_governors"]),
        speech_verbs=frozenset(data["speech_verbs"]),
        motion_verbs=frozenset(data["motion_verbs"]),
        grammar={key: frozenset(value) for key, value in data["grammar"].items()},
        rules=rules,
        third_party_nouns=frozenset(data.get("third_party_nouns") or ()),
        verb_rules=_index(rules, "VERB"),
        noun_rules=_index(rules, "NOUN"),
        form_rules=forms,
    )


@lru_cache(maxsize=1)
def load_codebook() -> Codebook:
    """The PLOVER codebook shipped in `schemas/plover.yaml`, read once per process."""
    with CODEBOOK_PATH.open(encoding="utf-8") as handle:
        return parse_codebook(yaml.safe_load(handle))


def _words(name: str) -> frozenset[str]:
    """A grammar word list of the codebook."""
    return load_codebook().grammar[name]


# ---------------------------------------------------------------------------------------------------
# Mentions on tokens
# ---------------------------------------------------------------------------------------------------


@dataclass
class MentionIndex:
    """Actor, date and place mentions looked up by token index."""

    actors: dict[int, list[Mention]]
    dates: list[tuple[Mention, list[int]]]
    places: list[tuple[Mention, list[int]]]
    state_pairs: list[tuple[int, tuple[str, ...], dict[str, str]]] | None = None
    third_parties: set[str] = field(default_factory=set)


def _token_ids(doc: Doc, mention: Mention) -> list[int]:
    span = doc.char_span(mention.char_start, mention.char_end, alignment_mode="expand")
    return list(range(span.start, span.end)) if span is not None else []


def _outermost(mentions: list[Mention]) -> list[Mention]:
    """Drop mentions nested inside a longer one ('Armenian' inside 'Armenian Foreign Minister X')."""
    ordered = sorted(mentions, key=lambda m: (m.char_start, -(m.char_end - m.char_start)))
    kept: list[Mention] = []
    for mention in ordered:
        if kept and mention.char_start >= kept[-1].char_start and mention.char_end <= kept[-1].char_end:
            continue
        kept.append(mention)
    return kept


def index_mentions(doc: Doc, mentions: list[Mention]) -> MentionIndex:
    """Map every mention onto the tokens it covers."""
    actors: dict[int, list[Mention]] = {}
    actor_mentions = [m for m in mentions if m.kind == "actor" and m.value]
    for mention in _outermost(actor_mentions):
        for i in _token_ids(doc, mention):
            actors.setdefault(i, []).append(mention)
    metonym_tokens = {i for i, found in actors.items() if any(m.is_metonym for m in found)}
    text = doc.text
    mentions = [m for m in mentions if m.kind == "actor" or not in_dateline(text, m.char_start, m.char_end)]
    dates = [(m, _token_ids(doc, m)) for m in mentions if m.kind == "date" and m.value]
    places = [(m, ids) for m in mentions if m.kind == "place" and m.value
              for ids in [_token_ids(doc, m)] if not set(ids) & metonym_tokens]
    return MentionIndex(actors, [d for d in dates if d[1]], [p for p in places if p[1]])


# ---------------------------------------------------------------------------------------------------
# Resolving noun phrases to actor ids
# ---------------------------------------------------------------------------------------------------


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _conjuncts(token: Token) -> list[Token]:
    return [token, *[c for c in token.conjuncts if c.i != token.i]]


def _prep_objects(token: Token, prepositions: Iterable[str]) -> list[Token]:
    """Objects of the given prepositions attached to the token ('talks *with* X', 'between X and Y')."""
    wanted = set(prepositions)
    found = []
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in wanted:
            found.extend(c for c in child.children if c.dep_ == "pobj")
    return found


class Resolver:
    """Turns argument heads into actor ids, with a light pronoun fallback for he/she."""

    def __init__(self, doc: Doc, index: MentionIndex, line: range, trigger: Span,
                 descriptors: dict[str, frozenset[str]] | None = None):
        self.doc = doc
        self.index = index
        self.line = line
        self.trigger = (trigger.start_char, trigger.end_char)
        self.descriptors = descriptors or {}
        self.used_pronoun = False
        self.unresolved = False
        self.depth = 0

    def mention_ids(self, tokens: Iterable[Token]) -> list[str]:
        """Actor ids of the mentions on these tokens, inside the trigger's line and not over the trigger."""
        start, end = self.trigger
        return _dedupe(str(m.value) for t in tokens if t.i in self.line
                       for m in self.index.actors.get(t.i, ())
                       if m.char_end <= start or m.char_start >= end)

    def unit(self, head: Token) -> list[str]:
        """Actors named by one conjunct: the head itself, its tight modifiers, then 'of X', then 'X's'."""
        own = self.mention_ids([head])
        if own:
            appositions = [c for c in head.children if c.dep_ == "appos"]
            return _dedupe(self.coordinated_modifiers(head) + own +
                           [a for c in appositions for a in self.group(c)])
        if head.lower_ in PERSONAL_PRONOUNS:
            return self.pronoun(head)
        if head.lower_ in PLURAL_PRONOUNS:
            return self.plural_pronoun(head)
        if head.lower_ in NEUTER_PRONOUNS:
            return self.neuter_pronoun(head)
        appositions = [a for c in head.children if c.dep_ == "appos" for a in self.group(c)]
        if appositions:
            return appositions
        described = self.descriptor(head)
        if described:
            return described
        for child in head.children:
            if child.dep_ in ("compound", "flat", "nmod"):
                found = self.mention_ids(_phrase_tokens(child))
            elif child.dep_ == "appos":
                found = self.group(child)
            else:
                continue
            if found:
                return found
        for pobj in _prep_objects(head, ("of", "from", "between")):
            found = self.group(pobj)
            if found:
                return found
        for child in head.children:
            if child.dep_ == "poss":
                found = self.group(child)
            elif child.dep_ in ("amod", "npadvmod"):
                found = self.mention_ids(_phrase_tokens(child))
            else:
                continue
            if found:
                return found
        return []

    def descriptor(self, head: Token) -> list[str]:
        """'the two sides', 'both countries', 'the rivals': the two parties the article is about.

        States: the two countries named most often so far (a state and its government count as one);
        persons ('both ministers', 'the two leaders'): the two people named last.
        """
        lemma = head.lemma_.lower()
        plural = head.tag_ in ("NNS", "NNPS") or any(c.lower_ in _words("pair_determiners") for c in head.children)
        marked = any(c.lower_ in _words("group_determiners") | _words("pair_determiners") or c.dep_ == "poss"
                     for c in head.children)
        named = any(self.mention_ids(_phrase_tokens(c)) for c in head.children if c.dep_ == "poss")
        if not (plural and marked) or named:
            return []
        if lemma in self.descriptors.get("persons", ()):
            return self.coordinated_people(head) or self.recent_people(head, 2)
        if lemma in self.descriptors.get("states", ()):
            found = self.frequent_states(head, 2, self._host_of(head))
            self.unresolved = self.unresolved or not found
            return found
        return []

    def _host_of(self, head: Token) -> set[str]:
        """'X hosted a meeting of the two sides': X is not one of the two sides."""
        verb = _verb_above(head)
        if verb is None or verb.lemma_.lower() not in load_codebook().mediator_verbs:
            return set()
        subject, passive = _subject(verb)
        actor = _agent(verb) if passive else subject
        if actor is None or actor.i == head.i or self.depth > 1:
            return set()
        self.depth += 1
        try:
            return set(self.group(actor))
        finally:
            self.depth -= 1

    def _key_of(self, actor: str) -> str:
        prefix, _, rest = actor.partition(":")
        return rest.upper() if prefix in self.descriptors.get("state_id_prefixes", ()) else actor

    def _state_key(self, mention: Mention, token: Token) -> str | None:
        """Countries (a state and its government as one) and named armed or political groups."""
        prefix, _, rest = str(mention.value).partition(":")
        if prefix in self.descriptors.get("state_id_prefixes", ()):
            return rest.upper()
        if prefix in self.descriptors.get("party_id_prefixes", ()):
            return str(mention.value)
        if not rest and token.ent_type_ == "GPE":
            return str(mention.value)
        return None

    def frequent_states(self, before: Token, count: int, exclude: set[str] | None = None) -> list[str]:
        """The pair of states most often named together ('A and B', 'A-B talks') up to this token, else
        the states named most often (ties: the one named last); guarantors and observers never count."""
        third_parties = self.index.third_parties | (exclude or set())
        paired = self.coordinated_states(before, third_parties)
        if paired:
            self.used_pronoun = True
            return paired
        excluded = {self._key_of(actor) for actor in third_parties}
        seen: dict[str, tuple[int, int, str]] = {}
        for i in range(before.i):
            for mention in self.index.actors.get(i, ()):
                key = self._state_key(mention, self.doc[i])
                if key is None or key in excluded or \
                        (i > 0 and any(m is mention for m in self.index.actors.get(i - 1, ()))):
                    continue
                hits, _last, chosen = seen.get(key, (0, 0, str(mention.value)))
                if str(mention.value).startswith("state:"):
                    chosen = str(mention.value)
                seen[key] = (hits + 1, i, chosen)
        ranked = sorted(seen.values(), key=lambda item: (-item[0], -item[1]))
        if len(ranked) < count:
            return []
        self.used_pronoun = True
        return sorted(item[2] for item in ranked[:count])

    def _states_on(self, token: Token) -> list[tuple[str, str]]:
        found = []
        for mention in self.index.actors.get(token.i, ()):
            key = self._state_key(mention, token)
            if key is not None:
                found.append((key, str(mention.value)))
        return found

    def _state_groups(self) -> list[tuple[int, tuple[str, ...], dict[str, str]]]:
        """Per token: the last token of its coordination, the states coordinated there, their ids."""
        if self.index.state_pairs is None:
            groups = []
            for token in self.doc:
                partners = self._states_on(token)
                if not partners:
                    continue
                last = token.i
                for conjunct in token.conjuncts:
                    if conjunct.i > token.i:
                        partners += self._states_on(conjunct)
                        last = max(last, conjunct.i)
                if token.i + 2 < len(self.doc) and self.doc[token.i + 1].text in ("-", "\u2013"):
                    partners += self._states_on(self.doc[token.i + 2])
                    last = max(last, token.i + 2)
                names: dict[str, str] = {}
                for key, value in partners:
                    if key not in names or value.startswith("state:"):
                        names[key] = value
                groups.append((last, tuple(sorted(names)), names))
            self.index.state_pairs = groups
        return self.index.state_pairs

    def coordinated_states(self, before: Token, exclude: set[str] | None = None,
                           within: range | None = None) -> list[str]:
        """The two states most often coordinated with each other in the article ('A and B', 'A-B talks');
        ties go to the pair whose states are named most often, then to the pair named last before the
        token. The story's two parties are a property of the whole text, not of what came before;
        `within` limits the coordinations looked at to those tokens."""
        pairs: dict[tuple[str, str], list[int]] = {}
        names: dict[str, str] = {}
        frequency: dict[str, int] = {}
        for token in self.doc:
            for key, _value in self._states_on(token):
                frequency[key] = frequency.get(key, 0) + 1
        excluded = {self._key_of(actor) for actor in exclude or ()}
        for last, keys, found in self._state_groups():
            if excluded & set(keys) or (within is not None and last not in within):
                continue
            for key, value in found.items():
                if key not in names or value.startswith("state:"):
                    names[key] = value
            for i, first in enumerate(keys):
                for second in keys[i + 1:]:
                    pairs.setdefault((first, second), []).append(last)
        if not pairs:
            return []
        best = max(pairs.items(), key=lambda item: (
            len(set(item[1])), sum(frequency.get(key, 0) for key in item[0]),
            max((i for i in item[1] if i < before.i), default=-1)))
        return sorted(names[key] for key in best[0])

    def coordinated_people(self, before: Token) -> list[str]:
        """The last two people named together ('A and B met') before this token."""
        for token in reversed(self.doc[_window_start(before, 4):before.i]):
            people = [str(m.value) for m in self.index.actors.get(token.i, ())
                      if _is_person(m, token, self.descriptors)]
            for conjunct in token.conjuncts:
                if conjunct.i < token.i:
                    partners = [str(m.value) for m in self.index.actors.get(conjunct.i, ())
                                if _is_person(m, conjunct, self.descriptors)]
                    pair = sorted(set(people + partners))
                    if len(pair) == 2:
                        self.used_pronoun = True
                        return pair
        return []

    def recent_people(self, before: Token, count: int) -> list[str]:
        """The last `count` distinct people named before this token."""
        found: list[str] = []
        for i in range(before.i - 1, -1, -1):
            for mention in self.index.actors.get(i, ()):
                value = str(mention.value)
                if _is_person(mention, self.doc[i], self.descriptors) and value not in found:
                    found.append(value)
            if len(found) >= count:
                self.used_pronoun = True
                return sorted(found[:count])
        return []

    def plural_pronoun(self, token: Token) -> list[str]:
        """they/them/their: the nearest earlier phrase naming two or more actors, not the pronoun's own
        clause subject ('X and Y mediated talks between them' does not mean X and Y)."""
        if self.depth > 1:
            return []
        own_clause = _verb_above(token)
        own_subject = _subject(own_clause)[0] if own_clause is not None and token.dep_ != "nsubj" else None
        if token.dep_ == "poss" and own_subject is not None and own_subject.i < token.i:
            self.depth += 1
            try:
                found = self.group(own_subject)
            finally:
                self.depth -= 1
            if len(found) >= 2:
                self.used_pronoun = True
                return found
        start = _window_start(token, 2)
        self.depth += 1
        line, self.line = self.line, range(start, token.i)
        try:
            for i in range(token.i - 1, start - 1, -1):
                candidate = self.doc[i]
                if candidate.pos_ not in ("NOUN", "PROPN") or candidate.dep_ == "conj":
                    continue
                if candidate.dep_ in ("compound", "amod", "poss", "nmod"):
                    continue
                if own_subject is not None and candidate.i == own_subject.i:
                    continue
                found = self.group(candidate)
                if len(found) >= 2:
                    self.used_pronoun = True
                    return found
        finally:
            self.depth -= 1
            self.line = line
        return []

    def neuter_pronoun(self, token: Token) -> list[str]:
        """its: the nearest state, government or organisation named before, in this or the last sentence."""
        start = _window_start(token, 1)
        for i in range(token.i - 1, start - 1, -1):
            for mention in self.index.actors.get(i, ()):
                if not _is_person(mention, self.doc[i], self.descriptors):
                    self.used_pronoun = True
                    return [str(mention.value)]
        return []

    def coordinated_modifiers(self, head: Token) -> list[str]:
        """'President A and Prime Minister B met': the parser often hangs 'A and <title>' under B."""
        found: list[str] = []
        left = head.left_edge.i - 1
        if left > 0 and head.doc[left].dep_ == "conj" and head.doc[left - 1].dep_ == "cc":
            partner = head.doc[left].head
            if partner.i < left and self.mention_ids([head.doc[left]]):
                found += self.mention_ids([partner])
        for child in head.children:
            if child.dep_ not in ("nmod", "compound") or not any(c.dep_ == "cc" for c in child.children):
                continue
            for conjunct in _conjuncts(child):
                following = head.doc[conjunct.i + 1] if conjunct.i + 1 < len(head.doc) else None
                if conjunct is not child and following is not None and head in following.ancestors:
                    continue
                found += self.mention_ids([conjunct])
        return found

    def group(self, head: Token | None) -> list[str]:
        """Actors named by a noun phrase and its conjuncts ('Armenia and Azerbaijan')."""
        if head is None:
            return []
        return _dedupe(actor for token in _conjuncts(head) for actor in self.unit(token))

    def pronoun(self, token: Token) -> list[str]:
        """he/she/him/her: the nearest person named before (a subject preferred), up to three sentences back."""
        window_start = _window_start(token, 3)
        people: list[tuple[Token, Mention]] = []
        for i in range(token.i - 1, window_start - 1, -1):
            for mention in self.index.actors.get(i, ()):
                if self.doc[i].ent_type_ == "PERSON" or str(mention.value).startswith("person:"):
                    people.append((self.doc[i], mention))
        if not people:
            return []
        subjects = [m for t, m in people if _in_subject(t)]
        self.used_pronoun = True
        return [str((subjects or [people[0][1]])[0].value)]


def _window_start(token: Token, sentences_back: int) -> int:
    """First token of the sentence `sentences_back` sentences before the token's."""
    start = sentence_bounds(token)[0]
    for _ in range(sentences_back):
        if start == 0:
            break
        start = sentence_bounds(token.doc[start - 1])[0]
    return start


SENTENCES_KEY = "accord.events.sentences"


def sentence_bounds(token: Token) -> tuple[int, int]:
    """Start and end token of the token's sentence, computed once per doc (Token.sent is linear)."""
    doc = token.doc
    bounds = doc.user_data.get(SENTENCES_KEY)
    if bounds is None or len(bounds) != len(doc):
        bounds = [(0, 0)] * len(doc)
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                bounds[i] = (sent.start, sent.end)
        doc.user_data[SENTENCES_KEY] = bounds
    return bounds[token.i]


def _is_person(mention: Mention, token: Token, descriptors: dict[str, frozenset[str]]) -> bool:
    prefix, _, rest = str(mention.value).partition(":")
    if rest:
        return prefix in descriptors.get("person_id_prefixes", ())
    return token.ent_type_ == "PERSON"


def _phrase_tokens(token: Token) -> list[Token]:
    """A modifier's own words, without clauses or prepositional phrases hanging from it."""
    found = [token]
    for child in token.children:
        if child.dep_ not in EMBEDDED_CLAUSE and child.dep_ not in ("prep", "agent", "conj", "cc"):
            found += _phrase_tokens(child)
    return found


def _in_subject(token: Token) -> bool:
    """The token is (inside) the subject of its clause."""
    for ancestor in [token, *token.ancestors]:
        if ancestor.dep_ in ACTIVE_SUBJECT:
            return True
        if ancestor.pos_ in CONJ_VERB_POS:
            return False
    return False


# ---------------------------------------------------------------------------------------------------
# Finding triggers
# ---------------------------------------------------------------------------------------------------


@dataclass
class Candidate:
    """A trigger found in the text, before its participants are known."""

    span: Span
    head: Token
    rule: TriggerRule
    nominal: bool
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    anchor: Token | None = None
    absorbed: bool = False
    has_between: bool = False
    event_type: str = ""
    promise: bool = False
    implicit: bool = False
    merged: list[Candidate] = field(default_factory=list)
    supported: bool = False
    implicit_source: list[str] = field(default_factory=list)
    status: str | None = None

    def __post_init__(self) -> None:
        self.event_type = self.event_type or self.rule.event_type


def _object_heads(verb: Token) -> list[Token]:
    """Direct objects, passive subjects and 'agree on X' objects, with their conjuncts."""
    heads = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")]
    heads += _prep_objects(verb, ("on", "to", "from", "of", "into", "by", "over", "via"))
    for child in verb.children:
        if child.dep_ == "prt":
            heads += [c for c in child.children if c.dep_ == "pobj"]
    heads += [o for head in heads if head.lemma_.lower() in _words("quantity_heads")
              for o in _prep_objects(head, ("of",))]
    return [c for head in heads for c in _conjuncts(head)]


def _particles(verb: Token) -> set[str]:
    """Particles and prepositions of the verb, and a 'with' the parser hung on its object ('discussed X with Y')."""
    found = {c.lower_ for c in verb.children if c.dep_ in ("prt", "prep", "advmod", "agent")}
    found |= {c.lower_ for o in verb.children if o.dep_ == "dobj" for c in o.children
              if c.dep_ == "prep" and c.lower_ == "with"}
    return found


def _is_gerund_noun(token: Token) -> bool:
    return token.pos_ == "NOUN" and token.lower_.endswith("ing") and any(c.dep_ == "dobj" for c in token.children)


def _gerund_lemma(token: Token, codebook: Codebook) -> str | None:
    """A verb the tagger took for a noun ('proposed *signing* the sections'): an -ing word with an object."""
    word = token.lower_
    if not word.endswith("ing") or not any(c.dep_ == "dobj" for c in token.children):
        return None
    stem = word[:-3]
    for lemma in (stem, stem + "e", stem[:-1]):
        if lemma in codebook.verb_rules:
            return lemma
    return None


def _verb_rule(token: Token, codebook: Codebook, lemma: str | None = None) -> TriggerRule | None:
    for rule in codebook.verb_rules.get(lemma or token.lemma_.lower(), ()):
        if rule.particle and not _particles(token) & set(rule.particle):
            continue
        if rule.objects:
            heads = _object_heads(token)
            heads += [c for o in heads for c in o.children if c.dep_ in ("compound", "amod")]
            objects = {o.lemma_.lower() for o in heads} | {o.lower_ for o in heads}
            if not objects & set(rule.objects):
                continue
        return rule
    return None


def _noun_rule(token: Token, codebook: Codebook) -> TriggerRule | None:
    """The first noun entry whose constraints hold ('the deal includes ...' needs its governing verb)."""
    rules = codebook.noun_rules.get(token.lemma_.lower()) or codebook.noun_rules.get(token.lower_) or ()
    for rule in rules:
        if rule.governors and not (token.dep_ in ("nsubj", "nsubjpass") and
                                   token.head.lemma_.lower() in rule.governors):
            continue
        return rule
    return None


def _outer_noun(token: Token) -> Token:
    """'negotiation session': the participants hang from 'session'."""
    while token.dep_ == "compound" and token.head.lemma_.lower() in _words("compound_heads"):
        token = token.head
    return token


def find_candidates(doc: Doc, codebook: Codebook) -> list[Candidate]:
    """Verb and noun triggers of the lexicon, multiword forms first; one candidate per token."""
    found: list[Candidate] = []
    taken: set[int] = set()
    matcher = PhraseMatcher(doc.vocab, attr="LOWER")
    for form in codebook.form_rules:
        matcher.add(form, [Doc(doc.vocab, words=re.findall(r"\w+|[^\w\s]", form))])
    for match_id, start, end in sorted(matcher(doc), key=lambda m: (m[1], -(m[2] - m[1]))):
        if any(i in taken for i in range(start, end)):
            continue
        span = doc[start:end]
        rule = codebook.form_rules[doc.vocab.strings[match_id]]
        head = span.root
        if head.pos_ not in ("NOUN", "PROPN") and span[-1].pos_ in ("NOUN", "PROPN"):
            head = span[-1]
        if head.dep_ == "compound" and head.head.lemma_.lower() not in _words("compound_heads"):
            continue
        found.append(Candidate(span, _outer_noun(head), rule, nominal=True))
        taken.update(range(start, end))
    for token in doc:
        if token.i in taken:
            continue
        rule = None
        verbal = token.pos_ == "VERB"
        if verbal:
            rule = _verb_rule(token, codebook)
        elif token.pos_ == "NOUN" and _gerund_lemma(token, codebook):
            rule = _verb_rule(token, codebook, _gerund_lemma(token, codebook))
            verbal = rule is not None
        if rule is None and token.pos_ in ("NOUN", "PROPN") and (
                token.dep_ != "compound" or token.head.lemma_.lower() in _words("compound_heads")):
            rule = _noun_rule(token, codebook)
        if rule is not None:
            head = token if verbal else _outer_noun(token)
            found.append(Candidate(doc[token.i:token.i + 1], head, rule, nominal=not verbal))
            taken.add(token.i)
    return sorted(found, key=lambda c: c.span.start)


# ---------------------------------------------------------------------------------------------------
# Participants
# ---------------------------------------------------------------------------------------------------


def _subject(verb: Token) -> tuple[Token | None, bool]:
    """The verb's subject (and whether it is a passive subject), inherited through conj/xcomp/relcl."""
    current = verb
    for _ in range(6):
        subjects = [c for c in current.children if c.dep_ in ACTIVE_SUBJECT]
        if subjects:
            nearest = min(subjects, key=lambda c: abs(current.i - c.i))
            if nearest.lower_ in RELATIVE_PRONOUNS and current.dep_ == "relcl" and \
                    current.head.pos_ in ("NOUN", "PROPN"):
                return current.head, False  # 'Qatar and Egypt, which mediated the deal'
            return nearest, False
        for child in current.children:
            if child.dep_ in PASSIVE_SUBJECT:
                return child, current is verb
        if current.dep_ == "xcomp" and current.head.lemma_.lower() in _words("object_control_verbs"):
            objects = [c for c in current.head.children if c.dep_ == "dobj"]
            if objects:
                return objects[0], False
        if current.dep_ == "relcl" and current.head.pos_ in ("NOUN", "PROPN"):
            return current.head, False
        controller = _object_controller(current)
        if controller is not None:
            return controller, False
        if _misattached_conjunct(current):
            current = _verb_above(current.head) or current.head
            continue
        gerund_object = current.dep_ == "dobj" and _is_gerund_noun(current)
        if (current.dep_ in ("xcomp", "conj", "advcl", "acomp", "ccomp", "pcomp") or gerund_object) \
                and current.head is not current:
            current = current.head
            if current.pos_ not in CONJ_VERB_POS and current.dep_ in ("acomp",):
                current = current.head
            continue
        if current.dep_ == "prep" or current.pos_ == "ADP":
            current = current.head
            continue
        break
    return None, False


def _misattached_conjunct(verb: Token) -> bool:
    """'A gained independence when B broke up and have gone to war': a conjunct with its own auxiliary
    hung on a subordinate clause without one continues the main clause, so it takes the main subject."""
    head = verb.head
    if verb.dep_ != "conj" or head.dep_ not in ("relcl", "advcl"):
        return False
    own_aux = any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    head_aux = any(c.dep_ in ("aux", "auxpass") for c in head.children)
    return own_aux and not head_aux


def _object_controller(verb: Token) -> Token | None:
    """'accused X of stalling', 'thanked X for hosting': the gerund's doer is the governing verb's object."""
    if verb.dep_ != "pcomp" or verb.head.lower_ not in ("of", "for"):
        return None
    governor = verb.head.head
    objects = [c for c in governor.children if c.dep_ in ("dobj", "dative")]
    objects += _prep_objects(governor, ("to",))
    return objects[-1] if objects else None


def _agent(verb: Token) -> Token | None:
    objects = _prep_objects(verb, ("by",))
    return objects[0] if objects else None


def _ccomp_subject(verb: Token) -> Token | None:
    """'demand/insist that X remove ...': X is the target."""
    for child in verb.children:
        if child.dep_ in ("ccomp", "acl", "xcomp"):
            for grandchild in child.children:
                if grandchild.dep_ in ANY_SUBJECT:
                    return grandchild
    return None


def _fallback_subject(verb: Token, resolver: Resolver) -> list[str]:
    """A named actor right before a verb the parser left without subject ('Getachew accused ...')."""
    for child in verb.lefts:
        if child.dep_ not in ("prep", "advmod", "mark", "punct", "advcl", "ccomp", "npadvmod", "cc"):
            found = resolver.mention_ids(_phrase_tokens(child))
            if found:
                return found
    return []


def _speech_verb(verb: Token, codebook: Codebook) -> Token | None:
    """'X claimed (that) Y violated the truce': the verb of saying whose complement holds the trigger."""
    if verb.dep_ == "ccomp" and verb.head.lemma_.lower() in codebook.speech_verbs:
        return verb.head
    return None


def verbal_participants(cand: Candidate, resolver: Resolver, codebook: Codebook) -> None:
    """Source, target and other actors of a verb trigger."""
    verb = cand.head
    subject, passive = _subject(verb)
    agent = _agent(verb)
    subjects = resolver.group(subject) if subject is not None else _fallback_subject(verb, resolver)
    direct = [o for o in verb.children if o.dep_ in ("dobj", "dative")]
    objects = _dedupe(a for o in direct for a in resolver.group(o))
    if cand.rule.event_type == "ASSAULT":
        # 'shelled Kyiv': a town or capital attacked is where the violence happened, not a target actor
        places = {str(m.value) for o in direct for t in _conjuncts(o) for m in resolver.index.actors.get(t.i, ())
                  if m.is_metonym}
        objects = [a for a in objects if a not in places]
    source, target = (resolver.group(agent), subjects) if passive else (subjects, objects)
    if passive and agent is None and cand.rule.event_type == "ASSAULT":
        source = [a for o in _prep_objects(verb, ("from",)) for a in resolver.group(o)]
    symmetric = cand.rule.is_symmetric(verb.lemma_.lower())
    if not symmetric:
        preps = TARGET_PREPOSITIONS.get(cand.rule.event_type, ("to", "against"))
        target += [a for o in _prep_objects(verb, preps) for a in resolver.group(o)]
    with_heads = _prep_objects(verb, ("with",)) + [p for o in direct for p in _prep_objects(o, ("with",))]
    with_ = [a for o in with_heads for a in resolver.group(o)]
    if cand.rule.event_type == "ASSAULT" and not symmetric:
        with_ = []
    between = [a for o in _prep_objects(verb, ("between", "among")) for a in resolver.group(o)]
    if passive and subject is not None:
        # 'an agreement was reached between A and B': A and B are the parties, not the target
        between += [a for o in _prep_objects(subject, ("between", "among")) for a in resolver.group(o)]
        target = [a for a in target if a not in between]
    cand.other = [a for o in _prep_objects(verb, ("alongside",)) for a in resolver.group(o)]
    heads = [verb, *direct, *with_heads, *([subject] if subject is not None else [])]
    for head in heads:
        for child in head.children:
            if child.dep_ in ("advcl", "acl") and is_mediator_modifier(child, codebook) and _agent(child):
                cand.other += resolver.group(_agent(child))
    cand.has_between = bool(_prep_objects(verb, ("between", "among")))
    if cand.rule.event_type == "REQUEST" and not target:
        target = resolver.group(_ccomp_subject(verb))
    if cand.rule.role == "reported":
        speaker = _speech_verb(verb, codebook)
        cand.source = resolver.group(_subject(speaker)[0]) if speaker is not None else []
        cand.target = [] if speaker is None else [a for a in subjects if a not in cand.source]
        return
    if cand.rule.role in ("mediator", "host"):
        # 'mediated the deal together with X': X is another mediator
        joint = [a for prep in verb.children if prep.dep_ == "prep" and prep.lower_ == "with" and any(
            c.lower_ in ("together", "along", "jointly") for c in prep.children)
            for o in prep.children if o.dep_ == "pobj" for a in resolver.group(o)]
        cand.other = _dedupe(list(subjects if not passive else resolver.group(agent)) + joint)
        cand.source = _dedupe([a for a in between + with_ if a not in joint] +
                              (objects if cand.rule.role == "host" else []))
        return
    if symmetric:
        cand.source = _dedupe(source + target + with_ + between)
        cand.target = []
        return
    cand.source = _dedupe(source + between)
    cand.target = [a for a in _dedupe(target + with_) if a not in cand.source]


def _governor(noun: Token) -> tuple[Token | None, str]:
    """The verb a nominal trigger hangs from ('hold *talks*', 'for a round *of talks*'), and how."""
    current, relation = noun, noun.dep_
    for _ in range(5):
        if current.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "pobj", "conj", "appos"):
            relation = current.dep_ if current.dep_ != "pobj" else f"prep:{current.head.lower_}"
            head = current.head
            if head.dep_ == "prep" and current.dep_ == "pobj":
                relation = f"prep:{head.lower_}"
                head = head.head
            if head.pos_ in CONJ_VERB_POS:
                return head, relation
            if head.pos_ in ("NOUN", "PROPN") and relation in ("prep:of", "conj", "appos"):
                current = head
                continue
            return None, relation
        break
    return None, relation


def is_mediator_modifier(token: Token, codebook: Codebook) -> bool:
    """'mediated', 'hosted', or a hyphenated 'US-mediated' / 'U.S.-brokered' word."""
    if token.pos_ not in ("VERB", "ADJ", "NOUN", "PROPN"):
        return False
    if token.lemma_.lower() in codebook.mediator_modifiers and token.pos_ == "VERB":
        return True
    return "-" in token.lower_ and token.lower_.rsplit("-", 1)[1] in codebook.mediator_participles


def _modifier_mediators(noun: Token, resolver: Resolver, codebook: Codebook) -> list[str]:
    """'US-mediated talks', 'talks mediated by X', 'a negotiation (between A and B) accompanied by X'."""
    found: list[str] = []
    heads = [noun, *[c for h in _prep_objects(noun, ("between", "with")) for c in _conjuncts(h)]]
    for head in heads:
        for child in head.children:
            if child.dep_ in ("amod", "compound", "acl", "npadvmod") and is_mediator_modifier(child, codebook):
                agent = _agent(child)
                found += resolver.group(agent) if agent is not None else resolver.mention_ids(child.subtree)
    return found


def _modifier_parties(noun: Token, resolver: Resolver, codebook: Codebook) -> list[str]:
    """Parties named inside the event noun phrase: 'Azerbaijan-Armenia talks', 'Baku's offensive'."""
    found: list[str] = []
    for child in noun.children:
        if child.dep_ in ("poss", "compound", "amod", "nmod") and child.i < noun.i:
            if any(is_mediator_modifier(t, codebook) for t in child.subtree):
                continue
            if child.dep_ == "poss":
                found += resolver.group(child)
            else:
                found += resolver.mention_ids(_phrase_tokens(child))
    return found


def _promised_recipients(word: Token, resolver: Resolver) -> list[str]:
    """'willingness to provide assistance to A and B': the promise is directed at A and B."""
    found: list[str] = []
    for child in word.children:
        if child.dep_ in ("acl", "xcomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
            for i in sorted(_shared_subject_tokens(child)):
                token = word.doc[i]
                if token.dep_ == "dative" or (token.dep_ == "pobj" and token.head.lower_ == "to"):
                    found += resolver.group(token)
    return _dedupe(found)


def nominal_participants(cand: Candidate, resolver: Resolver, codebook: Codebook) -> None:
    """Participants named in the event noun phrase itself."""
    noun = cand.head
    symmetric = cand.rule.is_symmetric(noun.lemma_.lower())
    between_heads = _prep_objects(noun, ("between", "among"))
    cand.has_between = bool(between_heads)
    parties = _modifier_parties(noun, resolver, codebook)
    parties += [a for o in between_heads for a in resolver.group(o)]
    parties += [a for o in _prep_objects(noun, ("of", "by")) for a in resolver.group(o)]
    with_ = [a for o in _prep_objects(noun, ("with",)) for a in resolver.group(o)]
    target = [a for o in _prep_objects(noun, ("against", "on", "to", "for")) for a in resolver.group(o)]
    if cand.rule.event_type == "CONSULT" and cand.rule.mode != "visit":
        target = []
    if cand.rule.event_type == "REQUEST":
        target += resolver.group(_ccomp_subject(noun))
    if cand.rule.event_type == "AGREE" and not target:
        target = _promised_recipients(noun, resolver)
    cand.other = _modifier_mediators(noun, resolver, codebook)
    if cand.rule.role in ("mediator", "venue"):
        cand.other = _dedupe(cand.other + _modifier_parties(noun, resolver, codebook))
        if cand.rule.role == "mediator":
            cand.other += [a for o in _prep_objects(noun, ("by", "of")) for a in resolver.group(o)]
        joined = _prep_objects(noun, ("between", "among", "of")) if cand.rule.role == "venue" else between_heads
        cand.source = _dedupe([a for o in joined for a in resolver.group(o)] + with_)
        return
    if symmetric:
        cand.source = _dedupe(parties + with_)
    else:
        cand.source = _dedupe(parties)
        cand.target = [a for a in _dedupe(target + with_) if a not in cand.source]


def _note_modifiers(cand: Candidate, by_head: dict[int, Candidate], codebook: Codebook) -> None:
    """'talks mediated by X' folds the mediating verb into the talks; 'talks commenced' dates them."""
    for child in cand.head.children:
        modifier = by_head.get(child.i)
        if child.dep_ in ("acl", "amod") and modifier is not None and modifier.rule.role in ("mediator", "host"):
            modifier.absorbed = True
        if child.dep_ in ("acl", "relcl") and child.lemma_.lower() in codebook.occurrence_verbs \
                and not any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
            cand.anchor = child


def _asked_for(cand: Candidate, governing: Candidate) -> None:
    """'called for talks' (hypothetical, the parties are the request's target), 'rejected talks' (negated)."""
    wanted = REQUESTED_STATUS.get(governing.rule.event_type)
    if wanted is None or governing.rule.event_type == cand.rule.event_type:
        return
    cand.status = wanted
    if governing.rule.event_type == "REQUEST" and not governing.target:
        governing.target = _dedupe(cand.source + cand.target)
    if governing.rule.event_type == "REJECT" and cand.rule.is_symmetric(cand.head.lemma_.lower()):
        cand.source = _dedupe(cand.source + governing.source)


def _merge_into(cand: Candidate, governing: Candidate, relation: str) -> bool:
    """Fold the noun into the verb trigger it depends on, or the mediating verb into the noun."""
    verb = governing.head
    if cand.rule.role == "mediator" and governing.rule.role is None and relation.startswith("prep:"):
        governing.other = _dedupe(governing.other + cand.other)
        cand.absorbed = True
        return True
    if governing.rule.role in ("mediator", "host") and relation in ("dobj", "nsubjpass"):
        cand.other = _dedupe(cand.other + governing.other)
        cand.source = _dedupe(cand.source + governing.source)
        cand.anchor = verb
        governing.absorbed = True
        return True
    same = governing.rule.event_type == cand.rule.event_type
    named_object = cand.head.lemma_.lower() in governing.rule.objects or cand.span.root.lemma_.lower() in \
        governing.rule.objects
    if not (same or (governing.rule.objects and (relation in ("dobj", "nsubjpass") or named_object))):
        return False
    if cand.implicit_source and not (governing.source or governing.target or cand.source):
        governing.source = [a for a in cand.implicit_source if a not in governing.other]
        governing.implicit = True
    if same or not governing.source:
        governing.source = _dedupe(governing.source + cand.source)
        joined = cand.target
    else:
        joined = cand.source + cand.target
    governing.other = _dedupe(governing.other + cand.other)
    if not governing.rule.is_symmetric(verb.lemma_.lower()):
        governing.target = _dedupe(governing.target + [a for a in joined if a not in governing.source])
    cand.absorbed = True
    governing.merged.append(cand)
    return True


def _borrow_subject(cand: Candidate, verb: Token, relation: str, resolver: Resolver, codebook: Codebook) -> None:
    """'A held talks with B', 'A and B made progress during talks': the verb's subject takes part."""
    subject, _passive = _subject(verb)
    actors = resolver.group(subject)
    if relation == "prep:during" and len(actors) < 2:
        actors = []
    if cand.has_between and not set(actors) & set(cand.source):
        cand.other = _dedupe(cand.other + actors)
    else:
        cand.source = _dedupe(cand.source + actors)
    if relation == "prep:during":
        return
    cand.anchor = verb
    cand.other = _dedupe(cand.other + _verb_mediators(verb, resolver, codebook))
    partners = [a for o in _prep_objects(verb, ("with",)) for a in resolver.group(o)]
    if cand.rule.is_symmetric(cand.head.lemma_.lower()):
        cand.source = _dedupe(cand.source + partners)
    else:
        cand.target = _dedupe(cand.target + [a for a in partners if a not in cand.source])


def _third_party_subject(cand: Candidate, verb: Token, relation: str, resolver: Resolver,
                         codebook: Codebook) -> bool:
    """'X mediated/hosted talks' puts X among the other actors; 'X organised talks between A and B' too."""
    lemma = verb.lemma_.lower()
    subject, passive = _subject(verb)
    if lemma in codebook.mediator_verbs and relation in ("dobj", "nsubjpass"):
        agent = _agent(verb) if passive else subject
        cand.other = _dedupe(cand.other + resolver.group(agent))
    elif lemma in codebook.organiser_verbs and relation == "dobj":
        actors = resolver.group(subject)
        if cand.has_between:
            cand.other = _dedupe(cand.other + actors)
        else:
            cand.source = _dedupe(cand.source + actors)
    else:
        return False
    cand.anchor = verb
    return True


def attach_nominal(cand: Candidate, by_head: dict[int, Candidate], resolver: Resolver,
                   codebook: Codebook) -> None:
    """Link a nominal trigger to the verb it hangs from: merge with it, borrow its subject, or stand alone."""
    _note_modifiers(cand, by_head, codebook)
    verb, relation = _governor(cand.head)
    if verb is None:
        return
    governing = by_head.get(verb.i)
    lemma = verb.lemma_.lower()
    cand.supported = lemma in codebook.support_verbs and relation in ("dobj", "conj")
    if governing is not None and not governing.nominal:
        if relation in ("dobj", "prep:for", "prep:to"):
            _asked_for(cand, governing)
        if _merge_into(cand, governing, relation):
            return
    if _third_party_subject(cand, verb, relation, resolver, codebook):
        pass
    elif relation in ("dobj", "prep:to", "prep:in", "prep:into", "prep:during") and not _subject(verb)[1] \
            and (lemma in codebook.support_verbs or relation == "prep:during"):
        _borrow_subject(cand, verb, relation, resolver, codebook)
    elif relation == "prep:with" and cand.rule.event_type == "ASSAULT" and not cand.rule.is_symmetric(
            cand.head.lemma_.lower()) and not _subject(verb)[1] and not cand.source:
        # 'X responded with air strikes': X is the attacker
        cand.source = resolver.group(_subject(verb)[0])
        cand.anchor = verb
    elif relation in ("nsubj", "nsubjpass") and (lemma in codebook.occurrence_verbs or
                                                 lemma in codebook.support_verbs):
        cand.anchor = verb
        _verb_parties(cand, verb, resolver, codebook)
    cand.other = [a for a in cand.other if a not in cand.source]


def _verb_parties(cand: Candidate, verb: Token, resolver: Resolver, codebook: Codebook) -> None:
    """'a meeting was held between A and B, mediated by C': the parser hangs the parties on the verb."""
    joined = [a for o in _prep_objects(verb, ("between", "among", "with")) for a in resolver.group(o)]
    if cand.rule.is_symmetric(cand.head.lemma_.lower()):
        cand.source = _dedupe(cand.source + joined)
    cand.has_between = cand.has_between or bool(_prep_objects(verb, ("between", "among")))
    cand.other = _dedupe(cand.other + _verb_mediators(verb, resolver, codebook))


def _verb_mediators(verb: Token, resolver: Resolver, codebook: Codebook) -> list[str]:
    """'..., mediated by X' / 'accompanied by X' hanging from the verb."""
    return [a for child in verb.children
            if child.dep_ in ("advcl", "acl") and is_mediator_modifier(child, codebook) and _agent(child)
            for a in resolver.group(_agent(child))]


# ---------------------------------------------------------------------------------------------------
# Status, date, place
# ---------------------------------------------------------------------------------------------------


def _governors(token: Token) -> list[Token]:
    """The token and the verbs/adjectives above it through xcomp/acomp chains ('expected to meet')."""
    chain = [token]
    current = token
    for _ in range(4):
        gerund_object = current.dep_ == "dobj" and _is_gerund_noun(current)
        if (current.dep_ in ("xcomp", "acomp", "pcomp", "csubj", "acl", "auxpass") or gerund_object) \
                and current.head is not current:
            current = current.head
            if current.pos_ == "ADP":
                current = current.head
            chain.append(current)
            for child in current.children:
                if child.dep_ == "acomp":
                    chain.append(child)
        else:
            break
    return chain


def _status_of_verb(verb: Token, codebook: Codebook) -> str | None:
    cues = codebook.status_cues
    chain = _governors(verb)
    for position, token in enumerate(chain):
        children = list(token.children)
        if any(c.dep_ == "neg" for c in children):
            return "negated"
        lemma = token.lemma_.lower()
        if position > 0:
            if lemma in cues["negated_governors"]:
                return "negated"
            if lemma in cues["hypothetical_governors"]:
                return "hypothetical"
            if lemma in cues["planned_governors"] and (lemma != "be" or chain[position - 1].dep_ == "xcomp"):
                return "planned"
        auxes = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
        if auxes & cues["hypothetical_aux"]:
            return "hypothetical"
        if auxes & cues["planned_aux"]:
            return "planned"
        marks = {c.lower_ for c in children if c.dep_ == "mark"}
        if marks & cues["hypothetical_marks"]:
            return "hypothetical"
        if any(c.dep_ in ACTIVE_SUBJECT and any(d.dep_ == "det" and d.lower_ in cues["negated_determiners"]
                                              for d in c.children) for c in children):
            return "negated"
    if _purpose_infinitive(verb):
        if verb.head.lemma_.lower() in codebook.motion_verbs:
            return _status_of_verb(verb.head, codebook)
        return "hypothetical"
    return None


def _purpose_infinitive(verb: Token) -> bool:
    """'... to hammer out a deal', 'efforts to secure peace': an aim, not a fact."""
    has_to = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    return has_to and verb.dep_ in ("advcl", "acl", "relcl")


def _conditional_clause(token: Token, codebook: Codebook) -> bool:
    """Inside an if/unless/whether clause anywhere above the trigger."""
    for ancestor in [token, *token.ancestors]:
        if any(c.dep_ == "mark" and c.lower_ in codebook.status_cues["hypothetical_marks"]
               for c in ancestor.children):
            return True
    return False


def _status_of_noun(noun: Token, codebook: Codebook) -> str | None:
    cues = codebook.status_cues
    for child in noun.children:
        word = child.lower_
        if child.dep_ == "det" and word in cues["negated_determiners"]:
            return "negated"
        if child.dep_ in ("amod", "compound", "acl"):
            if word in cues["negated_modifiers"]:
                return "negated"
            if word in cues["planned_modifiers"]:
                return "planned"
            if word in cues["hypothetical_modifiers"]:
                return "hypothetical"
    return None


def event_status(cand: Candidate, codebook: Codebook) -> str:
    """planned | hypothetical | negated | occurred, from the trigger and the verbs governing it."""
    if cand.status is not None:
        return cand.status
    anchor = cand.anchor or (None if cand.nominal else cand.head)
    status = _status_of_verb(anchor, codebook) if anchor is not None else None
    if status is None and cand.nominal:
        status = _status_of_noun(cand.head, codebook)
    if status is None and _conditional_clause(cand.head, codebook):
        status = "hypothetical"
    return status or "occurred"


def _clause_tokens(root: Token) -> set[int]:
    """Token ids of a clause without its embedded clauses (their dates belong to other events)."""
    ids: set[int] = set()
    stack = [root]
    while stack:
        token = stack.pop()
        ids.add(token.i)
        for child in token.children:
            embedded = child.dep_ in EMBEDDED_CLAUSE or (child.dep_ == "conj" and child.pos_ in CONJ_VERB_POS)
            if not embedded:
                stack.append(child)
    return ids


def line_range(token: Token) -> range:
    """The part of the token's sentence on the same line: headlines and captions are not one sentence."""
    sent_start, sent_end = sentence_bounds(token)
    start, end = sent_start, sent_end
    for i in range(token.i - 1, sent_start - 1, -1):
        if "\n" in token.doc[i].text or "\n" in token.doc[i].whitespace_:
            start = i + 1
            break
    for i in range(token.i, sent_end):
        if "\n" in token.doc[i].text or "\n" in token.doc[i].whitespace_:
            end = i + 1
            break
    return range(start, end)


def _verb_above(token: Token) -> Token | None:
    for ancestor in token.ancestors:
        if ancestor.pos_ in CONJ_VERB_POS:
            return ancestor
    return None


def _scopes(cand: Candidate) -> list[set[int]]:
    """Where to look for the event's date and place, nearest first: phrase, own clause, main clause."""
    line = set(line_range(cand.head))
    scopes = [_clause_tokens(cand.head) & line] if cand.nominal else []
    anchor = cand.anchor or (_verb_above(cand.head) if cand.nominal else cand.head)
    if anchor is not None:
        scopes.append(_clause_tokens(anchor) & line)
        if _purpose_infinitive(anchor) and anchor.head.lemma_.lower() in load_codebook().motion_verbs:
            scopes[-1] |= _clause_tokens(anchor.head) & line
    roots = [cand.head.doc[i] for i in line if cand.head.doc[i].head.i not in line
             or cand.head.doc[i].head.i == i]
    main = set().union(*(_clause_tokens(root) for root in roots)) & line if roots else line
    scopes.append(main)
    return scopes


def _attached(ids: list[int], cand: Candidate) -> bool:
    """The mention hangs directly from the trigger or its anchor ('met *in Moscow*', 'talks *on Tuesday*')."""
    doc = cand.head.doc
    heads = {cand.head.i} | ({cand.anchor.i} if cand.anchor is not None else set())
    root = min((doc[i] for i in ids), key=lambda t: len(list(t.ancestors)))
    if root.head.i in heads:
        return True
    return root.dep_ == "pobj" and root.head.head.i in heads


def _nearest(found: list[tuple[Mention, list[int]]], cand: Candidate) -> Mention | None:
    """The attached mention first, then the closest one."""
    if not found:
        return None
    position = cand.head.i
    return min(found, key=lambda item: (not _attached(item[1], cand),
                                        min(abs(i - position) for i in item[1]), item[0].char_start))[0]


def event_date(cand: Candidate, index: MentionIndex, codebook: Codebook) -> Mention | None:
    """The date mention of the trigger's own clause, else of its sentence's main clause unless it dates a
    verb of saying ('X said on Monday that ...' dates the statement)."""
    scopes = _scopes(cand)
    doc = cand.head.doc
    if _time_clause(cand):
        scopes = scopes[:-1] or scopes
    for level, scope in enumerate(scopes):
        found = [(m, ids) for m, ids in index.dates if set(ids) <= scope]
        if level == len(scopes) - 1:
            found = [(m, ids) for m, ids in found if not _dates_speech(doc, ids, codebook)]
        if found:
            return _nearest(found, cand)
    return None


def _time_clause(cand: Candidate) -> bool:
    """'... in January, before the ceasefire was announced': a clause that only places the main one in
    time; the main clause's date is not its date."""
    verb = cand.anchor or (None if cand.nominal else cand.head)
    return verb is not None and verb.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in _words("time_marks") for c in verb.children)


def _dates_speech(doc: Doc, ids: list[int], codebook: Codebook) -> bool:
    root = min((doc[i] for i in ids), key=lambda t: len(list(t.ancestors)))
    verb = _verb_above(root)
    return verb is not None and verb.lemma_.lower() in codebook.speech_verbs


def _locative(doc: Doc, ids: list[int], cand: Candidate, codebook: Codebook) -> bool:
    """A place mention counts when a locative preposition governs it, it modifies the event noun, or it is
    what is visited ('visited Brussels')."""
    root = min((doc[i] for i in ids), key=lambda t: len(list(t.ancestors)))
    if cand.rule.mode == "visit" and root.dep_ == "dobj" and root.head.i == cand.head.i:
        return True
    if cand.rule.event_type == "ASSAULT" and _attacked_site(root, cand):
        return True
    if root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.head.lemma_.lower() in codebook.motion_verbs:
        return True
    if root.dep_ == "pobj" and root.head.lower_ in EVENT_PLACE_PREPOSITIONS:
        return True
    return root.dep_ in ("compound", "nmod", "npadvmod") and root.head.i == cand.head.i


def _attacked_site(root: Token, cand: Candidate) -> bool:
    """'shelled the town of W', 'hit Sanaa', 'struck the port of Odesa': the place attacked."""
    verbs = {cand.head.i} | ({cand.anchor.i} if cand.anchor is not None else set())
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.dep_ in ("dobj", "nsubjpass"):
        root = root.head.head
    return root.dep_ in ("dobj", "nsubjpass") and root.head.i in verbs


def event_place(cand: Candidate, doc: Doc, index: MentionIndex, codebook: Codebook,
                participants: set[int]) -> str | None:
    """The place mention of the trigger's phrase or clause, in a locative position (places are local:
    the main clause's place belongs to the main clause's event)."""
    scopes = _scopes(cand)
    for scope in scopes[:-1] or scopes:
        found = [(m, ids) for m, ids in index.places
                 if set(ids) <= scope and not set(ids) & participants and _locative(doc, ids, cand, codebook)]
        if found:
            mention = _nearest(found, cand)
            return mention.value if mention else None
    return None


# ---------------------------------------------------------------------------------------------------
# Assembling rows
# ---------------------------------------------------------------------------------------------------


def _participant_tokens(cand: Candidate, index: MentionIndex) -> set[int]:
    actors = set(cand.source + cand.target + cand.other)
    return {i for i in line_range(cand.head) if any(m.value in actors for m in index.actors.get(i, ()))}


def _mode(cand: Candidate, codebook: Codebook) -> str | None:
    """The rule's mode, a mode named by a modifier ('military aid'), or third-party for mediated talks."""
    if cand.rule.mode:
        return cand.rule.mode
    modes = codebook.event_types.get(cand.event_type, {}).get("modes") or {}
    for child in [c for t in [cand.head, *cand.span] for c in t.children]:
        if child.dep_ in ("amod", "compound") and child.lower_ in modes:
            return child.lower_
    if cand.rule.event_type == "CONSULT" and cand.other:
        return "third-party"
    return None


def _confidence(cand: Candidate, has_date: bool, used_pronoun: bool) -> float:
    """Rule confidence: verbs with named parties score highest, bare nouns lowest."""
    score = 0.55 if cand.nominal else 0.65
    if cand.source:
        score += 0.2
    if cand.target or cand.other:
        score += 0.1
    if has_date:
        score += 0.05
    if not (cand.source or cand.target or cand.other):
        score -= 0.25
    if used_pronoun:
        score -= 0.1
    return round(min(max(score, 0.05), 0.95), 2)


def _keep(cand: Candidate, status: str, motion_verbs: frozenset[str]) -> bool:
    """Precision first: an event needs a named source or target; intentions need a named source."""
    if cand.absorbed or not (cand.source or cand.target):
        return False
    if cand.rule.needs_support_verb and not cand.supported:
        return False
    if cand.rule.needs_target and not cand.target:
        return False
    if cand.rule.needs_motion and not (_purpose_infinitive(cand.head) and
                                       cand.head.head.lemma_.lower() in motion_verbs):
        return False
    if status == "hypothetical" and not cand.source:
        return False
    if cand.nominal or cand.promise or not _purpose_infinitive(cand.head):
        return True
    return cand.head.head.lemma_.lower() in motion_verbs


def _unnamed_violence(cand: Candidate, status: str, situated: bool) -> bool:
    """'a car bomb attack on a police academy in Z', 'troops shelled the town of W': violence that
    happened at a stated date or place is kept even when no perpetrator or victim is named."""
    if cand.absorbed or cand.event_type != "ASSAULT" or cand.rule.event_type != "ASSAULT":
        return False
    if status != "occurred" or not situated or cand.source or cand.target:
        return False
    noun = cand.head
    if not cand.nominal and noun.dep_ in ANY_SUBJECT:
        return False  # 'Shelling killed three civilians': the gerund is the subject of the event's verb
    if cand.nominal and noun.dep_ == "pobj" and (
            noun.head.lower_ in _words("time_prepositions") or
            noun.head.head.lemma_.lower() in _words("ending_nouns") | _words("unreal_nouns")):
        return False
    verb = noun.head.head if noun.dep_ == "pobj" else noun.head
    if cand.nominal and noun.dep_ in ("dobj", "nsubjpass", "pobj") and verb.pos_ in CONJ_VERB_POS and (
            verb.lemma_.lower() in _words("unreal_verbs") or
            _status_of_verb(verb, load_codebook()) not in (None, "occurred")):
        return False
    return not _purpose_infinitive(cand.head)


def _promise_status(word: Token, codebook: Codebook) -> str:
    """The offer itself: negated ('not ready to sign'), planned or conditional by its own auxiliaries."""
    tokens = [word, word.head] if word.dep_ in ("acomp", "xcomp", "amod") else [word]
    children = [c for t in tokens for c in t.children]
    auxes = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
    if any(c.dep_ == "neg" for c in children):
        return "negated"
    if auxes & codebook.status_cues["hypothetical_aux"]:
        return "hypothetical"
    if auxes & codebook.status_cues["planned_aux"]:
        return "planned"
    return "occurred"


def _promise(cand: Candidate, codebook: Codebook) -> Token | None:
    """'ready to sign', 'proposed signing': the word that makes a signing a promise (PLOVER AGREE)."""
    if cand.nominal or cand.rule.event_type != "SUPPORT" or not cand.rule.objects:
        return None
    for token in _governors(cand.head)[1:]:
        if token.lemma_.lower() in codebook.willingness:
            return token
    return None


def _implicit_date(cand: Candidate, index: MentionIndex) -> Mention | None:
    """A war named without parties takes only a date of the noun phrase it sits in ('the end of the war in
    2020') or of the verb that phrase hangs from ('died in the war in 2020'), not one further away
    ('exchanged on Wednesday in a swap since the start of the war')."""
    noun = cand.head
    phrase = noun
    time_reference = False
    while phrase.dep_ in ("pobj", "conj", "appos", "compound"):
        head = phrase.head.head if phrase.dep_ == "pobj" else phrase.head
        if head.pos_ not in ("NOUN", "PROPN") or head.i == phrase.i:
            break
        time_reference = time_reference or phrase.head.lower_ in _words("time_prepositions")
        phrase = head
    time_reference = time_reference or (phrase.dep_ == "pobj" and
                                        phrase.head.lower_ in _words("time_prepositions"))
    scope = _clause_tokens(phrase)
    if cand.anchor is not None and phrase.i == noun.i:
        scope |= _clause_tokens(cand.anchor) & set(line_range(noun))
    if phrase.dep_ == "pobj" and phrase.head.head.pos_ in CONJ_VERB_POS and not time_reference:
        verb = phrase.head.head
        scope |= {t.i for c in verb.children if c.dep_ == "prep" and c.i != phrase.head.i for t in c.subtree}
    own = [(m, ids) for m, ids in index.dates if set(ids) <= scope]
    return _nearest(own, cand)


def _threat(cand: Candidate, conflict_heads: set[int]) -> bool:
    """'vowed to resume the offensive': a promise of force is a threat (PLOVER THREATEN)."""
    if cand.nominal or cand.rule.event_type != "AGREE":
        return False
    for child in cand.head.children:
        if child.dep_ == "xcomp" and any(t.i in conflict_heads for t in child.subtree):
            return True
    return False


def build_event(cand: Candidate, doc: Doc, article: Article, index: MentionIndex, codebook: Codebook,
                used_pronoun: bool, conflict_heads: set[int] | None = None) -> Event | None:
    """One event row from a trigger whose participants are resolved."""
    mention = event_date(cand, index, codebook)
    if cand.implicit and cand.nominal and mention is not None:
        mention = _implicit_date(cand, index)
    if _threat(cand, conflict_heads or set()):
        cand.event_type = "THREATEN"
    promise = _promise(cand, codebook)
    if promise is not None:
        cand.event_type, cand.promise = "AGREE", True
        status = _promise_status(promise, codebook)
    else:
        status = event_status(cand, codebook)
    place = event_place(cand, doc, index, codebook, _participant_tokens(cand, index))
    if not (_keep(cand, status, codebook.motion_verbs) or
            _unnamed_violence(cand, status, mention is not None or place is not None)):
        return None
    start, end = cand.span.start_char, cand.span.end_char
    line = line_range(cand.head)
    sent = doc[line.start:line.stop]
    other = [a for a in cand.other if a not in cand.source and a not in cand.target]
    symmetric = cand.rule.is_symmetric(cand.head.lemma_.lower())
    return Event(
        event_id=make_id("event", article.article_id, cand.event_type, start, end),
        article_id=article.article_id,
        event_type=cand.event_type,
        event_mode=_mode(cand, codebook),
        trigger=article.text[start:end],
        source_actor_ids=sorted(cand.source) if symmetric else list(cand.source),
        target_actor_ids=[] if symmetric else list(cand.target),
        other_actor_ids=other,
        event_date=mention.value if mention else None,
        date_precision=(mention.precision or "unknown") if mention else "unknown",
        place_id=place,
        status=status,
        evidence=article.text[sent.start_char:sent.end_char].strip(),
        char_start=start,
        char_end=end,
        cluster_id=None,
        confidence=_confidence(cand, mention is not None, used_pronoun),
    )


def _resolver(doc: Doc, index: MentionIndex, cand: Candidate) -> Resolver:
    return Resolver(doc, index, line_range(cand.head), cand.span, load_codebook().descriptors)


def extract_events(doc: Doc, article: Article, mentions: list[Mention]) -> list[Event]:
    """All PLOVER events of one parsed article, given its actor, date and place mentions."""
    codebook = load_codebook()
    index = index_mentions(doc, [m for m in mentions if m.article_id == article.article_id])
    index.third_parties = named_third_parties(doc, index, codebook)
    candidates = find_candidates(doc, codebook)
    by_head = {c.head.i: c for c in candidates}
    pronouns: dict[int, bool] = {}
    gaps: list[Candidate] = []
    for cand in candidates:
        resolver = _resolver(doc, index, cand)
        if cand.nominal:
            nominal_participants(cand, resolver, codebook)
        else:
            verbal_participants(cand, resolver, codebook)
        pronouns[cand.head.i] = resolver.used_pronoun
        if resolver.unresolved and not (cand.source or cand.target):
            gaps.append(cand)
    third_parties = {actor for cand in candidates for actor in cand.other}
    third_parties |= index.third_parties
    parties = _party_counts(candidates, third_parties)
    for cand in gaps:
        # 'the two delegations agreed' where no two states were named together: the article's two parties
        cand.source = [a for a in top_parties(parties, third_parties) if a not in cand.other]
        pronouns[cand.head.i] = cand.implicit = bool(cand.source)
    for cand in candidates:
        if cand.nominal and _implicit(cand, codebook.support_verbs):
            cand.implicit_source = story_pair(cand, _resolver(doc, index, cand), third_parties, parties,
                                              candidates)
    for cand in candidates:
        if cand.nominal:
            resolver = _resolver(doc, index, cand)
            attach_nominal(cand, by_head, resolver, codebook)
            pronouns[cand.head.i] = pronouns[cand.head.i] or resolver.used_pronoun
    for cand in candidates:
        if cand.implicit and not cand.nominal:
            pronouns[cand.head.i] = True
        if _hosted_without_parties(cand):
            cand.implicit_source = story_pair(cand, _resolver(doc, index, cand), third_parties | set(cand.other),
                                              parties, candidates)
        if cand.implicit_source and not cand.absorbed and not (cand.source or cand.target):
            cand.source = [a for a in cand.implicit_source if a not in cand.other]
            cand.implicit = pronouns[cand.head.i] = True
    conflict_heads = {c.head.i for c in candidates if c.rule.event_type in CONFLICT_TYPES}
    conflict_heads |= {c.span.start for c in candidates if c.rule.event_type in CONFLICT_TYPES}
    events: list[Event] = []
    for cand in candidates:
        built = build_event(cand, doc, article, index, codebook, pronouns[cand.head.i], conflict_heads)
        if built is not None:
            events += split_by_dates(built, cand, index, article)
    return sorted(events, key=lambda e: e.event_id)


def named_third_parties(doc: Doc, index: MentionIndex, codebook: Codebook) -> set[str]:
    """Actors the article names as guarantors, observers or mediators ('X and Y acting as guarantors',
    'X, an observer', 'guarantor X'): never one of the story's parties."""
    resolver = Resolver(doc, index, range(len(doc)), doc[0:0], codebook.descriptors)
    found: set[str] = set()
    for token in doc:
        if token.pos_ != "NOUN" or token.lemma_.lower() not in codebook.third_party_nouns:
            continue
        heads = [c for c in token.children if c.dep_ in ("appos", "compound")]
        if token.dep_ == "appos":
            heads.append(token.head)
        if token.dep_ == "pobj" and token.head.lower_ == "as":
            governor = token.head.head
            own = ACTIVE_SUBJECT if governor.pos_ in CONJ_VERB_POS else ACTIVE_SUBJECT | {"nmod", "compound"}
            heads += [c for c in governor.children if c.dep_ in own]
            if governor.dep_ == "acl" and governor.head.pos_ in ("NOUN", "PROPN"):
                heads.append(governor.head)
        if token.dep_ == "attr":
            heads += [c for c in token.head.children if c.dep_ in ACTIVE_SUBJECT]
        for head in heads:
            found.update(resolver.group(head))
    return found


def _party_counts(candidates: list[Candidate], third_parties: set[str]) -> dict[str, tuple[int, str]]:
    """States and named groups taking part (source or target) in the events found so far: key -> (count, id)."""
    descriptors = load_codebook().descriptors
    prefixes = descriptors.get("state_id_prefixes", frozenset()) | descriptors.get("party_id_prefixes", frozenset())
    counts: dict[str, tuple[int, str]] = {}
    for cand in candidates:
        for actor in _dedupe(cand.source + cand.target):
            prefix, _, rest = actor.partition(":")
            if actor in third_parties or prefix not in prefixes or not rest:
                continue
            key = rest.upper() if prefix in descriptors.get("state_id_prefixes", ()) else actor
            count, chosen = counts.get(key, (0, actor))
            counts[key] = (count + 1, actor if actor.startswith("state:") else chosen)
    return counts


def _pair_of(cand: Candidate, resolver: Resolver, third_parties: set[str], anyone: bool = False) -> list[str]:
    """The two states or groups (or, with `anyone`, actors of any kind) an event names as its parties, if it
    names exactly two."""
    descriptors = resolver.descriptors
    prefixes = descriptors.get("state_id_prefixes", frozenset()) | descriptors.get("party_id_prefixes", frozenset())
    found: dict[str, str] = {}
    for actor in cand.source + cand.target:
        if actor not in third_parties and (anyone or actor.partition(":")[0] in prefixes):
            found.setdefault(resolver._key_of(actor), actor)
    return sorted(found.values()) if len(found) == 2 else []


def story_pair(cand: Candidate, resolver: Resolver, third_parties: set[str],
               parties: dict[str, tuple[int, str]], recent: Iterable[Candidate] = ()) -> list[str]:
    """The two parties meant by a war, ceasefire or deal named without them: a pair named together in
    the same or the previous sentence, or the two parties of an earlier event there, else the article's
    pair if both take part in its events, else the two states or groups that take part in its events
    most often (never a third party)."""
    head = cand.head
    window = range(_window_start(head, 1), sentence_bounds(head)[1])
    for other in sorted(recent, key=lambda c: -c.head.i):
        if other.event_type == cand.event_type == "CONSULT" and other.head.i in window and other.head.i < head.i:
            found = _pair_of(other, resolver, third_parties, anyone=True)
            if found:
                resolver.used_pronoun = True
                return found
    near = resolver.coordinated_states(head, third_parties, window)
    if near:
        return near
    for other in sorted(recent, key=lambda c: -c.head.i):
        if other.head.i in window and other.head.i < head.i and other is not cand:
            found = _pair_of(other, resolver, third_parties)
            if found:
                resolver.used_pronoun = True
                return found
    pair = resolver.coordinated_states(head, third_parties)
    if pair and {resolver._key_of(actor) for actor in pair} <= set(parties):
        return pair
    found = top_parties(parties, third_parties)
    resolver.used_pronoun = resolver.used_pronoun or bool(found)
    return found


def top_parties(parties: dict[str, tuple[int, str]], third_parties: set[str]) -> list[str]:
    """The two states or groups taking part in the article's events most often, each at least twice and
    with no tie for second place; never a third party."""
    prefixes = load_codebook().descriptors.get("state_id_prefixes", frozenset())
    excluded = {rest.upper() if prefix in prefixes else actor
                for actor in third_parties for prefix, _, rest in [actor.partition(":")]}
    ranked = sorted(((count, key, actor) for key, (count, actor) in parties.items() if key not in excluded),
                    key=lambda item: (-item[0], item[1]))
    if len(ranked) < 2 or ranked[1][0] < 2 or (len(ranked) > 2 and ranked[2][0] == ranked[1][0]):
        return []
    return sorted(actor for _count, _key, actor in ranked[:2])


def _hosted_without_parties(cand: Candidate) -> bool:
    """'X hosted talks in Riyadh': talks with a host or mediator but no named party."""
    return (cand.nominal and cand.rule.event_type == "CONSULT" and cand.rule.role is None and not cand.absorbed
            and bool(cand.other) and not (cand.source or cand.target or cand.implicit_source))


def _counted(noun: Token) -> bool:
    """'two wars', 'both rounds': a plural event noun that stands for several events."""
    return noun.tag_ in ("NNS", "NNPS") and any(
        c.lower_ in _words("count_words") or (c.dep_ == "nummod" and c.like_num) for c in noun.children)


def _shared_subject_tokens(verb: Token) -> set[int]:
    """The verb's subtree without embedded clauses that have a subject of their own."""
    ids: set[int] = set()
    stack = [verb]
    while stack:
        token = stack.pop()
        ids.add(token.i)
        for child in token.children:
            own_subject = any(c.dep_ in ANY_SUBJECT for c in child.children)
            if not (child.pos_ in CONJ_VERB_POS and own_subject):
                stack.append(child)
    return ids


def split_by_dates(event: Event, cand: Candidate, index: MentionIndex, article: Article) -> list[Event]:
    """'fought two wars, in the 1990s and in 2020': one row per war. The verb's row takes the first
    date and the merged noun's row the second; the noun's own phrase and the verb's clause are searched."""
    nouns = [m for m in cand.merged if _counted(m.head)]
    if not nouns:
        return [event]
    noun = nouns[0]
    scope = {t.i for t in noun.head.subtree} | _shared_subject_tokens(cand.head)
    found = sorted(((ids[0], m) for m, ids in index.dates if set(ids) <= scope), key=lambda item: item[0])
    values = list(dict.fromkeys(m.value for _i, m in found))
    if len(values) < 2:
        return [event]
    first = next(m for _i, m in found if m.value == values[0])
    second = next(m for _i, m in found if m.value == values[1])
    start, end = noun.span.start_char, noun.span.end_char
    return [
        dataclasses.replace(event, event_date=first.value, date_precision=first.precision or "unknown"),
        dataclasses.replace(
            event, event_id=make_id("event", article.article_id, event.event_type, start, end),
            trigger=article.text[start:end], char_start=start, char_end=end,
            event_date=second.value, date_precision=second.precision or "unknown"),
    ]


def _implicit(cand: Candidate, support_verbs: frozenset[str]) -> bool:
    """'the war in 2020', 'the two wars', 'a cease-fire deal': no party named, but the story's two
    parties (the states most often named together) are meant; used only for the nouns marked so."""
    if not cand.rule.implicit_parties or cand.source or cand.target:
        return False
    if cand.head.dep_ == "dobj" and cand.head.head.lemma_.lower() not in support_verbs:
        return False
    governor = cand.head.head.head
    if cand.head.dep_ == "pobj" and governor.pos_ == "NOUN" and \
            governor.lemma_.lower() in load_codebook().third_party_nouns:
        return False
    if cand.rule.event_type != "ASSAULT":
        return True
    noun = cand.head
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "both") or
                   c.dep_ == "nummod" for c in noun.children)
    return definite or noun.pos_ == "PROPN"
