"""Resolution rules: from one normalised temporal expression, an anchor and a tense to an ISO value.

The rules, their order and the whole-expression forms they read are data (`rules` in
`schemas/date_expressions.yaml`); this module holds their callbacks, one small function each. Values
never invent a finer part than the text gives; relative and partial expressions need the anchor (the
publication date) and stay unresolved without it (method 'no-anchor').
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import dateparser

from flows.extract.dates.calendar import (
    earliest_month,
    iso_month,
    iso_week,
    latest_month,
    nearest_year,
    number,
    season_occurrence,
    season_value,
    shift_month,
    valid_day,
    weekday_on_or_after,
    weekday_on_or_before,
)
from flows.extract.dates.vocab import (
    DAY_OFFSETS,
    DURATION_WORDS,
    FREQUENCY_WORDS,
    MONTH_RE,
    MONTHS,
    UNITS,
    VAGUE_PATTERNS,
    WEEKDAYS,
    YEAR_RE,
    V,
    compile_template,
)

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Resolution:
    """A resolved expression: ISO value (or None), precision and the rule that decided."""

    value: str | None
    precision: str
    method: str


Forms = dict[str, re.Pattern[str]]
Callback = Callable[[str, dt.date | None, str | None, Forms], Resolution | None]
NO_ANCHOR = Resolution(None, UNKNOWN, "no-anchor")
CALLBACKS: dict[str, Callback] = {}


def callback(name: str) -> Callable[[Callback], Callback]:
    """Register a rule callback under the name the YAML refers to."""
    def register(function: Callback) -> Callback:
        CALLBACKS[name] = function
        return function
    return register


def _full(forms: Forms, name: str, text: str) -> re.Match[str] | None:
    return forms[name].fullmatch(text)


@callback("vague")
def vague(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """Expressions that name no resolvable time ('the coming weeks', 'two days later')."""
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
        elif not (word in DURATION_WORDS or number(word) is not None or re.fullmatch(r"[\d.,]+", word)):
            return False
    return has_unit


@callback("duration")
def duration(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """Durations and frequencies are not points in time (their values come from durations.py)."""
    return Resolution(None, UNKNOWN, "duration") if is_duration(text) else None


ANAPHORIC_PRECISION = {"week": "week", "month": "month", "year": "year"}


@callback("anaphora")
def anaphora(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """'the same month', 'that evening': the time of the date before it in the text (set by find.py)."""
    part = _full(forms, "part", text)
    if part:
        return Resolution(None, "season" if part["s"] or part["s2"] else "month", "anaphoric")
    match = _full(forms, "same", text)
    if not match:
        return None
    return Resolution(None, ANAPHORIC_PRECISION.get(match["unit"] or "day", "day"), "anaphoric")


def _weekend(saturday: dt.date) -> str:
    return f"{saturday.isoformat()}/{(saturday + dt.timedelta(days=1)).isoformat()}"


@callback("weekend")
def weekend(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """'the weekend': the one on or before the anchor, or with a future tense the one on or after it."""
    if text != "weekend":
        return None
    if anchor is None:
        return NO_ANCHOR
    saturday = weekday_on_or_before(anchor, 5)
    if tense == "future" and anchor.weekday() < 5:
        saturday = weekday_on_or_after(anchor, 5)
    return Resolution(_weekend(saturday), "day", "relative-week")


@callback("half_year")
def half_year(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """'the second half of 2024' -> '2024-07/2024-12'."""
    match = _full(forms, "half", text)
    if not match:
        return None
    year = match["y"]
    value = f"{year}-01/{year}-06" if match[1] == "first" else f"{year}-07/{year}-12"
    return Resolution(value, "month", "half-year")


def _range_years(match: re.Match[str]) -> Resolution | None:
    start = int(match["y1"])
    end = int(match["y2"]) if len(match["y2"]) == 4 else start // 100 * 100 + int(match["y2"])
    return Resolution(f"{start:04d}/{end:04d}", "year", "range") if start < end else None


def _range_days(match: re.Match[str], anchor: dt.date | None) -> Resolution | None:
    m1 = MONTHS[match["m1"] or match["m2"]]
    m2 = MONTHS[match["m2"] or match["m1"]]
    if match["y"] is None and anchor is None:
        return NO_ANCHOR
    year = int(match["y"]) if match["y"] else nearest_year(anchor, m2)  # type: ignore[arg-type]
    start = valid_day(year - 1 if m1 > m2 else year, m1, int(match["d1"]))
    end = valid_day(year, m2, int(match["d2"]))
    if start is None or end is None or start >= end:
        return None
    return Resolution(f"{start.isoformat()}/{end.isoformat()}", "day", "range")


def _range_months(match: re.Match[str], anchor: dt.date | None) -> Resolution | None:
    m1, m2 = MONTHS[match["m1"]], MONTHS[match["m2"]]
    if match["y"] is None and anchor is None:
        return NO_ANCHOR
    year = int(match["y"]) if match["y"] else nearest_year(anchor, m2)  # type: ignore[arg-type]
    start_year = int(match["y1"]) if match["y1"] else (year - 1 if m1 > m2 else year)
    if (start_year, m1) >= (year, m2):
        return None
    return Resolution(f"{iso_month(start_year, m1)}/{iso_month(year, m2)}", "month", "range")


@callback("range")
def date_range_rule(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """Day, month and year ranges as ISO intervals ('June 27-29', '11 and 12 July', '1992-94')."""
    match = _full(forms, "years", text)
    if match:
        return _range_years(match)
    match = _full(forms, "month_day", text) or _full(forms, "day_month", text)
    if match:
        return _range_days(match, anchor)
    match = _full(forms, "months", text)
    return _range_months(match, anchor) if match else None


@callback("numeric_day")
def numeric_day(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """'28/06/2023', '6/28/2023' when day and month cannot be confused; '05/06/2023' stays unresolved."""
    match = _full(forms, "numeric", text)
    if not match:
        return None
    first, second, year = int(match["a"]), int(match["b"]), int(match["y"])
    if first != second and first <= 12 and second <= 12:
        return Resolution(None, UNKNOWN, "unresolved")
    day = valid_day(year, second, first) if first > 12 or first == second else valid_day(year, first, second)
    return Resolution(day.isoformat(), "day", "absolute") if day else None


FIXED_BASE = dt.date(2000, 1, 1)


@lru_cache(maxsize=4096)
def parse_absolute_day(text: str, anchor: dt.date | None = None) -> dt.date | None:
    """A full date with day, month and year, via dateparser (never relative to the wall clock). Kept per
    text and anchor: an article repeats its dates, and dateparser is the dearest step of the dates stage."""
    if not (re.search(rf"\b{YEAR_RE}\b", text) and re.search(rf"\b{MONTH_RE}\b", text)
            and re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", text)):
        return None
    parsed = dateparser.parse(text, languages=["en"], settings={
        "RELATIVE_BASE": dt.datetime.combine(anchor or FIXED_BASE, dt.time()),
        "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month", "year"],
        "STRICT_PARSING": True, "RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.date() if parsed else None


@callback("absolute")
def absolute(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """'May 4, 2023', '28 June 2023', 'Wednesday, July 10, 2024', '2023-06-28'."""
    iso = _full(forms, "iso", text)
    day = valid_day(int(iso["y"]), int(iso["m"]), int(iso["d"])) if iso else None
    if iso is None and _full(forms, "shape", text):
        day = parse_absolute_day(text, anchor)
    return Resolution(day.isoformat(), "day", "absolute") if day else None


@callback("decade")
def decade(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """'the 1990s', 'the late 1980s', "the '90s" -> '1990/1999'."""
    match = _full(forms, "decade", text)
    if match:
        start = int(match["d"]) * 10
    else:
        match = _full(forms, "short", text)
        if not match:
            return None
        start = 1900 + int(match["d"]) * 10
    return Resolution(f"{start:04d}/{start + 9:04d}", "decade", "decade")


@callback("century")
def century(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """'the 14th century', '19th-century' -> '1300/1399'."""
    match = _full(forms, "century", text)
    if not match or not 1 <= int(match["n"]) <= 21:
        return None
    start = (int(match["n"]) - 1) * 100
    return Resolution(f"{start:04d}/{start + 99:04d}", "century", "century")


@callback("month_year")
def month_year(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """'June 2023', 'June of 2023' -> '2023-06'."""
    match = _full(forms, "month_year", text)
    return Resolution(iso_month(int(match["y"]), MONTHS[match["m"]]), "month", "absolute") if match else None


@callback("year")
def year(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """'2020', 'mid-2023', 'the end of 2023' -> '2020'."""
    match = _full(forms, "year", text)
    return Resolution(match["y"], "year", "year") if match else None


@callback("relative_day")
def relative_day(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """today, tonight, yesterday, tomorrow, last night, the day before yesterday."""
    if text not in DAY_OFFSETS:
        return None
    if anchor is None:
        return NO_ANCHOR
    return Resolution((anchor + dt.timedelta(days=DAY_OFFSETS[text])).isoformat(), "day", "relative-day")


RELATIVE_SHIFT = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}


@callback("relative_unit")
def relative_unit(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """'last week', 'this month', 'next year', 'this weekend' relative to the anchor."""
    match = _full(forms, "unit", text)
    if not match:
        return None
    if anchor is None:
        return NO_ANCHOR
    shift, unit = RELATIVE_SHIFT[match["which"]], match["unit"]
    if unit == "week":
        return Resolution(iso_week(anchor + dt.timedelta(weeks=shift)), "week", "relative-week")
    if unit == "weekend":
        return Resolution(_weekend(anchor + dt.timedelta(days=5 - anchor.weekday(), weeks=shift)), "day",
                          "relative-week")
    if unit == "month":
        return Resolution(iso_month(*shift_month(anchor.year, anchor.month, shift)), "month", "relative-month")
    return Resolution(f"{anchor.year + shift:04d}", "year", "relative-year")


@callback("partial_day_relative_year")
def partial_day_relative_year(text: str, anchor: dt.date | None, tense: str | None,
                              forms: Forms) -> Resolution | None:
    """'July 22 last year' -> the day in the anchor's year minus one; 'October last year' -> the month."""
    match = _full(forms, "month_day", text)
    month_only = None if match else _full(forms, "month", text)
    if not match and not month_only:
        return None
    if anchor is None:
        return NO_ANCHOR
    if month_only:
        shifted = anchor.year + RELATIVE_SHIFT[month_only["which"]]
        return Resolution(iso_month(shifted, MONTHS[month_only["m"]]), "month", "month-relative-year")
    day = valid_day(anchor.year + RELATIVE_SHIFT[match["which"]], MONTHS[match["m"]], int(match["d"]))
    return Resolution(day.isoformat(), "day", "partial-day") if day else None


