"""Events inside quotations: who reports them (the quoted speaker, `reported_by_actor_id`) and who 'I'
and 'we' are. 'I' is the speaker; 'we' is the speaker for a speech act of a named person ('we are ready
to talk'), else the state or organisation the speaker speaks for ('we are withdrawing our troops', any
statement of a spokesman), when the article names it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Token

from flows.extract.grammar import FIRST_PERSON_PLURAL, FIRST_PERSON_SINGULAR
from flows.records import Actor, Quote

SPOKESPEOPLE = ("spokes", "press secretary")


def names_spokesperson(text: str) -> bool:
    """A role or description naming a spokesperson ('spokesman of the NAS', 'press secretary@RUS')."""
    lowered = text.lower()
    return any(word in lowered for word in SPOKESPEOPLE)


@dataclass(frozen=True)
class Quoted:
    """A quotation's span and who speaks in it."""

    start: int
    end: int
    speaker: str | None
    affiliation: str | None
    spokesman: bool


def _codes(actor: Actor | None, quote: Quote) -> list[str]:
    """What the speaker speaks for: their country, then the codes of their roles ('spokesperson@Houthis')."""
    found = [quote.speaker_country_iso3] if quote.speaker_country_iso3 else []
    if actor is not None:
        found += [role.split("@", 1)[1].split(" ", 1)[0] for role in actor.roles if "@" in role]
    return [code for code in found if code]


def _affiliation(codes: list[str], actors: dict[str, Actor]) -> str | None:
    """The article's actor for a code: the state (or government) of an ISO3 code, or an actor so named."""
    for code in codes:
        for prefix in ("state", "gov"):
            if f"{prefix}:{code}" in actors:
                return f"{prefix}:{code}"
        wanted = {code.lower(), code.lower().rstrip("s")}
        for actor in actors.values():
            names = {actor.name.lower(), *(alias.lower() for alias in actor.aliases)}
            if any(n.rstrip("s") in wanted or n in wanted for n in names):
                return actor.actor_id
    return None


def role_affiliation(actor: Actor, actors: dict[str, Actor]) -> str | None:
    """The article's actor a person holds a role in ('central committee member@TPLF': the TPLF)."""
    return _affiliation([role.split("@", 1)[1].split(" ", 1)[0] for role in actor.roles if "@" in role], actors)


def quoted_spans(quotes: Iterable[Quote], actors: Iterable[Actor]) -> list[Quoted]:
    """The article's quotations with their speakers, in text order."""
    by_id = {a.actor_id: a for a in actors}
    found = []
    for quote in quotes:
        speaker = by_id.get(quote.speaker_actor_id or "")
        role = " ".join([quote.speaker_role or "", *(speaker.roles if speaker else [])]).lower()
        if quote.speaker_kind in ("institution", "document"):
            affiliation = quote.speaker_actor_id
        else:
            affiliation = _affiliation(_codes(speaker, quote), by_id)
        found.append(Quoted(quote.char_start, quote.char_end, quote.speaker_actor_id, affiliation,
                            names_spokesperson(role)))
    return sorted(found, key=lambda q: q.start)


def quote_at(spans: list[Quoted], char: int) -> Quoted | None:
    return next((q for q in spans if q.start <= char < q.end), None)


def first_person(token: Token, spans: list[Quoted], speech_act: bool) -> list[str]:
    """The actors 'I' or 'we' stand for inside a quotation (none outside one)."""
    word = token.lower_
    if word not in FIRST_PERSON_SINGULAR and word not in FIRST_PERSON_PLURAL:
        return []
    quote = quote_at(spans, token.idx)
    if quote is None or quote.speaker is None:
        return []
    if word in FIRST_PERSON_SINGULAR or (speech_act and not quote.spokesman) or quote.affiliation is None:
        return [quote.speaker]
    return [quote.affiliation]
