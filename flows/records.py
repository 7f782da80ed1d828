"""Row types passed between stages; their fields are the columns declared in `schemas/tables.py`."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while many records or index entries are made and kept.

    Records and gazetteer entries hold no reference cycles, yet every collection would walk all of them
    again (a third of the CPU time of loading and consolidating 2,000 articles, half of a gazetteer
    build); what the step leaves, the collector finds once it runs again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class Article:
    article_id: str
    source_path: str
    title: str | None
    outlet: str | None
    url: str | None
    published_date: str | None
    published_basis: str
    language: str | None
    n_chars: int
    text: str
    published_confidence: float = 0.0  # 1 for metadata, lower for a date read or inferred from the text


@dataclass
class Mention:
    mention_id: str
    article_id: str
    kind: str  # date | duration | actor | place
    text: str
    char_start: int
    char_end: int
    value: str | None
    precision: str | None
    method: str
    is_metonym: bool = False
    basis: str | None = None  # dates: text, or the basis of the publication date that resolved them
    confidence: float | None = None


@dataclass
class Actor:
    actor_id: str
    name: str
    kind: str  # person | state | government | organisation | igo | group
    country_iso3: str | None
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    wikidata_id: str | None = None  # verified Wikidata QID of a reference-data actor


@dataclass
class Place:
    place_id: str
    name: str
    feature: str  # country | admin1 | city | region | landmark
    country_iso3: str | None
    latitude: float | None
    longitude: float | None
    aliases: list[str] = field(default_factory=list)


@dataclass
class Quote:
    quote_id: str
    article_id: str
    text: str
    char_start: int
    char_end: int
    kind: str  # direct | partial
    speaker_actor_id: str | None
    speaker_name: str | None
    speaker_role: str | None
    attribution: str  # explicit | pronoun | descriptor | previous_sentence | unattributed
    cue: str | None
    quote_date: str | None
    cluster_id: str | None
    confidence: float
    speaker_kind: str = "unknown"  # person | institution | document | anonymous | unknown
    speaker_country_iso3: str | None = None
    rule_ids: list[str] = field(default_factory=list)


@dataclass
class Event:
    event_id: str
    article_id: str
    event_type: str
    event_mode: str | None
    trigger: str
    source_actor_ids: list[str]
    target_actor_ids: list[str]
    other_actor_ids: list[str]
    event_date: str | None
    date_precision: str
    place_id: str | None
    status: str  # occurred | planned | hypothetical | negated
    evidence: str
    char_start: int
    char_end: int
    cluster_id: str | None
    confidence: float
    rule_id: str = ""
    status_cue: str | None = None
    date_basis: str | None = None
    mention_spans: list[str] = field(default_factory=list)
    reported_by_actor_id: str | None = None


@dataclass
class QuarantineRow:
    quarantine_id: str
    source_path: str
    line: int | None
    stage: str
    reason: str
    detail: str | None
    severity: str = "error"  # error: not published; warning: published with a repair or caveat


@dataclass
class ArticleExtraction:
    """Everything extracted from one article; cached by article hash and pipeline version."""

    article_id: str
    mentions: list[Mention] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
