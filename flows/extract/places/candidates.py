"""Place-name candidates: dictionary matches, NER entities, proper nouns in locative positions, datelines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from flows.extract import dateline as _dateline  # noqa: F401  (registers Doc._.datelines)
from flows.extract.grammar import PLACE_PREPOSITIONS
from flows.extract.places.context import _subdivision, demonym_countries, story_countries
from flows.extract.places.gazetteer import (
    CONTAINER_LABELS,
    DATELINE_LABEL,
    FUZZY_LABELS,
    NER_FEATURE,
    NER_PLACE_LABELS,
    PERSON_CITY_POPULATION,
    SYNTAX_ALT_NAME_POPULATION,
    SYNTAX_LABEL,
    TRAILING_POSSESSIVES,
    Gazetteer,
    Rules,
    _fold,
    _fuzzy_lookup,
    _lookup,
    load_gazetteer,
)
from flows.extract.places.heads import (
    ARABIC_ARTICLES,
    HEAD_LABEL,
    PAIR_DASHES,
    _is_name,
    _name_end,
    _name_start,
    appositive_spans,
    approach_spans,
    head_noun_spans,
    named_landmark_spans,
    resolve_head,
    venue_spans,
)
from flows.extract.places.location import (
    _dateline_places,
    _word,
    place_verb_use,
    placed_by_adjective,
)
from flows.extract.places.syntax import entered, entity_at, listed_names, locative_proper_nouns
from flows.ids import slugify
from flows.records import Place

# A name no data set knows, placed only by what is done to it ('captured Rumangabo'): a known organisation
# of that name is the organisation ('hit Hezbollah').
PLACE_VERB_METHOD = "place-verb"

# --- Matching -------------------------------------------------------------------------------------

_MATCHERS: dict[int, tuple[Vocab, PhraseMatcher]] = {}


def _matcher(vocab: Vocab) -> PhraseMatcher:
    """A case-sensitive PhraseMatcher over all gazetteer, country, state and large-city names."""
    cached = _MATCHERS.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1]
    matcher = PhraseMatcher(vocab, attr="ORTH")
    matcher.add("PLACE", [Doc(vocab, words=words) for words in _pattern_words()])
    matcher.add(DIVISION_LABEL, [Doc(vocab, words=name.split(" ")) for name in load_gazetteer().division_names])
    _MATCHERS[id(vocab)] = (vocab, matcher)
    return matcher


@lru_cache(maxsize=1)
def _pattern_words() -> tuple[tuple[str, ...], ...]:
    """Tokenise the names once with spaCy's English tokenizer rules."""
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    return tuple(tuple(token.text for token in tokenizer(name)) for name in load_gazetteer().matcher_names)


@dataclass
class _Candidate:
    start: int
    end: int
    label: str
    from_matcher: bool
    place: Place | None = None
    city_ids: tuple[int, ...] = ()
    method: str = ""
    use: bool = False
    qualifies: int | None = None
    qualified_by: list[int] = field(default_factory=list)
    head: str = ""

    def span(self, doc: Doc) -> Span:
        return doc[self.start:self.end]

    @property
    def feature(self) -> str:
        if self.method == "ner":
            return "unknown"
        if self.place is not None:
            return self.place.feature
        return "city" if self.city_ids else "unknown"


