"""Calendar arithmetic on ISO values: months, weeks, weekdays, seasons and the days an ISO value covers."""

from __future__ import annotations

import datetime as dt

from flows.extract.dates.vocab import NUMBERS, SEASONS


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


def number(word: str) -> int | None:
    """'6' or 'six' -> 6."""
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def valid_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------- the days an ISO value covers


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
        parts = [int(p) for p in text.split("T")[0].split("-")]
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
    if not value or value.startswith(("T", "P")):
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
