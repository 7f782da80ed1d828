"""Interviews: in the answers of a question-and-answer text, 'I' and 'we' stand for the interviewee (and
the organisation a spokesperson speaks for), as they do inside a quotation. The answers, read by the
shared interview layout, become spans of the same kind as quotations (`Quoted`), so the resolver and
`reported_by_actor_id` treat them alike."""

from __future__ import annotations

from flows.extract.events.quoted import Quoted, names_spokesperson
from flows.extract.interview import interviewee, read_layout
from flows.records import Mention

PARTY_PREFIXES = ("group:", "org:", "igo:", "gov:", "state:")
AFFILIATION_REACH = 120  # characters after the interviewee's name where 'spokesman of X' names X


def _affiliation(text: str, person: Mention, mentions: list[Mention]) -> tuple[str | None, bool]:
    """The organisation named right after the interviewee ('X, spokesman of the NAS'), and whether the
    interviewee speaks for it as a spokesperson."""
    reach = person.char_end + AFFILIATION_REACH
    stop = min((i for i in (text.find(".", person.char_end), text.find("\n", person.char_end)) if i > 0), default=reach)
    later = sorted(
        (
            m
            for m in mentions
            if person.char_end <= m.char_start < min(reach, stop) and str(m.value).startswith(PARTY_PREFIXES)
        ),
        key=lambda m: m.char_start,
    )
    if not later:
        return None, False
    return str(later[0].value), names_spokesperson(text[person.char_end : later[0].char_start])


def interview_spans(text: str, mentions: list[Mention]) -> list[Quoted]:
    """The answers of an interview as spans spoken by the interviewee; none when the text is no interview."""
    layout = read_layout(text)
    if not layout.is_interview:
        return []
    actors = [m for m in mentions if m.kind == "actor" and m.value]
    people = [m for m in actors if str(m.value).startswith("person:")]
    person = interviewee(text, layout, people, key=lambda m: str(m.value))
    if person is None:
        return []
    affiliation, spokesman = _affiliation(text, person, actors)
    return [Quoted(start, end, str(person.value), affiliation, spokesman) for start, end in layout.answers]
