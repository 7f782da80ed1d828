"""Datelines and publication dates, recognised in one place for every stage.

A dateline opens a report and places and dates it: `Arlington, 28 June 2023 (TDI):`,
`WASHINGTON, June 28, 2023 (Reuters) -`, `KYIV (Reuters) -`, `TBILISI, April 3. /TASS/.`,
`ARAUCA, Colombia (Reuters) -`, `Doha - `; header lines do the same job for the date alone (a crawler's
`date 2021-05-04` line, a byline `By Jane Doe | March 3, 2024`). The patterns are data
(`schemas/datelines.yaml`, each with examples and negatives run as tests); this module applies them to
every line start and says, for any character span, whether it lies in a dateline. Ingest asks it for
the publication date, the places stage for the place a report comes from, the actors stage not to take
that place for a state, and the quotes and events stages to keep the dateline out of a sentence.

The publication date is established in this order (`Publication.basis`):
metadata (the sidecar's `published_date`, else a web page's meta tag); a dateline or header in the
opening lines (a date without a year takes the year from the URL, else from the latest explicit full date
or month-year of the text), or a web page's byline <time>; a date in the URL;
else inferred from the text: the latest full date of the lead that the text gives as the news day
('on Thursday, November 24, 2016', 'yesterday, 3 May 2021'), with a confidence below one. Otherwise the
date stays unknown: nothing is guessed from the wall clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from flows.extract.annotate import doc_text
from flows.extract.dates.calendar import nearest_year
from flows.extract.dates.vocab import MONTHS, WEEKDAYS, alternation, expand
from schemas import REFERENCE_DIR, read_yaml

DATELINES_FILE = REFERENCE_DIR / "datelines.yaml"
CONFIDENCE = {"metadata": 1.0, "dateline": 0.95, "url": 0.9}


@dataclass(frozen=True)
class Dateline:
    """One dateline: its extent, the place names and date it gives, and the credit."""

    start: int
    end: int
    pattern: str
    places: tuple[tuple[int, int], ...] = ()
    date_span: tuple[int, int] | None = None
    outlet: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None

    def covers(self, start: int, end: int) -> bool:
        """The span lies inside the dateline."""
        return self.start <= start and end <= self.end

    @property
    def iso_date(self) -> str | None:
        """The full date it gives (day, month and year), else None."""
        if self.year is None or self.month is None or self.day is None:
            return None
        return _valid_iso(self.year, self.month, self.day)


@dataclass(frozen=True)
class Publication:
    """The publication date of an article and how it was established."""

    date: str | None
    basis: str  # metadata | dateline | url | inferred | unknown
    confidence: float
    method: str
    outlet: str | None = None


@dataclass(frozen=True)
class _Pattern:
    id: str
    regex: re.Pattern[str]
    header_only: bool
    body_after: bool


@dataclass(frozen=True)
class _Rules:
    patterns: tuple[_Pattern, ...]
    header_lines: int
    min_body_words: int
    not_places: frozenset[str]
    url_patterns: tuple[re.Pattern[str], ...]
    inference: tuple[tuple[str, re.Pattern[str], int, float], ...]
    lead_chars: int
    full_date: re.Pattern[str]
    month_year: re.Pattern[str]
    future_cue: re.Pattern[str]
    meta_keys: frozenset[str]


def _fragments(data: dict[str, Any]) -> dict[str, str]:
    fragments = {"month": alternation(MONTHS, title=True), "weekday": alternation(WEEKDAYS, title=True)}
    fragments.update({str(k): str(v) for k, v in data["fragments"].items()})
    return fragments


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """The patterns of `schemas/datelines.yaml`, compiled once."""
    data = read_yaml(DATELINES_FILE)
    fragments = _fragments(data)
    patterns = tuple(
        _Pattern(str(p["id"]), re.compile(expand(str(p["regex"]), fragments)), p.get("where") == "header",
                 bool(p.get("body_after")))
        for p in data["patterns"])
    inference = tuple((str(p["id"]), re.compile(expand(str(p["regex"]), fragments), re.IGNORECASE),
                       int(p.get("offset_days", 0)), float(p["confidence"]))
                      for p in data["inference"]["patterns"])
    return _Rules(
        patterns=patterns,
        header_lines=int(data["header_lines"]),
        min_body_words=int(data["min_body_words"]),
        not_places=frozenset(str(w).casefold() for w in data["not_places"])
        | {w.casefold() for w in (*MONTHS, *WEEKDAYS)},
        url_patterns=tuple(re.compile(expand(str(p["regex"]), fragments)) for p in data["url_patterns"]),
        inference=inference,
        lead_chars=int(data["inference"]["lead_chars"]),
        full_date=re.compile(expand("{full_date}", fragments)),
        month_year=re.compile(expand("{month_year}", fragments)),
        future_cue=re.compile(expand("{future_cue}", fragments)),
        meta_keys=frozenset(str(k).casefold() for k in data["html"]["meta_keys"]),
    )


# ---------------------------------------------------------------- date parts


def _valid_iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def date_parts(text: str) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a dateline date: '28 June 2023', 'Nov. 3, 2022', 'April 3', '2023-07-17'."""
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text.strip())
    if iso:
        return int(iso[1]), int(iso[2]), int(iso[3])
    words = re.findall(r"[A-Za-z]+|\d+", text)
    month = next((MONTHS[w.lower()] for w in words if w.lower() in MONTHS), None)
    numbers = [int(w) for w in words if w.isdigit()]
    year = next((n for n in numbers if n >= 1000), None)
    day = next((n for n in numbers if n < 100), None)
    return year, month, day


