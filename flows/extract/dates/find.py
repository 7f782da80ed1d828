"""Finding temporal expressions in a document and annotating the Doc with them, once for every stage.

Candidates come from spaCy DATE/TIME entities (cut at a line break and around clock times, without a
possessive; entities with no temporal word are parser noise and dropped), from the `candidates` patterns
of `schemas/date_expressions.yaml`, from its duration patterns and from its clock-time patterns. Where
spans overlap, a clock time wins, then an understood expression over an unresolved one, then the longest.
A clock time next to a day expression ('Wednesday, 10:15 am', '10 am on Tuesday') takes that day.

The result is `doc.spans["dates"]`: one span per expression, labelled `date`, `duration` or `time`,
with `span._.date` holding its value, precision, method, basis (`text` when the text alone gives the
value, else the basis of the publication date it was resolved against) and confidence. Later stages
read these spans instead of finding dates again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.tokens import Doc, Span

from flows.extract.annotate import doc_text
from flows.extract.dates.amounts import duration_candidates, duration_value, find_clock_times
from flows.extract.dates.calendar import iso_week
from flows.extract.dates.expressions import core_expression, resolve
from flows.extract.dates.rules import is_duration
from flows.extract.dates.tense import clause_tense
from flows.extract.dates.vocab import (
    DAY_PARTS,
    MONTH_RE,
    MONTHS,
    SEASONS,
    UNITS,
    WEEKDAY_RE,
    V,
    alternation,
    compile_template,
)

SPAN_KEY = "dates"
# Where candidates overlap, these lose to any other reading; once chosen, they name no time and are dropped
# (the annotation rules leave vague references such as 'the coming weeks' and 'the last minute' out).
UNDERSTOOD_LAST = ("unresolved",)
NAMES_NO_TIME = ("unresolved", "vague")
TEXT_CONFIDENCE = 0.95
ANCHORED_FACTOR = 0.9

# spaCy DATE/TIME entities without one of these are parser noise ('the end of', 'the 25th anniversary').
TEMPORAL_CUE = re.compile(
    rf"\b(?:[0-9]{{4}}|[0-9]{{1,2}}:[0-9]{{2}}|[0-9]{{2,4}}'?s|'[0-9]0s|{MONTH_RE}|{WEEKDAY_RE}|"
    rf"{alternation(SEASONS)}|{alternation(DAY_PARTS)}|today|tonight|yesterday|tomorrow|recently|"
    rf"{alternation(UNITS - {'second'})}s?|"
    r"centuries|[0-9]{1,2}(?:st|nd|rd|th)[ -]century)\b|\b[0-9]{1,2} ?(?:a\.?m|p\.?m)\b",
    re.IGNORECASE,
)
# A final dot that belongs to an abbreviation ('10 a.m.', 'Sept.') stays in the span.
KEEP_FINAL_DOT = re.compile(
    r"(?:\b[ap]\.m|\b" + alternation(m for m in MONTHS if len(m) <= 4 and m not in ("may", "june", "july"))
    + r")\.$", re.IGNORECASE)
# A bare number that is no year ('resolution 2548') is not a date, whatever the parser says.
NOT_A_YEAR = re.compile(r"(?!" + V["fragments"]["year"] + r"$)\d+")
TIME_BEFORE_DAY = re.compile(r"^\s*(?:,|at|on|,\s*at)?\s*$", re.IGNORECASE)
TIME_AFTER_DAY = re.compile(r"^\s*(?:local time|gmt|utc)?\s*(?:,|on|,\s*on)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class TimeValue:
    """What one temporal expression means, and how that was decided."""

    kind: str  # date | duration | time
    start: int
    end: int
    value: str | None
    precision: str
    method: str
    basis: str | None = None
    confidence: float | None = None


if not Span.has_extension("date"):
    Span.set_extension("date", default=None)


@lru_cache(maxsize=1)
def candidate_patterns() -> tuple[tuple[str, re.Pattern[str], str | int], ...]:
    """The `candidates` of the YAML file: (id, compiled pattern, group giving the expression)."""
    return tuple((str(p["id"]), compile_template(p["regex"]), p.get("group", 0)) for p in V["candidates"])


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut a span at its first line break and drop a possessive and edge punctuation."""
    newline = text.find("\n", start, end)
    if newline != -1:
        end = newline
    while end > start:
        chunk = text[start:end]
        if chunk.endswith(("'s", "\u2019s")):
            end -= 2
        elif chunk.endswith(".") and not KEEP_FINAL_DOT.search(chunk):
            end -= 1
        elif chunk[-1] in " \t\r\n,;:!?\"'\u2019\u201d(-":
            end -= 1
        else:
            break
    while start < end and text[start] in " \t\r\n,;:\"'\u201c(":
        start += 1
    return start, end


