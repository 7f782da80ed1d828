"""Normalise dates: find temporal expressions and resolve them to ISO values with a precision.

Values follow the data contract: ISO prefixes that never invent a finer part than the text gives
(`2023`, `2023-06`, `2023-06-27`), ISO weeks (`2023-W25`), and intervals `start/end` for ranges,
seasons (`2023-09/2023-11`) and decades (`1990/1999`). Relative and partial expressions are anchored
on the article's publication date; without one they stay unresolved (value None, precision
'unknown', method 'no-anchor'): the stage never guesses from the wall clock.

Rules, in the order they are tried (each is a small named function below):

- time: clock times ('10:15 am (1415 GMT)') are not dates; what is left of the expression is
  resolved ('today at 10:15' is today), otherwise value None. In a document a time right after a
  day expression takes that day ('Wednesday, 10:15 am').
- vague: 'the coming weeks', 'recently', 'decades earlier' -> None, 'unknown'.
- weekend: 'the weekend' is the Saturday/Sunday interval on or before the anchor, or with a future
  tense the next one (method 'relative-week').
- duration: spans made only of numbers, units and quantifiers ('six years', 'nearly three decades',
  'three-day', 'several months') and frequencies ('annual') are durations, not points in time;
  resolve_date gives (None, 'unknown') and extract_date_mentions skips them.
- range: 'June 27-29', '27-29 June 2023', 'May 3 to June 2', 'May-June 2023', '1992-94' ->
  'start/end'; the missing year comes from the other end, else from the anchor as for partial-day.
  'until June 29' is the bound itself ('2023-06-29'), not an interval.
- absolute: numeric dates where day and month cannot be confused ('28/06/2023'; '05/06/2023' stays
  unresolved), ISO dates and full dates with day, month and year (parsed with dateparser; a weekday in
  front, 'Monday, May 1', defers to the date).
- decade: 'the 1990s', "the late '80s" -> '1990/1999', precision decade.
- month-year, year: 'June 2023' -> '2023-06'; '2020', 'mid-2023' -> '2020'.
- relative-day: today, tonight, yesterday, tomorrow, last night, the day before yesterday.
- relative-week/month/year: 'last week' (ISO week of the anchor minus seven days), 'this month',
  'later last month', 'next year'; 'this weekend' -> Saturday/Sunday interval.
- relative-offset: 'two weeks ago', 'a year ago' (at the precision of the unit).
- month-last/month-next/month-this: 'last December' is the latest December strictly before the
  anchor's month; 'next May' the earliest May strictly after it; 'this May' the anchor year's May.
- season: northern-hemisphere meteorological seasons (spring Mar-May, summer Jun-Aug, autumn/fall
  Sep-Nov, winter Dec-Feb), as month intervals. 'last autumn' is the latest autumn that ended before
  the anchor's month, 'next' the earliest that starts after it, 'this' the one containing the anchor
  (else the one starting in the anchor's year); a bare season is the current or last one, or with a
  future tense the current or next one; 'autumn 2023' starts in 2023.
- partial-day: 'June 27' without a year takes the anchor's year, unless the date is then more than
  six months from the anchor and the neighbouring year is closer ('December 28' read on 5 January).
- month-latest/month-next: a bare month ('In May', 'early June') is the latest such month not after
  the anchor's month, or with a future tense the earliest not before it.
- weekday-past/weekday-future: a future tense gives the weekday on or after the anchor, otherwise
  (past tense, or no tense cue: news mostly reports what happened) the one on or before it. 'last'
  and 'next' exclude the anchor day itself.
- unresolved: a temporal expression no rule understands: value None, precision 'unknown'.

Spans come from spaCy DATE/TIME entities (cut at a line break, without a possessive; entities with
no temporal word are parser noise and dropped) and from the patterns of `CANDIDATE_PATTERNS`. Where
spans overlap, an understood one beats an unresolved one, then the longest wins.
Vocabularies (month and season names, vague patterns, duration words, plan verbs) live in
`schemas/date_expressions.yaml`.

Tense comes from the spaCy parse (`clause_tense`): the verb governing the expression is future
with 'will'/'shall'/'would', as the complement of a plan verb ('scheduled to', 'is to', 'going to',
'set for'), as a present progressive ('is meeting Wednesday') or a present simple ('the summit begins
Tuesday': timetables), or when the expression is the object of 'for' ('the schedule for Wednesday');
past with a past-tense verb or auxiliary, a perfect, or a bare past participle ('talks held Monday');
otherwise unknown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import dateparser
import yaml
from spacy.tokens import Doc, Span, Token

from flows.extract.annotate import doc_text
from flows.ids import mention_id
from flows.records import Mention

VOCAB_FILE = "date_expressions.yaml"


@lru_cache(maxsize=1)
def vocab() -> dict[str, Any]:
    """The reviewed word lists of `schemas/date_expressions.yaml` (package data), loaded once."""
    return yaml.safe_load(resources.files("schemas").joinpath(VOCAB_FILE).read_text(encoding="utf-8"))


V = vocab()
MONTHS: dict[str, int] = V["months"]
WEEKDAYS: dict[str, int] = V["weekdays"]
SEASONS: dict[str, int] = V["seasons"]
NUMBERS: dict[str, int] = V["number_words"]
UNITS: frozenset[str] = frozenset(V["units"])
DURATION_WORDS: frozenset[str] = frozenset(V["duration_words"])
FREQUENCY_WORDS: frozenset[str] = frozenset(V["frequency_words"])
DAY_PARTS: tuple[str, ...] = tuple(V["day_parts"])
PLAN_LEMMAS: frozenset[str] = frozenset(V["plan_lemmas"])
FUTURE_AUX: frozenset[str] = frozenset(V["future_auxiliaries"])
VAGUE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(re.compile(p) for p in V["vague_patterns"])
# Longest first, so 'end of' is removed before 'of' could be.
LEADING = re.compile(
    r"^(?:" + "|".join(re.escape(w) for w in sorted(V["leading_words"], key=len, reverse=True))
    + r")(?:\s+|-(?=\w))"
)


def _alternation(words: list[str] | dict[str, int]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


MONTH_RE = _alternation(MONTHS)
WEEKDAY_RE = _alternation(WEEKDAYS)
SEASON_RE = _alternation(SEASONS)
ORDINAL = r"(?:st|nd|rd|th)?"
YEAR_RE = r"(?:1[0-9]{3}|20[0-9]{2}|21[0-9]{2})"


@dataclass(frozen=True)
class Resolution:
    """A resolved expression: ISO value (or None), precision and the rule that decided."""

    value: str | None
    precision: str
    method: str


UNKNOWN = "unknown"
Rule = Callable[[str, dt.date | None, str | None], Resolution | None]


def _no_anchor() -> Resolution:
    return Resolution(None, UNKNOWN, "no-anchor")


# ---------------------------------------------------------------- small date helpers


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """(year, month) moved by delta months."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def iso_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def iso_week(day: dt.date) -> str:
    """ISO 8601 week of a day: '2023-W25'."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def weekday_on_or_before(anchor: dt.date, weekday: int) -> dt.date:
    """The latest given weekday not after the anchor."""
    return anchor - dt.timedelta(days=(anchor.weekday() - weekday) % 7)


def weekday_on_or_after(anchor: dt.date, weekday: int) -> dt.date:
    """The earliest given weekday not before the anchor."""
    return anchor + dt.timedelta(days=(weekday - anchor.weekday()) % 7)


def latest_month(anchor: dt.date, month: int, strict: bool = False) -> tuple[int, int]:
    """The latest (year, month) not after (strict: before) the anchor's month."""
    year = anchor.year if month < anchor.month or (month == anchor.month and not strict) else anchor.year - 1
    return year, month