def _trim(span: Span) -> Span | None:
    """Drop a leading 'the', a trailing possessive and edge punctuation from an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].text in TRAILING_POSSESSIVES or doc[end - 1].is_punct
                           and doc[end - 1].text not in (".",)):
        end -= 1
    return doc[start:end] if end > start else None


def _split_commas(span: Span) -> list[Span]:
    """'Paris, Texas' tagged as one entity becomes two candidates."""
    parts: list[Span] = []
    start = span.start
    for token in span:
        if token.text == ",":
            if token.i > start:
                parts.append(span.doc[start:token.i])
            start = token.i + 1
    if start < span.end:
        parts.append(span.doc[start:span.end])
    return parts


def _entity_spans(doc: Doc, labels: Iterable[str]) -> list[tuple[Span, str]]:
    wanted = set(labels)
    spans = []
    for ent in doc.ents:
        if ent.label_ in wanted:
            trimmed = _trim(ent)
            if trimmed is not None:
                spans.append((trimmed, ent.label_))
    return spans


def _inside_container(doc: Doc, start: int, end: int) -> bool:
    """True when the tokens lie strictly inside a longer non-place entity ('the Gaza War')."""
    token = doc[start]
    ent_label = token.ent_type_
    if not ent_label or ent_label not in CONTAINER_LABELS:
        return False
    ent = entity_at(doc, start)  # entities do not overlap: only the one holding the first token can hold all
    if ent is None or end > ent.end:
        return False
    trimmed = _trim(ent)
    if trimmed is None or (start, end) in listed_names(trimmed):
        return False
    return (trimmed.start, trimmed.end) != (start, end) and trimmed.start <= start and end <= trimmed.end



def _part_of_name(doc: Doc, cand: _Candidate, rules: Rules) -> bool:
    """A place name inside another name: 'the Gaza War', 'Minsk Group', 'Washington Post', 'the Framework
    Agreement on the Bangsamoro'."""
    if cand.end < len(doc) and doc[cand.end].text in rules.name_heads:
        return True
    before = cand.start - (1 if cand.start > 0 and doc[cand.start - 1].lower_ == "the" else 0)
    if before >= 2 and doc[before - 1].lower_ == "on" and doc[before - 2].text in rules.name_heads:
        return True  # the subject of a named document or body: 'the Comprehensive Agreement on the Bangsamoro'
    if cand.start > 0 and doc[cand.start - 1].lower_ in PLACE_PREPOSITIONS \
            and doc[cand.start - 1].pos_ == "ADP":
        return False  # 'Rivals Resume Talks In Jeddah' chunked as one entity by NER: the place still counts
    return _inside_container(doc, cand.start, cand.end)


def _overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a[0] < end and start < a[1] for start, end in spans)


def _collect(doc: Doc, gaz: Gazetteer) -> list[_Candidate]:
    """Matcher hits and NER place entities, longest first, without overlaps."""
    ambiguous = gaz.rules.ambiguous_names
    raw: list[_Candidate] = []
    division = doc.vocab.strings[DIVISION_LABEL]
    for match_id, start, end in _matcher(doc.vocab)(doc):
        if match_id == division:
            raw.append(_Candidate(start, end, DIVISION_LABEL, False))
            continue
        if doc[start:end].text in ambiguous and doc[start].ent_type_ not in ("GPE", "LOC"):
            continue
        raw.append(_Candidate(start, end, doc[start].ent_type_, True))
    for span, label in _entity_spans(doc, NER_PLACE_LABELS | FUZZY_LABELS):
        for part in _split_commas(span) if label in NER_PLACE_LABELS else [span]:
            raw.append(_Candidate(part.start, part.end, label, False))
    for span in locative_proper_nouns(doc, gaz.rules):
        raw.append(_Candidate(span.start, span.end, SYNTAX_LABEL, False))
    for start, end in _dateline_places(doc):
        raw.append(_Candidate(start, end, DATELINE_LABEL, False))
    for start, end in _hyphen_compounds(doc):
        raw.append(_Candidate(start, end, HYPHEN_LABEL, False))
    for start, end, head in head_noun_spans(doc, gaz.rules.head_nouns) + appositive_spans(
            doc, gaz.rules.head_nouns) + named_landmark_spans(
            doc, gaz.rules.landmark_name_heads, gaz.rules.numbered_route_heads, gaz.rules.landmark_name_prefixes) \
            + venue_spans(doc, gaz.rules.venue_name_heads) + approach_spans(doc, gaz.rules.approach_heads):
        raw.append(_Candidate(start, end, HEAD_LABEL, False, head=head))
    priority = {True: 0, False: 1}
    raw.sort(key=lambda c: (c.label != DATELINE_LABEL, -(c.end - c.start), c.label != HEAD_LABEL,
                            priority[c.from_matcher], c.label == SYNTAX_LABEL, c.start))
    taken: set[int] = set()
    kept: list[_Candidate] = []
    story = _story_countries(doc, gaz, raw)
    for cand in raw:
        tokens = set(range(cand.start, cand.end))
        if tokens & taken or cand.label not in (DATELINE_LABEL, HEAD_LABEL) and _part_of_name(doc, cand, gaz.rules):
            continue
        if not _resolve(doc, gaz, cand, story):
            continue
        taken |= tokens
        kept.append(cand)
    kept += _coordinated_names(doc, gaz, kept, taken, story)
    kept += _pair_parts(doc, gaz, kept, story)
    kept += _acronyms(doc, kept, taken)
    kept += _short_forms(doc, gaz, kept, taken)
    _regions_holding_settlements(doc, gaz, kept, story)
    kept.sort(key=lambda c: c.start)
    return kept


