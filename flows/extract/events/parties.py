"""The story's parties: who an event named without its parties is about ('the war', 'a cease-fire deal',
'X hosted talks'), and who the article names as a mediator, guarantor or observer (never a party)."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

from flows.extract.events.codebook import Codebook
from flows.extract.events.matching import Candidate
from flows.extract.events.mentions import MentionIndex
from flows.extract.events.resolve import Resolver
from flows.extract.events.syntax import (
    NOUN_POS,
    agentless_passive,
    conjuncts,
    dedupe,
    is_verb,
    prep_objects,
    sentence_bounds,
    window_start,
)
from flows.extract.grammar import ACTIVE_SUBJECT

PartyCounts = dict[str, tuple[int, str]]


def named_third_parties(doc: Doc, index: MentionIndex, codebook: Codebook) -> set[str]:
    """Actors the article names as guarantors, observers or mediators ('X and Y acting as guarantors',
    'X, an observer', 'guarantor X'): never one of the story's parties."""
    resolver = Resolver(doc, index, range(len(doc)), doc[0:0], codebook.descriptors)
    found: set[str] = set()
    for token in doc:
        if token.pos_ != "NOUN" or token.lemma_.lower() not in codebook.word("third_party_nouns"):
            continue
        heads = [c for c in token.children if c.dep_ in ("appos", "compound")]
        if token.dep_ == "appos":
            heads.append(token.head)
        if token.dep_ == "pobj" and token.head.lower_ == "as":
            governor = token.head.head
            own = ACTIVE_SUBJECT if is_verb(governor) else ACTIVE_SUBJECT | {"nmod", "compound"}
            heads += [c for c in governor.children if c.dep_ in own]
            # 'X and Y act as guarantors, alongside Z': Z acts in the same role
            heads += [o for holder in (token, governor) for c in prep_objects(holder, ("alongside",))
                      for o in conjuncts(c)]
            if governor.dep_ == "acl" and governor.head.pos_ in NOUN_POS:
                heads.append(governor.head)
        if token.dep_ == "attr":
            heads += [c for c in token.head.children if c.dep_ in ACTIVE_SUBJECT]
        for head in heads:
            found.update(resolver.group(head))
    return found


def _prefixes(codebook: Codebook) -> frozenset[str]:
    return codebook.descriptors.get("state_id_prefixes", frozenset()) | \
        codebook.descriptors.get("party_id_prefixes", frozenset())


def party_counts(candidates: list[Candidate], third_parties: set[str], codebook: Codebook) -> PartyCounts:
    """States and named groups taking part (source or target) in the events found so far: key -> (count, id)."""
    states = codebook.descriptors.get("state_id_prefixes", frozenset())
    counts: PartyCounts = {}
    for cand in candidates:
        for actor in dedupe(cand.source + cand.target):
            prefix, _, rest = actor.partition(":")
            if actor in third_parties or prefix not in _prefixes(codebook) or not rest:
                continue
            key = rest.partition(":")[0].upper() if prefix in states else actor  # a ministry counts for its state
            count, chosen = counts.get(key, (0, actor))
            counts[key] = (count + 1, actor if actor.startswith("state:") else chosen)
    return counts


def _pair_of(cand: Candidate, resolver: Resolver, third_parties: set[str], codebook: Codebook,
             anyone: bool = False) -> list[str]:
    """The two states or groups (or, with `anyone`, actors of any kind) an event names as its parties, if it
    names exactly two."""
    found: dict[str, str] = {}
    for actor in cand.source + cand.target:
        if actor not in third_parties and (anyone or actor.partition(":")[0] in _prefixes(codebook)):
            found.setdefault(resolver._key_of(actor), actor)
    return sorted(found.values()) if len(found) == 2 else []


def _recent_pair(cand: Candidate, resolver: Resolver, third_parties: set[str], codebook: Codebook,
                 recent: Iterable[Candidate], window: range) -> list[str]:
    earlier = [o for o in sorted(recent, key=lambda c: -c.head.i)
               if o.head.i in window and o.head.i < cand.head.i and o is not cand]
    for other in earlier:
        if other.event_type == cand.event_type == "CONSULT":
            found = _pair_of(other, resolver, third_parties, codebook, anyone=True)
            if found:
                return found
    near = resolver.coordinated_states(cand.head, third_parties, window)
    if near:
        return near
    for other in earlier:
        found = _pair_of(other, resolver, third_parties, codebook)
        if found:
            return found
    return []


