"""The event stage: find triggers with the codebook's patterns, fill their roles, link nominal triggers
to their verbs, give unnamed parties the story's pair, and build one row per event."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

from flows.extract.coref_base import STATE_PREFIXES, prefix_of
from flows.extract.coref_parties import party_key, story_third_parties
from flows.extract.events.alleged import Parties, telling, told_accusations, told_denials
from flows.extract.events.attach import attach_nominal
from flows.extract.events.build import build_event, split_addressees, split_by_dates, split_reciprocal
from flows.extract.events.callbacks import ArticleState, run_callbacks
from flows.extract.events.codebook import Codebook, load_codebook
from flows.extract.events.content import absorb_content, absorb_tolls
from flows.extract.events.dating import date_events
from flows.extract.events.interview import interview_spans
from flows.extract.events.matching import Candidate, find_candidates, find_cues
from flows.extract.events.mentions import MentionIndex, index_mentions
from flows.extract.events.merge import merge_mentions
from flows.extract.events.parties import (
    as_story_sides,
    hosted_without_parties,
    party_counts,
    story_pair,
    talks_pair,
    top_parties,
    undoers_from_story,
    wants_story_pair,
)
from flows.extract.events.quoted import names_spokesperson, quote_at, quoted_spans
from flows.extract.events.resolve import participant_resolver
from flows.extract.events.roles import fill_roles
from flows.records import Actor, Article, Event, Mention, Quote


def _fill(doc: Doc, index: MentionIndex, candidates: list[Candidate], codebook: Codebook) -> list[Candidate]:
    """Roles of every candidate; those naming 'the two sides' where no pair is known come back as gaps."""
    gaps = []
    for cand in candidates:
        resolver = participant_resolver(doc, index, cand, codebook)
        fill_roles(cand, resolver, codebook)
        cand.used_pronoun = resolver.used_pronoun
        if resolver.unresolved and not (cand.source or cand.target):
            gaps.append(cand)
    return gaps


def _implicit_parties(doc: Doc, index: MentionIndex, candidates: list[Candidate], gaps: list[Candidate],
                      codebook: Codebook) -> None:
    """'the two delegations agreed', 'the war', 'X hosted talks': the story's two parties."""
    third_parties = {actor for cand in candidates for actor in cand.other} | index.third_parties
    parties = party_counts(candidates, third_parties)
    for cand in gaps:
        cand.source = [a for a in top_parties(parties, third_parties) if a not in cand.other]
        cand.used_pronoun = cand.implicit = bool(cand.source)
    for cand in candidates:
        if (cand.nominal or cand.rule.parties_of_talks) and wants_story_pair(cand, codebook):
            resolver = participant_resolver(doc, index, cand, codebook)
            talks = talks_pair(cand, resolver, third_parties, candidates) if cand.rule.parties_of_talks else []
            found = talks or story_pair(cand, resolver, third_parties, parties, candidates)
            cand.implicit_source = as_story_sides(cand, found, third_parties) if cand.rule.parties_of_talks \
                else found
    by_head = {c.head.i: c for c in candidates}
    for cand in candidates:
        if cand.nominal:
            resolver = participant_resolver(doc, index, cand, codebook)
            attach_nominal(cand, by_head, resolver, codebook)
            cand.used_pronoun = cand.used_pronoun or resolver.used_pronoun
    for cand in candidates:
        if hosted_without_parties(cand):
            cand.implicit_source = story_pair(cand, participant_resolver(doc, index, cand, codebook),
                                              third_parties | set(cand.other), parties, candidates)
        if cand.implicit_source and not cand.absorbed and not (cand.source or cand.target):
            cand.source = [a for a in cand.implicit_source if a not in cand.other]
            cand.implicit = True


