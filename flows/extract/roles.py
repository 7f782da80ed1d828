"""Roles and titles, defined once: time-bounded offices ('foreign minister@ARM 2021-08-19..') and the test
of whether a title seen in a text ('the minister', 'the Armenian foreign minister') fits an office.

The actor stage reads offices from `schemas/actors.yaml` and from the text; coreference
(`flows/extract/coref.py`) asks `role_fits` which earlier person a title-only mention stands for; the
quote stage reads the same roles.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# Words that mark an office as no longer held: 'former president X' is not 'the president'.
PAST_MARKERS = frozenset({"former", "then", "outgoing", "ex"})
_ROLE_TEXT = re.compile(r"^(?P<body>.+?)(?:\s+(?P<start>\d{4}(?:-\d{2}){0,2})?\.\.(?P<end>\d{4}(?:-\d{2}){0,2})?)?$")


def prefix_date(value: str | None, first: bool) -> datetime.date:
    """Earliest (first=True) or latest day an ISO prefix such as '2023' or '2023-05' can mean."""
    if not value:
        return datetime.date.min if first else datetime.date.max
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else (1 if first else 12)
    if len(parts) > 2:
        return datetime.date(year, month, parts[2])
    if first:
        return datetime.date(year, month, 1)
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return next_month - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Role:
    """One time-bounded office: 'foreign minister@ARM 2021-08-19..'."""

    role: str
    code: str | None
    start: str | None
    end: str | None

    @property
    def text(self) -> str:
        where = f"@{self.code}" if self.code else ""
        if self.start is None and self.end is None:
            return f"{self.role}{where}"
        return f"{self.role}{where} {self.start or ''}..{self.end or ''}"

    @property
    def key(self) -> str:
        """The office without its dates: 'foreign minister@ARM'."""
        return f"{self.role}@{self.code}" if self.code else self.role

    @property
    def dated(self) -> bool:
        return bool(self.start or self.end)

    def active(self, day: datetime.date) -> bool:
        return prefix_date(self.start, first=True) <= day <= prefix_date(self.end, first=False)


def parse_role(text: str) -> Role:
    """'foreign minister@ARM 2021-08-19..' -> Role; a role without dates or code is allowed."""
    match = _ROLE_TEXT.match(text.strip())
    if match is None:
        raise ValueError(f"actors.yaml: bad role {text!r}")
    role, _, code = match.group("body").partition("@")
    if code and not re.fullmatch(r"[A-Za-z0-9-]+", code.strip()):
        raise ValueError(f"actors.yaml: bad code or dates in role {text!r}")
    try:  # an impossible date ('2023-13') is an error in the reference data, reported with the role
        prefix_date(match.group("start"), first=True)
        prefix_date(match.group("end"), first=False)
    except ValueError as error:
        raise ValueError(f"actors.yaml: bad date in role {text!r}: {error}") from error
    return Role(role.strip().lower(), code.strip() or None, match.group("start"), match.group("end"))


@lru_cache(maxsize=1)
def _title_classes() -> dict[str, frozenset[str]]:
    from flows.extract.actors.dictionary import actor_config  # the dictionary imports this module

    return {word: frozenset(members) for word, members in (actor_config().get("title_classes") or {}).items()}


def title_words(title: str) -> frozenset[str]:
    """The office words a one-word title stands for: itself, and for a general word ('diplomat', 'official')
    every office word of its class in `schemas/actors.yaml`."""
    return _title_classes().get(title, frozenset()) | {title}


@lru_cache(maxsize=256)
def _title_pattern(title: str) -> re.Pattern[str]:
    words = sorted(title_words(title), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + r")\b")


def title_in(title: str, text: str) -> bool:
    """Whether a written role ('UN deputy special representative') holds a one-word title or its class."""
    return _title_pattern(title).search(text) is not None


def role_fits(held: Role, role: str, code: str | None, day: datetime.date | None) -> bool:
    """Whether an office fits a title seen in the text: the same role ('foreign minister'), or a one-word
    title naming its first or last word ('the minister') or an office of its class ('the diplomat' for an
    envoy), under the same code when the title gives one, held at the article date when the office is
    dated. A past office ('former president') never fits."""
    words = held.role.split()
    if not words or words[0] in PAST_MARKERS:
        return False
    if code is not None and held.code != code:
        return False
    if day is not None and held.dated and not held.active(day):
        return False
    if role == held.role:
        return True
    general = " " not in role or role in _title_classes()  # 'the minister', 'the Head of State'
    return general and bool(title_words(role) & {words[0], words[-1], held.role})


def holds(roles: Iterable[Role], role: str, code: str | None, day: datetime.date | None) -> bool:
    """Whether any of a person's offices fits the title."""
    return any(role_fits(held, role, code, day) for held in roles)
