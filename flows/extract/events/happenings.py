"""The happenings an act is told at or from: the pact or gathering its frame names ('at the summit', 'as part
of the deal', 'told the conference'), with the date that happening carries itself or that the text gave it
before, and the one a counted number of days names ('Two days after the talks, X accused ...')."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

from spacy.tokens import Token

from flows.extract.events.codebook import Codebook
from flows.extract.events.matching import Candidate
from flows.extract.events.syntax import coordinated_before, lemma_in, root_of
from flows.extract.events.telling import statement_setting
from flows.extract.events.when import counted_from_another
from flows.records import Event, Mention

# The event type of a meeting, talks, call or visit: the happening a readout reports.
GATHERING = "CONSULT"


def _happening_noun(anchor: Token, codebook: Codebook, statement: bool = False) -> Token | None:
    """The noun of 'at the summit', 'during the talks', 'as part of the deal', 'on the sidelines of the
    meeting' hanging from the verb or from the verb it is coordinated with, else of a cue that places a
    statement at a happening ('told the conference', 'in his remarks', 'speaking at the signing'). A
    statement reported by a verb of saying ('told the summit that Russia welcomed ...') is where its telling is."""
    verbs = coordinated_before(anchor)
    if statement and verbs[-1].dep_ == "ccomp" and verbs[-1].head.lemma_.lower() in codebook.word("speech_verbs"):
        verbs.append(verbs[-1].head)
    for verb in verbs:
        for prep in (c for c in verb.children if c.dep_ == "prep"):
            objects = [c for c in prep.children if c.dep_ == "pobj"]
            if not objects:
                continue
            if prep.lower_ in codebook.word("happening_prepositions"):
                return objects[0]
            if lemma_in(objects[0], codebook.word("happening_part_nouns")):
                return next((o for of in objects[0].children if of.dep_ == "prep" and of.lower_ == "of"
                             for o in of.children if o.dep_ == "pobj"), None)
    return next((noun for verb in verbs if (noun := statement_setting(verb, codebook)) is not None), None)


def happening_date(event: Event, anchor: Token, pairs: list[tuple[Event, Candidate]], codebook: Codebook
                   ) -> Event | None:
    """The latest event before it that tells, with a written date, the pact or gathering its frame names:
    'The swap was agreed on December 7. As part of the arrangement, X withdrew ...' is of December 7; 'in his
    remarks' names no gathering and is at the latest one or signing told."""
    noun = _happening_noun(anchor, codebook, codebook.is_statement(event.event_type))
    return None if noun is None else _told_happening(noun, event, pairs, codebook)


def _told_happening(noun: Token, event: Event, pairs: list[tuple[Event, Candidate]], codebook: Codebook
                    ) -> Event | None:
    """The latest event before it, dated by the text, that tells the pact or gathering the noun names."""
    types = {event_type for event_type, nouns in (("AGREE", ("pact_nouns", "pact_act_nouns")),
                                                  (GATHERING, ("gathering_nouns", "address_nouns")))
             if any(lemma_in(noun, codebook.word(name)) for name in nouns)}
    signing = any(lemma_in(noun, codebook.word(name)) for name in ("pact_act_nouns", "address_nouns"))
    told = [e for e, c in pairs if (e.event_type in types or (signing and c.rule.act))
            and e.date_basis == "text" and e.status == "occurred" and e.event_date and e.char_start < event.char_start]
    return max(told, key=lambda e: e.char_start) if told else None


def counted_from_told(event: Event, cand: Candidate, pairs: list[tuple[Event, Candidate]], codebook: Codebook
                      ) -> str | None:
    """'Serbia and Kosovo met on 2 May. Two days after the talks, Kurti accused ...': the other act of a counted
    offset, a pact or gathering named with no date of its own, is the one the text told before with a day: that
    day moved by the count."""
    offset = counted_from_another(cand, codebook)
    if offset is None or offset.days is None or offset.counted_back:
        return None
    doc = cand.head.doc
    noun = next((doc[i] for i in sorted(offset.other) if doc[i].dep_ == "pobj"
                 and doc[i].head.lower_ in codebook.word("offset_marks")), None)
    told = None if noun is None else _told_happening(noun, event, pairs, codebook)
    if told is None or told.date_precision != "day" or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(told.event_date)):
        return None
    return (datetime.date.fromisoformat(str(told.event_date)) + datetime.timedelta(days=offset.days)).isoformat()


def frame_date(event: Event, anchor: Token, pairs: list[tuple[Event, Candidate]],
                dates: Sequence[tuple[Mention, list[int]]], codebook: Codebook) -> tuple[str, str] | None:
    """The date (value, precision) of the happening its frame names: the one the frame's noun carries, else the
    happening told before it."""
    framed = framing_date(event, anchor, dates, codebook)
    if framed is not None:
        return str(framed.value), framed.precision or "day"
    happening = happening_date(event, anchor, pairs, codebook)
    return None if happening is None else (str(happening.event_date), happening.date_precision or "day")


def framing_date(event: Event, anchor: Token, dates: Sequence[tuple[Mention, list[int]]], codebook: Codebook
                 ) -> Mention | None:
    """The date the happening of its frame carries itself: 'At Tuesday's summit, the EU pledged ...', 'during last
    week's talks, X accused ...', 'at the talks on 3 May, X agreed ...' are of that summit's or those talks' day."""
    noun = _happening_noun(anchor, codebook, codebook.is_statement(event.event_type))
    if noun is None:
        return None
    doc = anchor.doc
    for mention, ids in dates:
        if not ids or not mention.value:
            continue
        root = root_of(doc, ids)
        if (root.head.i == noun.i and root.dep_ in ("poss", "compound", "nmod", "npadvmod")) or (
                root.dep_ == "pobj" and root.head.dep_ == "prep" and root.head.head.i == noun.i
                and root.head.lower_ in codebook.word("happening_date_prepositions")):
            return mention
    return None
