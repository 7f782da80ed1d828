"""Noun phrases to actor ids: named mentions, coordination, appositions, pronouns and descriptors
('the two sides', 'both ministers') resolved against the article."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from flows.extract.events.codebook import words
from flows.extract.events.mentions import MentionIndex
from flows.extract.events.syntax import (
    agent,
    conjuncts,
    dedupe,
    in_subject,
    phrase_tokens,
    prep_objects,
    subject,
    verb_above,
    window_start,
)
from flows.extract.grammar import NEUTER_PRONOUNS, PERSONAL_PRONOUNS, PLURAL_PRONOUNS
from flows.records import Mention


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
        return dedupe(str(m.value) for t in tokens if t.i in self.line
                       for m in self.index.actors.get(t.i, ())
                       if m.char_end <= start or m.char_start >= end)

    def unit(self, head: Token) -> list[str]:
        """Actors named by one conjunct: the head itself, its tight modifiers, then 'of X', then 'X's'."""
        own = self.mention_ids([head])
        if own:
            appositions = [c for c in head.children if c.dep_ == "appos"]
            return dedupe(self.coordinated_modifiers(head) + own +
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
        return self.descriptor(head) or self.modifiers(head)

    def modifiers(self, head: Token) -> list[str]:
        """'the Serbian delegation', 'the delegation of Serbia', 'Serbia's delegation'."""
        for child in head.children:
            if child.dep_ in ("compound", "flat", "nmod"):
                found = self.mention_ids(phrase_tokens(child))
            elif child.dep_ == "appos":
                found = self.group(child)
            else:
                continue
            if found:
                return found
        for pobj in prep_objects(head, ("of", "from", "between")):
            found = self.group(pobj)
            if found:
                return found
        for child in head.children:
            if child.dep_ == "poss":
                found = self.group(child)
            elif child.dep_ in ("amod", "npadvmod"):
                found = self.mention_ids(phrase_tokens(child))
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
        plural = head.tag_ in ("NNS", "NNPS") or any(c.lower_ in words("pair_determiners") for c in head.children)
        marked = any(c.lower_ in words("group_determiners") | words("pair_determiners") or c.dep_ == "poss"
                     for c in head.children)
        named = any(self.mention_ids(phrase_tokens(c)) for c in head.children if c.dep_ == "poss")
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
        verb = verb_above(head)
        if verb is None or verb.lemma_.lower() not in words("mediator_verbs"):
            return set()
        doer, passive = subject(verb)
        actor = agent(verb) if passive else doer
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
        for token in reversed(self.doc[window_start(before, 4):before.i]):
            people = [str(m.value) for m in self.index.actors.get(token.i, ())
                      if is_person(m, token, self.descriptors)]
            for conjunct in token.conjuncts:
                if conjunct.i < token.i:
                    partners = [str(m.value) for m in self.index.actors.get(conjunct.i, ())
                                if is_person(m, conjunct, self.descriptors)]
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
                if is_person(mention, self.doc[i], self.descriptors) and value not in found:
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
        own_clause = verb_above(token)
        own_subject = subject(own_clause)[0] if own_clause is not None and token.dep_ != "nsubj" else None
        if token.dep_ == "poss" and own_subject is not None and own_subject.i < token.i:
            self.depth += 1
            try:
                found = self.group(own_subject)
            finally:
                self.depth -= 1
            if len(found) >= 2:
                self.used_pronoun = True
                return found
        start = window_start(token, 2)
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
        start = window_start(token, 1)
        for i in range(token.i - 1, start - 1, -1):
            for mention in self.index.actors.get(i, ()):
                if not is_person(mention, self.doc[i], self.descriptors):
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
            for conjunct in conjuncts(child):
                following = head.doc[conjunct.i + 1] if conjunct.i + 1 < len(head.doc) else None
                if conjunct is not child and following is not None and head in following.ancestors:
                    continue
                found += self.mention_ids([conjunct])
        return found

    def group(self, head: Token | None) -> list[str]:
        """Actors named by a noun phrase and its conjuncts ('Armenia and Azerbaijan')."""
        if head is None:
            return []
        return dedupe(actor for token in conjuncts(head) for actor in self.unit(token))

    def pronoun(self, token: Token) -> list[str]:
        """he/she/him/her: the nearest person named before (a subject preferred), up to three sentences back."""
        first = window_start(token, 3)
        people: list[tuple[Token, Mention]] = []
        for i in range(token.i - 1, first - 1, -1):
            for mention in self.index.actors.get(i, ()):
                if self.doc[i].ent_type_ == "PERSON" or str(mention.value).startswith("person:"):
                    people.append((self.doc[i], mention))
        if not people:
            return []
        subjects = [m for t, m in people if in_subject(t)]
        self.used_pronoun = True
        return [str((subjects or [people[0][1]])[0].value)]




def is_person(mention: Mention, token: Token, descriptors: dict[str, frozenset[str]]) -> bool:
    prefix, _, rest = str(mention.value).partition(":")
    if rest:
        return prefix in descriptors.get("person_id_prefixes", ())
    return token.ent_type_ == "PERSON"