def _acronym_of(doc: Doc, cand: _Candidate) -> str:
    """The acronym in brackets right after a name that its initials spell ('the Administrative Boundary
    Line (ABL)', 'the Line of Contact (LoC)'), else ''."""
    end = cand.end
    if end + 2 >= len(doc) or doc[end].text != "(" or doc[end + 2].text != ")":
        return ""
    acronym = doc[end + 1].text
    initials = "".join(token.text[0] for token in cand.span(doc) if token.text[:1].isupper())
    capitals = "".join(char for char in acronym if char.isupper())
    return acronym if acronym.isalpha() and len(capitals) >= 2 and capitals == initials.upper() else ""


def _acronyms(doc: Doc, kept: list[_Candidate], taken: set[int]) -> list[_Candidate]:
    """Every use of a place's acronym is that place ('... (ABL). Police patrol the ABL')."""
    found: list[_Candidate] = []
    for cand in list(kept):
        acronym = _acronym_of(doc, cand) if cand.place is not None and cand.place.feature != "country" else ""
        if not acronym:
            continue
        for token in (t for t in doc if t.text == acronym and t.i not in taken):
            taken.add(token.i)
            found.append(_Candidate(token.i, token.i + 1, cand.label, False, cand.place, cand.city_ids,
                                    f"{cand.method}+acronym", head=cand.head))
    return found


def _short_forms(doc: Doc, gaz: Gazetteer, kept: list[_Candidate], taken: set[int]) -> list[_Candidate]:
    """'south of the Litani River ... north of the Litani': a place named once with the noun that belongs to
    its name (a river, a valley, a bridge) is the same place after 'the' without it, unless the short name
    is a place of its own (a country, a gazetteer name)."""
    nouns = {noun for noun, spec in gaz.rules.head_nouns.items() if spec.get("keep")}
    found: list[_Candidate] = []
    for cand in list(kept):
        span = cand.span(doc)
        if cand.place is None or len(span) < 2 or span[-1].lower_ not in nouns:
            continue
        words = [token.text for token in span[:-1]]
        short = " ".join(words)
        if _fold(short) in gaz.country_names or _fold(short) in gaz.entry_names or short in gaz.demonyms:
            continue
        for start in range(1, len(doc) - len(words) + 1):
            end = start + len(words)
            if doc[start - 1].lower_ != "the" or [t.text for t in doc[start:end]] != words \
                    or any(i in taken for i in range(start, end)) or end < len(doc) and doc[end].is_title:
                continue
            taken |= set(range(start, end))
            found.append(_Candidate(start, end, HEAD_LABEL, False, cand.place, cand.city_ids,
                                    f"{cand.method}+short", head=cand.head))
    return found


def _regions_holding_settlements(doc: Doc, gaz: Gazetteer, kept: list[_Candidate], story: frozenset[str]) -> None:
    """'villages in Sagaing and Magway': a name that holds villages or towns is the province of that name
    (when GeoNames has one in the country of the same-named town), not the town."""
    plural_settlements = {noun for noun, spec in gaz.rules.head_nouns.items()
                          if noun.endswith("s") and spec["feature"] in ("village", "city", "admin2")}
    for cand in kept:
        root = _conjuncts(cand.span(doc).root)[0]
        prep = root.head
        if root.dep_ != "pobj" or prep.lower_ != "in" or prep.head.lower_ not in plural_settlements:
            continue
        if (cand.place is not None and cand.place.feature != "city") or not (cand.place or cand.city_ids):
            continue
        region = _subdivision(gaz, cand.span(doc).text, story)
        towns = {gaz.iso3_by_iso2.get(gaz.cities[i]["countrycode"]) for i in cand.city_ids}
        if region is not None and region.feature == "admin1" and region.country_iso3 in (
                towns or {cand.place.country_iso3 if cand.place else None}):
            cand.place, cand.city_ids, cand.method = region, (), "geonames-subdivision"


