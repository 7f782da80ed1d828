"""One event per happening per article: repeated mentions of one meeting, deal or attack (the headline,
the lead, 'the talks' later on) become one row that keeps every mention's span (`mention_spans`).

Two rows are one happening when they have the same type, status and place, and either their triggers are
coordinated in one sentence with the same source and at most one object ('punched and shoved the
peacekeepers'), or the text gives
both the same day and their sources share an actor (a state and its government as one), or a headline
(the first line, or a line under a kicker or date line) names exactly the parties of the same event in the
lead, or one is a standing act named only as what a demand would undo ('demanded that Washington lift
all sanctions') and the other reports it with the same source. Undated mentions of talks or fighting
between the same parties are not merged: an article often reports several. Talks told with no party
('said after twelve hours of talks in Ohrid on Saturday', 'the talks opened on October 25', which take
the story's two parties) and a mention of talks held on those sides ('X, who hosted A and B', 'ten days
of negotiations hosted by Y') are one meeting in that sentence or the next when at most one of them has a
written date, and anywhere when the first took the day of the other from its context. The merged row is the
mention with a date written in the text if one has it, else the first; roles it lacks come from the
others (the parties named rather than those the story supplied), and it takes the best-founded date (text,
then context, then published).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from flows.extract.annotate import doc_text
from flows.extract.coref_base import STATE_PREFIXES
from flows.extract.dates import dates_compatible
from flows.extract.events.codebook import Codebook
from flows.extract.events.content import UNDONE_CUE
from flows.extract.events.dating import LEAD_SENTENCES, sentence_index
from flows.extract.events.matching import Candidate
from flows.records import Event

SENTENCE_ENDS = (".", "!", "?", ".\"", ".”", "?”", "!”", ".'")
BASIS_RANK = {"text": 0, "context": 1, "published": 2, None: 3}


def _keys(actors: list[str], codebook: Codebook) -> set[str]:
    found = set()
    for actor in actors:
        prefix, _, rest = actor.partition(":")
        found.add(f"state:{rest.split(':')[0].upper()}" if prefix in STATE_PREFIXES and rest else actor)
    return found


def _compatible(a: str | None, b: str | None, dates: bool) -> bool:
    if a is None or b is None or a == b:
        return True
    return dates and dates_compatible(a, b)


def _headline(cand: Candidate) -> bool:
    """The trigger is on the first line of a text that goes on after it, or on a line below it while the
    lines above do not end as sentences end (a kicker, a date line or a subheading over the headline)."""
    text = doc_text(cand.head.doc)
    start = 0
    for number, line in enumerate(text.split("\n")):
        end = start + len(line)
        finished = line.rstrip().endswith(SENTENCE_ENDS)
        if start <= cand.head.idx < end:
            return end < len(text.rstrip()) and (number == 0 or not finished)
        if finished:
            return False
        start = end + 1
    return False


def _own_object(cand: Candidate) -> bool:
    """The trigger has an object of its own ('attacked Kharkiv')."""
    return any(c.dep_ in ("dobj", "pobj") or (c.dep_ == "prep" and c.lower_ in ("on", "against"))
               for c in cand.head.children)


def _standing(event: Event) -> bool:
    """A standing act named only as what a demand would undo: it refers to the act, it is no new one."""
    return (event.status_cue or "").startswith(f"{UNDONE_CUE}:")


def _sides(event: Event, sides: Mapping[str, str]) -> set[str]:
    """The states (codes) an event's parties act for: a state or government its own, a person or body the
    country it belongs to; empty when one of them has none."""
    found = {sides.get(actor) for actor in event.source_actor_ids + event.target_actor_ids}
    return set() if None in found else {code for code in found if code}


def _told_alone(cand: Candidate, codebook: Codebook) -> bool:
    """A noun for the talks given the story's parties, no session named by its rank ('the talks', 'twelve
    hours of talks'; not 'the third round')."""
    return cand.nominal and cand.implicit and cand.rule.parties_of_talks and not any(
        c.dep_ == "amod" and (c.lower_ in codebook.word("session_ranks") or c.text[:1].isdigit())
        for c in cand.head.children)


def _talks_told_alone(a: tuple[Event, Candidate], b: tuple[Event, Candidate], codebook: Codebook,
                      sides: Mapping[str, str]) -> bool:
    """Talks given the story's parties ('said after twelve hours of talks', 'the talks opened on May 2')
    and a mention of talks held on those sides (among others, a host's or a mediator's): in that sentence
    or the next with at most one of the two dated in the text, or anywhere when the dating gave the first
    the day the other is dated to."""
    (x, cx), (y, cy) = sorted((a, b), key=lambda p: _told_alone(p[1], codebook))
    if not _told_alone(cy, codebook):
        return False
    given = _sides(y, sides)
    if len(given) < 2 or not given <= _sides(x, sides):
        return False
    if x.date_basis == "text" and y.date_basis == "context":  # dated as part of that very meeting
        return x.event_date == y.event_date
    return not x.date_basis == y.date_basis == "text" and abs(sentence_index(cx.head) - sentence_index(cy.head)) <= 1


