"""The question-and-answer layout of an interview, read once for quotations and for events.

An interview prints the interviewer's questions as paragraphs of their own (ending with '?' or labelled
'Q:') and the interviewee's answers after them, with or without quotation marks. The answers are the
interviewee's speech: the person whose name labels them ('Griffiths: Because ...'), else the person the
introduction presents ('We spoke to X', 'X spoke to us by phone').
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

PARAGRAPH = re.compile(r"\S[^\n]*(?:\n[ \t]*\S[^\n]*)*")
QUESTION_LABEL = re.compile(r"^(?:Q|Question)\s*[:.]\s")
ANSWER_LABEL = re.compile(r"(?:A|Answer)\s*[:.]\s*")
# 'We spoke to X', 'X spoke to us', 'in an interview with X', 'X told us'
INTERVIEW_CUE = re.compile(
    r"\b(?:spoke|talked|speaking|talking)\s+(?:to|with)\b|\binterview(?:ed)?\b|\btold us\b", re.I
)
MIN_QUESTIONS = 2  # one question mark alone does not make a text an interview
LABEL_REACH = 60  # characters from an answer's start where 'Name:' labels it


class Located(Protocol):
    """A named span of the text: an actor mention or a speaker candidate."""

    @property
    def char_start(self) -> int: ...

    @property
    def char_end(self) -> int: ...


Person = TypeVar("Person", bound=Located)


@dataclass(frozen=True)
class Layout:
    """The paragraphs of a text and which of them ask a question."""

    paragraphs: list[tuple[int, int]]
    questions: list[int]  # indexes into paragraphs

    @property
    def is_interview(self) -> bool:
        return len(self.questions) >= MIN_QUESTIONS

    @property
    def introduction(self) -> list[tuple[int, int]]:
        """The paragraphs before the first question: where the interviewee is presented."""
        return self.paragraphs[: self.questions[0]] if self.questions else self.paragraphs

    @property
    def answers(self) -> list[tuple[int, int]]:
        """Every paragraph after the first question that asks none."""
        if not self.questions:
            return []
        return [p for i, p in enumerate(self.paragraphs) if i > self.questions[0] and i not in self.questions]


def is_question(text: str) -> bool:
    stripped = text.strip()
    return stripped.endswith("?") or bool(QUESTION_LABEL.match(stripped))


def read_layout(text: str) -> Layout:
    paragraphs = [(m.start(), m.end()) for m in PARAGRAPH.finditer(text)]
    return Layout(paragraphs, [i for i, (start, end) in enumerate(paragraphs) if is_question(text[start:end])])


def question_before(text: str, start: int) -> tuple[int, int] | None:
    """The line right before the paragraph opening at `start` when it asks a question (its span): the
    paragraph at `start` answers it."""
    before = text[:start].rstrip()
    line_start = before.rfind("\n") + 1
    if not before or not is_question(before[line_start:]):
        return None
    return line_start, len(before)


def _people_in(people: Sequence[Person], start: int, end: int) -> list[Person]:
    return sorted((p for p in people if start <= p.char_start < end), key=lambda p: p.char_start)


def labelled_person(
    text: str, answers: list[tuple[int, int]], people: Sequence[Person], key: Callable[[Person], str]
) -> Person | None:
    """'Griffiths: Because every name ...': the person whose name labels most answers."""
    found: Counter[str] = Counter()
    first: dict[str, Person] = {}
    for start, end in answers:
        colon = text.find(":", start, min(end, start + LABEL_REACH))
        for person in _people_in(people, start, colon if colon > 0 else start):
            found[key(person)] += 1
            first.setdefault(key(person), person)
    return first[found.most_common(1)[0][0]] if found else None


def introduced_person(text: str, introduction: list[tuple[int, int]], people: Sequence[Person]) -> Person | None:
    """'We spoke to X, spokesman of Y': the first person named after the interview cue; 'X, the envoy for
    Z, spoke to us': the first person of the cue's sentence before it (its subject, not a name in an aside);
    'X disagrees. He spoke to us': the first person of the sentence before."""
    for start, end in introduction:
        cue = INTERVIEW_CUE.search(text, start, end)
        if cue is not None:
            full_stop = text.rfind(". ", start, cue.start())
            sentence_start = full_stop + 2 if full_stop >= 0 else start
            found = _people_in(people, cue.end(), end) or _people_in(people, sentence_start, cue.start())[:1]
            if not found and full_stop >= 0:
                previous = text.rfind(". ", start, full_stop)
                found = _people_in(people, previous + 2 if previous >= 0 else start, full_stop)[:1]
            if found:
                return found[0]
    return None


def interviewee(text: str, layout: Layout, people: Sequence[Person], key: Callable[[Person], str]) -> Person | None:
    """Who answers: the person labelling the answers, else the one the introduction presents."""
    return labelled_person(text, layout.answers, people, key) or introduced_person(text, layout.introduction, people)