COORD_LABEL = "COORD"
COORD_FEATURES = frozenset({"city", "village", "admin1", "admin2", "landmark", "region"})


def _conjuncts(token: Token) -> list[Token]:
    """Every member of the coordination the token belongs to ('in Khiam, Kfar Kila and Aitaroun')."""
    root = token
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    members, todo = [root], [root]
    while todo:
        for child in todo.pop().children:
            if child.dep_ == "conj":
                members.append(child)
                todo.append(child)
    return members


def _coordinated_names(doc: Doc, gaz: Gazetteer, kept: list[_Candidate], taken: set[int],
                       story: frozenset[str] = frozenset()) -> list[_Candidate]:
    """Names coordinated with a town, region or landmark are places of the same kind, whatever NER calls
    them ('Tyre and Nabatieh', 'Khiam, Kfar Kila and Aitaroun', 'Lanao del Sur and Basilan'): GeoNames
    resolves them where it can, else they keep the name as written."""
    found: list[_Candidate] = []
    for cand in kept:
        feature = cand.place.feature if cand.place is not None else cand.feature
        if feature not in COORD_FEATURES or cand.label == DATELINE_LABEL:
            continue
        for token in _conjuncts(cand.span(doc).root):
            if token.i in taken or not _is_name(token) or "\n" in doc[min(token.i, cand.start):
                                                                    max(token.i, cand.start) + 1].text:
                continue
            start = _name_start(doc, token.i + 1)
            end = _name_end(doc, start)
            if start > token.i or end <= token.i or any(i in taken for i in range(start, end)):
                continue
            extra = _Candidate(start, end, COORD_LABEL, False)
            if _resolve_coordinated(doc, gaz, extra, story):
                taken |= set(range(start, end))
                found.append(extra)
    return found




def _pair_parts(doc: Doc, gaz: Gazetteer, kept: list[_Candidate],
                story: frozenset[str] = frozenset()) -> list[_Candidate]:
    """'the Gondar–Metemma road', 'the Juba–Nimule road': a route or line named by the two places
    it joins names both of them too (each resolved as a coordinated name), beside the route itself."""
    parts: list[_Candidate] = []
    for cand in kept:
        if cand.label != HEAD_LABEL or cand.head not in gaz.rules.between_heads:
            continue
        dashes = [i for i in range(cand.start + 1, cand.end - 1) if doc[i].text in PAIR_DASHES]
        if len(dashes) != 1:
            continue
        name_end = next((i for i in range(dashes[0] + 1, cand.end) if doc[i].is_lower), cand.end)
        whole, ids, _ = _lookup(gaz, doc[cand.start:name_end].text)
        if whole is not None or ids:
            continue  # one hyphenated name ('the Nagorno-Karabakh road')
        for start, end in ((cand.start, dashes[0]), (dashes[0] + 1, name_end)):
            part = _Candidate(start, end, HEAD_LABEL, False)
            if end > start and _resolve_coordinated(doc, gaz, part, story):
                parts.append(part)
    return parts


def _resolve_coordinated(doc: Doc, gaz: Gazetteer, cand: _Candidate, story: frozenset[str] = frozenset()) -> bool:
    """A coordinated name: a GeoNames town or subdivision, else a village known by its name only."""
    text = cand.span(doc).text
    if text in gaz.rules.ambiguous_names or not _plausible_name(cand.span(doc)):
        return False
    place, ids, method = _lookup(gaz, text)
    if place is not None and place.feature == "country":
        return False
    if place is None and not ids:
        place, method = _subdivision(gaz, text, story), "geonames-subdivision"
    if place is None and not ids:
        place, method = Place(f"place:{slugify(text)}", text, "village", None, None, None), "coordinated"
    cand.place, cand.city_ids, cand.method = place, ids, method
    return True