def same_happening(a: tuple[Event, Candidate], b: tuple[Event, Candidate], codebook: Codebook,
                   sides: Mapping[str, str] | None = None) -> bool:
    """Same type, status and place, the same parties, and either the same written day or a headline that
    restates the lead; or talks told alone and the mention that names who held them (`sides`: actor id ->
    the country it acts for)."""
    (x, cx), (y, cy) = a, b
    if x.event_type != y.event_type or x.status != y.status or not _compatible(x.place_id, y.place_id, False):
        return False
    if sides and _talks_told_alone(a, b, codebook, sides):
        return True
    sx, sy = _keys(x.source_actor_ids, codebook), _keys(y.source_actor_ids, codebook)
    tx, ty = _keys(x.target_actor_ids, codebook), _keys(y.target_actor_ids, codebook)
    if cy.head in cx.head.conjuncts and cx.head.sent == cy.head.sent and not (_own_object(cx) and _own_object(cy)):
        # 'punched and shoved the peacekeepers', 'struck and shelled Khiam': one act told by two verbs
        # ('attacked Kharkiv and shelled Kherson', each with its own object, are two)
        return bool(sx & sy) and (not (tx and ty) or tx == ty) and _compatible(x.event_date, y.event_date, True)
    if _standing(x) != _standing(y):
        return bool(sx & sy) and (not (tx and ty) or bool(tx & ty))
    if x.date_basis == "text" and y.date_basis == "text":
        return x.event_date == y.event_date and x.date_precision == "day" and bool(sx & sy) \
            and (not (tx and ty) or bool(tx & ty))
    (_, head_cand), (_, body_cand) = sorted(((x, cx), (y, cy)), key=lambda p: p[1].head.i)
    if not _headline(head_cand) or _headline(body_cand) or sentence_index(body_cand.head) > LEAD_SENTENCES:
        return False
    return (sx, tx) == (sy, ty) and bool(sx or tx)


def _combine(group: list[tuple[Event, Candidate]]) -> Event:
    ordered = sorted(group, key=lambda p: p[0].char_start)
    primary = min(ordered, key=lambda p: (BASIS_RANK[p[0].date_basis] if p[0].date_basis == "text" else 3,
                                          p[0].char_start))[0]
    dated = min((p[0] for p in ordered), key=lambda e: (BASIS_RANK[e.date_basis], e.char_start))
    # the parties a mention names, before those the story supplied to a mention that named none
    holder = next((e for e, c in ordered if e is primary and not c.implicit), None) or next(
        (e for e, c in ordered if not c.implicit and (e.source_actor_ids or e.target_actor_ids)), primary)
    source = holder.source_actor_ids or next((e.source_actor_ids for e, _ in ordered if e.source_actor_ids), [])
    target = holder.target_actor_ids or next((e.target_actor_ids for e, _ in ordered if e.target_actor_ids), [])
    other = list(dict.fromkeys(a for e, _ in ordered for a in e.other_actor_ids if a not in source + target))
    spans = [f"{e.char_start}-{e.char_end}" for e, _ in ordered]
    return dataclasses.replace(
        primary, source_actor_ids=list(source), target_actor_ids=list(target), other_actor_ids=other,
        event_date=dated.event_date, date_precision=dated.date_precision, date_basis=dated.date_basis,
        place_id=primary.place_id or next((e.place_id for e, _ in ordered if e.place_id), None),
        mention_spans=spans)


def merge_mentions(pairs: list[tuple[Event, Candidate]], codebook: Codebook,
                   sides: Mapping[str, str] | None = None) -> list[Event]:
    """Rows of one article, repeated mentions of one happening merged (first mentions first); `sides`:
    actor id -> the country it acts for."""
    groups: list[list[tuple[Event, Candidate]]] = []
    for pair in sorted(pairs, key=lambda p: p[0].char_start):
        home = next((g for g in groups if all(same_happening(pair, other, codebook, sides) for other in g)), None)
        if home is None:
            groups.append([pair])
        else:
            home.append(pair)
    return [_combine(group) if len(group) > 1 else
            dataclasses.replace(group[0][0], mention_spans=[f"{group[0][0].char_start}-{group[0][0].char_end}"])
            for group in groups]
