"""Quotation marks: find every quoted stretch of a text by a character scan (no spaCy), in every style of
the codebook (“…” "…" ‘…’ '…' ``…'' `…' «…»), nested quotations included, and quotations running over a
paragraph break (the paragraph ends with the quotation open and the next one reopens it: one quotation).

Marks whose shape says what they do open or close; straight marks open after a space and before a word
and close after a word. A closing single mark with no single quotation open, or a single mark that an
apostrophe rule matches, is an apostrophe. A quotation still open at the end of its paragraph, not
reopened at the start of the next one, or longer than the codebook allows, is given up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from flows.extract.quotes.codebook import Codebook, MarkStyle, TitleRule, load_codebook

WORD = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass(frozen=True)
class QuoteSpan:
    """One quotation: inner offsets (no marks), where its marks are, its style and nesting depth."""

    start: int
    end: int
    open_at: int
    close_at: int
    style: str
    depth: int = 0  # 0: a quotation of the writer's text; 1: a quotation inside a quotation ...
    paragraph_start: int = 0  # start of the paragraph the quotation opens in
    paragraphs: int = 1
    close_len: int = 1


@dataclass
class OpenMark:
    style: str
    at: int
    length: int
    paragraph_start: int
    paragraphs: int = 1


@dataclass(frozen=True)
class Reading:
    style: str
    role: str  # open | close | either
    length: int


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line: news texts put one paragraph on a line."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


def context_role(text: str, i: int, length: int, book: Codebook, line_start: int) -> str | None:
    """Whether a mark of `either` kind opens, closes, may do either, or is no mark here."""
    prev = text[i - 1] if i > line_start else " "
    nxt = text[i + length] if i + length < len(text) else " "
    after_space = prev.isspace() or prev in book.open_after
    if after_space:
        return None if nxt.isspace() else "open"
    if nxt.isspace() or nxt in book.close_before:
        return "close"
    return "either"


def style_readings(text: str, i: int, style: MarkStyle, book: Codebook, line_start: int) -> list[Reading]:
    readings = [Reading(style.id, "open", len(m)) for m in style.opens if text.startswith(m, i)]
    readings += [Reading(style.id, "close", len(m)) for m in style.closes if text.startswith(m, i)]
    for mark in style.either:
        if text.startswith(mark, i):
            role = context_role(text, i, len(mark), book, line_start)
            if role is not None:
                readings.append(Reading(style.id, role, len(mark)))
    return readings


def is_apostrophe(text: str, i: int, book: Codebook) -> bool:
    before, after = text[max(0, i - 3):i], text[i + 1:i + 5]
    return any(rule.before.search(before) and rule.after.search(after) for rule in book.apostrophes)


def readings_at(text: str, i: int, book: Codebook, line_start: int) -> list[Reading]:
    """What the mark at i may be, longest marks first; single marks that are apostrophes give nothing."""
    readings = [r for style in book.marks for r in style_readings(text, i, style, book, line_start)]
    if not readings:
        return []
    longest = max(r.length for r in readings)
    readings = [r for r in readings if r.length == longest]
    if longest == 1 and text[i] in "'’‘`" and is_apostrophe(text, i, book):
        return []
    return readings


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Inner offsets without surrounding spaces or the comma that leads back to the attribution."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


@dataclass
class Scan:
    """The state of the scan: open quotations (innermost last) and the quotations found."""

    text: str
    book: Codebook
    stack: list[OpenMark] = field(default_factory=list)
    spans: list[QuoteSpan] = field(default_factory=list)
    starts: frozenset[str] = frozenset()  # first characters of every mark: elsewhere nothing is read

    def __post_init__(self) -> None:
        self.starts = frozenset(mark[0] for style in self.book.marks
                                for mark in (*style.opens, *style.closes, *style.either) if mark)

    def close(self, index: int, at: int, length: int) -> None:
        opened = self.stack[index]
        del self.stack[index:]
        start, end = trimmed(self.text, opened.at + opened.length, at)
        if end > start:
            self.spans.append(QuoteSpan(start, end, opened.at, at, opened.style, index, opened.paragraph_start,
                                        opened.paragraphs, length))

    def open_index(self, style: str) -> int | None:
        return next((k for k in range(len(self.stack) - 1, -1, -1) if self.stack[k].style == style), None)

    def read(self, i: int, para_start: int) -> int:
        """Act on the mark at i (if any); the number of characters read."""
        if self.text[i] not in self.starts:
            return 1
        readings = readings_at(self.text, i, self.book, para_start)
        if not readings:
            return 1
        if self.stack and i - self.stack[0].at > self.book.max_quote_chars:
            self.stack.clear()
        for reading in readings:
            index = self.open_index(reading.style)
            if reading.role in ("close", "either") and index is not None:
                self.close(index, i, reading.length)
                return reading.length
        opener = next((r for r in readings if r.role in ("open", "either")), None)
        if opener is not None:
            self.stack.append(OpenMark(opener.style, i, opener.length, para_start))
        return readings[0].length

    def reopens(self, para: tuple[int, int]) -> int | None:
        """Length of the mark that reopens the outermost open quotation at the start of a paragraph."""
        start = para[0] + len(self.text[para[0]:para[1]]) - len(self.text[para[0]:para[1]].lstrip())
        for reading in readings_at(self.text, start, self.book, para[0]):
            if reading.style == self.stack[0].style and reading.role in ("open", "either"):
                return start - para[0] + reading.length
        return None


def find_quote_spans(text: str, book: Codebook | None = None) -> list[QuoteSpan]:
    """Every balanced quotation of a text, outer and nested, in text order."""
    scan = Scan(text, book or load_codebook())
    paragraphs = paragraph_bounds(text)
    skip = 0
    for index, (para_start, para_end) in enumerate(paragraphs):
        i = para_start + skip
        while i < para_end:
            i += scan.read(i, para_start)
        skip = 0
        if not scan.stack:
            continue
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        reopen = scan.reopens(following) if following is not None else None
        outer = scan.stack[0]
        empty = not text[outer.at + outer.length:para_end].strip()
        if reopen is None or empty or outer.paragraphs > scan.book.max_continued_paragraphs:
            scan.stack.clear()
            continue
        del scan.stack[1:]
        outer.paragraphs += 1
        skip = reopen
    return sorted(scan.spans, key=lambda s: (s.open_at, -s.end))


def is_title_case(text: str, max_words: int, small_words: Iterable[str]) -> bool:
    """Words capitalised as in a title ('A Path to Peace'), short enough to be a name."""
    words = WORD.findall(text)
    if not 0 < len(words) <= max_words or not words[0][0].isupper():
        return False
    small = set(small_words)
    return all(w[0].isupper() or w.lower() in small for w in words)


def is_capitalised_title(text: str, max_words: int = 3) -> bool:
    """A short run of capitalised words: the name of a document, an operation or a heading."""
    words = WORD.findall(text)
    return 0 < len(words) <= max_words and all(w[0].isupper() for w in words)


def title_rule(text: str, span: QuoteSpan, rule: TitleRule, small_words: Iterable[str]) -> bool:
    """Whether a title rule makes this quoted stretch a name rather than speech."""
    if rule.styles and span.style not in rule.styles:
        return False
    inner = text[span.start:span.end]
    if rule.case == "title" and not is_title_case(inner, rule.max_words, small_words):
        return False
    if not rule.after:
        return rule.case != "title" or is_capitalised_title(inner, rule.max_words)
    before = text[span.paragraph_start:span.open_at].rstrip().casefold()
    return any(before == m or re.search(rf"\W{re.escape(m)}$", before) for m in rule.after)


def named_title(text: str, span: QuoteSpan, book: Codebook, attributed: bool) -> str | None:
    """The id of the title rule that makes a quoted stretch a name ('the so-called "X"'), else None."""
    small = book.words.get("title_small_word", frozenset())
    for rule in book.titles:
        if rule.unattributed and attributed:
            continue
        if title_rule(text, span, rule, small):
            return rule.id
    return None


def quote_kind(text: str, span: QuoteSpan, opens_sentence: bool, book: Codebook) -> str:
    """direct: the quote is a statement of its own; partial: a few words inside the writer's sentence."""
    if span.paragraphs > 1 or opens_sentence:
        return "direct"
    before = text[span.paragraph_start:span.open_at].rstrip()
    if not before:
        return "direct"
    prev = before[-1]
    if prev in "!?:" or (prev == "." and not book.abbreviation_end.search(before)):
        return "direct"
    if prev == "," and (text[span.start].isupper() or book.split_attribution.search(before)):
        return "direct"
    return "partial"