HYPHEN_LABEL = "HYPHEN"
DIVISION_LABEL = "DIVISION"


def _hyphen_compounds(doc: Doc) -> list[tuple[int, int]]:
    """Hyphen-joined names ('Crans-Montana'): kept only when the whole name is a known place, so that a
    part of it ('Montana') is not taken for another place."""
    spans = []
    index = 1
    while index < len(doc) - 1:
        if doc[index].text == "-" and not doc[index - 1].whitespace_ and not doc[index].whitespace_ \
                and doc[index - 1].is_title and doc[index + 1].is_title:
            end = index + 2
            while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
                    and not doc[end].whitespace_ and doc[end + 1].is_title:
                end += 2
            spans.append((index - 1, end))
            index = end
        index += 1
    return spans


def _known_city_name(gaz: Gazetteer, text: str) -> bool:
    """A GeoNames city name, or another spelling of a large city ('Kiev')."""
    key = _fold(text)
    if key in gaz.city_names or key.replace("-", " ") in gaz.city_names:
        return True
    return any(gaz.cities[i]["population"] >= SYNTAX_ALT_NAME_POPULATION
               for i in gaz.city_alt_names.get(key, ()) + gaz.city_alt_names.get(key.replace("-", " "), ()))


def _large_city_name(gaz: Gazetteer, text: str) -> bool:
    key = _fold(text)
    ids = gaz.city_names.get(key, ()) + gaz.city_alt_names.get(key, ())
    return any(gaz.cities[i]["population"] >= PERSON_CITY_POPULATION for i in ids)


def _story_countries(doc: Doc, gaz: Gazetteer, raw: list[_Candidate]) -> frozenset[str]:
    """The countries an article names outright or through a demonym ('Lebanese'), ranked by mentions."""
    countries = {(c.start, c.end): gaz.country_names[_fold(c.span(doc).text)] for c in raw
                 if c.from_matcher and _fold(c.span(doc).text) in gaz.country_names}
    inside = {i for start, end in countries for i in range(start, end)}  # 'Saudi' in 'Saudi Arabia' counts once
    demonyms = [code for index, code in demonym_countries(doc, gaz.demonyms) if index not in inside]
    return story_countries(Counter([gaz.places[key].country_iso3 for key in countries.values()] + demonyms))


def _town_of_story(gaz: Gazetteer, text: str, story: frozenset[str]) -> bool:
    """A GeoNames town of a country the article names, by its name or another spelling ('approaching Kfar
    Kila' in a story on Lebanon, 'returns to Qaraqosh' in a story on Iraq)."""
    key = _fold(text)
    return any(gaz.iso3_by_iso2.get(gaz.cities[i]["countrycode"]) in story
               for i in gaz.city_names.get(key, ()) + gaz.city_alt_names.get(key, ()))