def earliest_month(anchor: dt.date, month: int, strict: bool = False) -> tuple[int, int]:
    """The earliest (year, month) not before (strict: after) the anchor's month."""
    year = anchor.year if month > anchor.month or (month == anchor.month and not strict) else anchor.year + 1
    return year, month


def nearest_year(anchor: dt.date, month: int) -> int:
    """The anchor's year, unless the month is then more than six months away and the neighbouring
    year is closer ('December 28' read on January 5, 2024 is 2023-12-28)."""
    here = anchor.year * 12 + anchor.month
    return min((anchor.year, anchor.year - 1, anchor.year + 1), key=lambda y: abs(y * 12 + month - here))


def season_value(name: str, start_year: int) -> str:
    """The month interval of a season starting in start_year: autumn 2023 -> '2023-09/2023-11'."""
    first = SEASONS[name]
    end_year, end_month = shift_month(start_year, first, 2)
    return f"{iso_month(start_year, first)}/{iso_month(end_year, end_month)}"


def season_occurrence(name: str, anchor: dt.date, which: str) -> int:
    """Start year of the season 'last', 'next', 'this', 'current-or-last' or 'current-or-next'."""
    here = anchor.year * 12 + anchor.month - 1
    first = SEASONS[name]
    spans = [(y, y * 12 + first - 1, y * 12 + first + 1) for y in range(anchor.year - 2, anchor.year + 2)]
    if which == "last":
        return max(y for y, _, end in spans if end < here)
    if which == "next":
        return min(y for y, start, _ in spans if start > here)
    containing = [y for y, start, end in spans if start <= here <= end]
    if containing:
        return containing[0]
    if which == "this":
        return anchor.year
    if which == "current-or-next":
        return min(y for y, start, _ in spans if start > here)
    return max(y for y, _, end in spans if end < here)


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def _valid_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------- normalisation


def normalise(text: str) -> str:
    """Lower case, plain dashes and apostrophes, one space, no possessive or edge punctuation."""
    out = text.replace("\u2019", "'").replace("\u2018", "'")
    out = re.sub(r"[\u2010-\u2015\u2212]", "-", out).lower()
    out = re.sub(r"\s+", " ", out).strip()
    out = re.sub(r"'s$", "", out)
    return out.strip(" .,;:!?\"'")


