"""Consolidate: merge per-article results into the published tables, one row per id."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable, Iterator

import pandas as pd

from flows.extract.coref_base import STATE_PREFIXES
from flows.extract.dates import date_range, dates_compatible
from flows.extract.quotes import normalise_quote
from flows.ids import make_id
from flows.records import Actor, Article, ArticleExtraction, Event, Place, QuarantineRow, Quote
from schemas.tables import TABLES


def merge_actors(actors: list[Actor]) -> list[Actor]:
    """One row per actor id; aliases and roles are the sorted union of what every article saw."""
    merged: dict[str, Actor] = {}
    for actor in actors:
        if actor.actor_id not in merged:
            merged[actor.actor_id] = Actor(actor.actor_id, actor.name, actor.kind, actor.country_iso3,
                                           list(actor.aliases), list(actor.roles), actor.wikidata_id)
            continue
        known = merged[actor.actor_id]
        known.aliases = list(dict.fromkeys(known.aliases + actor.aliases))
        known.roles = list(dict.fromkeys(known.roles + actor.roles))
        known.country_iso3 = known.country_iso3 or actor.country_iso3
        known.wikidata_id = known.wikidata_id or actor.wikidata_id
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


# ---------------------------------------------------------------- clusters


def _actors(event: Event) -> set[str]:
    """All participants, a state and its government ('gov:X', 'state:X') counted as one."""
    found = set()
    for actor in [*event.source_actor_ids, *event.target_actor_ids, *event.other_actor_ids]:
        prefix, _, rest = actor.partition(":")
        found.add(f"state:{rest.upper()}" if prefix in STATE_PREFIXES and rest else actor)
    return found


def _same_denial(a: Event, b: Event) -> bool:
    """'Kagame skips Luanda talks' over 'Kagame stayed away from Wednesday's summit': one article telling twice
    that one thing did not happen. Across articles, or against what did happen, negated rows stay apart."""
    return a.status == b.status == "negated" and a.article_id == b.article_id


def same_event(a: Event, b: Event, actors: tuple[set[str], set[str]] | None = None) -> bool:
    """The clustering rule written in the codebook's `clustering` text."""
    if a.event_type != b.event_type:
        return False
    if {a.status, b.status} & {"hypothetical", "negated"} and not _same_denial(a, b):
        return False
    actors_a, actors_b = actors or (_actors(a), _actors(b))
    if not actors_a & actors_b:
        return False
    if a.article_id == b.article_id and (not (a.event_date or a.place_id) or not (b.event_date or b.place_id)):
        return True
    if a.place_id and b.place_id and a.place_id != b.place_id:
        return False
    if a.event_date and b.event_date:
        return dates_compatible(a.event_date, b.event_date)
    if a.event_date or b.event_date:
        return bool(a.place_id and b.place_id)
    return bool(a.place_id and b.place_id)


def _find(parents: list[int], i: int) -> int:
    while parents[i] != i:
        parents[i] = parents[parents[i]]
        i = parents[i]
    return i


def _linkable_in_block(members: list[int], events: list[Event],
                       spans: list[tuple[dt.date, dt.date] | None]) -> Iterator[tuple[int, int]]:
    """Pairs of one block (a type and an actor) that `same_event` can link: of one article, of one place,
    or both dated with overlapping days (one range inside the other overlaps it); every other pair is one
    that rule rejects, so leaving it out changes nothing."""
    by_article: dict[str, list[int]] = {}
    by_place: dict[str, list[int]] = {}
    for i in members:
        by_article.setdefault(events[i].article_id, []).append(i)
        if events[i].place_id:
            by_place.setdefault(events[i].place_id, []).append(i)
    for group in (*by_article.values(), *by_place.values()):
        yield from itertools.combinations(group, 2)
    still_open: list[int] = []  # dated rows, by first day, whose last day is not passed yet
    for i in sorted((i for i in members if spans[i] is not None), key=lambda i: spans[i][0]):
        first = spans[i][0]
        still_open = [j for j in still_open if spans[j][1] >= first]
        yield from ((j, i) for j in still_open)
        still_open.append(i)


