"""Interviews: in the answers of a question-and-answer text, 'I' and 'we' stand for the interviewee (and
the organisation a spokesperson speaks for), as they do inside a quotation. The answers become spans of
the same kind as quotations (`Quoted`), so the resolver and `reported_by_actor_id` treat them alike."""

from __future__ import annotations

import re
from collections import Counter

from flows.extract.events.quoted import SPOKESPEOPLE, Quoted
from flows.records import Mention

BLOCK = re.compile(r"\S[^\n]*(?:\n[ \t]*\S[^\n]*)*")
QUESTION_LABEL = re.compile(r"^(?:Q|Question)\s*[:.]\s")
# 'We spoke to X', 'X spoke to us', 'in an interview with X', 'X told us'
INTERVIEW_CUE = re.compile(r"\b(?:spoke|talked|speaking|talking)\s+(?:to|with)\b|\binterview(?:ed)?\b|\btold us\b",
                           re.I)
PARTY_PREFIXES = ("group:", "org:", "igo:", "gov:", "state:")
MIN_QUESTIONS = 2
AFFILIATION_REACH = 120  # characters after the interviewee's name where 'spokesman of X' names X


def _blocks(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in BLOCK.finditer(text)]


def _is_question(text: str) -> bool:
    stripped = text.strip()
    return stripped.endswith("?") or bool(QUESTION_LABEL.match(stripped))


def _persons(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    return sorted((m for m in mentions if start <= m.char_start < end and str(m.value).startswith("person:")),
                  key=lambda m: m.char_start)


def _labelled(text: str, answers: list[tuple[int, int]], mentions: list[Mention]) -> Mention | None:
    """'Griffiths: Because every name ...': the person whose name labels the answers."""
    found = Counter()
    first: dict[str, Mention] = {}
    for start, end in answers:
        colon = text.find(":", start, min(end, start + 60))
        for mention in _persons(mentions, start, colon if colon > 0 else start):
            found[str(mention.value)] += 1
            first.setdefault(str(mention.value), mention)
    return first[found.most_common(1)[0][0]] if found else None


def _introduced(text: str, intro: list[tuple[int, int]], mentions: list[Mention]) -> Mention | None:
    """'We spoke to X, spokesman of Y': the first person named after the interview cue of the introduction."""
    for start, end in intro:
        cue = INTERVIEW_CUE.search(text, start, end)
        if cue is not None:
            people = _persons(mentions, cue.end(), end) or _persons(mentions, start, cue.start())[-1:]
            if people:
                return people[0]
    return None


def _affiliation(text: str, person: Mention, mentions: list[Mention]) -> tuple[str | None, bool]:
    """The organisation named right after the interviewee ('X, spokesman of the NAS'), and whether the
    interviewee speaks for it as a spokesperson."""
    reach = person.char_end + AFFILIATION_REACH
    stop = min((i for i in (text.find(".", person.char_end), text.find("\n", person.char_end)) if i > 0),
               default=reach)
    later = sorted((m for m in mentions if person.char_end <= m.char_start < min(reach, stop)
                    and str(m.value).startswith(PARTY_PREFIXES)), key=lambda m: m.char_start)
    if not later:
        return None, False
    between = text[person.char_end:later[0].char_start].lower()
    return str(later[0].value), any(word in between for word in SPOKESPEOPLE)


def interview_spans(text: str, mentions: list[Mention]) -> list[Quoted]:
    """The answers of an interview as spans spoken by the interviewee; none when the text is no interview."""
    blocks = _blocks(text)
    questions = [i for i, (start, end) in enumerate(blocks) if _is_question(text[start:end])]
    if len(questions) < MIN_QUESTIONS:
        return []
    answers = [b for i, b in enumerate(blocks) if i > questions[0] and i not in questions]
    actors = [m for m in mentions if m.kind == "actor" and m.value]
    person = _labelled(text, answers, actors) or _introduced(text, blocks[:questions[0]], actors)
    if person is None:
        return []
    affiliation, spokesman = _affiliation(text, person, actors)
    return [Quoted(start, end, str(person.value), affiliation, spokesman) for start, end in answers]
