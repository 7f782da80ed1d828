"""The story's parties for events named without their parties ('the war', 'a cease-fire deal', 'X hosted
talks'): the pair of an earlier event, else the pair the shared coreference component finds coordinated
(`flows/extract/coref_parties.py`, which also says who is a guarantor, mediator or host and what makes two
ids one party), else the two states or groups taking part in the article's events most often."""

from __future__ import annotations

from collections.abc import Iterable

from flows.extract.coref import load_coref_config
from flows.extract.coref_base import PARTY_PREFIXES, STATE_PREFIXES
from flows.extract.coref_parties import coordinated_pair, party_key
from flows.extract.events.codebook import Codebook
from flows.extract.events.matching import Candidate
from flows.extract.events.resolve import Resolver
from flows.extract.events.syntax import agentless_passive, dedupe, sentence_bounds, window_start

PartyCounts = dict[str, tuple[int, str]]


def _country_or_party(actor: str) -> str | None:
    """The key an event's participant counts under: a state's code for the state, its government, ministries
    and forces; a named group's id; None for anyone else."""
    prefix, _, rest = actor.partition(":")
    if not rest or prefix not in STATE_PREFIXES | PARTY_PREFIXES:
        return None
    return rest.partition(":")[0].upper() if prefix in STATE_PREFIXES else actor


def party_counts(candidates: list[Candidate], third_parties: set[str]) -> PartyCounts:
    """States and named groups taking part (source or target) in the events found so far: key -> (count, id)."""
    counts: PartyCounts = {}
    for cand in candidates:
        for actor in dedupe(cand.source + cand.target):
            key = _country_or_party(actor)  # a ministry counts for its state
            if actor in third_parties or key is None:
                continue
            count, chosen = counts.get(key, (0, actor))
            counts[key] = (count + 1, actor if actor.startswith("state:") else chosen)
    return counts


def _pair_of(cand: Candidate, third_parties: set[str], anyone: bool = False) -> list[str]:
    """The two states or groups (or, with `anyone`, actors of any kind) an event names as its parties, if it
    names exactly two."""
    found: dict[str, str] = {}
    for actor in cand.source + cand.target:
        if actor not in third_parties and (anyone or actor.partition(":")[0] in STATE_PREFIXES | PARTY_PREFIXES):
            found.setdefault(party_key(actor) or actor, actor)
    return sorted(found.values()) if len(found) == 2 else []


def _recent_pair(cand: Candidate, third_parties: set[str], recent: Iterable[Candidate], window: range) -> list[str]:
    earlier = [o for o in sorted(recent, key=lambda c: -c.head.i)
               if o.head.i in window and o.head.i < cand.head.i and o is not cand]
    for other in earlier:
        if other.event_type == cand.event_type == "CONSULT":
            found = _pair_of(other, third_parties, anyone=True)
            if found:
                return found
    near = coordinated_pair(cand.head, third_parties, window)
    if near:
        return list(near)
    for other in earlier:
        found = _pair_of(other, third_parties)
        if found:
            return found
    return []


def story_pair(cand: Candidate, resolver: Resolver, third_parties: set[str], parties: PartyCounts,
               recent: Iterable[Candidate] = ()) -> list[str]:
    """The two parties meant by a war, ceasefire or deal named without them: a pair named together in
    the same or the previous sentence, or the two parties of an earlier event there, else the article's
    pair if both take part in its events, else the two states or groups that take part in its events
    most often (never a third party)."""
    head = cand.head
    window = range(window_start(head, 1), sentence_bounds(head)[1])
    found = _recent_pair(cand, third_parties, recent, window)
    if found:
        resolver.used_pronoun = True
        return found
    pair = coordinated_pair(head, third_parties)
    if pair and {_country_or_party(actor) for actor in pair} <= set(parties):
        return list(pair)
    found = top_parties(parties, third_parties)
    resolver.used_pronoun = resolver.used_pronoun or bool(found)
    return found


def talks_pair(cand: Candidate, resolver: Resolver, third_parties: set[str], recent: Iterable[Candidate],
               ) -> list[str]:
    """'the next round', 'negotiators returned to the table': the two parties of the last meeting the
    article reports before the session (people, states or groups alike; those it named, else those the
    story gave it), never a third party."""
    earlier = sorted((o for o in recent if o.head.i < cand.head.i and o is not cand
                      and o.rule.event_type == cand.rule.event_type == "CONSULT"), key=lambda c: -c.head.i)
    for other in earlier:
        given = [a for a in other.implicit_source if a not in third_parties]
        found = _pair_of(other, third_parties, anyone=True) or (sorted(given) if len(given) == 2 else [])
        if found:
            resolver.used_pronoun = True
            return found
    return []


def as_story_sides(cand: Candidate, found: list[str], third_parties: set[str]) -> list[str]:
    """Who held talks named without them, as the sides of the story: offices and ministries of the two
    states the article pairs ('a joint statement by the Office of the Prime Minister of Armenia and the
    Presidential Administration of Azerbaijan ... direct talks') stand for those states (what the offices
    agreed stays theirs)."""
    if cand.rule.event_type != "CONSULT":
        return found
    pair = coordinated_pair(cand.head, third_parties)
    keys = {_country_or_party(actor) for actor in found}
    return list(pair) if pair and len(found) == 2 and keys == {_country_or_party(actor) for actor in pair} else found


def top_parties(parties: PartyCounts, third_parties: set[str]) -> list[str]:
    """The two states or groups taking part in the article's events most often, each at least twice and
    with no tie for second place; never a third party."""
    excluded = {_country_or_party(actor) or actor for actor in third_parties}
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
            noun.head.head.lemma_.lower() in load_coref_config().third_party_nouns:
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