def _candidate_pairs(events: list[Event], rank: dict[int, int],
                     actors: list[set[str]]) -> list[tuple[int, int]]:
    """Pairs that share a type and an actor and that `same_event` can link, in event_id order."""
    blocks: dict[tuple[str, str], list[int]] = {}
    for i, event in enumerate(events):
        if event.status == "hypothetical":
            continue
        for actor in actors[i]:
            blocks.setdefault((event.event_type, actor), []).append(i)
    spans = [date_range(event.event_date) for event in events]
    pairs = {(a, b) if rank[a] < rank[b] else (b, a)
             for members in blocks.values() for a, b in _linkable_in_block(members, events, spans)}
    return sorted(pairs, key=lambda pair: (rank[pair[0]], rank[pair[1]]))


def cluster_events(events: list[Event]) -> list[Event]:
    """Give events that report the same real-world event one cluster_id.

    Links are followed transitively, but two groups are never joined when any of their rows conflict,
    so an undated row cannot bridge two differently dated meetings. Rows are visited in event_id
    order, which makes the result independent of the input order.
    """
    order = sorted(range(len(events)), key=lambda i: events[i].event_id)
    rank = {i: pos for pos, i in enumerate(order)}
    parents = list(range(len(events)))
    groups: dict[int, list[int]] = {i: [i] for i in range(len(events))}
    dates = {i: {e.event_date} - {None} for i, e in enumerate(events)}
    places = {i: {e.place_id} - {None} for i, e in enumerate(events)}
    actors = [_actors(event) for event in events]
    for i, j in _candidate_pairs(events, rank, actors):
        root_i, root_j = _find(parents, i), _find(parents, j)
        if root_i == root_j or not same_event(events[i], events[j], (actors[i], actors[j])):
            continue
        if len(places[root_i] | places[root_j]) > 1 or any(
                not dates_compatible(a, b) for a in dates[root_i] for b in dates[root_j]):
            continue
        parents[root_j] = root_i
        groups[root_i] += groups.pop(root_j)
        dates[root_i] |= dates.pop(root_j)
        places[root_i] |= places.pop(root_j)
    cluster_ids = {root: make_id("ecluster", min(events[k].event_id for k in members))
                   for root, members in groups.items()}
    return [dataclasses.replace(event, cluster_id=cluster_ids[_find(parents, i)]) for i, event in enumerate(events)]


CONTAINMENT_MIN_WORDS = 3


def cluster_quotes(quotes: Iterable[Quote]) -> list[Quote]:
    """Give the same quotation reported by several articles one cluster id.

    Quotes match when their normalised texts are equal, or when one (of at least a few words) is
    contained in a longer one, as a partial quote is in the full quotation. The cluster id is
    `make_id('qcluster', normalised text of the longest member)`.
    """
    quotes = list(quotes)
    keys = [normalise_quote(q.text) for q in quotes]
    distinct = sorted(set(keys), key=lambda k: (-len(k), k))
    parent = {k: k for k in distinct}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    by_word: dict[str, set[str]] = {}
    for key in distinct:
        for word in set(key.split()):
            by_word.setdefault(word, set()).add(key)
    for key in distinct:
        words = key.split()
        if len(words) < CONTAINMENT_MIN_WORDS:
            continue
        pool = set.intersection(*(by_word[w] for w in set(words)))
        for longer in pool:
            if len(longer) > len(key) and f" {key} " in f" {longer} ":
                root_a, root_b = find(key), find(longer)
                if root_a != root_b:
                    keep, drop = sorted((root_a, root_b), key=lambda k: (-len(k), k))
                    parent[drop] = keep
    return [dataclasses.replace(q, cluster_id=make_id("qcluster", find(k))) for q, k in zip(quotes, keys, strict=True)]