def _resolve(doc: Doc, gaz: Gazetteer, cand: _Candidate, story: frozenset[str] = frozenset()) -> bool:
    """Fill in the candidate's place or city candidates; False when nothing fits. A name no data set knows
    is a place when the words around it place it: seized, shelled or entered, near or in a known place."""
    span = cand.span(doc)
    next_word = doc[cand.end].text if cand.end < len(doc) else ""
    if cand.label == SYNTAX_LABEL and not _known_city_name(gaz, span.text) \
            and _subdivision(gaz, span.text, story) is None:
        placed = placed_by_adjective(doc, cand, gaz.rules) or cand.start > 0 and doc[cand.start - 1].lower_ == "near" \
            or entered(span.root, gaz.rules) and (span[0].ent_type_ != "PERSON"
                                                   or bool(_word(span.root.head) & gaz.rules.entry_verbs)) \
            or (span[0].ent_type_ != "PERSON" or doc[cand.start - 1].lower_ == "in") \
            and _placed_in_known_place(doc, gaz, cand)
        seized = not placed and span[0].ent_type_ != "PERSON" and place_verb_use(span.root, gaz.rules)
        if not (placed or seized) or not _plausible_name(span) or span[-1].text in gaz.rules.name_heads:
            return False  # only GeoNames city and province names, the rest is too often a person or a month
        bare = doc[span.start + 2:span.end].text if span[0].lower_ in ARABIC_ARTICLES else ""  # also 'Qobbeh'
        cand.place, cand.method = Place(f"place:{slugify(span.text)}", span.text, "village", None, None, None,
                                        [bare] if bare else []), "placed-in" if placed else PLACE_VERB_METHOD
        return True
    if cand.label == SYNTAX_LABEL and span[0].ent_type_ == "PERSON" and not _large_city_name(gaz, span.text) \
            and not _town_of_story(gaz, span.text, story) and not placed_by_adjective(doc, cand, gaz.rules) \
            and not _word(span.root.head) & gaz.rules.entry_verbs:
        return False
    if cand.label == DIVISION_LABEL:
        named = [gaz.subdivisions[i] for i in dict.fromkeys(gaz.subdivision_names.get(_fold(span.text), ()))]
        divisions = [d for d in named if d.feature == "admin1" and d.country_iso3 in story]
        cand.place, cand.method = (divisions[0] if divisions else None), "geonames-subdivision+story"
        return len(divisions) == 1
    if cand.label == HEAD_LABEL:
        cand.place, cand.city_ids, cand.method = resolve_head(gaz, span.text, cand.head, story)
        return cand.place is not None or bool(cand.city_ids)
    if cand.label == DATELINE_LABEL:
        place, ids, method = _lookup(gaz, span.text)
        cand.place, cand.city_ids, cand.method = place, ids, method
        return place is not None or bool(ids)
    place, ids, method = _lookup(gaz, span.text, next_word)
    if not cand.from_matcher and cand.label in FUZZY_LABELS - NER_PLACE_LABELS \
            and (place is None or place.feature == "city"):
        # A person or organisation label naming a small city is a name, not a place ('Clinton').
        place, ids = None, ()
    if place is None and not ids and cand.label in FUZZY_LABELS:
        place = _fuzzy_lookup(gaz, span.text)
        method = "fuzzy"
    if place is None and not ids and (cand.label in (*NER_PLACE_LABELS, SYNTAX_LABEL) or len(span) > 1):
        place, method = _subdivision(gaz, span.text, story), "geonames-subdivision"
    if place is None and not ids:
        if cand.from_matcher or cand.label not in NER_PLACE_LABELS or not _plausible_name(span) \
                or span.text in gaz.demonyms or span[-1].text in gaz.rules.body_name_heads:  # 'the Angolan capital'
            return False
        feature = gaz.rules.feature_heads.get(next_word.lower(), NER_FEATURE[cand.label])
        place = Place(f"place:{slugify(span.text)}", span.text, feature, None, None, None)
        method = "ner"
        cand.label = cand.label or "GPE"
    cand.place, cand.city_ids, cand.method = place, ids, method
    return True


def _placed_in_known_place(doc: Doc, gaz: Gazetteer, cand: _Candidate) -> bool:
    """A name after a place preposition that the text places in a country or a known town ('from Glion, in
    Switzerland', 'clashes in Jabal Mohsen in Tripoli': a district named without its noun): a place,
    though no data set knows it."""
    index = cand.end + (cand.end < len(doc) and doc[cand.end].text == ",")
    if index + 1 >= len(doc) or doc[index].lower_ != "in":
        return False
    start = index + 1 + (doc[index + 1].lower_ == "the")
    holder = _fold(doc[start:_name_end(doc, start)].text) if start < len(doc) else ""
    return bool(holder) and (holder in gaz.country_names or holder in gaz.city_names)


def _plausible_name(span: Span) -> bool:
    """A name only NER knows: capitalised words (an Arabic article may open it: 'al-Qobbeh'), no digits,
    some length."""
    text = span.text
    return (len(text) >= 3 and (text[0].isupper() or span[0].lower_ in ARABIC_ARTICLES and len(span) > 2)
            and not any(char.isdigit() for char in text)
            and all(token.is_title or not token.is_alpha or token.is_stop or token.lower_ in ARABIC_ARTICLES
                    for token in span))

