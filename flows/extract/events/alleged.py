"""Accusations a telling makes: a party that tells of another actor's hostile act ('the rebels said army jets
bombed the market', '"They shelled our positions," the ministry said') accuses the doer, beside the act itself
(convention `accusations`, rules with `alleges` in `schemas/plover.yaml`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from spacy.tokens import Doc, Token

from flows.extract.events.build import build_event
from flows.extract.events.codebook import Codebook, Rule
from flows.extract.events.matching import Candidate, CueMatch
from flows.extract.events.mentions import MentionIndex
from flows.extract.events.quoted import quote_at, role_affiliation
from flows.extract.events.resolve import participant_resolver
from flows.extract.events.syntax import line_range, subject
from flows.extract.events.telling import attribution_phrase, reporting_verb, saying_verb, trailing_attribution
from flows.ids import make_id
from flows.records import Actor, Article, Event


def telling(doc: Doc, index: MentionIndex, cand: Candidate, codebook: Codebook) -> tuple[Token, list[str]] | None:
    """The verb of saying whose reported clause holds the candidate ('X said (that) Y shelled Z', 'X wrote that
    A held, but that Y hit B'), with the actors its active subject names."""
    anchor = cand.anchor or cand.head
    speech = reporting_verb(anchor, codebook) or saying_verb(anchor, codebook) or trailing_attribution(anchor, codebook)
    if speech is None:
        phrase = attribution_phrase(anchor, codebook)
        if phrase is None:
            return None
        speech, speaker = phrase
    elif speech.i == cand.head.i:
        return None
    else:
        speaker, passive = subject(speech)
        if speaker is None or passive:
            return None
    return speech, participant_resolver(doc, index, cand, codebook).group(speaker)


@dataclasses.dataclass(frozen=True)
class Parties:
    """What tells a party from a neutral teller: the article's actors, the side each acts for, and the
    story's third parties (mediators, hosts)."""

    actors: dict[str, Actor]
    sides: Mapping[str, str]
    third_parties: frozenset[str]

    def side(self, actor_id: str) -> str:
        """The side an actor acts for; a person of no country, that of the body they hold a role in ('Houthi
        spokesman Yahya Saree' speaks for the Houthis and accuses no one of the Houthis' own acts)."""
        if actor_id in self.sides:
            return self.sides[actor_id]
        actor = self.actors.get(actor_id)
        body = role_affiliation(actor, self.actors) if actor is not None and actor.kind == "person" else None
        return self.sides.get(body, body) if body is not None and body != actor_id else actor_id

    def may_accuse(self, actor_id: str, rule: Rule) -> bool:
        """A teller of a kind the rule names, no third party of the story; a person only with a country or a
        role in a party ('a TPLF central committee member'; an official of an intergovernmental body speaks for
        no party)."""
        actor = self.actors.get(actor_id)
        if actor is None or actor.kind not in rule.reporters:
            return False
        if actor.kind == "person" and not actor.country_iso3:
            body = role_affiliation(actor, self.actors)
            if body is None or self.actors[body].kind == "igo":
                return False
        return self.side(actor_id) not in {self.side(a) for a in self.third_parties}


def _teller(event: Event, cand: Candidate, doc: Doc, index: MentionIndex,
            codebook: Codebook) -> tuple[str, Token] | None:
    """Who tells of the act, and the word the telling is anchored on: the quotation's speaker (the state a
    spokesperson speaks for), else the subject of the verb of saying."""
    told = telling(doc, index, cand, codebook)
    quote = quote_at(index.quotes, event.char_start)
    if quote is not None and quote.speaker is not None:
        speaker = quote.affiliation if quote.spokesman and quote.affiliation else quote.speaker
        return speaker, told[0] if told is not None else cand.head
    if told is None or not told[1]:
        return None
    return told[1][0], told[0]


def _already_accused(accuser: str, doers: list[str], line: range, made: Sequence[tuple[Event, Candidate]],
                     parties: Parties) -> bool:
    """An accusation of the same doer by the same side in the same line ('said Y violated the truce')."""
    sides = {parties.side(d) for d in doers}
    return any(e.event_type == "ACCUSE" and c.head.i in line
               and parties.side(accuser) in {parties.side(s) for s in e.source_actor_ids}
               and sides & {parties.side(t) for t in e.target_actor_ids} for e, c in made)


def _already_denied(denier: str, line: range, made: Sequence[tuple[Event, Candidate]], parties: Parties) -> bool:
    """A refusal or denial by the same side in the same line ('denied that its troops had ...')."""
    return any(e.event_type == "REJECT" and c.head.i in line
               and parties.side(denier) in {parties.side(s) for s in e.source_actor_ids} for e, c in made)


def _told_as_done(verb: Token) -> bool:
    """'had not shelled', 'did not attack', 'is not shelling': what was or is not done; 'would not attack'
    (a modal) is a promise or refusal, 'has not yet deployed' a delay, neither a denial."""
    return not any(c.tag_ == "MD" or (c.dep_ == "advmod" and c.lower_ in ("yet", "still")) for c in verb.children)


def told_denials(pairs: Sequence[tuple[Event, Candidate]], doc: Doc, article: Article, index: MentionIndex,
                 codebook: Codebook, cues: dict[int, list[CueMatch]], parties: Parties
                 ) -> list[tuple[Event, Candidate]]:
    """The denials the tellings of a party's own acts as not done make ('the army said its troops had not
    shelled the camp', '"We did not attack the convoy," the RSF said'), one per teller and line."""
    rules = codebook.denying_rules()
    made: list[tuple[Event, Candidate]] = list(pairs)
    found: list[tuple[Event, Candidate]] = []
    for event, cand in pairs:
        rule = next((r for r in rules if event.event_type in r.denies), None)
        if rule is None or event.status != "negated" or not event.source_actor_ids or cand.implicit \
                or cand.nominal or not _told_as_done(cand.head):
            continue
        told = _teller(event, cand, doc, index, codebook)
        if told is None:
            continue
        denier, anchor = told
        if not parties.may_accuse(denier, rule) \
                or parties.side(denier) not in {parties.side(d) for d in event.source_actor_ids} \
                or _already_denied(denier, line_range(anchor), made, parties):
            continue
        denial = Candidate(span=doc[anchor.i:anchor.i + 1], head=anchor, rule=rule, nominal=False,
                           source=[denier], target=[])
        built = build_event(denial, doc, article, index, codebook, cues)
        if built is None or built.status != "occurred":
            continue
        built = dataclasses.replace(built, event_id=make_id("event", article.article_id, built.event_type,
                                                            built.char_start, built.char_end, denier))
        found.append((built, denial))
        made.append((built, denial))
    return found


def told_accusations(pairs: Sequence[tuple[Event, Candidate]], doc: Doc, article: Article, index: MentionIndex,
                     codebook: Codebook, cues: dict[int, list[CueMatch]], parties: Parties
                     ) -> list[tuple[Event, Candidate]]:
    """The accusations the tellings of hostile acts make, one per teller and doers per act."""
    rules = codebook.alleging_rules()
    made: list[tuple[Event, Candidate]] = list(pairs)
    found: list[tuple[Event, Candidate]] = []
    for event, cand in pairs:
        rule = next((r for r in rules if event.event_type in r.alleges), None)
        if rule is None or event.status != "occurred" or not event.source_actor_ids or cand.implicit \
                or cand.rule.symmetric:
            continue  # 'the war with the rebels': a fight the teller takes part in
        told = _teller(event, cand, doc, index, codebook)
        if told is None:
            continue
        accuser, anchor = told
        doers = event.source_actor_ids
        if not parties.may_accuse(accuser, rule) or parties.side(accuser) in {parties.side(d) for d in doers}:
            continue
        victims = {parties.side(t) for t in event.target_actor_ids}
        if victims and parties.side(accuser) not in victims:
            continue  # 'Blinken said Russia attacked Ukraine': a third party to an act against another
        if _already_accused(accuser, doers, line_range(anchor), made, parties):
            continue
        accusation = Candidate(span=doc[anchor.i:anchor.i + 1], head=anchor, rule=rule, nominal=False,
                               source=[accuser], target=list(doers))
        built = build_event(accusation, doc, article, index, codebook, cues)
        if built is None or built.status != "occurred":
            continue
        undated = {} if anchor.i != cand.head.i else {"event_date": None, "date_precision": "unknown",
                                                      "date_basis": None}  # the act's date is not the telling's
        built = dataclasses.replace(built, event_id=make_id("event", article.article_id, built.event_type,
                                                            built.char_start, built.char_end, *doers), **undated)
        found.append((built, accusation))
        made.append((built, accusation))
    return found
