"""Live blogs: time-stamped entries ('16:48' alone on a line, '11:05 am - ...', 'UPDATE 14:05 - ...'), newest
first or last, sometimes under dated headings ('Friday 1 April' alone on a line above the clock times). Each
entry is told at its own time, not at that of the entry above."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from flows.extract.annotate import doc_text
from flows.extract.dates.amounts import find_clock_times
from flows.extract.dates.vocab import V as DATE_WORDS
from flows.extract.events.codebook import words
from flows.records import Mention


def live_entry(token: Token) -> bool:
    """'11:05 am - The army has warned ...', or a clock time alone on the line above the paragraph
    ('16:48'): an entry of a live blog, told as it happens on the article's day."""
    text = doc_text(token.doc)
    start = text.rfind("\n", 0, token.idx) + 1
    line = text[start:token.idx]
    before = text[:start].rstrip()
    above = before[before.rfind("\n") + 1:]
    return opens_with_clock(line) or (bool(above) and opens_with_clock(above, alone=True))


def opens_with_clock(line: str, alone: bool = False) -> bool:
    """The line starts with a clock time, maybe after an update mark ('UPDATE 14:05 - ...'), and holds nothing
    else but punctuation when `alone`."""
    found = find_clock_times(line)
    if not found:
        return False
    before = line[:found[0][0]].strip(" ,:-\u2013\u2014").lower()
    if before and before not in words("live_update_marks"):
        return False
    return not alone or not line[found[0][1]:].strip(" :-\u2013\u2014")


def entry_heading_date(token: Token, dates: Sequence[tuple[Mention, list[int]]]) -> str | None:
    """The day of the dated heading a live-blog entry sits under ('Friday 1 April' alone on a line above its
    clock time): in a blog of several days, newest first or last, each entry is of its heading's day, not
    of a date told in the entry above."""
    if not live_entry(token):
        return None
    text = doc_text(token.doc)
    headings = [m for m, ids in dates if ids and m.value and m.precision == "day" and m.char_start < token.idx
                and _alone_on_line(text, m.char_start, m.char_end)]
    return str(max(headings, key=lambda m: m.char_start).value) if headings else None


def _alone_on_line(text: str, start: int, end: int) -> bool:
    """The span is its line's only words (a weekday before it aside: 'Friday 1 April')."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    before = text[line_start:start].strip(" ,")
    after = text[end:line_end if line_end >= 0 else None].strip(" ,.:")
    return not after and (not before or before.lower() in DATE_WORDS["weekdays"])


def clock_line_between(text: str, start: int, end: int) -> bool:
    """A line opening with a clock time between the two offsets: another live-blog entry."""
    lines = text[start:end].split("\n")[1:]
    return any(opens_with_clock(line) for line in lines)
