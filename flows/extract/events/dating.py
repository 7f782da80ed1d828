"""A date for every event the article reports as happening: the date written at the event (basis text),
else the day of the story it belongs to (context), else the article's own day (published).

An act or statement right after a dated act of the same paragraph belongs to that happening ('In
April 2023 the army bombed the village. The NUG called it a war crime'). The story's day is the
day-precise date of the first event of the lead that has one. Statements
('urged', 'welcomed', 'accused': types marked `statement` in the codebook) are dated by the publication
day when the story is of that day (or has no day), and get none in a report of an earlier day's story;
other past acts by the story's day first (an ongoing 'talks are proceeding' gets none).
Background (a pluperfect, a relative clause, 'at the time'), planned, hypothetical and negated events
and bare nouns get no date they do not state.
"""

from __future__ import annotations

import dataclasses

from spacy.tokens import Token

from flows.extract.events.codebook import Codebook
from flows.extract.events.matching import Candidate
from flows.extract.events.status import status_anchor
from flows.extract.events.syntax import complement_chain, sentence_bounds
from flows.records import Article, Event

LEAD_SENTENCES = 4


def _background(anchor: Token, codebook: Codebook) -> bool:
    """'had signed', 'X, who signed ...', 'at the time', 'previously': not the story's own time; nor an act
    placed only relative to another ('a day after X accused Y', 'after rejecting the results') or over a
    period ('since the truce took effect, X has carried out strikes')."""
    background = codebook.word("background_words")
    relative = codebook.word("relative_time_marks")
    for token in complement_chain(anchor):
        if token.dep_ in ("relcl", "acl", "amod"):
            return True
        if _opened_by(token, relative) or (token.dep_ == "pcomp" and token.head.lower_ in relative):
            return True
        if any(_opened_by(c, codebook.word("period_openers")) or (c.dep_ == "prep" and c.lower_ in
                                                                  codebook.word("period_openers"))
               for c in token.children):
            return True
        for child in token.children:
            if child.dep_ == "aux" and child.lower_ in ("had", "'d"):
                return True
            words = [child] + [c for c in child.children if child.dep_ == "prep" and c.dep_ == "pobj"]
            if any(w.lower_ in background for w in words if w.dep_ in ("advmod", "npadvmod", "pobj")):
                return True
    return False


def _opened_by(clause: Token, marks: frozenset[str]) -> bool:
    """An adverbial clause opened by one of the conjunctions ('after X accused Y')."""
    return clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in marks for c in clause.children)


def _past(verb: Token) -> bool:
    """'met', 'has met', 'was signed': a past act, not an ongoing one ('talks are proceeding')."""
    if verb.tag_ == "VBD":
        return True
    return verb.tag_ == "VBN" and any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP", "VBD")
                                      for c in verb.children)


def _reported_now(anchor: Token) -> bool:
    """'the army says it has started moving troops', 'forces pull back', a headline's 'US eases sanctions':
    the simple present of news reports what happens on the article's day."""
    chain = complement_chain(anchor)
    return any(_past(verb) for verb in chain) or any(verb.tag_ in ("VBZ", "VBP") for verb in chain)


def story_day(pairs: list[tuple[Event, Candidate]]) -> str | None:
    """The day-precise text date of the first dated event of the lead (its first sentences)."""
    for event, cand in sorted(pairs, key=lambda p: p[0].char_start):
        if event.date_basis == "text" and event.date_precision == "day" and event.status == "occurred" \
                and sentence_index(cand.head) < LEAD_SENTENCES:
            return event.event_date
    return None


def sentence_index(token: Token) -> int:
    """How many sentences come before the token's (headline lines count as sentences)."""
    index = 0
    start = sentence_bounds(token)[0]
    while start > 0:
        start = sentence_bounds(token.doc[start - 1])[0]
        index += 1
    return index


def _dated(event: Event, value: str, basis: str, precision: str = "day") -> Event:
    return dataclasses.replace(event, event_date=value, date_precision=precision, date_basis=basis)


def paragraph_date(event: Event, cand: Candidate, pairs: list[tuple[Event, Candidate]]) -> Event | None:
    """The nearest event before it in the same paragraph, at most two sentences back, whose date the text
    gives ('In October 2022 the leaders met in Prague. Both confirmed their commitment ...'): the act
    belongs to that happening."""
    text = cand.head.doc.text
    own = sentence_index(cand.head)
    earlier = [e for e, c in pairs if e.date_basis == "text" and e.status == "occurred" and e.event_date
               and e.char_start < event.char_start and "\n" not in text[e.char_start:event.char_start]
               and own - sentence_index(c.head) in (1, 2)]
    return max(earlier, key=lambda e: e.char_start) if earlier else None


def date_events(pairs: list[tuple[Event, Candidate]], article: Article, codebook: Codebook
                ) -> list[tuple[Event, Candidate]]:
    """Every event with the date it deserves (see the module docstring)."""
    story = story_day(pairs)
    published = article.published_date
    found = []
    for event, cand in pairs:
        anchor = status_anchor(cand)
        if event.event_date or event.status != "occurred" or anchor is None or _background(anchor, codebook):
            found.append((event, cand))
            continue
        statement = codebook.event_types.get(event.event_type, {}).get("statement", False)
        if not statement and not _past(anchor):
            if _reported_now(anchor) and published:
                found.append((_dated(event, published, "published"), cand))
            else:
                found.append((event, cand))
            continue
        near = paragraph_date(event, cand, pairs)
        if near is not None:
            found.append((_dated(event, str(near.event_date), "context", near.date_precision or "day"), cand))
            continue
        if statement:
            value, basis = (published, "published") if _reported_on_publication_day(story, published) \
                else (None, None)
        else:
            value, basis = next(((v, b) for v, b in ((story, "context"), (published, "published")) if v),
                                (None, None))
        found.append((_dated(event, value, basis) if value else event, cand))
    return found


def _reported_on_publication_day(story: str | None, published: str | None) -> bool:
    """An undated statement is the article's own day only when the story happens that day: in a report
    dated the day after the talks, 'X welcomed the deal' may be either day, and the reader cannot tell."""
    return published is not None and (story is None or story == published)
