"""Actor, date and place mentions looked up by the tokens they cover."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from flows.extract.annotate import doc_text
from flows.extract.dateline import in_dateline
from flows.extract.events.quoted import Quoted
from flows.records import Mention


@dataclass
class MentionIndex:
    """Actor, date and place mentions looked up by token index."""

    actors: dict[int, list[Mention]]
    dates: list[tuple[Mention, list[int]]]
    places: list[tuple[Mention, list[int]]]
    third_parties: set[str] = field(default_factory=set)
    quotes: list[Quoted] = field(default_factory=list)
    # dates the text states that no anchor resolves ('on Friday' with no publication date): they place an
    # act in time without giving it a value
    unresolved_dates: list[tuple[Mention, list[int]]] = field(default_factory=list)


def _token_ids(doc: Doc, mention: Mention) -> list[int]:
    span = doc.char_span(mention.char_start, mention.char_end, alignment_mode="expand")
    return list(range(span.start, span.end)) if span is not None else []


def _outermost(mentions: list[Mention]) -> list[Mention]:
    """Drop mentions nested inside a longer one ('Armenian' inside 'Armenian Foreign Minister X')."""
    ordered = sorted(mentions, key=lambda m: (m.char_start, -(m.char_end - m.char_start)))
    kept: list[Mention] = []
    for mention in ordered:
        if kept and mention.char_start >= kept[-1].char_start and mention.char_end <= kept[-1].char_end:
            continue
        kept.append(mention)
    return kept


def index_mentions(doc: Doc, mentions: list[Mention]) -> MentionIndex:
    """Map every mention onto the tokens it covers."""
    actors: dict[int, list[Mention]] = {}
    actor_mentions = [m for m in mentions if m.kind == "actor" and m.value]
    for mention in _outermost(actor_mentions):
        for i in _token_ids(doc, mention):
            actors.setdefault(i, []).append(mention)
    metonym_tokens = {i for i, found in actors.items() if any(m.is_metonym for m in found)}
    text = doc_text(doc)
    mentions = [m for m in mentions if m.kind == "actor" or not in_dateline(text, m.char_start, m.char_end)]
    dates = [(m, _token_ids(doc, m)) for m in mentions if m.kind == "date" and m.value]
    unresolved = [(m, _token_ids(doc, m)) for m in mentions if m.kind == "date" and not m.value]
    places = [(m, ids) for m in mentions if m.kind == "place" and m.value
              for ids in [_token_ids(doc, m)] if not set(ids) & metonym_tokens]
    return MentionIndex(actors, [d for d in dates if d[1]], [p for p in places if p[1]],
                        unresolved_dates=[d for d in unresolved if d[1]])