def story_pair(cand: Candidate, resolver: Resolver, third_parties: set[str], parties: PartyCounts,
               codebook: Codebook, recent: Iterable[Candidate] = ()) -> list[str]:
    """The two parties meant by a war, ceasefire or deal named without them: a pair named together in
    the same or the previous sentence, or the two parties of an earlier event there, else the article's
    pair if both take part in its events, else the two states or groups that take part in its events
    most often (never a third party)."""
    head = cand.head
    window = range(window_start(head, 1), sentence_bounds(head)[1])
    found = _recent_pair(cand, resolver, third_parties, codebook, recent, window)
    if found:
        resolver.used_pronoun = True
        return found
    pair = resolver.coordinated_states(head, third_parties)
    if pair and {resolver._key_of(actor) for actor in pair} <= set(parties):
        return pair
    found = top_parties(parties, third_parties, codebook)
    resolver.used_pronoun = resolver.used_pronoun or bool(found)
    return found


def talks_pair(cand: Candidate, resolver: Resolver, third_parties: set[str], codebook: Codebook,
               recent: Iterable[Candidate]) -> list[str]:
    """'the next round', 'negotiators returned to the table': the two parties of the last meeting the
    article reports before the session (people, states or groups alike), never a third party."""
    earlier = sorted((o for o in recent if o.head.i < cand.head.i and o is not cand
                      and o.rule.event_type == cand.rule.event_type == "CONSULT"), key=lambda c: -c.head.i)
    for other in earlier:
        found = _pair_of(other, resolver, third_parties, codebook, anyone=True)
        if found:
            resolver.used_pronoun = True
            return found
    return []


def top_parties(parties: PartyCounts, third_parties: set[str], codebook: Codebook) -> list[str]:
    """The two states or groups taking part in the article's events most often, each at least twice and
    with no tie for second place; never a third party."""
    states = codebook.descriptors.get("state_id_prefixes", frozenset())
    excluded = {rest.partition(":")[0].upper() if prefix in states else actor
                for actor in third_parties for prefix, _, rest in [actor.partition(":")]}
    ranked = sorted(((count, key, actor) for key, (count, actor) in parties.items() if key not in excluded),
                    key=lambda item: (-item[0], item[1]))
    if len(ranked) < 2 or ranked[1][0] < 2 or (len(ranked) > 2 and ranked[2][0] == ranked[1][0]):
        return []
    return sorted(actor for _count, _key, actor in ranked[:2])


def hosted_without_parties(cand: Candidate) -> bool:
    """'X hosted talks in Riyadh': talks with a host or mediator but no named party."""
    return (cand.nominal and cand.rule.event_type == "CONSULT" and cand.rule.third_party is None
            and not cand.absorbed and bool(cand.other) and not (cand.source or cand.target or cand.implicit_source))


def wants_story_pair(cand: Candidate, codebook: Codebook) -> bool:
    """'the war in 2020', 'the two wars', 'a cease-fire deal': no party named, but the story's two
    parties (the states most often named together) are meant; used only for rules marked so."""
    if not cand.rule.implicit_parties or cand.source or cand.target:
        return False
    noun = cand.head
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() not in codebook.word("support_verbs"):
        return False
    if noun.dep_ == "pobj" and noun.head.head.pos_ == "NOUN" and \
            noun.head.head.lemma_.lower() in codebook.word("third_party_nouns"):
        return False
    if cand.rule.event_type != "ASSAULT":
        return True
    definite = any(c.dep_ == "det" and c.lower_ in codebook.word("definite_determiners") or c.dep_ == "nummod"
                   for c in noun.children)
    return definite or noun.pos_ == "PROPN"


def undoers_from_story(candidates: list[Candidate]) -> None:
    """'the two hostages were freed on Sunday', 'the crossing was reopened': a release, reopening or lifting
    told in the passive without 'by' is done by whoever the article said earlier held the captives, closed
    the road or imposed the ban (the doer of the latest earlier act of the rule's `undone_acts`). With no
    such act named before it, the source stays empty: nobody is guessed."""
    for cand in candidates:
        if not cand.rule.undone_acts or cand.nominal or cand.source or not agentless_passive(cand.head):
            continue
        earlier = [c for c in candidates if c.head.i < cand.head.i and c.source and not c.absorbed
                   and c.rule.rule_id in cand.rule.undone_acts]
        if earlier:
            undone = max(earlier, key=lambda c: c.head.i)
            cand.source = [a for a in undone.source if a not in cand.target and a not in cand.other]
            cand.used_pronoun = bool(cand.source)
