"""Consolidate: merge per-article results into the published tables, one row per id."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from flows.events import cluster_events
from flows.quotes import cluster_quotes
from flows.records import Actor, Article, Event, Mention, Place, QuarantineRow, Quote
from schemas.tables import TABLES


@dataclass
class ArticleExtraction:
    """Everything extracted from one article; cached by article hash and pipeline version."""

    article_id: str
    mentions: list[Mention] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def merge_actors(actors: list[Actor]) -> list[Actor]:
    """One row per actor id; aliases and roles are the sorted union of what every article saw."""
    merged: dict[str, Actor] = {}
    for actor in actors:
        if actor.actor_id not in merged:
            merged[actor.actor_id] = Actor(actor.actor_id, actor.name, actor.kind, actor.country_iso3,
                                           list(actor.aliases), list(actor.roles))
            continue
        known = merged[actor.actor_id]
        known.aliases = list(dict.fromkeys(known.aliases + actor.aliases))
        known.roles = list(dict.fromkeys(known.roles + actor.roles))
        known.country_iso3 = known.country_iso3 or actor.country_iso3
    for actor in merged.values():
        actor.aliases = sorted(set(actor.aliases) - {actor.name})
        actor.roles = sorted(set(actor.roles))
    return list(merged.values())


def merge_places(places: list[Place]) -> list[Place]:
    return list({place.place_id: place for place in places}.values())


def frame(name: str, rows: list) -> pd.DataFrame:
    """DataFrame with exactly the declared columns of a table, in order."""
    columns = list(TABLES[name].columns)
    return pd.DataFrame({column: [getattr(row, column) for row in rows] for column in columns}, columns=columns)


def build_tables(
    articles: list[Article],
    extractions: list[ArticleExtraction],
    quarantine: list[QuarantineRow],
    produced: tuple[str, ...],
) -> dict[str, pd.DataFrame]:
    """The release tables; a table the pipeline does not produce is absent, never an empty placeholder."""
    rows: dict[str, list] = {
        "articles": articles,
        "mentions": [m for e in extractions for m in e.mentions],
        "actors": merge_actors([a for e in extractions for a in e.actors]),
        "places": merge_places([p for e in extractions for p in e.places]),
        "quotes": cluster_quotes([q for e in extractions for q in e.quotes]),
        "events": cluster_events([v for e in extractions for v in e.events]),
        "quarantine": list({q.quarantine_id: q for q in quarantine}.values()),
    }
    return {name: frame(name, rows[name]) for name in TABLES if name in produced or name in ("articles",
                                                                                          "quarantine")}
