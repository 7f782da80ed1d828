"""Tense of the clause a temporal expression belongs to, from the spaCy parse.

Future with 'will'/'shall'/'would', as the complement of a plan verb ('scheduled to', 'is to', 'going to',
'set for'), as a present progressive ('is meeting Wednesday') or a present simple ('the summit begins
Tuesday': timetables), or when the expression is the object of 'for' ('the schedule for Wednesday');
past with a past-tense verb or auxiliary, a perfect, or a bare past participle ('talks held Monday');
otherwise unknown. The tense decides bare weekdays, months and seasons.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from flows.extract.dates.vocab import (
    ANTICIPATION_LEMMAS,
    APPOINTED_DAY_NOUNS,
    APPOINTING_LEMMAS,
    FUTURE_AUX,
    PLAN_LEMMAS,
    PLAN_PARTICIPLES,
)


def _governing_verb(token: Token) -> Token | None:
    """The nearest verb or auxiliary at or above the token in the dependency tree."""
    while token.pos_ not in ("VERB", "AUX"):
        if token.head.i == token.i:
            return None
        token = token.head
    return token


def _modal_tense(verb: Token, words: set[str]) -> str | None:
    """'will meet', 'can fly', 'could begin' look ahead; 'could not attend' does not."""
    modals = words & FUTURE_AUX
    if not modals:
        return None
    negated = any(child.dep_ == "neg" for child in verb.children)
    return None if negated and not modals & {"will", "shall", "'ll", "wo"} else "future"


def _past_plan(plan: Token) -> bool:
    """A plan told in the past ('was due to open', 'were scheduled to meet', 'was to visit'): its day may
    lie on either side of the news day."""
    if plan.lemma_ == "be":
        return plan.tag_ == "VBD"
    be = plan.head if plan.dep_ == "acomp" and plan.head.lemma_ == "be" else None
    return any(child.dep_ in ("aux", "auxpass") and child.tag_ == "VBD" for child in plan.children) \
        or (be is not None and be.tag_ == "VBD")


def _plan_tense(verb: Token, auxes: list[Token], depth: int) -> str | None:
    """A plan participle: 'is scheduled for Wednesday' is ahead; in 'the meeting planned for Monday was
    cancelled' the main clause decides."""
    if _past_plan(verb):
        return "around"
    if auxes or verb.dep_ not in ("acl", "relcl", "amod") or depth >= 3:
        return "future"
    governing = _governing_verb(verb.head) if verb.head.i != verb.i else None
    return verb_tense(governing, depth + 1) if governing is not None else "future"


def _infinitive_tense(verb: Token, depth: int) -> tuple[bool, str | None]:
    """'scheduled to meet', 'is to meet', 'ordered the rebels to stop': the governing verb decides
    (first: whether it does)."""
    head = verb.head
    if head.i != verb.i and (head.lemma_ in PLAN_LEMMAS or head.lemma_ == "be"):
        return True, "around" if _past_plan(head) else "future"
    if head.i != verb.i and head.pos_ in ("VERB", "AUX") and depth < 3:
        return True, verb_tense(head, depth + 1)
    return False, None


def _headline_infinitive(verb: Token) -> bool:
    """A headline's infinitive announces: 'Leaders to meet in Geneva on Thursday' (the parser may hang
    it from the subject noun when no finite verb governs it)."""
    if verb.dep_ == "ROOT":
        return True
    return verb.dep_ in ("relcl", "acl") and verb.head.dep_ == "ROOT" and verb.head.pos_ in ("NOUN", "PROPN")


def verb_tense(verb: Token, depth: int = 0) -> str | None:
    """'future', 'past' or None for one verb, from its auxiliaries, tag and governing plan verb."""
    auxes = [child for child in verb.children if child.dep_ in ("aux", "auxpass")]
    words = {aux.lower_ for aux in auxes}
    if words & FUTURE_AUX:
        return _modal_tense(verb, words)
    if verb.lemma_ in PLAN_PARTICIPLES and verb.tag_ in ("VBN", "VBG", "JJ"):
        return _plan_tense(verb, auxes, depth)
    if "to" in words and _headline_infinitive(verb):
        return "future"
    if "to" in words or verb.dep_ == "xcomp":
        decided, found = _infinitive_tense(verb, depth)
        if decided:
            return found
    if verb.tag_ == "VBD" or any(aux.tag_ == "VBD" for aux in auxes) or words & {"has", "have", "'ve"}:
        return "past"
    if verb.tag_ == "VBG" and words & {"is", "are", "am", "'s", "'re"}:
        return "future"  # present progressive for arrangements: 'is meeting Wednesday'
    if verb.tag_ in ("VBZ", "VBP") and not auxes:
        return "future"  # present simple for timetables: 'the summit begins Tuesday'
    if verb.tag_ == "VBN" and not auxes:
        return "past"  # reduced relative: 'talks held Monday'
    return None


def _anticipated(verb: Token) -> bool:
    """The verb or the one governing it looks ahead: 'expected, by the end of November, a timeline'."""
    for _ in range(2):
        if verb.lemma_ in ANTICIPATION_LEMMAS:
            return True
        if verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


def appointed_day(span: Span) -> bool:
    """A day that a verb appoints, whatever its tense: 'declared Wednesday a day of mourning', 'set Friday
    as the deadline'."""
    doc = span.doc
    verb = doc[span.start - 1] if span.start > 0 else None
    after = {token.lemma_.lower() for token in doc[span.end:span.end + 5]}
    return verb is not None and verb.lemma_ in APPOINTING_LEMMAS and bool(after & APPOINTED_DAY_NOUNS)


def clause_tense(span: Span) -> str | None:
    """Tense of the clause a temporal expression belongs to: past, future, around (a plan told in the
    past) or None."""
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ == "for" or appointed_day(span):
        return "future"  # 'the schedule for Wednesday', 'set for Wednesday', 'declared Friday a holiday'
    verb = _governing_verb(root)
    if verb is None:
        return None
    return "future" if _anticipated(verb) else verb_tense(verb)
