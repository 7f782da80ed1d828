"""Durations and clock times: ISO 8601 values for 'six years' (P6Y) and '1415 GMT' (T14:15Z).

Durations: a number (digits or words, 'a', 'half a', 'three and a half') times a unit
(`durations.units` in `schemas/date_expressions.yaml`); approximators ('nearly', 'more than') are kept
out of the value and vague spans without a number ('decades', 'several months') give none.
Clock times: hours and minutes with the zone the text gives after the time, else the zone a note of the
text gives for all its times ('All times local (GMT+2).'), else none.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache

from flows.extract.dates.calendar import number
from flows.extract.dates.vocab import CLOCK, DURATION_UNITS, V, compile_template


@dataclass(frozen=True)
class ClockPattern:
    id: str
    regex: re.Pattern[str]
    group: str | int


@lru_cache(maxsize=1)
def duration_candidates() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((str(p["id"]), compile_template(p["regex"])) for p in V["durations"]["candidates"])


@lru_cache(maxsize=1)
def clock_patterns() -> tuple[ClockPattern, ...]:
    return tuple(ClockPattern(str(p["id"]), compile_template(p["regex"]), p.get("group", 0))
                 for p in CLOCK["patterns"])


@lru_cache(maxsize=1)
def zone_notes() -> tuple[re.Pattern[str], ...]:
    return tuple(compile_template(p["regex"]) for p in CLOCK["zone_notes"])


def _unit(words: list[str]) -> str | None:
    for word in reversed(words):
        for candidate in (word, word[:-1] if word.endswith("s") else word, "century" if word == "centuries"
                          else word):
            if candidate in DURATION_UNITS:
                return candidate
    return None


ONE_WORDS = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in V["durations"]["one_words"]) + r")\b")
VAGUE_QUANTIFIERS = frozenset(V["durations"]["vague_quantifiers"])
NUMERAL = re.compile(r"\d+(?:\.\d+)?")


def _amount(words: list[str], text: str) -> float | None:
    """The number of units: digits or number words, 'a' or 'the past' for one, halves added."""
    if VAGUE_QUANTIFIERS & set(words):
        return None
    amount = next((float(w) if NUMERAL.fullmatch(w) else float(number(w) or 0) for w in words
                   if w not in ("a", "an") and (NUMERAL.fullmatch(w) or number(w) is not None)), None)
    if amount is None and re.search(r"\bhalf an?\b", text):
        return 0.5
    if amount is None and (ONE_WORDS.search(text) or "-long" in text):
        amount = 1.0
    if amount is not None and "and a half" in text:
        amount += 0.5
    return amount


def _iso_number(amount: float) -> str:
    return str(int(amount)) if amount == int(amount) else f"{amount:g}"


def duration_value(text: str) -> tuple[str, str] | None:
    """ISO 8601 duration and the unit as precision: 'nearly three decades' -> ('P30Y', 'year')."""
    lowered = text.lower().replace("\u2013", "-").replace("\u2014", "-")
    words = [w for w in re.split(r"[\s-]+", lowered) if w]
    unit = _unit(words)
    if unit is None:
        return None
    amount = _amount(words, lowered)
    if amount is None or amount <= 0:
        return None
    spec = DURATION_UNITS[unit]
    total = amount * float(spec["count"])
    designator = str(spec["designator"])
    precision = {"S": "second", "M": "minute" if spec.get("time") else "month", "H": "hour", "D": "day",
                 "W": "week", "Y": "year"}[designator]
    if precision == "second":
        precision = "minute"
    value = f"PT{_iso_number(total)}{designator}" if spec.get("time") else f"P{_iso_number(total)}{designator}"
    return value, precision


def zone_offset(zone: str | None) -> str:
    """'GMT' -> 'Z', 'EAT' -> '+03:00'; unknown or no zone -> ''."""
    return str(CLOCK["zones"].get(zone, "")) if zone else ""


def text_zone(text: str) -> str:
    """The zone a note gives every time of the text ('All times Moscow (GMT+3).' -> '+03:00')."""
    for pattern in zone_notes():
        match = pattern.search(text)
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("zone"):
            return zone_offset(groups["zone"])
        hours, minutes = int(groups["hours"]), int(groups.get("minutes") or 0)
        if hours == 0 and minutes == 0:
            return "Z"
        return f"{groups['sign']}{hours:02d}:{minutes:02d}"
    return ""


def city_offset(city: str, day: dt.date | None = None) -> str:
    """'Moscow' -> '+03:00': the UTC offset of the city's zone on the day (else on a January day)."""
    zone = zoneinfo.ZoneInfo(str(CLOCK["city_zones"][city]))
    moment = dt.datetime.combine(day or dt.date(2024, 1, 15), dt.time(12), tzinfo=zone)
    minutes = int((moment.utcoffset() or dt.timedelta()).total_seconds()) // 60
    if minutes == 0:
        return "Z"
    sign = "+" if minutes > 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def clock_value(match: re.Match[str], default_zone: str = "", day: dt.date | None = None) -> str | None:
    """'THH:MM[zone]' of a clock-time match."""
    groups = match.groupdict()
    if groups.get("t"):
        hour_minute = str(CLOCK["named"][groups["t"].lower()])
        return f"T{hour_minute}{city_offset(groups['city'], day) if groups.get('city') else default_zone}"
    hour, minute = int(groups["h"]), int(groups.get("m") or 0)
    ampm = (groups.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    zone = zone_offset(groups.get("zone")) or (city_offset(groups["city"], day) if groups.get("city")
                                                 else default_zone)
    return f"T{hour:02d}:{minute:02d}{zone}"


def find_clock_times(text: str, day: dt.date | None = None) -> list[tuple[int, int, str, str]]:
    """(start, end, value, pattern id) of every clock time, the first pattern winning where they overlap;
    `day` (the publication date) gives a city's zone its offset on that day."""
    default_zone = text_zone(text)
    found: list[tuple[int, int, str, str]] = []
    for pattern in clock_patterns():
        for match in pattern.regex.finditer(text):
            start, end = match.start(pattern.group), match.end(pattern.group)
            value = clock_value(match, default_zone, day)
            if value and all(end <= s or start >= e for s, e, _, _ in found):
                found.append((start, end, value, pattern.id))
    return sorted(found)
