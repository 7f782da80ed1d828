"""Dates, durations and clock times: found once per article, resolved to ISO values with a precision.

Values follow the data contract: ISO prefixes that never invent a finer part than the text gives
(`2023`, `2023-06`, `2023-06-27`), ISO weeks (`2023-W25`), intervals `start/end` for ranges, seasons
(`2023-09/2023-11`), decades (`1990/1999`) and centuries (`1300/1399`); durations as ISO 8601 durations
(`P6Y`, `P3D`, `PT48H`); clock times as `THH:MM` with the zone when the text gives one (`T14:15Z`),
prefixed with their day when a day expression stands next to them. Relative and partial expressions are
anchored on the article's publication date and carry its basis; without one they stay unresolved (value
None, precision 'unknown', method 'no-anchor'): the stage never guesses from the wall clock.

Modules: `vocab` (the YAML file), `calendar` (date arithmetic), `rules` (resolution callbacks),
`expressions` (normalising and resolving one expression), `tense` (from the parse), `amounts` (durations
and clock times), `find` (the document: candidates, overlaps, `doc.spans["dates"]`).
"""

from __future__ import annotations

import datetime as dt

from spacy.tokens import Doc

from flows.extract.dates.calendar import (
    bound_day,
    date_range,
    dates_compatible,
    iso_week,
    nearest_year,
    season_value,
    shift_month,
    weekday_on_or_after,
    weekday_on_or_before,
)
from flows.extract.dates.expressions import resolve, resolve_date
from flows.extract.dates.find import SPAN_KEY, TimeValue, annotate_dates, time_values
from flows.extract.dates.rules import Resolution
from flows.extract.dates.tense import clause_tense
from flows.extract.dates.vocab import MONTHS, WEEKDAYS
from flows.ids import mention_id
from flows.records import Mention

__all__ = [
    "MONTHS", "SPAN_KEY", "WEEKDAYS", "Resolution", "TimeValue", "annotate_dates", "bound_day", "clause_tense",
    "date_range", "dates_compatible", "extract_date_mentions", "iso_week", "nearest_year", "resolve",
    "resolve_date", "season_value", "shift_month", "time_values", "weekday_on_or_after", "weekday_on_or_before",
]


def extract_date_mentions(doc: Doc, article_id: str, anchor: dt.date | None, basis: str | None = None,
                          anchor_confidence: float = 1.0) -> list[Mention]:
    """Every date (kind 'date', clock times with precision 'minute') and duration (kind 'duration') of
    the doc as mentions; annotates the Doc on the way (`doc.spans["dates"]`)."""
    text = doc_text_of(doc)
    return [
        Mention(
            mention_id=mention_id(article_id, "duration" if item.kind == "duration" else "date", item.start,
                                  item.end),
            article_id=article_id,
            kind="duration" if item.kind == "duration" else "date",
            text=text[item.start:item.end],
            char_start=item.start,
            char_end=item.end,
            value=item.value,
            precision=item.precision,
            method=item.method,
            is_metonym=False,
            basis=item.basis,
            confidence=item.confidence,
        )
        for item in annotate_dates(doc, anchor, basis, anchor_confidence)
    ]


def doc_text_of(doc: Doc) -> str:
    from flows.extract.annotate import doc_text

    return doc_text(doc)
