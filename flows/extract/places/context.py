"""Disambiguation: qualifiers (Paris, Texas), the countries and points an article names, population."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from flows.extract import dateline as _dateline  # noqa: F401  (registers Doc._.datelines)
from flows.extract.annotate import doc_text
from flows.extract.places.gazetteer import (
    BOOST_ADMIN1,
    BOOST_CAPITAL,
    BOOST_COUNTRY,
    BOOST_NEAR,
    MODIFIER_DEPS,
    NEAR_KM,
    SYNTAX_ALT_NAME_POPULATION,
    Gazetteer,
    _city_place,
    _fold,
)
from flows.records import Place

# --- Disambiguation ----------------------------------------------------------------------------------

# A capital, or a city at least this large, keeps its name against a smaller town of a named country
# DWARF_RATIO times smaller ('talks in Geneva' stay in Switzerland when the article names the United States;
# 'Tripoli' in a story about Lebanon, a city itself, stays there).
WORLD_CITY_POPULATION = 100_000
DWARF_RATIO = 5

if TYPE_CHECKING:
    from flows.extract.places.candidates import _Candidate


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
    context.countries.update(code for _, code in demonym_countries(doc, gaz.demonyms))
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

    prominent = [gaz.cities[i]["population"] for i in ids
                 if i in gaz.capitals or gaz.cities[i]["population"] >= WORLD_CITY_POPULATION]
    largest = max(prominent, default=0)

    def score(geonameid: int) -> tuple[float, int, int]:
        record = gaz.cities[geonameid]
        value = math.log10(record["population"] + 1)
        dwarfed = record["population"] < WORLD_CITY_POPULATION and record["population"] * DWARF_RATIO < largest
        if gaz.iso3_by_iso2.get(record["countrycode"]) in context.countries and not dwarfed:
            value += BOOST_COUNTRY
        if geonameid in gaz.capitals:
            value += BOOST_CAPITAL
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


def _link_qualifiers(doc: Doc, gaz: Gazetteer, cands: list[_Candidate]) -> None:
    """'Paris, Texas, U.S.': each name after a comma narrows the one before it."""
    for index in range(1, len(cands)):
        before, cand = cands[index - 1], cands[index]
        between = doc_text(doc)[before.span(doc).end_char:cand.span(doc).start_char]
        if not re.fullmatch(r"\s*,\s*", between) or _modifies_what_follows(doc, cand):
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



def _modifies_what_follows(doc: Doc, cand: _Candidate) -> bool:
    """'In Washington, U.S. Secretary of State Antony Blinken said', 'in Bolívar, Colombia's army said': a
    name modifying or owning the noun after it opens a new phrase; it qualifies no place before the comma."""
    root = cand.span(doc).root
    return (root.dep_ in MODIFIER_DEPS or root.dep_ == "poss") and root.head.i >= cand.end


def _story_admin1(gaz: Gazetteer, name: str, city: dict, countries: set[str]) -> Place | None:
    """'Kachin', 'Kayah', 'Antioquia' without their head noun: the first-order division of that name in a
    country the article names wins over a namesake town abroad or a small town of the same country
    (a division is named before its town in conflict news); of two such countries, the one named most. A
    town abroad known by that name only as another spelling ('Shan' for China's Shancheng) is no namesake."""
    ids = gaz.subdivision_names.get(_fold(name)) or gaz.subdivision_names.get(_fold(name).replace("-", " "), ())
    divisions = [gaz.subdivisions[i] for i in ids]
    town_country = gaz.iso3_by_iso2.get(city["countrycode"])
    if town_country in countries and city["population"] >= SYNTAX_ALT_NAME_POPULATION and (
            _fold(city["name"]) == _fold(name) or town_country in {d.country_iso3 for d in divisions}):
        return None
    return next(iter(_most_named([d for d in divisions if d.feature == "admin1" and d.country_iso3 in countries],
                                 countries)), None)


def demonym_countries(doc: Doc, demonyms: dict[str, str]) -> list[tuple[int, str]]:
    """(token index, country) of each demonym, two-word ones first: 'South Sudanese' names South Sudan,
    not Sudan; 'North Korean' North Korea. Found once per document and word list (several stages ask)."""
    key = ("accord.places.demonyms", id(demonyms))
    found = doc.user_data.get(key)
    if found is None:
        found = doc.user_data[key] = _demonym_countries(doc, demonyms)
    return list(found)


def _demonym_countries(doc: Doc, demonyms: dict[str, str]) -> tuple[tuple[int, str], ...]:
    words = [token.text for token in doc]
    spaces = [token.whitespace_ for token in doc]
    # A two-token span's text: the first word, the space after it (never a line break), the second word.
    pairs = [word + space + following for word, space, following in zip(words[:-1], spaces[:-1], words[1:],
                                                                         strict=True)]
    found: list[tuple[int, str]] = []
    index = 0
    while index < len(words):
        pair = pairs[index] if index < len(pairs) else ""
        if pair in demonyms:
            found.append((index, demonyms[pair]))
            index += 2
            continue
        if words[index] in demonyms:
            found.append((index, demonyms[words[index]]))
        index += 1
    return tuple(found)


class StoryCountries(frozenset):
    """The countries an article names; `ranked` lists them most named first."""

    ranked: tuple[str, ...] = ()


def story_countries(counts: Counter) -> StoryCountries:
    """The countries of a count of country mentions, ranked."""
    story = StoryCountries(code for code in counts if code)
    story.ranked = tuple(code for code, _ in counts.most_common() if code)
    return story


def _most_named(places: list[Place], story: frozenset[str]) -> list[Place]:
    """Of places lying in several of the story's countries, those in the one the article names most."""
    countries = {place.country_iso3 for place in places}
    best = next((code for code in getattr(story, "ranked", ()) if code in countries), None)
    return [place for place in places if place.country_iso3 == best] if len(countries) > 1 and best else places


def _subdivision(gaz: Gazetteer, text: str, story: frozenset[str] = frozenset(),
                 feature: str = "") -> Place | None:
    """The GeoNames province or district of that name in the one country of the article's countries that
    has one ('Al Jawf' in a story on Yemen, not Saudi Arabia's; no Argentine 'La Candelaria' in a story
    on Bogotá), or, in an article naming no country, in the one country that has one; a province before a
    district of the same name ('Bolívar'). A noun that says the level ('the Donetsk region' is a
    province) keeps the divisions of that level when any has the name."""
    ids = gaz.subdivision_names.get(_fold(text)) or gaz.subdivision_names.get(_fold(text.replace("-", " "))) or ()
    named = [gaz.subdivisions[i] for i in dict.fromkeys(ids)]
    named = [place for place in named if place.feature == feature] or named
    if story or len({place.country_iso3 for place in named}) > 1:
        named = _most_named([place for place in named if place.country_iso3 in story], story) \
            or ([] if story else named)
    if not named or len({place.country_iso3 for place in named}) > 1:
        return None
    return min(named, key=lambda place: place.feature != "admin1")
