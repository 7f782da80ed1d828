"""What a pact lays down is of the pact's day: 'Under the agreement, X committed to ...', 'the accord commits both
sides to ...', 'a truce, in which the army promised ...' take the date of the pact (written in its phrase, else of
the clause that made it, else of the agreement told before)."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from flows.extract.events.codebook import Codebook
from flows.extract.events.matching import Candidate
from flows.extract.events.syntax import coordinated_before, root_of, verb_above
from flows.records import Event, Mention

# How many steps up a relative clause's antecedent may be from the noun the parser hangs it from.
RELATIVE_REACH = 5


def _pact_laying_down(anchor: Token, codebook: Codebook) -> Token | None:
    """The pact noun whose terms the act is: 'Under the agreement, X committed to ...', 'the accord, in which
    the army promised ...', 'The accord commits both delegations to ...'."""
    pacts = codebook.word("pact_nouns") | codebook.word("document_nouns")
    for verb in coordinated_before(anchor):
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.lemma_.lower() in pacts and \
                verb.lemma_.lower() in codebook.word("laying_down_verbs"):
            return subject
        preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in codebook.word("content_prepositions")]
        for prep in preps:
            noun = next((o for o in prep.children if o.dep_ == "pobj"), None)
            if noun is not None and noun.lower_ == "which" and verb.dep_ == "relcl":
                noun = _antecedent_among(verb.head, pacts)
            elif noun is not None and (prep.lower_ != "under" or noun.lemma_.lower() not in pacts):
                noun = None
            if noun is not None:
                return noun
    return None


def _antecedent_among(noun: Token, nouns: frozenset[str]) -> Token | None:
    """'a truce between the two sides, in which ...': the parser hangs the relative clause from the nearest
    noun; the pact it tells of is that noun or one of the nouns its phrase hangs from."""
    for _ in range(RELATIVE_REACH):
        if noun.lemma_.lower() in nouns:
            return noun
        if noun.head.i == noun.i or noun.pos_ in ("VERB", "AUX"):
            return None
        noun = noun.head
    return None


def pact_date(event: Event, anchor: Token, pairs: list[tuple[Event, Candidate]],
              dates: Sequence[tuple[Mention, list[int]]], codebook: Codebook) -> tuple[str, str] | None:
    """The date of the pact whose terms the act is (value, precision): a date written in the pact's own
    phrase ('the declaration signed on September 3, in which ...'), else the date of the act that made it
    (the clause it is the object of: 'In January, China brokered a ceasefire, in which ...'), else the
    latest dated agreement or signing told before it, at a precision finer than the year."""
    noun = _pact_laying_down(anchor, codebook)
    if noun is None:
        return None
    phrase = {t.i for t in noun.subtree} - {t.i for t in anchor.subtree}
    own = [m for m, ids in dates if ids and set(ids) <= phrase]
    if own:
        return str(own[0].value), own[0].precision or "day"
    makers = {t.i for t in noun.ancestors if t.pos_ in ("VERB", "AUX")} - {v.i for v in coordinated_before(anchor)}
    doc = anchor.doc
    made = [m for m, ids in dates if ids and not set(ids) & {t.i for t in anchor.subtree}
            and verb_index(root_of(doc, ids)) in makers]
    if made:
        return str(made[-1].value), made[-1].precision or "day"
    told = [e for e, c in pairs if (e.event_type == "AGREE" or c.rule.act) and e.date_basis in ("text", "context")
            and e.status == "occurred" and e.event_date and e.date_precision not in ("year", "unknown")
            and e.char_start < event.char_start]
    if told:
        latest = max(told, key=lambda e: e.char_start)
        return str(latest.event_date), latest.date_precision or "day"
    return None


def verb_index(token: Token) -> int | None:
    """The index of the verb a token hangs from, if any."""
    verb = verb_above(token)
    return verb.i if verb is not None else None
