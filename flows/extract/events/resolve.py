"""Noun phrases to actor ids: named mentions, coordination and appositions; pronouns and descriptors
('he', 'the two sides', 'the group') come from the shared coreference component on the Doc."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from flows.extract.coref import coref_of, open_story_descriptor
from flows.extract.events.codebook import words
from flows.extract.events.mentions import MentionIndex
from flows.extract.events.quoted import first_person
from flows.extract.events.syntax import (
    conjuncts,
    dedupe,
    is_mediator_modifier,
    line_range,
    phrase_tokens,
    prep_objects,
    relative_antecedent,
    relative_object_antecedent,
    stranded_prep_objects,
)

if TYPE_CHECKING:
    from flows.extract.events.codebook import Codebook
    from flows.extract.events.matching import Candidate


class Resolver:
    """Turns argument heads into actor ids: named mentions, coordination and appositions here; pronouns and
    descriptors through the shared coreference component (`flows/extract/coref.py`)."""

    def __init__(self, doc: Doc, index: MentionIndex, line: range, trigger: Span,
                 descriptors: dict[str, frozenset[str]] | None = None, speech_act: bool = False):
        self.doc = doc
        self.index = index
        self.line = line
        self.trigger = (trigger.start_char, trigger.end_char)
        self.descriptors = descriptors or {}
        self.speech_act = speech_act
        self.used_pronoun = False
        self.unresolved = False

    def mention_ids(self, tokens: Iterable[Token]) -> list[str]:
        """Actor ids of the mentions on these tokens, inside the trigger's line and not over the trigger."""
        start, end = self.trigger
        return dedupe(str(m.value) for t in tokens if t.i in self.line
                       for m in self.index.actors.get(t.i, ())
                       if m.char_end <= start or m.char_start >= end)

    def unit(self, head: Token) -> list[str]:
        """Actors named by one conjunct: the head itself, its tight modifiers, the actors the shared
        coreference component gives a pronoun or descriptor ('he', 'the two sides', 'the group'), then
        'of X', then 'X's'."""
        antecedent = relative_object_antecedent(head)
        if antecedent is not None:  # 'the attaché, whom it accused': the attaché
            return self.group(antecedent)
        own = self.mention_ids([head]) or self.named_after(head)
        if own and coref_of(head):  # a grouping named for its members ('the Troika') acts through them
            return list(coref_of(head))
        if not own and head.pos_ == "NOUN" and (named := self.self_named(head)):
            return named  # 'a group calling itself X': X
        leaders = self.leaders(head) if head.pos_ == "NOUN" else []  # 'Hamas, led by X' stays Hamas
        if leaders:
            return leaders
        if own:
            # a description in apposition ('X, the UAE's aid agency') names no second actor; a name does
            appositions = [a for c in head.children if c.dep_ == "appos" and self.mention_ids([c])
                           for a in self.group(c)]
            return dedupe(self.coordinated_modifiers(head) + person_over_office(own, appositions))
        resolved = list(coref_of(head)) or first_person(head, self.index.quotes, self.speech_act)
        if resolved:
            self.used_pronoun = True
            return resolved
        appositions = [a for c in head.children if c.dep_ == "appos" for a in self.group(c)] \
            or self.office_holder(head)
        if appositions:
            return appositions
        found = self.modifiers(head)
        if not found and open_story_descriptor(head):  # the article's parties may still be known
            self.unresolved = True
        return found

    def named_after(self, head: Token) -> list[str]:
        """'met his Turkish counterpart Hakan Fidan': the person named right after a title noun, which the
        parser often hangs elsewhere, is the one the title describes."""
        following = head.i + 1
        if head.lemma_.lower() not in self.descriptors.get("persons", ()) or following >= len(self.doc) \
                or self.doc[following] in head.subtree:
            return []
        start = self.doc[following].idx
        return [str(m.value) for m in self.index.actors.get(following, ())
                if m.char_start == start and str(m.value).startswith("person:") and following in self.line]

    def leaders(self, head: Token) -> list[str]:
        """'the two delegations, led by X and Y': who leads an unnamed body takes part for it, and is the
        most specific actor the text names for it."""
        return dedupe(a for child in head.children
                      if child.dep_ == "acl" and child.lemma_.lower() in words("leader_participles")
                      for by in child.children if by.dep_ == "agent"
                      for pobj in by.children if pobj.dep_ == "pobj" for a in self.group(pobj))

    def self_named(self, head: Token) -> list[str]:
        """'a dissident group calling itself X', 'a militia known as X': the name the participle gives the
        unnamed body is who it is."""
        names = [n for child in head.children
                 if child.dep_ == "acl" and child.lemma_.lower() in words("self_naming_participles")
                 for n in [*(c for c in child.children if c.dep_ in ("oprd", "xcomp", "attr")),
                           *(o for p in child.children if p.dep_ == "prep" and p.lower_ == "as"
                             for o in p.children if o.dep_ == "pobj")]]
        return self.mention_ids(names)

    def office_holder(self, head: Token) -> list[str]:
        """'the US ambassador to Libya, Richard Norland': the parser hangs the name on 'Libya'; the person
        named in apposition to the office's 'to'/'of' object holds the office."""
        found = [a for prep in head.children if prep.dep_ == "prep" and prep.lower_ in ("to", "of", "for")
                 for pobj in prep.children if pobj.dep_ == "pobj"
                 for appos in pobj.children if appos.dep_ == "appos" for a in self.mention_ids([appos])]
        return [a for a in found if a.startswith("person:")]

    def modifiers(self, head: Token) -> list[str]:
        """'the Serbian delegation', 'the delegation of Serbia', 'Serbia's delegation'; never who brokered a
        proposal ('a Qatar-brokered plan' is no plan of Qatar's)."""
        proposal = head.lemma_.lower() in words("proposal_nouns")
        own = [c for c in head.children if not (proposal and any(is_mediator_modifier(t) for t in c.subtree))]
        for child in own:
            if child.dep_ in ("compound", "flat", "nmod"):
                found = self.mention_ids(phrase_tokens(child))
            elif child.dep_ == "appos":
                found = self.group(child)
            else:
                continue
            if found:
                return found
        representative = head.lemma_.lower() in words("representative_nouns")
        for pobj in [*prep_objects(head, ("of", "from", "between")),
                     *(stranded_prep_objects(head, ("from",)) if representative else [])]:
            found = self.group(pobj)
            if found:
                return found
        # 'the junta in Niamey': the actor stage made the seat its ruler
        for pobj in [*prep_objects(head, ("in",)), *stranded_prep_objects(head, ("in",))]:
            found = dedupe(str(m.value) for m in self.index.actors.get(pobj.i, ()) if m.is_metonym)
            if found:
                return found
        for child in own:
            if child.dep_ == "poss":
                antecedent = relative_antecedent(child)
                found = self.group(antecedent if antecedent is not None else child)
                if antecedent is not None:
                    # 'X, whose government backs Y': a person's government is not the person
                    found = [a for a in found if not a.startswith("person:")]
            elif child.dep_ in ("amod", "npadvmod"):
                # 'Colombian and ELN negotiators': each coordinated modifier names a party
                found = dedupe(a for c in conjuncts(child) for a in self.mention_ids(phrase_tokens(c)))
            else:
                continue
            if found:
                return found
        return []

    def coordinated_modifiers(self, head: Token) -> list[str]:
        """'President A and Prime Minister B met': the parser often hangs 'A and <title>' under B; "A's and
        B's negotiators met": it often leaves "A's" outside the phrase."""
        found: list[str] = []
        left = head.left_edge.i - 1
        if left > 0 and head.doc[left].dep_ == "conj" and head.doc[left - 1].dep_ == "cc":
            partner = head.doc[left].head
            if partner.i < left and self.mention_ids([head.doc[left]]):
                found += self.mention_ids([partner])
        if left > 1 and head.doc[left].dep_ == "cc" and head.doc[left - 1].tag_ == "POS" \
                and any(c.dep_ == "poss" for c in head.children):
            found += self.mention_ids([head.doc[left - 1].head])
        for child in head.children:
            if child.dep_ not in ("nmod", "compound", "amod") or not any(c.dep_ == "cc" for c in child.children):
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


def person_over_office(own: list[str], appositions: list[str]) -> list[str]:
    """'X, the head of the AU Commission' is X; 'the US ambassador, X' is X too: a person acts for
    themselves, not for the office or state an apposition describes."""
    people = [a for a in own + appositions if a.startswith("person:")]
    return dedupe(people) if people else dedupe(own + appositions)


def participant_resolver(doc: Doc, index: MentionIndex, cand: Candidate, codebook: Codebook) -> Resolver:
    """The resolver of a candidate's participants, within its line."""
    speech_act = codebook.is_speech_act(cand.rule.event_type)
    return Resolver(doc, index, line_range(cand.head), cand.span, codebook.descriptors, speech_act)
