"""Named callbacks: the few trigger rules that need code, referenced by name from `schemas/plover.yaml`
(`callbacks: [name]`). Each runs after every candidate of the article has its roles, and may change
the candidate it belongs to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Token

from flows.extract.coref_base import STATE_PREFIXES
from flows.extract.events.codebook import Codebook
from flows.extract.events.content import content_roots
from flows.extract.events.matching import Candidate


@dataclass
class ArticleState:
    """What a callback may read: every candidate of the article, by the index of its head word."""

    codebook: Codebook
    by_head: dict[int, Candidate]
    by_start: dict[int, Candidate]


def force_makes_threat(cand: Candidate, state: ArticleState) -> None:
    """'vowed to resume the offensive', 'vowed to keep fighting', 'vowed that Baku will keep fighting': a
    promise of force is a threat (PLOVER THREATEN). The promised act is the complement verb, a verb it
    continues ('keep fighting'), or the event it takes as object ('resume the offensive'), not any word below
    it ('pledged to lift the blockade' is no threat); a promise not to use force ('pledged not to attack')
    is an agreement."""
    if cand.nominal:
        return
    for child in cand.head.children:
        if child.dep_ not in ("xcomp", "ccomp"):
            continue
        promised, verb = _promised_event(child, state)
        if promised is None or not state.codebook.is_force(promised.event_type):
            continue
        if not any(c.dep_ == "neg" for word in {child, verb} for c in word.children):
            cand.event_type = "THREATEN"
        return


def _promised_event(complement: Token, state: ArticleState) -> tuple[Candidate | None, Token]:
    """The event a promise's complement names, down its chain of open complements ('to keep fighting'),
    with the verb it hangs on."""
    verb: Token | None = complement
    while verb is not None:
        promised = state.by_head.get(verb.i)
        if promised is None:
            objects = [c for c in verb.children if c.dep_ == "dobj"]
            promised = next((state.by_head.get(o.i) or state.by_start.get(o.i) for o in objects
                             if state.by_head.get(o.i) or state.by_start.get(o.i)), None)
        if promised is not None:
            return promised, verb
        verb = next((c for c in verb.children if c.dep_ == "xcomp"), None)
    return None, complement


def agreed_concession_is_concede(cand: Candidate, state: ArticleState) -> None:
    """'Haftar agreed to end the blockade', 'the ELN agreed to release 40 hostages': one party agreeing to a
    concession of its own promises it (PLOVER CONCEDE). Parties agreeing with each other ('A and B agreed
    to pull back', 'X agreed with Y to', 'the joint commission agreed to'), trades ('agreed to free X in
    exchange for Y') and the terms of a pact ('under the deal, X agreed to disarm') stay AGREE."""
    if cand.nominal or cand.target or len(set(cand.source)) != 1 or _pact_term(cand.head, state.codebook):
        return
    joint = state.codebook.word("joint_body_nouns")
    if any((c.dep_ == "prep" and c.lower_ == "with") or (c.dep_ == "nsubj" and c.lemma_.lower() in joint)
           for c in cand.head.children):
        return
    for child in cand.head.children:
        if child.dep_ not in ("xcomp", "ccomp"):
            continue
        promised, verb = _promised_event(child, state)
        if promised is not None and state.codebook.is_concession(promised.rule.event_type) and \
                not any(c.dep_ == "neg" for word in {child, verb} for c in word.children) and \
                not _traded(verb, state.codebook):
            cand.event_type = "CONCEDE"
        return


def _traded(verb: Token, codebook: Codebook) -> bool:
    """A step given for another ('free prisoners in exchange for hostages') or a swap ('swap prisoners'): a
    trade both sides agree to."""
    if verb.lemma_.lower() in codebook.word("trade_verbs"):
        return True
    return any(p.dep_ == "prep" and p.lower_ == "in" and
               any(o.dep_ == "pobj" and o.lemma_.lower() in codebook.word("trade_nouns") for o in p.children)
               for p in verb.subtree)


def _pact_term(verb: Token, codebook: Codebook) -> bool:
    """A clause that tells a pact's terms: 'under the deal, X agreed ...', 'an accord in which X agreed ...'."""
    pacts = codebook.word("pact_nouns") | codebook.word("document_nouns")
    frames = [p for p in verb.children if p.dep_ == "prep" and p.lower_ in ("under", "in")]
    if any(o.dep_ == "pobj" and o.lemma_.lower() in pacts | {"which"} for p in frames for o in p.children):
        return True
    return verb.dep_ == "relcl" and verb.head.lemma_.lower() in pacts


def approved_force_is_planned(cand: Candidate, state: ArticleState) -> None:
    """'approved plans for a ground offensive', 'approved sending troops': a decision to use force plans
    that act (status planned, the decider its source when it names none) and is no agreement."""
    words = [cand.head, *([cand.nodes["object"]] if "object" in cand.nodes else [])]
    for root in (r for word in words for r in content_roots(word)):
        planned = state.by_head.get(root.i) or state.by_start.get(root.i)
        if planned is not None and planned is not cand and state.codebook.is_force(planned.rule.event_type):
            planned.status, planned.status_cue = "planned", f"planned-by:{cand.rule.rule_id}"
            planned.source = planned.source or list(cand.source)
            cand.absorbed = True
            return


def mutual_ceasefire_is_joint(cand: Candidate, state: ArticleState) -> None:
    """'A and B sealed a truce', 'X brokered a ceasefire between A and B', 'a bilateral truce': a ceasefire
    both sides declare is the concession of both (PLOVER CONCEDE, each side a source); one side's own
    ceasefire or halt ('Azerbaijan declared a unilateral ceasefire') stays its maker's."""
    word = cand.nodes.get("object", cand.head)
    modifiers = {c.lemma_.lower() for w in {cand.head, word} for c in w.children if c.dep_ in ("amod", "compound")}
    if modifiers & state.codebook.word("unilateral_modifiers"):
        return
    if len(set(cand.source) | set(cand.target)) >= 2 or modifiers & state.codebook.word("mutual_modifiers") or \
            _made_with_other_side(cand.head, state.codebook):
        # symmetric: a truce 'with' the other side lists both sides as sources
        cand.source, cand.target = list(dict.fromkeys(cand.source + cand.target)), []


def _made_with_other_side(noun: Token, codebook: Codebook) -> bool:
    """'signed a truce with the rebels', 'a ceasefire with Hamas': made with another side, named or not."""
    holders = [noun, *([noun.head] if noun.dep_ == "dobj" else [])]
    sides = codebook.word("side_nouns")
    return any(p.dep_ == "prep" and p.lower_ == "with" and o.dep_ == "pobj" and
               (o.pos_ == "PROPN" or o.lemma_.lower() in sides)
               for h in holders for p in h.children for o in p.children)


def _takes_effect(verb: Token, codebook: Codebook) -> bool:
    """'took effect', 'entered into force', 'is in force', 'is holding', and 'collapsed', 'broke down' (it
    had been in force)."""
    lemma = verb.lemma_.lower()
    states = codebook.word("in_force_nouns")
    if lemma in codebook.word("observance_verbs") | codebook.word("lapse_verbs"):
        return True
    if lemma in codebook.word("lapse_phrasal_verbs"):
        return any(c.dep_ == "prt" and c.lower_ == "down" for c in verb.children)
    if lemma == "take":
        return any(c.dep_ == "dobj" and c.lemma_.lower() in states for c in verb.children)
    if lemma in codebook.word("entry_verbs") or lemma == "be":
        return any(p.dep_ == "prep" and p.lower_ in ("in", "into") and
                   any(o.dep_ == "pobj" and o.lemma_.lower() in states for o in p.children)
                   for p in verb.children)
    return False


def _in_force_clause(cand: Candidate, codebook: Codebook) -> Token | None:
    """'the truce, which took effect on Monday', 'the arrangement that entered into force on 27 November':
    a relative or participle clause on the ceasefire noun (or on the agreement it names) that says it took
    effect."""
    nouns = [cand.head, *([cand.nodes["object"]] if "object" in cand.nodes else [])]
    nouns += [n.head for n in list(nouns) if n.dep_ == "compound"]
    return next((clause for noun in nouns for clause in noun.children
                 if clause.dep_ in ("relcl", "acl") and _takes_effect(clause, codebook)), None)


def in_force_is_retreat(cand: Candidate, state: ArticleState) -> None:
    """'the truce took effect', 'the ceasefire is now in force', 'is due to take effect', 'the truce
    collapsed', 'the truce, which took effect on Monday': a ceasefire that is or was implemented or observed
    is RETREAT (a declared one stays CONCEDE)."""
    clause = _in_force_clause(cand, state.codebook)
    if clause is not None:
        # the clause tells when it took effect: its date and status are the row's
        cand.event_type, cand.mode, cand.anchor = "RETREAT", "ceasefire", clause
        return
    if cand.head.dep_ not in ("nsubj", "nsubjpass"):
        return
    verbs = [cand.head.head]
    verbs += [c for c in verbs[0].children if c.dep_ in ("xcomp", "acomp") or (
        c.dep_ == "conj" and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children))]
    verbs += [c for v in verbs[1:] for c in v.children if c.dep_ == "xcomp"]
    effective = next((verb for verb in verbs if _takes_effect(verb, state.codebook)), None)
    if effective is not None:
        cand.event_type = "RETREAT"
        cand.mode = "ceasefire"
        # 'is due to take effect': the status is read from 'take'; 'will be phased in and take effect': 'phased'
        cand.anchor = verbs[0] if effective.dep_ == "conj" else effective


