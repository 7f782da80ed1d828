"""Named callbacks: the few trigger rules that need code, referenced by name from `schemas/plover.yaml`
(`callbacks: [name]`). Each runs after every candidate of the article has its roles, and may change
the candidate it belongs to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flows.extract.events.codebook import Codebook
from flows.extract.events.matching import Candidate


@dataclass
class ArticleState:
    """What a callback may read: every candidate of the article, by the index of its head word."""

    codebook: Codebook
    by_head: dict[int, Candidate]
    by_start: dict[int, Candidate]


def force_makes_threat(cand: Candidate, state: ArticleState) -> None:
    """'vowed to resume the offensive': a promise of force is a threat (PLOVER THREATEN). The promised act
    is the complement verb, or the event it takes as object ('resume the offensive'), not any word below
    it ('pledged to lift the blockade' is no threat)."""
    if cand.nominal:
        return
    for child in cand.head.children:
        if child.dep_ != "xcomp":
            continue
        promised = state.by_head.get(child.i)
        if promised is None:
            objects = [c for c in child.children if c.dep_ == "dobj"]
            promised = next((state.by_head.get(o.i) or state.by_start.get(o.i) for o in objects
                             if state.by_head.get(o.i) or state.by_start.get(o.i)), None)
        if promised is not None and state.codebook.is_force(promised.rule.event_type):
            cand.event_type = "THREATEN"
            return


CALLBACKS: dict[str, Callable[[Candidate, ArticleState], None]] = {
    "force_makes_threat": force_makes_threat,
}


def run_callbacks(candidates: list[Candidate], state: ArticleState) -> None:
    for cand in candidates:
        for name in cand.rule.callbacks:
            CALLBACKS[name](cand, state)
