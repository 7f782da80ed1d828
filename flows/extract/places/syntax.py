"""Proper nouns in locative positions: names after a place preposition ('in Gyumri', 'parts of nearby
Tayyana'), what a place verb or a verb of going takes ('rebels seized Goma', 'patrols entered al-Qobbeh'),
and names coordinated with such a name; candidates that NER left untagged or mislabelled."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from flows.extract.grammar import PLACE_PREPOSITIONS
from flows.extract.places.gazetteer import Rules
from flows.extract.places.heads import ARABIC_ARTICLES
from flows.extract.places.location import _word, as_far_as, between_places, place_verb_use

NAME_LABELS = ("", "GPE", "LOC", "FAC", "ORG")


def _name_token(token: Token, allowed: tuple[str, ...] = NAME_LABELS) -> bool:
    return token.pos_ == "PROPN" and token.is_title and (token.ent_type_ in allowed or _in_name_list(token))


ENTITY_BOUNDS_KEY = "accord.places.entity_bounds"


def entity_at(doc: Doc, i: int) -> Span | None:
    """The named entity holding token i. The bounds of every entity are read once per doc: `doc.ents` makes
    a Span of each entity on every call."""
    bounds = doc.user_data.get(ENTITY_BOUNDS_KEY)
    if bounds is None:
        bounds = [None] * len(doc)
        for ent in doc.ents:
            bounds[ent.start:ent.end] = [(ent.start, ent.end)] * (ent.end - ent.start)
        doc.user_data[ENTITY_BOUNDS_KEY] = bounds
    held = bounds[i]
    return None if held is None else doc[held[0]:held[1]]


def _in_name_list(token: Token) -> bool:
    """A token of an entity that only lists proper names ('Luuq and Beledweyne' taken for a work of art)."""
    if token.ent_iob_ not in ("B", "I"):
        return False
    ent = entity_at(token.doc, token.i)
    return ent is not None and any(start <= token.i < end for start, end in listed_names(ent))


def listed_names(ent: Span) -> set[tuple[int, int]]:
    """The names of an entity that only lists proper names ('Luuq and Beledweyne' tagged as one work of art):
    each is a name of its own, not part of the entity's; empty for a name with other words ('Organization
    for Security and Co-operation in Europe')."""
    parts, start = [], ent.start
    for token in ent:
        if token.lower_ in ("and", ",") and token.i > start:
            parts.append((start, token.i))
            start = token.i + 1
        elif token.pos_ != "PROPN" or token.lower_ in ("and", ","):
            return set()
    parts.append((start, ent.end))
    return set(parts) if len(parts) > 1 and all(a < b for a, b in parts) else set()

def _whole_entity(doc: Doc, start: int, end: int) -> bool:
    return doc[start].ent_iob_ == "B" and (end == len(doc) or doc[end].ent_iob_ != "I")


def _glued_hyphen(doc: Doc, index: int) -> bool:
    """'Alma-Ata': a hyphen with no space on either side joining two name parts."""
    return (index + 1 < len(doc) and doc[index].text == "-" and not doc[index - 1].whitespace_
            and not doc[index].whitespace_ and _name_token(doc[index + 1]))


def _place_preposition(token: Token, rules: Rules) -> bool:
    return token.pos_ == "ADP" and (token.lower_ in PLACE_PREPOSITIONS or token.lower_ == "between"
                                    and between_places(token, rules)
                                    or token.lower_ == "for"
                                    and bool(_word(token.head) & (rules.destination_heads | rules.remit_heads))
                                    or token.lower_ == "of" and bool(_word(token.head) & rules.territorial_nouns)
                                    or as_far_as(token))


def _inner_hyphen(doc: Doc, index: int) -> bool:
    """A hyphen glued on both sides inside a name ('al-Tabbaneh')."""
    return doc[index].text == "-" and not doc[index].whitespace_ and not doc[index - 1].whitespace_