def strip_leading(text: str) -> str:
    """Drop prepositions, articles and within-period qualifiers that do not change the value."""
    if text.startswith("between ") and " and " in text:
        text = text[len("between "):].replace(" and ", " - ", 1)
    previous = None
    while previous != text:
        previous = text
        text = LEADING.sub("", text).strip()
    return text


TIME_PATTERN = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?=\W|$)(?:\s*\(\s*\d{3,4}\s*(?:gmt|utc)\s*\))?"
    r"|\b\d{1,2}:\d{2}(?:\s*\(\s*\d{3,4}\s*(?:gmt|utc)\s*\))?"
    r"|\b\d{3,4}\s*(?:gmt|utc)\b|\b(?:noon|midnight)\b"
    r"|\b(?:gmt|utc|local time)\b|[()]"
)


def strip_time(text: str) -> tuple[str, bool]:
    """Remove clock times and time zones; tell whether anything was removed."""
    out = TIME_PATTERN.sub(" ", text)
    out = re.sub(r"\b(?:at|,)\s*(?=$|,)", " ", out)
    out = re.sub(r"\s+", " ", out).strip(" ,")
    out = re.sub(r"\bat$", "", out).strip(" ,")
    return out, out != text


# ---------------------------------------------------------------- rules: text, anchor, tense -> Resolution