def _without(start: int, end: int, holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [start, end) outside the holes."""
    parts, cursor = [], start
    for hole_start, hole_end in sorted(holes):
        if hole_end <= cursor or hole_start >= end:
            continue
        if hole_start > cursor:
            parts.append((cursor, hole_start))
        cursor = max(cursor, hole_end)
    if cursor < end:
        parts.append((cursor, end))
    return parts


def entity_spans(doc: Doc, clock: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """spaCy DATE/TIME entities, trimmed, with the clock times cut out, if a temporal word is left."""
    text = doc_text(doc)
    spans: set[tuple[int, int]] = set()
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        for part_start, part_end in _without(ent.start_char, ent.end_char, clock):
            start, end = trim_span(text, part_start, part_end)
            if end > start and TEMPORAL_CUE.search(text[start:end]) and not NOT_A_YEAR.fullmatch(text[start:end]):
                spans.add((start, end))
    return spans


def pattern_spans(text: str) -> set[tuple[int, int]]:
    """Spans of the YAML candidate and duration patterns."""
    spans: set[tuple[int, int]] = set()
    patterns = [(regex, group) for _, regex, group in candidate_patterns()]
    patterns += [(regex, 0) for _, regex in duration_candidates()]
    for regex, group in patterns:
        for match in regex.finditer(text):
            start, end = trim_span(text, match.start(group), match.end(group))
            if end > start:
                spans.add((start, end))
    return spans


def _span_tense(doc: Doc, start: int, end: int) -> str | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return clause_tense(span) if span is not None and len(span) else None


def _interpret(doc: Doc, start: int, end: int, anchor: dt.date | None) -> TimeValue | None:
    """A date or a duration for one candidate span; None for a clock time alone or a vague duration."""
    surface = doc_text(doc)[start:end]
    res = resolve(surface, anchor, _span_tense(doc, start, end))
    if res.method == "duration" or (res.method == "unresolved" and is_duration(core_expression(surface)[0])):
        found = duration_value(surface)
        return TimeValue("duration", start, end, found[0], found[1], "duration") if found else None
    if res.method == "time":
        return None
    return TimeValue("date", start, end, res.value, res.precision, res.method)


def select_non_overlapping(found: list[TimeValue]) -> list[TimeValue]:
    """Clock times first, then understood expressions before unresolved ones, then the longest."""
    ranked = sorted(found, key=lambda f: (f.kind != "time", f.method in UNDERSTOOD_LAST, -(f.end - f.start),
                                          f.start))
    kept: list[TimeValue] = []
    for item in ranked:
        if all(item.end <= k.start or item.start >= k.end for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda f: (f.start, f.end))


def _attached_day(text: str, items: list[TimeValue], index: int) -> TimeValue | None:
    """The day expression right before or after the clock time at `index`, if any."""
    item = items[index]
    if index > 0 and TIME_BEFORE_DAY.match(text[items[index - 1].end:item.start]):
        before = items[index - 1]
        if before.kind == "date" and before.precision == "day" and before.value and "/" not in before.value:
            return before
    if index + 1 < len(items) and TIME_AFTER_DAY.match(text[item.end:items[index + 1].start]):
        after = items[index + 1]
        if after.kind == "date" and after.precision == "day" and after.value and "/" not in after.value:
            return after
    return None


def attach_times(text: str, items: list[TimeValue]) -> list[TimeValue]:
    """A clock time next to a day expression ('Wednesday, 10:15 am', '10 am on Tuesday') takes that day."""
    out = list(items)
    for index, item in enumerate(out):
        if item.kind != "time" or not item.value:
            continue
        day = _attached_day(text, out, index)
        if day is not None:
            out[index] = replace(item, value=f"{day.value}{item.value}", method="time-of-day")
    return out


def find_time_values(doc: Doc, anchor: dt.date | None) -> list[TimeValue]:
    """Every date, duration and clock time of the doc, without overlaps, in text order."""
    text = doc_text(doc)
    clock = find_clock_times(text, anchor)
    found = [TimeValue("time", start, end, value, "minute", f"clock-{pattern}")
             for start, end, value, pattern in clock]
    spans = entity_spans(doc, [(c[0], c[1]) for c in clock]) | pattern_spans(text)
    for start, end in sorted(spans):
        item = _interpret(doc, start, end, anchor)
        if item is not None:
            found.append(item)
    kept = [item for item in select_non_overlapping(found) if item.method not in NAMES_NO_TIME]
    return attach_times(text, resolve_anaphora(text, kept))


def _truncate(value: str, precision: str) -> str | None:
    """A day value cut to the precision of an anaphor ('2024-02-17' for 'that month' -> '2024-02')."""
    day = value.split("/")[0].split("T")[0]
    if precision == "day":
        return day if len(day) == 10 else None
    if precision == "week":
        return iso_week(dt.date.fromisoformat(day)) if len(day) == 10 else None
    size = {"month": 7, "year": 4}[precision]
    return day[:size] if len(day) >= size and "W" not in day else None


def _year_part(core: str, year: str) -> str:
    """'october of that year' -> 'october 2014', 'that summer' -> 'summer 2014' (then resolved as written)."""
    core = re.sub(r"\s(?:of )?that year$", f" {year}", core)
    return re.sub(r"^that (\w+)$", rf"\1 {year}", core)


def _anaphor_value(text: str, item: TimeValue, before: TimeValue) -> str | None:
    """The anaphor's value from the date before it: cut to its precision, or its month or season that year."""
    if item.precision in ("month", "season") and before.value and before.value[:4].isdigit():
        core = core_expression(text[item.start:item.end])[0]
        if core.endswith("that year") or item.precision == "season":
            return resolve(_year_part(core, before.value[:4]), None).value
    return _truncate(before.value, item.precision) if before.value else None


def resolve_anaphora(text: str, items: list[TimeValue]) -> list[TimeValue]:
    """'the same month', 'that evening', 'October of that year': the time of the nearest date before it."""
    out: list[TimeValue] = []
    for item in items:
        if item.method == "anaphoric":
            before = next((o for o in reversed(out) if o.kind == "date" and o.value and not o.value.startswith("T")),
                          None)
            value = _anaphor_value(text, item, before) if before is not None else None
            if value is None or before is None:
                continue
            item = replace(item, value=value, basis=before.basis)
        out.append(item)
    return out


def annotate_dates(doc: Doc, anchor: dt.date | None, basis: str | None = None,
                   anchor_confidence: float = 1.0) -> list[TimeValue]:
    """Find the temporal expressions once and store them on the Doc (`doc.spans["dates"]`)."""
    text = doc_text(doc)
    values = []
    for item in find_time_values(doc, anchor):
        values.append(_basis(item, text, anchor, basis, anchor_confidence))
    spans = []
    for item in values:
        span = doc.char_span(item.start, item.end, label=item.kind, alignment_mode="expand")
        if span is not None:
            span._.date = item
            spans.append(span)
    doc.spans[SPAN_KEY] = spans
    doc.user_data["accord_time_values"] = values
    return values


def _basis(item: TimeValue, text: str, anchor: dt.date | None, basis: str | None,
           anchor_confidence: float) -> TimeValue:
    """`text` when the value needs no anchor (resolving without one gives the same), else the anchor's."""
    if item.value is None:
        return item
    anchored = anchor is not None and (
        (item.kind == "time" and not item.value.startswith("T"))
        or (item.kind == "date" and resolve(text[item.start:item.end], None).value != item.value))
    if anchored:
        return replace(item, basis=basis or "metadata", confidence=round(ANCHORED_FACTOR * anchor_confidence, 3))
    return replace(item, basis="text", confidence=TEXT_CONFIDENCE)


def time_values(doc: Doc) -> list[TimeValue]:
    """The values `annotate_dates` stored on the Doc."""
    return list(doc.user_data.get("accord_time_values", []))