@callback("relative_offset")
def relative_offset(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """'two weeks ago', 'a year ago', '3 days ago' at the precision of the unit."""
    match = _full(forms, "ago", text)
    if not match or number(match["n"]) is None:
        return None
    if anchor is None:
        return NO_ANCHOR
    count, unit = number(match["n"]) or 0, match["unit"]
    if unit == "day":
        return Resolution((anchor - dt.timedelta(days=count)).isoformat(), "day", "relative-offset")
    if unit == "week":
        return Resolution(iso_week(anchor - dt.timedelta(weeks=count)), "week", "relative-offset")
    if unit == "month":
        return Resolution(iso_month(*shift_month(anchor.year, anchor.month, -count)), "month", "relative-offset")
    return Resolution(f"{anchor.year - count:04d}", "year", "relative-offset")


@callback("month_relative")
def month_relative(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """'last December', 'next May', 'this June'."""
    match = _full(forms, "month", text)
    if not match:
        return None
    if anchor is None:
        return NO_ANCHOR
    which, month = match["which"], MONTHS[match["m"]]
    if which in ("last", "past", "previous"):
        return Resolution(iso_month(*latest_month(anchor, month, strict=True)), "month", "month-last")
    if which in ("next", "coming"):
        return Resolution(iso_month(*earliest_month(anchor, month, strict=True)), "month", "month-next")
    return Resolution(iso_month(anchor.year, month), "month", "month-this")


def _season_occurrence(which: str | None, tense: str | None) -> str:
    if which in ("last", "past"):
        return "last"
    if which in ("this", "next"):
        return which
    return "current-or-next" if tense == "future" else "current-or-last"


@callback("season")
def season(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """Seasons as month intervals (northern-hemisphere meteorological seasons)."""
    match = _full(forms, "season", text)
    if not match:
        return None
    which, name, year_text = match["which"], match["s"], match["y"]
    if year_text:
        return Resolution(season_value(name, int(year_text)), "season", "season")
    if which is None and name == "fall":
        return None  # bare 'fall' is usually the noun or verb
    if anchor is None:
        return NO_ANCHOR
    start = season_occurrence(name, anchor, _season_occurrence(which, tense))
    return Resolution(season_value(name, start), "season", "season")


@callback("partial_day")
def partial_day(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """'June 27', '27 June', 'the 27th of June' without a year: the anchor's year (see nearest_year)."""
    match = _full(forms, "month_day", text) or _full(forms, "day_month", text)
    if not match:
        return None
    month, day_number = MONTHS[match["m"]], int(match["d"])
    if anchor is None:
        return NO_ANCHOR if 1 <= day_number <= 31 else None
    day = valid_day(_year_for_tense(anchor, month, day_number, tense), month, day_number)
    return Resolution(day.isoformat(), "day", "partial-day") if day else None


def _year_for_tense(anchor: dt.date, month_number: int, day_number: int, tense: str | None) -> int:
    """The nearest year, moved back for a past tense that would put the day after the anchor (and forward
    for a future tense that would put it before): 'held on January 21' read in September."""
    found = nearest_year(anchor, month_number)
    day = valid_day(found, month_number, day_number)
    if day is None:
        return found
    if tense == "past" and day > anchor + dt.timedelta(days=1):
        return found - 1
    if tense == "future" and day < anchor - dt.timedelta(days=1):
        return found + 1
    return found


@callback("month")
def month(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """A bare month: the latest not after the anchor, or with a future tense the earliest not before."""
    match = _full(forms, "month", text)
    if not match:
        return None
    if anchor is None:
        return NO_ANCHOR
    number_of_month = MONTHS[match["m"]]
    ahead = (number_of_month - anchor.month) % 12
    if tense == "future" or tense == "around" and 0 < ahead <= 6:  # a plan told in the past: the nearer one
        return Resolution(iso_month(*earliest_month(anchor, number_of_month)), "month", "month-next")
    return Resolution(iso_month(*latest_month(anchor, number_of_month)), "month", "month-latest")


@callback("weekday")
def weekday(text: str, anchor: dt.date | None, tense: str | None, forms: Forms) -> Resolution | None:
    """A weekday resolved with the tense of its clause ('will meet Wednesday', 'said Thursday')."""
    match = _full(forms, "weekday", text)
    if not match:
        return None
    if anchor is None:
        return NO_ANCHOR
    which, day_number = match["which"], WEEKDAYS[match["w"]]
    if which in ("last", "past", "previous"):
        return Resolution(weekday_on_or_before(anchor - dt.timedelta(days=1), day_number).isoformat(), "day",
                          "weekday-past")
    if which in ("next", "coming"):
        return Resolution(weekday_on_or_after(anchor + dt.timedelta(days=1), day_number).isoformat(), "day",
                          "weekday-future")
    before, after = weekday_on_or_before(anchor, day_number), weekday_on_or_after(anchor, day_number)
    if which == "this" or tense == "future" or tense == "around" and after - anchor < anchor - before:
        return Resolution(after.isoformat(), "day", "weekday-future")
    return Resolution(before.isoformat(), "day", "weekday-past")


@dataclass(frozen=True)
class Rule:
    id: str
    callback: Callback
    forms: Forms


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The rules of the YAML file, in order, with their forms compiled."""
    return tuple(Rule(str(entry["id"]), CALLBACKS[str(entry["callback"])],
                      {name: compile_template(form) for name, form in (entry.get("forms") or {}).items()})
                 for entry in V["rules"])


def apply_rules(core: str, anchor: dt.date | None, tense: str | None) -> Resolution | None:
    """The first rule that answers for the normalised expression."""
    for rule in rules():
        result = rule.callback(core, anchor, tense, rule.forms)
        if result is not None:
            return result
    return None