def rule_vague(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """Expressions that name no resolvable time."""
    if not text or any(p.search(text) for p in VAGUE_PATTERNS):
        return Resolution(None, UNKNOWN, "vague")
    return None


def is_duration(text: str) -> bool:
    """Only numbers, units and quantifiers ('six years', 'three-day'), or a frequency ('annual')."""
    words = [w for w in re.split(r"[\s-]+", text) if w]
    if any(w in FREQUENCY_WORDS for w in words):
        return True
    has_unit = False
    for word in words:
        singular = word[:-1] if word.endswith("s") else word
        if word in UNITS or singular in UNITS or word == "centuries":
            has_unit = True
        elif not (word in DURATION_WORDS or _number(word) is not None or re.fullmatch(r"[\d.,]+", word)):
            return False
    return has_unit


def rule_duration(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """Durations and frequencies are not points in time."""
    return Resolution(None, UNKNOWN, "duration") if is_duration(text) else None


FIXED_BASE = dt.date(2000, 1, 1)


def parse_absolute_day(text: str, anchor: dt.date | None = None) -> dt.date | None:
    """A full date with day, month and year, via dateparser (never relative to the wall clock).

    All three parts are required, so the relative base (the anchor, else a fixed day) never fills a gap.
    """
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if iso:
        return _valid_day(int(iso[1]), int(iso[2]), int(iso[3]))
    if not (re.search(rf"\b{YEAR_RE}\b", text) and re.search(rf"\b(?:{MONTH_RE})\b", text)
            and re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", text)):
        return None
    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime.combine(anchor or FIXED_BASE, dt.time()),
            "PREFER_DATES_FROM": "past",
            "REQUIRE_PARTS": ["day", "month", "year"],
            "STRICT_PARSING": True,
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date() if parsed else None


def rule_absolute(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """'May 4, 2023', '28 June 2023', 'Wednesday, July 10, 2024', '2023-06-28'."""
    if not re.fullmatch(r"[\w .,-]+", text) or len(text) > 40:
        return None
    day = parse_absolute_day(text, anchor)
    return Resolution(day.isoformat(), "day", "absolute") if day else None


def rule_numeric_day(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """'28/06/2023', '6/28/2023', '28.06.2023' when day and month cannot be confused; else unresolved."""
    match = re.fullmatch(rf"(\d{{1,2}})[/.](\d{{1,2}})[/.]({YEAR_RE})", text)
    if not match:
        return None
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    if first != second and first <= 12 and second <= 12:
        return Resolution(None, UNKNOWN, "unresolved")  # 05/06/2023: May 6 or 5 June
    day = _valid_day(year, second, first) if first > 12 or first == second else _valid_day(year, first, second)
    return Resolution(day.isoformat(), "day", "absolute") if day else None


RANGE_SEP = r"\s*(?:-|to|through|thru|until|till)\s*"
RANGE_MD = re.compile(
    rf"^(?P<m1>{MONTH_RE})\.? (?P<d1>\d{{1,2}}){ORDINAL}{RANGE_SEP}(?:(?P<m2>{MONTH_RE})\.? )?"
    rf"(?P<d2>\d{{1,2}}){ORDINAL}(?:,? (?P<y>{YEAR_RE}))?$"
)
RANGE_DM = re.compile(
    rf"^(?P<d1>\d{{1,2}}){ORDINAL}(?: (?:of )?(?P<m1>{MONTH_RE})\.?)?{RANGE_SEP}(?P<d2>\d{{1,2}}){ORDINAL}"
    rf" (?:of )?(?P<m2>{MONTH_RE})\.?(?:,? (?P<y>{YEAR_RE}))?$"
)
RANGE_MONTHS = re.compile(
    rf"^(?P<m1>{MONTH_RE})\.?(?: (?P<y1>{YEAR_RE}))?{RANGE_SEP}(?P<m2>{MONTH_RE})\.?(?:,? (?P<y>{YEAR_RE}))?$"
)
RANGE_YEARS = re.compile(rf"^(?P<y1>{YEAR_RE}){RANGE_SEP}(?P<y2>{YEAR_RE}|\d{{2}})$")


def rule_range(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """Day, month and year ranges as ISO intervals."""
    match = RANGE_YEARS.match(text)
    if match:
        start = int(match["y1"])
        end = int(match["y2"]) if len(match["y2"]) == 4 else start // 100 * 100 + int(match["y2"])
        return Resolution(f"{start:04d}/{end:04d}", "year", "range") if start < end else None
    match = RANGE_MD.match(text) or RANGE_DM.match(text)
    if match:
        m1 = MONTHS[match["m1"] or match["m2"]]
        m2 = MONTHS[match["m2"] or match["m1"]]
        if match["y"] is None and anchor is None:
            return _no_anchor()
        year = int(match["y"]) if match["y"] else nearest_year(anchor, m2)  # type: ignore[arg-type]
        start_year = year - 1 if m1 > m2 else year
        start = _valid_day(start_year, m1, int(match["d1"]))
        end = _valid_day(year, m2, int(match["d2"]))
        if start is None or end is None or start >= end:
            return None
        return Resolution(f"{start.isoformat()}/{end.isoformat()}", "day", "range")
    match = RANGE_MONTHS.match(text)
    if match:
        m1, m2 = MONTHS[match["m1"]], MONTHS[match["m2"]]
        if match["y"] is None and anchor is None:
            return _no_anchor()
        year = int(match["y"]) if match["y"] else nearest_year(anchor, m2)  # type: ignore[arg-type]
        start_year = int(match["y1"]) if match["y1"] else (year - 1 if m1 > m2 else year)
        if (start_year, m1) >= (year, m2):
            return None
        return Resolution(f"{iso_month(start_year, m1)}/{iso_month(year, m2)}", "month", "range")
    return None


def rule_decade(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """'the 1990s', 'the late 1980s', "the '90s" -> '1990/1999'."""
    match = re.fullmatch(r"(\d{3})0'?s", text)
    if match:
        start = int(match[1]) * 10
    else:
        match = re.fullmatch(r"'?([0-9])0'?s", text)
        if not match:
            return None
        start = 1900 + int(match[1]) * 10
    return Resolution(f"{start:04d}/{start + 9:04d}", "decade", "decade")


def rule_month_year(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """'June 2023', 'June of 2023' -> '2023-06'."""
    match = re.fullmatch(rf"({MONTH_RE})\.?,? (?:of )?({YEAR_RE})", text)
    if not match:
        return None
    return Resolution(iso_month(int(match[2]), MONTHS[match[1]]), "month", "absolute")


def rule_year(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """'2020', 'mid-2023', 'the end of 2023' -> '2020'."""
    match = re.fullmatch(rf"(?:the )?(?:year )?({YEAR_RE})", text)
    return Resolution(match[1], "year", "year") if match else None


def rule_season(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """Seasons as month intervals (northern-hemisphere meteorological seasons)."""
    match = re.fullmatch(rf"(?:(last|this|next|past) )?({SEASON_RE})(?:,? (?:of )?({YEAR_RE}))?", text)
    if not match:
        return None
    which, name, year = match[1], match[2], match[3]
    if year:
        return Resolution(season_value(name, int(year)), "season", "season")
    if which is None and name == "fall":
        return None  # bare 'fall' is usually the noun or verb
    if anchor is None:
        return _no_anchor()
    if which in ("last", "past"):
        occurrence = "last"
    elif which in ("this", "next"):
        occurrence = which
    else:
        occurrence = "current-or-next" if tense == "future" else "current-or-last"
    return Resolution(season_value(name, season_occurrence(name, anchor, occurrence)), "season", "season")


def rule_relative_day(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """today, tonight, yesterday, tomorrow, last night, the day before yesterday."""
    if text not in DAY_OFFSETS:
        return None
    if anchor is None:
        return _no_anchor()
    return Resolution((anchor + dt.timedelta(days=DAY_OFFSETS[text])).isoformat(), "day", "relative-day")


RELATIVE_SHIFT = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}


def rule_relative_unit(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """'last week', 'this month', 'next year', 'this weekend' relative to the anchor."""
    match = re.fullmatch(r"(last|this|next|current|previous|coming) (week|weekend|month|year)", text)
    if not match:
        return None
    if anchor is None:
        return _no_anchor()
    shift, unit = RELATIVE_SHIFT[match[1]], match[2]
    if unit == "week":
        return Resolution(iso_week(anchor + dt.timedelta(weeks=shift)), "week", "relative-week")
    if unit == "weekend":
        saturday = anchor + dt.timedelta(days=5 - anchor.weekday(), weeks=shift)
        return Resolution(f"{saturday.isoformat()}/{(saturday + dt.timedelta(days=1)).isoformat()}", "day",
                          "relative-week")
    if unit == "month":
        return Resolution(iso_month(*shift_month(anchor.year, anchor.month, shift)), "month", "relative-month")
    return Resolution(f"{anchor.year + shift:04d}", "year", "relative-year")


def rule_weekend(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """'the weekend': the one on or before the anchor, or with a future tense the one on or after it."""
    if text != "weekend":
        return None
    if anchor is None:
        return _no_anchor()
    saturday = weekday_on_or_before(anchor, 5)
    if tense == "future" and anchor.weekday() < 5:
        saturday = weekday_on_or_after(anchor, 5)
    return Resolution(f"{saturday.isoformat()}/{(saturday + dt.timedelta(days=1)).isoformat()}", "day",
                      "relative-week")


def rule_relative_offset(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """'two weeks ago', 'a year ago', '3 days ago' at the precision of the unit."""
    match = re.fullmatch(r"([\w]+) (day|week|month|year)s? ago", text)
    if not match or _number(match[1]) is None:
        return None
    if anchor is None:
        return _no_anchor()
    count, unit = _number(match[1]) or 0, match[2]
    if unit == "day":
        return Resolution((anchor - dt.timedelta(days=count)).isoformat(), "day", "relative-offset")
    if unit == "week":
        return Resolution(iso_week(anchor - dt.timedelta(weeks=count)), "week", "relative-offset")
    if unit == "month":
        return Resolution(iso_month(*shift_month(anchor.year, anchor.month, -count)), "month", "relative-offset")
    return Resolution(f"{anchor.year - count:04d}", "year", "relative-offset")


def rule_month_relative(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """'last December', 'next May', 'this June'."""
    match = re.fullmatch(rf"(last|past|previous|next|coming|this) ({MONTH_RE})\.?", text)
    if not match:
        return None
    if anchor is None:
        return _no_anchor()
    which, month = match[1], MONTHS[match[2]]
    if which in ("last", "past", "previous"):
        return Resolution(iso_month(*latest_month(anchor, month, strict=True)), "month", "month-last")
    if which in ("next", "coming"):
        return Resolution(iso_month(*earliest_month(anchor, month, strict=True)), "month", "month-next")
    return Resolution(iso_month(anchor.year, month), "month", "month-this")


def rule_partial_day(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """'June 27', '27 June', 'the 27th of June' without a year: the anchor's year (see nearest_year)."""
    match = re.fullmatch(rf"(?:({MONTH_RE})\.? (\d{{1,2}}){ORDINAL}|(\d{{1,2}}){ORDINAL} (?:of )?({MONTH_RE})\.?)",
                         text)
    if not match:
        return None
    month = MONTHS[match[1] or match[4]]
    day_number = int(match[2] or match[3])
    if anchor is None:
        return _no_anchor() if 1 <= day_number <= 31 else None
    day = _valid_day(nearest_year(anchor, month), month, day_number)
    return Resolution(day.isoformat(), "day", "partial-day") if day else None


def rule_month(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """A bare month: the latest not after the anchor, or with a future tense the earliest not before."""
    match = re.fullmatch(rf"({MONTH_RE})\.?", text)
    if not match:
        return None
    if anchor is None:
        return _no_anchor()
    month = MONTHS[match[1]]
    if tense == "future":
        return Resolution(iso_month(*earliest_month(anchor, month)), "month", "month-next")
    return Resolution(iso_month(*latest_month(anchor, month)), "month", "month-latest")


def rule_weekday(text: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """A weekday resolved with the tense of its clause ('will meet Wednesday', 'said Thursday')."""
    match = re.fullmatch(rf"(?:(last|next|this|coming|past|previous) )?({WEEKDAY_RE})", text)
    if not match:
        return None
    if anchor is None:
        return _no_anchor()
    which, weekday = match[1], WEEKDAYS[match[2]]
    if which in ("last", "past", "previous"):
        day = weekday_on_or_before(anchor - dt.timedelta(days=1), weekday)
        return Resolution(day.isoformat(), "day", "weekday-past")
    if which in ("next", "coming"):
        day = weekday_on_or_after(anchor + dt.timedelta(days=1), weekday)
        return Resolution(day.isoformat(), "day", "weekday-future")
    if which == "this" or tense == "future":
        return Resolution(weekday_on_or_after(anchor, weekday).isoformat(), "day", "weekday-future")
    return Resolution(weekday_on_or_before(anchor, weekday).isoformat(), "day", "weekday-past")


RULES: tuple[Rule, ...] = (
    rule_vague,
    rule_weekend,
    rule_duration,
    rule_range,
    rule_numeric_day,
    rule_absolute,
    rule_decade,
    rule_month_year,
    rule_year,
    rule_relative_day,
    rule_relative_unit,
    rule_relative_offset,
    rule_month_relative,
    rule_season,
    rule_partial_day,
    rule_month,
    rule_weekday,
)


DAY_OFFSETS: dict[str, int] = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "yesterday": -1, "last night": -1, "tomorrow": 1, "tomorrow night": 1,
    "day before yesterday": -2, "day after tomorrow": 2,
}
LEADING_WEEKDAY = re.compile(rf"^(?:{WEEKDAY_RE}),? (?=.*\d)")
DAY_PART_SUFFIX = re.compile(rf"[ ,]+(?:{'|'.join(DAY_PARTS)})$")


def core_expression(text: str) -> tuple[str, bool]:
    """The normalised expression without times, leading words and parts of the day."""
    cleaned, had_time = strip_time(normalise(text))
    core = strip_leading(normalise(cleaned))
    if core not in DAY_OFFSETS:
        core = strip_leading(DAY_PART_SUFFIX.sub("", core))
    core = LEADING_WEEKDAY.sub("", core)  # 'Monday, May 1': the date says more than the weekday
    return core, had_time


def resolve(text: str, anchor: dt.date | None, tense: str | None = None) -> Resolution:
    """Resolve one expression and name the rule that decided (see the module docstring)."""
    core, had_time = core_expression(text)
    if had_time and not core:
        return Resolution(None, UNKNOWN, "time")
    for rule in RULES:
        result = rule(core, anchor, tense)
        if result is not None:
            return result
    return Resolution(None, UNKNOWN, "time" if had_time else "unresolved")


def resolve_date(text: str, anchor: dt.date | None, tense: str | None = None) -> tuple[str | None, str]:
    """Resolve one temporal expression to (ISO value or None, precision).

    `tense` is 'past', 'future' or None (unknown); it decides bare weekdays, months and seasons.
    """
    result = resolve(text, anchor, tense)
    return result.value, result.precision


# ---------------------------------------------------------------- tense of the governing verb


def _governing_verb(token: Token) -> Token | None:
    """The nearest verb or auxiliary at or above the token in the dependency tree."""
    while token.pos_ not in ("VERB", "AUX"):
        if token.head.i == token.i:
            return None
        token = token.head
    return token


def verb_tense(verb: Token, depth: int = 0) -> str | None:
    """'future', 'past' or None for one verb, from its auxiliaries, tag and governing plan verb."""
    auxes = [child for child in verb.children if child.dep_ in ("aux", "auxpass")]
    words = {aux.lower_ for aux in auxes}
    if words & FUTURE_AUX:
        return "future"
    if verb.lemma_ in PLAN_LEMMAS and verb.tag_ in ("VBN", "VBG", "JJ"):
        return "future"  # 'is scheduled for Wednesday', 'was set for Wednesday'
    if "to" in words or verb.dep_ == "xcomp":
        head = verb.head
        if head.i != verb.i and (head.lemma_ in PLAN_LEMMAS or head.lemma_ == "be"):
            return "future"  # 'scheduled to meet', 'is to meet', 'going to meet'
        if head.i != verb.i and head.pos_ in ("VERB", "AUX") and depth < 3:
            return verb_tense(head, depth + 1)
    if verb.tag_ == "VBD" or any(aux.tag_ == "VBD" for aux in auxes) or words & {"has", "have", "'ve"}:
        return "past"
    if verb.tag_ == "VBG" and words & {"is", "are", "am", "'s", "'re"}:
        return "future"  # present progressive for arrangements: 'is meeting Wednesday'
    if verb.tag_ in ("VBZ", "VBP") and not auxes:
        return "future"  # present simple for timetables: 'the summit begins Tuesday'
    if verb.tag_ == "VBN" and not auxes:
        return "past"  # reduced relative: 'talks held Monday'
    return None


def clause_tense(span: Span) -> str | None:
    """Tense of the clause a temporal expression belongs to (see the module docstring)."""
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ == "for":
        return "future"  # 'the schedule for Wednesday', 'set for Wednesday'
    verb = _governing_verb(root)
    return verb_tense(verb) if verb is not None else None


# ---------------------------------------------------------------- finding expressions in a document


def _ci(pattern: str) -> str:
    return f"(?i:{pattern})"


CANDIDATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(re.compile(p) for p in (
    # ranges: 'June 27-29', 'from June 27 to 29', 'between June 27 and 29', '27-29 June 2023', '1992-94'
    rf"\b(?:(?i:from) )?(?:{MONTH_RE.title()})\.? \d{{1,2}}{ORDINAL}\s*(?:[-\u2013\u2014]|{_ci('to|through|until')})"
    rf"\s*(?:(?:{MONTH_RE.title()})\.? )?\d{{1,2}}{ORDINAL}\b(?:,? {YEAR_RE}\b)?",
    rf"\b(?i:between) (?:{MONTH_RE.title()})\.? \d{{1,2}}{ORDINAL} (?i:and) (?:(?:{MONTH_RE.title()})\.? )?"
    rf"\d{{1,2}}{ORDINAL}\b(?:,? {YEAR_RE}\b)?",
    rf"\b\d{{1,2}}{ORDINAL}(?: (?:{MONTH_RE.title()})\.?)?\s*(?:[-\u2013]|{_ci('to|and')})\s*\d{{1,2}}{ORDINAL}"
    rf" (?:{MONTH_RE.title()})\b\.?(?:,? {YEAR_RE}\b)?",
    rf"\b(?:(?i:from|between) )?{YEAR_RE}\s*(?:[-\u2013]|{_ci('to|and')})\s*(?:{YEAR_RE}|\d{{2}})\b(?![-/.]\d)",
    # full and partial dates
    rf"\b(?:(?:{WEEKDAY_RE.title()}),? )?(?:{MONTH_RE.title()})\.? \d{{1,2}}{ORDINAL}\b(?:,? {YEAR_RE}\b)?",
    rf"\b(?:(?:{WEEKDAY_RE.title()}),? )?\d{{1,2}}{ORDINAL} (?:of )?(?:{MONTH_RE.title()})\b\.?(?:,? {YEAR_RE}\b)?",
    rf"\b{YEAR_RE}-[01]\d-[0-3]\d\b",
    rf"(?<![\d/.])\d{{1,2}}([/.])\d{{1,2}}\1{YEAR_RE}\b(?![/.]\d)",
    rf"\b(?:(?i:early|mid|late)[ -])?(?:{MONTH_RE.title()})\.?,? (?:of )?{YEAR_RE}\b",
    # qualified months, weekdays and seasons
    _ci(r"\b(?:last|next|this|coming|early|mid|late|earlier|later)[ -]") + rf"(?:{MONTH_RE.title()})\b",
    _ci(r"\b(?:(?:last|next|this|coming|earlier|early|late|later) )?")
    + rf"(?:{WEEKDAY_RE.title()})\b(?!s)" + _ci(rf"(?: (?:{'|'.join(DAY_PARTS)}))?"),
    _ci(rf"\b(?:(?:early|late|mid)[ -])?(?:last|next|this|past) (?:{SEASON_RE})\b(?:,? (?:of )?{YEAR_RE}\b)?"),
    _ci(rf"\b(?:{SEASON_RE}) (?:of )?{YEAR_RE}\b"),
    _ci(rf"\b(?:in|by|during|since|until) the (?P<d>{SEASON_RE.replace('fall|', '')})\b"),
    # relative expressions
    _ci(r"\b(?:(?:earlier|later|early|late) )?(?:this|last|next) (?:week|weekend|month|year)\b"),
    _ci(r"\b(?:the day (?:before yesterday|after tomorrow)|yesterday|today|tomorrow|tonight|last night)\b"),
    _ci(r"\b(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) "
        r"(?:day|week|month|year)s? ago\b"),
    # decades and years
    _ci(r"\b(?:the )?(?:(?:early|mid|late)[ -])?") + r"(?:1\d|20)\d0s\b",
    _ci(r"\b(?:(?:early|mid|late)[ -])") + rf"{YEAR_RE}\b",
    _ci(r"\b(?:in|since|until|during|before|after|by) ") + rf"(?P<d>{YEAR_RE})\b(?![-/.,]\d)",
    # vague expressions
    _ci(r"\bthe (?:coming|next few|past few|last few) (?:days|weeks|months|years)"
        r"(?: and (?:days|weeks|months|years))?\b"),
    _ci(r"\bthe (?:days|weeks|months|years)(?: and (?:days|weeks|months|years))? (?:ahead|to come)\b"),
    _ci(r"\b(?:in recent (?:days|weeks|months|years)|recently)\b"),
    # clock times
    _ci(r"\b\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)(?:\s*\(\s*\d{3,4}\s*(?:gmt|utc)\s*\))?"),
    _ci(r"\b\d{1,2}:\d{2}\b(?:\s*\(\s*\d{3,4}\s*(?:gmt|utc)\s*\))?"),
    _ci(r"\b\d{3,4}\s*(?:gmt|utc)\b"),
))

# spaCy DATE/TIME entities without one of these are parser noise ('the end of', 'the 25th anniversary').
TEMPORAL_CUE = re.compile(
    rf"\b(?:[0-9]{{4}}|[0-9]{{1,2}}:[0-9]{{2}}|[0-9]{{2,4}}'?s|'[0-9]0s|{MONTH_RE}|{WEEKDAY_RE}|{SEASON_RE}|today|"
    rf"tonight|yesterday|tomorrow|recently|(?:{'|'.join(sorted(UNITS - {'second'}))})s?|centuries)\b"
    r"|\b[0-9]{1,2} ?(?:a\.?m|p\.?m)\b",
    re.IGNORECASE,
)


# A final dot that belongs to an abbreviation ('10 a.m.', 'Sept.') stays in the span.
KEEP_FINAL_DOT = re.compile(
    r"(?:\b[ap]\.m|\b(?:" + "|".join(m for m in MONTHS if len(m) <= 4 and m not in ("may", "june", "july"))
    + r"))\.$",
    re.IGNORECASE,
)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut an entity at its first line break and drop a possessive and edge punctuation."""
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


def candidate_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of spaCy DATE/TIME entities (trimmed) and of the patterns above."""
    spans: set[tuple[int, int]] = set()
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            start, end = trim_span(doc_text(doc), ent.start_char, ent.end_char)
            if end > start and TEMPORAL_CUE.search(doc_text(doc)[start:end]):
                spans.add((start, end))
    for pattern in CANDIDATE_PATTERNS:
        group = "d" if "d" in pattern.groupindex else 0
        for match in pattern.finditer(doc_text(doc)):
            start, end = trim_span(doc_text(doc), match.start(group), match.end(group))
            if end > start:
                spans.add((start, end))
    return sorted(spans)


def _span_tense(doc: Doc, start: int, end: int) -> str | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return clause_tense(span) if span is not None and len(span) else None


def select_non_overlapping(found: list[tuple[int, int, Resolution]]) -> list[tuple[int, int, Resolution]]:
    """Keep understood expressions before unresolved ones, then the longest, then the earliest."""
    ranked = sorted(found, key=lambda f: (f[2].method == "unresolved", -(f[1] - f[0]), f[0]))
    kept: list[tuple[int, int, Resolution]] = []
    for start, end, res in ranked:
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, res))
    return sorted(kept, key=lambda f: (f[0], f[1]))


TIME_BEFORE_DAY = re.compile(r"^\s*(?:,|at|on|,\s*at)?\s*$", re.IGNORECASE)
TIME_AFTER_DAY = re.compile(r"^\s*(?:local time|gmt|utc)?\s*(?:,|on|,\s*on)?\s*$", re.IGNORECASE)


def attach_times(text: str, found: list[tuple[int, int, Resolution]]) -> list[tuple[int, int, Resolution]]:
    """A clock time next to a day expression ('Wednesday, 10:15 am', '10 am on Tuesday') takes that day."""
    out = list(found)
    for index, (start, end, res) in enumerate(out):
        if res.method != "time":
            continue
        neighbours = []
        if index > 0:
            neighbours.append((out[index - 1], TIME_BEFORE_DAY.match(text[out[index - 1][1]:start])))
        if index + 1 < len(out):
            neighbours.append((out[index + 1], TIME_AFTER_DAY.match(text[end:out[index + 1][0]])))
        for (_, _, day), joined in neighbours:
            if joined and day.precision == "day" and day.method != "time":
                out[index] = (start, end, Resolution(day.value, "day", "time-of-day"))
                break
    return out


def extract_date_mentions(doc: Doc, article_id: str, anchor: dt.date | None) -> list[Mention]:
    """Every temporal expression of the doc as a Mention(kind='date', ...)"""
    found: list[tuple[int, int, Resolution]] = []
    for start, end in candidate_spans(doc):
        res = resolve(doc_text(doc)[start:end], anchor, _span_tense(doc, start, end))
        if res.method != "duration":
            found.append((start, end, res))
    return [
        Mention(
            mention_id=mention_id(article_id, "date", start, end),
            article_id=article_id,
            kind="date",
            text=doc_text(doc)[start:end],
            char_start=start,
            char_end=end,
            value=res.value,
            precision=res.precision,
            method=res.method,
            is_metonym=False,
        )
        for start, end, res in attach_times(doc_text(doc), select_non_overlapping(found))
    ]


# ---------------------------------------------------------------- ISO date arithmetic


def bound_day(text: str, end: bool) -> dt.date | None:
    """First or last day covered by an ISO date, month, year, ISO week or decade ('199X')."""
    try:
        if "-W" in text:
            year, week = text.split("-W")
            start = dt.date.fromisocalendar(int(year), int(week), 1)
            return start + dt.timedelta(days=6) if end else start
        if text.endswith("X") and len(text) == 4:
            decade = int(text[:3]) * 10
            return dt.date(decade + 9, 12, 31) if end else dt.date(decade, 1, 1)
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 3:
            return dt.date(*parts)
        if len(parts) == 2:
            if not end:
                return dt.date(parts[0], parts[1], 1)
            following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)
    except ValueError:
        return None


def date_range(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The days an ISO date or interval ('2023-06-27/2023-06-29') covers."""
    if not value:
        return None
    first, _, last = value.partition("/")
    start, stop = bound_day(first, end=False), bound_day(last or first, end=True)
    if start is None or stop is None:
        return None
    return start, stop


def dates_compatible(a: str | None, b: str | None) -> bool:
    """Equal, or one range inside the other."""
    ra, rb = date_range(a), date_range(b)
    if ra is None or rb is None:
        return False
    return (ra[0] <= rb[0] and rb[1] <= ra[1]) or (rb[0] <= ra[0] and ra[1] <= rb[1])