def _teller(doc: Doc, index: MentionIndex, cand: Candidate, event: Event, codebook: Codebook) -> str | None:
    """'Vucic said Serbia would never recognise Kosovo': an act told in the reported clause of a verb of saying
    is the act of the one that clause names, reported by the speaker, as inside a quotation. The speaker's
    own act ('Kurti said he would ...', 'Armenia said Azerbaijan violated the truce': its accusation) has no
    other reporter. Set after dating, which reads a reporter as a quotation's."""
    told = telling(doc, index, cand, codebook)
    tellers = told[1] if told is not None else []
    if not tellers or set(tellers) & set(event.source_actor_ids):
        return None
    return tellers[0]


def _voiced_sources(event: Event, teller: Actor | None, codebook: Codebook) -> list[str] | None:
    """'Vucic said Serbia would never recognise Kosovo': a named person's speech act told in a reported clause
    whose subject is the person's own state or government is the person's act, as 'we' in the person's
    quotation is (a spokesperson's stays the state's, reported by the spokesperson): the sources with the
    person in the state's place, or None when the act stays the named actor's ('said Serbia had withdrawn
    its troops', a material act)."""
    if teller is None or teller.kind != "person" or not teller.country_iso3 \
            or not codebook.is_speech_act(event.event_type) or any(names_spokesperson(r) for r in teller.roles):
        return None
    own = {s for s in event.source_actor_ids if prefix_of(s) in STATE_PREFIXES and party_key(s) == teller.country_iso3}
    if not own:
        return None
    return list(dict.fromkeys(teller.actor_id if s in own else s for s in event.source_actor_ids))


def extract_events(doc: Doc, article: Article, mentions: list[Mention], quotes: Iterable[Quote] = (),
                   actors: Iterable[Actor] = ()) -> list[Event]:
    """All PLOVER events of one parsed article, given its actor, date and place mentions, and its
    quotations and actors (who speaks inside a quotation)."""
    codebook = load_codebook()
    actors = list(actors)
    own = [m for m in mentions if m.article_id == article.article_id]
    index = index_mentions(doc, own)
    index.quotes = quoted_spans(quotes, actors) + interview_spans(article.text, own)
    index.third_parties = story_third_parties(doc)
    candidates = find_candidates(doc, codebook)
    gaps = _fill(doc, index, candidates, codebook)
    _implicit_parties(doc, index, candidates, gaps, codebook)
    state = ArticleState(codebook, {c.head.i: c for c in candidates}, {c.span.start: c for c in candidates})
    run_callbacks(candidates, state)
    undoers_from_story(candidates)
    absorb_content(candidates, codebook)
    absorb_tolls(candidates, codebook)
    cues = find_cues(doc, codebook)
    pairs: list[tuple[Event, Candidate]] = []
    for cand in candidates:
        built = build_event(cand, doc, article, index, codebook, cues)
        if built is not None:
            quote = quote_at(index.quotes, built.char_start)
            built.reported_by_actor_id = quote.speaker if quote is not None else None
        if built is not None:
            pairs += [(event, cand) for dated in split_by_dates(built, cand, index, article, codebook)
                      for mutual in split_reciprocal(dated, cand, article)
                      for event in split_addressees(mutual, cand, index, article, codebook)]
    # the side each actor acts for: a named group its own, anyone else the country it belongs to
    sides = {a.actor_id: a.actor_id if a.kind == "group" else a.country_iso3 for a in actors
             if a.kind != "igo" and (a.country_iso3 or a.kind == "group")}
    by_id = {a.actor_id: a for a in actors}
    third_parties = frozenset({a for cand in candidates for a in cand.other} | index.third_parties)
    parties = Parties(by_id, sides, third_parties)
    pairs += told_accusations(pairs, doc, article, index, codebook, cues, parties)
    pairs += told_denials(pairs, doc, article, index, codebook, cues, parties)
    dated = date_events(pairs, article, codebook, index.dates, index.actors, sides)
    for event, cand in dated:
        if event.reported_by_actor_id is None:
            teller = _teller(doc, index, cand, event, codebook)
            voiced = _voiced_sources(event, by_id.get(teller or ""), codebook)
            if voiced is not None:
                event.source_actor_ids = voiced
            else:
                event.reported_by_actor_id = teller
    merged = merge_mentions(dated, codebook, sides)
    return sorted(merged, key=lambda e: e.event_id)