def no_comment_is_no_refusal(cand: Candidate, state: ArticleState) -> None:
    """'the Kremlin declined to comment': declining to say something rejects nothing, so no row."""
    if any(c.dep_ == "xcomp" and c.lemma_.lower() in state.codebook.word("comment_verbs") for c in cand.head.children):
        cand.absorbed = True


def trip_for_a_meeting(cand: Candidate, state: ArticleState) -> None:
    """'flew to Moscow to see Putin', 'will travel to Algiers to meet X': the trip is the meeting its purpose
    clause names, one event, not two."""
    for child in cand.head.children:
        purpose = state.by_head.get(child.i) if child.dep_ in ("advcl", "xcomp") else None
        if purpose is not None and purpose.rule.event_type == cand.rule.event_type:
            cand.absorbed = True
            return


def visit_for_a_meeting(cand: Candidate, state: ArticleState) -> None:
    """'Putin will meet Erdogan during a visit to Sochi': a visit told as the occasion of a meeting is that
    meeting, one event, not two."""
    head = cand.head
    if head.dep_ != "pobj":
        return
    clause = next((a for a in head.ancestors if a.i in state.by_head), None)
    meeting = state.by_head.get(clause.i) if clause is not None else None
    if meeting is not None and not meeting.nominal and meeting.rule.event_type == cand.rule.event_type \
            and len(set(meeting.source + meeting.target)) >= max(meeting.rule.min_parties, 1):
        cand.absorbed = True


