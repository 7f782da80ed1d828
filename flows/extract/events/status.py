"""Event status from the codebook's status cues: planned, hypothetical, negated, else occurred.

The event is looked at from its anchor (the trigger verb, the verb a nominal trigger hangs from, or the
node a rule names in `status_at`) up its complement chain ('expected to meet': meet, expected), then
from the event noun itself; the nearest cue decides. See `status_cues` in `schemas/plover.yaml`.
"""

from __future__ import annotations

from spacy.tokens import Token

from flows.extract.events.codebook import ROWLESS_STATUSES
from flows.extract.events.matching import Candidate, CueMatch
from flows.extract.events.syntax import complement_chain


def status_anchor(cand: Candidate) -> Token | None:
    """The word whose clause decides the status: the node a rule names, the verb, or a nominal's verb."""
    if cand.rule.status_at and cand.rule.status_at in cand.nodes:
        return cand.nodes[cand.rule.status_at]
    return cand.anchor or (None if cand.nominal else cand.head)


def _chain_cue(chain: list[Token], cues: dict[int, list[CueMatch]]) -> CueMatch | None:
    for position, token in enumerate(chain):
        for match in cues.get(token.i, ()):
            applies = match.cue.applies
            if applies == "clause" or (applies == "complement" and position > 0):
                return match
    return None


def _noun_cue(noun: Token, cues: dict[int, list[CueMatch]], applies: tuple[str, ...] = ("noun",)) -> CueMatch | None:
    return next((m for m in cues.get(noun.i, ()) if m.cue.applies in applies), None)


def _subtree_cue(token: Token, cues: dict[int, list[CueMatch]]) -> CueMatch | None:
    for ancestor in [token, *token.ancestors]:
        for match in cues.get(ancestor.i, ()):
            if match.cue.applies == "subtree":
                return match
    return None


def decide_status(cand: Candidate, cues: dict[int, list[CueMatch]]) -> tuple[str, str | None]:
    """The status of a candidate and the id of the cue that decided it (None: occurred, no cue)."""
    if cand.status is not None:
        return cand.status, cand.status_cue
    first = _noun_cue(cand.head, cues, ("noun", "head")) if cand.nominal else None
    if first is not None and (first.cue.status in ROWLESS_STATUSES or first.cue.applies == "head"):
        # 'would observe the cessation of hostilities': the noun names no act, whatever its clause says;
        # 'will impose sanctions in the event of an attack': the attack is the condition, not the plan
        return first.cue.status, first.cue.cue_id
    anchor = status_anchor(cand)
    match = _chain_cue(complement_chain(anchor), cues) if anchor is not None else None
    if match is None and cand.nominal and anchor is not cand.head:
        match = _noun_cue(cand.head, cues)
    if match is None:
        # a node the rule names decides for the whole clause: 'only if X withdraws' makes the withdrawing
        # hypothetical, not the demand it is (request.condition)
        match = _subtree_cue(anchor if cand.rule.status_at and anchor is not None else cand.head, cues)
    if match is None:
        return "occurred", None
    return match.cue.status, match.cue.cue_id


def clause_status(verb: Token, cues: dict[int, list[CueMatch]]) -> str | None:
    """The status a verb's own clause gives ('would attack', 'failed to stop'), None when no cue."""
    match = _chain_cue(complement_chain(verb), cues)
    return match.cue.status if match is not None else None
