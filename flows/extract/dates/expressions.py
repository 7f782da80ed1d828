"""From a surface expression to its value: normalise, drop what does not change the value, apply the rules.

'Earlier Monday', 'on Monday' and 'Monday morning' all resolve as 'monday'; 'the end of the year' as
'this year' (the `synonyms` of the YAML file); clock times inside an expression are left to the clock-time
mentions ('today at 10:15' is today).
"""

from __future__ import annotations

import datetime as dt
import re

from flows.extract.dates.amounts import clock_patterns
from flows.extract.dates.rules import UNKNOWN, Resolution, apply_rules
from flows.extract.dates.vocab import CLOCK, DAY_OFFSETS, DAY_PARTS, LEADING, SYNONYMS, WEEKDAY_RE, alternation

ZONE_WORDS = re.compile(r"\b(?:local time|" + alternation(CLOCK["zones"]) + "|" + alternation(CLOCK["named"])
                        + r")\b|[()]", re.IGNORECASE)
LEADING_WEEKDAY = re.compile(rf"^{WEEKDAY_RE},? (?=.*\d)")
DAY_PART_SUFFIX = re.compile(rf"[ ,]+{alternation(DAY_PARTS)}$")


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
    for pattern, replacement in SYNONYMS:
        text = pattern.sub(replacement, text)
    previous = None
    while previous != text:
        previous = text
        text = LEADING.sub("", text).strip()
    return text


def strip_time(text: str) -> tuple[str, bool]:
    """Remove clock times and time zones; tell whether anything was removed."""
    out = text
    for pattern in clock_patterns():
        out = pattern.regex.sub(" ", out)
    out = ZONE_WORDS.sub(" ", out)
    out = re.sub(r"\b(?:at|,)\s*(?=$|,)", " ", out)
    out = re.sub(r"\s+", " ", out).strip(" ,")
    out = re.sub(r"\bat$", "", out).strip(" ,")
    return out, out != text


def core_expression(text: str) -> tuple[str, bool]:
    """The normalised expression without times, leading words and parts of the day."""
    cleaned, had_time = strip_time(text)
    core = strip_leading(normalise(cleaned))
    if core not in DAY_OFFSETS:
        core = strip_leading(DAY_PART_SUFFIX.sub("", core))
    core = LEADING_WEEKDAY.sub("", core)  # 'Monday, May 1': the date says more than the weekday
    return core, had_time


def resolve(text: str, anchor: dt.date | None, tense: str | None = None) -> Resolution:
    """Resolve one expression and name the rule that decided (see rules.py)."""
    core, had_time = core_expression(text)
    if had_time and not core:
        return Resolution(None, UNKNOWN, "time")
    result = apply_rules(core, anchor, tense)
    if result is not None:
        return result
    return Resolution(None, UNKNOWN, "time" if had_time else "unresolved")


def resolve_date(text: str, anchor: dt.date | None, tense: str | None = None) -> tuple[str | None, str]:
    """Resolve one temporal expression to (ISO value or None, precision); `tense` is 'past', 'future' or None."""
    result = resolve(text, anchor, tense)
    return result.value, result.precision