# ---------------------------------------------------------------- finding datelines


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _acceptable(text: str, match: re.Match[str], pattern: _Pattern, line_end: int, r: _Rules) -> bool:
    """Not a headline word or a calendar word as the place; a paragraph after it when required."""
    for group in ("place", "qualifier"):
        name = match.groupdict().get(group)
        if name and any(word.casefold() in r.not_places for word in re.split(r"[\s\-]+", name)):
            return False
    if pattern.body_after:
        return len(text[match.end():line_end].split()) >= r.min_body_words
    return True


def _dateline(text: str, match: re.Match[str], pattern: _Pattern) -> Dateline:
    groups = match.groupdict()
    places = tuple((match.start(g), match.end(g)) for g in ("place", "qualifier") if groups.get(g))
    date = groups.get("date")
    year, month, day = date_parts(date) if date else (None, None, None)
    outlet = groups.get("outlet")
    end = match.end()
    while end > match.start() and text[end - 1].isspace():
        end -= 1
    return Dateline(match.start(), end, pattern.id, places,
                    (match.start("date"), match.end("date")) if date else None,
                    outlet.strip() if outlet else None, year, month, day)


@lru_cache(maxsize=64)
def find_datelines(text: str) -> tuple[Dateline, ...]:
    """Every dateline at a line start, in text order (header patterns only in the opening lines)."""
    r = rules()
    found: list[Dateline] = []
    filled = 0
    for start in _line_starts(text):
        line_end = text.find("\n", start)
        line_end = len(text) if line_end == -1 else line_end
        line = text[start:line_end]
        if not line.strip():
            continue
        filled += 1
        for pattern in r.patterns:
            if pattern.header_only and filled > r.header_lines:
                continue
            match = pattern.regex.match(line)
            if match is None:
                continue
            shifted = pattern.regex.match(text, start, line_end)
            if shifted is not None and _acceptable(text, shifted, pattern, line_end, r):
                found.append(_dateline(text, shifted, pattern))
                break
    return tuple(found)


def dateline_at(text: str, start: int, end: int | None = None) -> Dateline | None:
    """The dateline the span (or the single offset) lies in, else None."""
    end = start + 1 if end is None else end
    return next((d for d in find_datelines(text) if d.covers(start, end)), None)


def in_dateline(text: str, start: int, end: int) -> bool:
    """The span is part of a dateline: it places or dates the report, it is not part of a sentence."""
    return dateline_at(text, start, end) is not None


def dateline_places(text: str) -> list[tuple[int, int]]:
    """Character spans of the place names datelines open with ('ARAUCA', 'Colombia')."""
    return [span for d in find_datelines(text) for span in d.places]


def header_datelines(text: str) -> list[Dateline]:
    """The datelines of the opening lines (the only ones that date the whole article)."""
    limit = rules().header_lines
    filled = [m.start() for m in re.finditer(r"^[^\S\n]*\S", text, re.MULTILINE)]
    cutoff = filled[limit] if len(filled) > limit else len(text) + 1
    return [d for d in find_datelines(text) if d.start < cutoff]


def _doc_datelines(doc: Doc) -> tuple[Dateline, ...]:
    return find_datelines(doc_text(doc))


if not Doc.has_extension("datelines"):
    Doc.set_extension("datelines", getter=_doc_datelines)


# ---------------------------------------------------------------- publication date


def url_date(url: str | None) -> tuple[int | None, str | None]:
    """(year, full ISO date) a URL gives: '/2024/06/03/' -> (2024, '2024-06-03'), '/2023/07/' -> (2023, None)."""
    if not url:
        return None, None
    year = None
    for pattern in rules().url_patterns:
        match = pattern.search(url)
        if match is None:
            continue
        parts = match.groupdict()
        year = year or int(parts["year"])
        if parts.get("month") and parts.get("day"):
            iso = _valid_iso(int(parts["year"]), int(parts["month"]), int(parts["day"]))
            if iso:
                return int(parts["year"]), iso
    return year, None


