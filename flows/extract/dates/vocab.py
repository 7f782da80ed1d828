"""The reviewed word lists and patterns of `schemas/date_expressions.yaml`, loaded and compiled once."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from schemas import REFERENCE_DIR, read_yaml

VOCAB_FILE = REFERENCE_DIR / "date_expressions.yaml"


@lru_cache(maxsize=1)
def vocab() -> dict[str, Any]:
    """The whole file, parsed once."""
    return read_yaml(VOCAB_FILE)


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
PLAN_PARTICIPLES: frozenset[str] = frozenset(V["plan_participles"])
ANTICIPATION_LEMMAS: frozenset[str] = frozenset(V["anticipation_lemmas"])
APPOINTING_LEMMAS: frozenset[str] = frozenset(V.get("appointing_lemmas") or ())
APPOINTED_DAY_NOUNS: frozenset[str] = frozenset(V.get("appointed_day_nouns") or ())
FUTURE_AUX: frozenset[str] = frozenset(V["future_auxiliaries"])
DAY_OFFSETS: dict[str, int] = V["day_offsets"]
VAGUE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(re.compile(p) for p in V["vague_patterns"])
DURATION_UNITS: dict[str, dict[str, Any]] = V["durations"]["units"]
CLOCK: dict[str, Any] = V["clock"]


def alternation(words: object, title: bool = False) -> str:
    """A regular-expression alternation of words, longest first (so 'sept' is tried before 'sep')."""
    ordered = sorted((str(w) for w in words), key=len, reverse=True)  # type: ignore[attr-defined]
    return "(?:" + "|".join(re.escape(w.title() if title else w) for w in ordered) + ")"


def _fragments() -> dict[str, str]:
    built = {
        "month": alternation(MONTHS), "Month": alternation(MONTHS, title=True),
        "weekday": alternation(WEEKDAYS), "Weekday": alternation(WEEKDAYS, title=True),
        "season": alternation(SEASONS), "day_part": alternation(DAY_PARTS),
        "number": alternation(NUMBERS), "unit": alternation(DURATION_UNITS),
        "zone": alternation(CLOCK["zones"]),
        "city_time": "(?P<city>" + alternation(CLOCK["city_zones"]) + r") time\b",
    }
    built.update({str(k): str(v) for k, v in V["fragments"].items()})
    return built


FRAGMENTS = _fragments()


def expand(template: str, fragments: dict[str, str] | None = None) -> str:
    """Replace every `{name}` by its fragment, recursively; other braces (`\\d{1,2}`) stay."""
    table = FRAGMENTS if fragments is None else fragments
    previous = None
    while previous != template:
        previous = template
        template = re.sub(r"\{([A-Za-z_]+)\}", lambda m: table.get(m[1], m[0]), template)
    return template


def compile_template(template: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(expand(template), flags)


SYNONYMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (compile_template(item["pattern"]), item["replacement"]) for item in V["synonyms"])
# Longest first, so 'end of' is removed before 'of' could be.
LEADING = re.compile(
    r"^(?:" + "|".join(re.escape(w) for w in sorted(V["leading_words"], key=len, reverse=True))
    + r")(?:\s+|-(?=\w))"
)
MONTH_RE = FRAGMENTS["month"]
WEEKDAY_RE = FRAGMENTS["weekday"]
YEAR_RE = FRAGMENTS["year"]