def _arabic_article(doc: Doc, index: int) -> bool:
    """'in al-Jawf', 'near el-Fasher': a lower-case article glued by a hyphen to the name it opens."""
    return doc[index].lower_ in ARABIC_ARTICLES and not doc[index].whitespace_ and _glued_hyphen(doc, index + 1)


def _after_preposition(doc: Doc, prep: Token, rules: Rules) -> list[Span]:
    """The names right after a place preposition (and a word of nearness: 'parts of nearby Tayyana'),
    longest first; a name NER calls a person only whole ('deploy to Goma': the town decides, see _resolve)."""
    first = prep.i + 1 + (prep.i + 1 < len(doc) and doc[prep.i + 1].lower_ in rules.placing_adjectives)
    end = first
    while end < len(doc) and (_name_token(doc[end]) or end > first and _glued_hyphen(doc, end)
                              or _arabic_article(doc, end)):
        end += 1
    if end == first and end < len(doc) and _name_token(doc[end], ("PERSON",)) and doc[end].ent_iob_ == "B":
        stop = end + 1
        while stop < len(doc) and doc[stop].ent_iob_ == "I" and (
                _name_token(doc[stop], ("PERSON",)) or _inner_hyphen(doc, stop)
                or doc[stop].lower_ in ARABIC_ARTICLES and not doc[stop].whitespace_):
            stop += 1  # 'Bab al-Tabbaneh' taken for a person is still one name
        return [doc[end:stop]] if _whole_entity(doc, end, stop) else []
    if prep.lower_ == "for":
        return [doc[first:end]] if end > first else []  # a remit is named whole: 'for Human Rights' is no 'Human'
    return [doc[first:stop] for stop in range(end, first, -1)]



def _name_ending_at(doc: Doc, token: Token) -> list[Span]:
    """The name whose last word is the token, with its compound words; a person's name only whole."""
    allowed = (*NAME_LABELS, "PERSON")
    start = token.i
    while start > 0 and doc[start - 1].dep_ == "compound" and _name_token(doc[start - 1], allowed):
        start -= 1
    if start >= 2 and _inner_hyphen(doc, start - 1) and doc[start - 2].lower_ in ARABIC_ARTICLES:
        start -= 2  # 'entered al-Qobbeh'
        if start >= 1 and _name_token(doc[start - 1], allowed) and doc[start - 1].whitespace_:
            start -= 1  # 'Bab al-Tabbaneh'

    return [doc[start:token.i + 1]] if token.ent_type_ != "PERSON" or _whole_entity(doc, start, token.i + 1) else []


def _coordinated_with_located(token: Token) -> bool:
    """A conjunct of the object of a place preposition ('through Tbilisi and Batumi')."""
    head = token.head
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    return token.dep_ == "conj" and head.dep_ == "pobj" and head.head.lower_ in PLACE_PREPOSITIONS


def entered(token: Token, rules: Rules) -> bool:
    """The object of a verb of going somewhere ('patrols entered al-Qobbeh', 'the convoy reached X')."""
    return token.dep_ == "dobj" and bool(_word(token.head) & rules.locative_verbs)


def locative_proper_nouns(doc: Doc, rules: Rules) -> list[Span]:
    """Proper nouns after a locative preposition, a place verb ('rebels seized Goma') or coordinated
    with a located name, that NER left untagged or mislabelled ('in Gyumri', 'in Alma-Ata', 'through
    Tbilisi and Batumi', 'the road between Misrata and Sirte')."""
    spans = []
    for token in doc:
        if _place_preposition(token, rules):
            spans += _after_preposition(doc, token, rules)
        elif _name_token(token, (*NAME_LABELS, "PERSON")) and (
                place_verb_use(token, rules) or _coordinated_with_located(token) or entered(token, rules)):
            spans += _name_ending_at(doc, token)
    return [span for span in spans if len(span) and span.text not in rules.ambiguous_names
            and not (span.end < len(doc) and doc[span.end].text == "-" and not doc[span.end - 1].whitespace_)]