def _latest_explicit_date(text: str) -> dt.date | None:
    """The latest full date or month-year the text gives ('May 4, 2023', 'in March 2024'): the news
    is dated by its most recent evidence, not by a past date the story recalls ('the 2008 war') nor by
    a deadline or plan ('by March 2031')."""
    r = rules()
    latest: dt.date | None = None
    for pattern in (r.full_date, r.month_year):
        for match in pattern.finditer(text):
            if r.future_cue.search(text, max(0, match.start() - 40), match.start()):
                continue
            year, month, day = date_parts(match.group(0))
            iso = _valid_iso(year, month, day or 15) if year and month else None
            if iso is not None and (latest is None or iso > latest.isoformat()):
                latest = dt.date.fromisoformat(iso)
    return latest


def _explicit_year(text: str, dateline: Dateline) -> int | None:
    """The year of the latest explicit date, moved to the closest year for the dateline's month."""
    latest = _latest_explicit_date(text)
    if latest is None or dateline.month is None:
        return None
    return nearest_year(latest, dateline.month)


def _from_dateline(text: str, dateline: Dateline, url: str | None) -> Publication | None:
    """A dateline's date, completed with the year of the URL or of the nearest explicit date."""
    if dateline.iso_date:
        return Publication(dateline.iso_date, "dateline", CONFIDENCE["dateline"], dateline.pattern, dateline.outlet)
    if dateline.month is None or dateline.day is None:
        return None
    year, source = url_date(url)[0], "url-year"
    if year is None:
        year, source = _explicit_year(text, dateline), "text-year"
    iso = _valid_iso(year, dateline.month, dateline.day) if year else None
    if iso is None:
        return None
    confidence = CONFIDENCE["dateline"] if source == "url-year" else 0.8
    return Publication(iso, "dateline", confidence, f"{dateline.pattern}+{source}", dateline.outlet)


def infer_publication(text: str) -> Publication | None:
    """The latest full date of the lead that the text gives as the news day ('on Thursday, May 4, 2023')."""
    r = rules()
    lead = text[:r.lead_chars]
    best: Publication | None = None
    for rule_id, pattern, offset, confidence in r.inference:
        for match in pattern.finditer(lead):
            year, month, day = date_parts(match.group("date"))
            iso = _valid_iso(year, month, day) if year and month and day else None
            if iso is None:
                continue
            value = (dt.date.fromisoformat(iso) + dt.timedelta(days=offset)).isoformat()
            if best is None or value > (best.date or ""):
                best = Publication(value, "inferred", confidence, rule_id)
    return best


@dataclass(frozen=True)
class PageDates:
    """What a web page says of its own date: a meta tag (metadata) and a <time> element (a byline)."""

    meta: str | None = None
    byline: str | None = None


def _iso_prefix(value: str | None) -> str | None:
    match = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value or "")
    return _valid_iso(*map(int, match[1].split("-"))) if match else None


def page_dates(html: str) -> PageDates:
    """The page's own dates: the first known meta tag, and the first <time datetime> element."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return PageDates()
    keys = rules().meta_keys
    meta = next((_iso_prefix(node.get("content")) for node in tree.iter("meta")
                 if (node.get("property") or node.get("name") or node.get("itemprop") or "").casefold() in keys
                 and _iso_prefix(node.get("content"))), None)
    byline = next((_iso_prefix(node.get("datetime")) for node in tree.iter("time")
                   if _iso_prefix(node.get("datetime"))), None)
    return PageDates(meta, byline)


def publication_date(text: str, metadata_date: str | None = None, url: str | None = None,
                     page: PageDates | None = None) -> Publication:
    """The publication date by the order of the module docstring."""
    header = header_datelines(text)
    outlet = next((d.outlet for d in header if d.outlet), None)
    page = page or PageDates()
    if metadata_date or page.meta:
        method = "metadata" if metadata_date else "html-meta"
        return Publication(metadata_date or page.meta, "metadata", CONFIDENCE["metadata"], method, outlet)
    for dateline in header:
        found = _from_dateline(text, dateline, url)
        if found is not None:
            return Publication(found.date, found.basis, found.confidence, found.method, outlet)
    if page.byline:
        return Publication(page.byline, "dateline", CONFIDENCE["dateline"], "html-time", outlet)
    iso = url_date(url)[1]
    if iso:
        return Publication(iso, "url", CONFIDENCE["url"], "url", outlet)
    inferred = infer_publication(text)
    if inferred is not None:
        return Publication(inferred.date, inferred.basis, inferred.confidence, inferred.method, outlet)
    return Publication(None, "unknown", 0.0, "none", outlet)
