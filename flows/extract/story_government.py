"""The government of the story's country: 'the government', 'the authorities', 'government forces' in an
article that names no state in that sentence or before stand for the government of the country the
article's places and actors point to most (`story_countries` of the place stage).

Why after places: a story that names only towns ('Houthi fighters shelled Taiz') tells its country by
them, and the actor stage runs before places are known. The mentions found here are actor mentions like
any other (method 'story-government'), so quotes ('the government said') and events ('government forces
recaptured the town') read them alike. Which nouns count is data in `schemas/coreference.yaml`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from flows.extract.coref_base import STATE_PREFIXES, load_coref_config, prefix_of
from flows.extract.places.context import story_countries
from flows.ids import mention_id
from flows.records import Actor, Mention, Place

METHOD = "story-government"
MODIFIERS = frozenset({"amod", "compound", "poss", "nmod", "nummod", "appos"})


def story_country(mentions: Iterable[Mention], actors: Iterable[Actor], places: Iterable[Place]) -> str | None:
    """The country the article's places and actors point to most, when one leads alone."""
    countries = {a.actor_id: a.country_iso3 for a in actors} | {p.place_id: p.country_iso3 for p in places}
    counts = Counter(countries.get(str(m.value)) for m in mentions if m.kind in ("actor", "place") and m.value)
    story = story_countries(counts)
    ranked = story.ranked
    if not ranked or (len(ranked) > 1 and counts[ranked[0]] == counts[ranked[1]]):
        return None
    return ranked[0]


def _names_whose(of: Token) -> bool:
    """'the government of Sudan' names whose it is; 'accused the government of shelling', where the parser
    hangs the charge from the noun, does not."""
    return not any(c.dep_ == "pcomp" for c in of.children)


def _bare(token: Token, extra: Iterable[Token] = ()) -> bool:
    """A noun with 'the' or nothing before it, and no modifier or 'of' that names whose it is ('the federal
    government' tells its rank, not whose it is)."""
    skip = {t.i for t in extra}
    ranks = load_coref_config().government_rank_modifiers
    return not any(c.i not in skip and ((c.dep_ in MODIFIERS and not (c.dep_ == "amod" and c.lower_ in ranks))
                                        or (c.dep_ == "prep" and c.lower_ == "of" and _names_whose(c))
                                        or (c.dep_ == "det" and c.lower_ != "the")) for c in token.children)


def _phrases(doc: Doc) -> list[tuple[int, int, str]]:
    """Token spans of 'the government', 'the authorities' (the government: 'gov') and 'government forces'
    (troops stand for their state, as 'Russian forces' do: 'state')."""
    config = load_coref_config()
    found = []
    for token in doc:
        if token.lower_ not in config.government_nouns:
            continue
        head = token.head
        if token.dep_ == "compound" and head.lower_ in config.government_force_nouns and head.i == token.i + 1:
            if _bare(head, [token]):
                found.append((token.i, head.i + 1, "state"))
        elif token.dep_ != "compound" and _bare(token):
            dets = [c for c in token.children if c.dep_ == "det"]
            found.append((dets[0].i if dets else token.i, token.i + 1, "gov"))
    return found


def story_government_mentions(doc: Doc, article_id: str, mentions: Sequence[Mention], actors: Sequence[Actor],
                              places: Sequence[Place]) -> list[Mention]:
    """Actor mentions of the story's government for the bare government nouns before any state is named (the
    coreference rule government-forces answers for 'government troops' after a state is named)."""
    phrases = _phrases(doc)
    country = story_country(mentions, actors, places) if phrases else None
    if country is None:
        return []
    named = [m for m in mentions if m.kind == "actor" and m.value]
    first_state = min((m.char_start for m in named if prefix_of(str(m.value)) in STATE_PREFIXES), default=None)
    found = []
    for start, end, prefix in phrases:
        span = doc[start:end]
        if first_state is not None and first_state < span.sent.end_char:
            continue
        if any(m.char_start < span.end_char and span.start_char < m.char_end for m in named):
            continue
        found.append(Mention(mention_id(article_id, "actor", span.start_char, span.end_char), article_id, "actor",
                             span.text, span.start_char, span.end_char, f"{prefix}:{country}", None, METHOD))
    return found


def with_actor_rows(actors: list[Actor], actor_ids: Iterable[str]) -> list[Actor]:
    """The article's actor rows with a dictionary row for each of these states or governments it lacked."""
    from flows.extract.actors.dictionary import load_actor_dictionary

    known = {a.actor_id for a in actors}
    dictionary = load_actor_dictionary().actors
    added = [replace(base, aliases=sorted(set(base.aliases)), roles=list(base.roles))
             for actor_id in sorted(set(actor_ids) - known) if (base := dictionary.get(actor_id)) is not None]
    return sorted(actors + added, key=lambda a: a.actor_id) if added else actors
