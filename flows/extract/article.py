"""Extract and normalise: from one parsed article to its mentions, actors, places, quotes and events.

The order follows what each stage needs: dates and actors first, places without the spans that are
metonyms ('Baku said'), then quotes and events over all mentions.
"""

from __future__ import annotations

import datetime as dt

from spacy.tokens import Doc

from flows.extract.actors import extract_actor_mentions
from flows.extract.dates import extract_date_mentions
from flows.extract.events import extract_events
from flows.extract.places import extract_place_mentions
from flows.extract.quotes import extract_quotes
from flows.extract.story_government import story_government_mentions, with_actor_rows
from flows.records import Article, ArticleExtraction

PRODUCED_TABLES: tuple[str, ...] = ("mentions", "actors", "places", "quotes", "events")
ORGANISATION_KINDS = frozenset({"organisation", "igo", "group", "government"})


def extract_article(doc: Doc, article: Article) -> ArticleExtraction:
    """All extractions of one article, in the order the stages depend on each other."""
    anchor = dt.date.fromisoformat(article.published_date) if article.published_date else None
    date_mentions = extract_date_mentions(doc, article.article_id, anchor, article.published_basis,
                                          article.published_confidence)
    actor_mentions, actors = extract_actor_mentions(doc, article.article_id, article.published_date)
    metonyms = {(m.char_start, m.char_end) for m in actor_mentions if m.is_metonym}
    # A name the actors stage took for a person ('Kurti blames Belgrade') is never a place.
    people = {a.actor_id for a in actors if a.kind == "person"}
    persons = {(m.char_start, m.char_end) for m in actor_mentions if m.value in people and not m.is_metonym}
    guessed = {(m.char_start, m.char_end) for m in actor_mentions if m.value in people and m.method == "ner"}
    # Names of organisations the dictionary knows hold place names that are no locations ('... in Europe').
    organisations = {a.actor_id for a in actors if a.kind in ORGANISATION_KINDS}
    names = {(m.char_start, m.char_end) for m in actor_mentions
             if m.value in organisations and not m.is_metonym and m.method != "ner"}
    place_mentions, places = extract_place_mentions(doc, article.article_id, metonyms, persons, guessed, names)
    # 'the government' of a story that names no state yet: its country is known once places are
    governments = story_government_mentions(doc, article.article_id, actor_mentions + place_mentions, actors, places)
    if governments:
        actor_mentions += governments
        actors = with_actor_rows(actors, [str(m.value) for m in governments])
    mentions = sorted(date_mentions + actor_mentions + place_mentions, key=lambda m: (m.char_start, m.kind))
    # Quotes and events date what was said and done with days, not with clock times or durations.
    dated = [m for m in mentions if m.precision not in ("minute", "hour") and m.kind != "duration"]
    quotes = extract_quotes(doc, article, dated, {a.actor_id: a for a in actors})
    events = extract_events(doc, article, dated, quotes, actors)
    return ArticleExtraction(article.article_id, mentions, actors, places, quotes, events)