def internal_meeting_is_no_consultation(cand: Candidate, state: ArticleState) -> None:
    """'his cabinet will meet on Thursday', 'parliament convened to vote on the accord': a state's own organ
    sitting alone consults no other actor, so no row; meeting someone ('the cabinet met the envoy') stays."""
    bodies = state.codebook.word("internal_bodies")
    children = list(cand.head.children)
    if any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in bodies and
           not any(g.dep_ == "conj" for g in c.children) for c in children) and \
            not any(c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in ("with", "between")) for c in children):
        cand.absorbed = True


def official_protest_is_complaint(cand: Candidate, state: ArticleState) -> None:
    """'the Georgian delegation protested against the new fences', 'the foreign ministry protested to Paris':
    a state, government, ministry or international organisation that protests complains of another's
    conduct (ACCUSE); crowds and movements demonstrate (PROTEST)."""
    official = state.codebook.word("official_id_prefixes")
    if cand.source and all(actor.partition(":")[0] in official for actor in cand.source):
        cand.event_type = "ACCUSE"


def _state_keys(actors: list[str], codebook: Codebook) -> set[str]:
    """The countries among actor ids (a state and its government as one)."""
    return {rest.upper() for prefix, _, rest in (a.partition(":") for a in actors) if prefix in STATE_PREFIXES}


def forces_abroad_are_aid(cand: Candidate, state: ArticleState) -> None:
    """'deployed 400 police officers to Haiti', 'Rwanda's deployment of troops to Mozambique': forces sent
    to another country help it (military AID to that country); forces moved within one's own country or
    toward a rival ('sent bombers towards Japan', 'to the border') stay MOBILIZE."""
    holders = [cand.head, *(c for c in cand.head.children if c.dep_ in ("dobj", "nsubjpass")),
               *(o for p in cand.head.children if p.dep_ == "prep" and p.lower_ == "of"
                 for o in p.children if o.dep_ == "pobj")]
    preps = {p.lower_ for h in holders for p in h.children if p.dep_ in ("prep", "dative")}
    if "to" not in preps or preps & state.codebook.word("approach_prepositions"):
        return
    abroad = _state_keys(cand.target, state.codebook) - _state_keys(cand.source, state.codebook)
    if abroad and cand.source:
        cand.event_type, cand.mode = "AID", "military"


CALLBACKS: dict[str, Callable[[Candidate, ArticleState], None]] = {
    "forces_abroad_are_aid": forces_abroad_are_aid,
    "trip_for_a_meeting": trip_for_a_meeting,
    "visit_for_a_meeting": visit_for_a_meeting,
    "force_makes_threat": force_makes_threat,
    "agreed_concession_is_concede": agreed_concession_is_concede,
    "approved_force_is_planned": approved_force_is_planned,
    "in_force_is_retreat": in_force_is_retreat,
    "mutual_ceasefire_is_joint": mutual_ceasefire_is_joint,
    "no_comment_is_no_refusal": no_comment_is_no_refusal,
    "official_protest_is_complaint": official_protest_is_complaint,
    "internal_meeting_is_no_consultation": internal_meeting_is_no_consultation,
}


# Callbacks that settle a candidate's own type from its own words, run before those that read another
# candidate's type ('agreed to deploy troops to Somalia' promises AID, no force: no threat).
OWN_TYPE_CALLBACKS = ("forces_abroad_are_aid",)


def run_callbacks(candidates: list[Candidate], state: ArticleState) -> None:
    for first in (True, False):
        for cand in candidates:
            for name in cand.rule.callbacks:
                if (name in OWN_TYPE_CALLBACKS) == first:
                    CALLBACKS[name](cand, state)
