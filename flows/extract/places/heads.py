"""Place names marked by the noun after them: 'the Gazakh district', 'Voskepar village', 'the Hakari
bridge', 'the Jarinje and Merdare crossings'. The noun makes the name a place whatever NER calls it (a
village is often tagged as a person); the rule's nouns, with the feature each gives and whether the noun
belongs to the name, are `head_nouns` in `schemas/gazetteer.yaml`.

Provinces and districts resolve to GeoNames subdivisions (with their ids), villages and towns to GeoNames
populated places, landmarks to gazetteer entries; a name no data set knows still becomes a place with a
stable slug, named as the text names it ('Gazakh District', 'Hakari bridge').
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from spacy.tokens import Doc, Token

from flows.extract.places.context import _subdivision
from flows.extract.places.gazetteer import Gazetteer, _fold, _fuzzy_lookup, _lookup
from flows.ids import slugify
from flows.records import Place

HEAD_LABEL = "HEAD"
NAME_GLUE = frozenset({"al", "el", "del", "de", "la", "-", "–"})
# Lower-case Arabic articles a hyphen glues to the name they open ('al-Jawf', 'ez-Zor', 'ash-Shuhada').
ARABIC_ARTICLES = frozenset({"al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "ed", "en", "er", "es", "et", "ez",
                             "ul"})
COORDINATION = frozenset({",", "and", "or"})
PAIR_DASHES = frozenset({"–", "—", "-"})  # 'the Juba–Nimule road': a route or point between two places
ADMIN_FEATURES = ("admin1", "admin2")
SETTLEMENTS = ("village", "city")
NAMED_LANDMARK = {"feature": "landmark", "keep": True}  # a capitalised landmark noun ends its own name
NOMINAL_DEPS = frozenset({"pobj", "dobj", "nsubj", "nsubjpass", "conj", "appos"})


def _is_name(token: Token) -> bool:
    return ((token.pos_ == "PROPN" or token.ent_type_ in ("GPE", "LOC", "FAC")) and token.text[:1].isupper()
            and token.ent_type_ not in ("NORP", "DATE"))


def _glue_before(doc: Doc, index: int) -> int:
    """How many tokens ending at `index` join two parts of one name: a word such as 'del' or a dash
    ('Lanao del Sur', 'Juba–Nimule'), or an Arabic article glued to a hyphen ('Bab al-Tabbaneh', 'Deir
    ez-Zor'); 0 when none."""
    if index >= 1 and doc[index].text == "-" and _article_glued(doc, index - 1):
        return 2
    return int(index >= 0 and doc[index].text in NAME_GLUE)


def _glue_after(doc: Doc, index: int) -> int:
    """How many tokens starting at `index` join two parts of one name (see `_glue_before`)."""
    if _article_glued(doc, index):
        return 2
    return int(index < len(doc) and doc[index].text in NAME_GLUE)


def _article_glued(doc: Doc, index: int) -> bool:
    """A lower-case Arabic article glued by a hyphen to the word after it ('al-', 'ez-')."""
    return 0 <= index < len(doc) - 2 and doc[index].text in ARABIC_ARTICLES and not doc[index].whitespace_ \
        and doc[index + 1].text == "-" and not doc[index + 1].whitespace_


def _name_start(doc: Doc, end: int, is_name: Callable[[Token], bool] = _is_name) -> int:
    """First token of the proper name ending right before `end` ('Baghanis Ayrum', 'Juba–Nimule', 'Bab
    al-Tabbaneh')."""
    start = end
    while start > 0:
        glue = _glue_before(doc, start - 1) if start < end else 0
        if is_name(doc[start - 1]):
            start -= 1
        elif glue and start - 1 - glue >= 0 and is_name(doc[start - 1 - glue]):
            start -= glue
        else:
            break
    while start < end and doc[start].text in NAME_GLUE:
        start += 1
    return start


def _name_end(doc: Doc, start: int, is_name: Callable[[Token], bool] = _is_name) -> int:
    """One past the last token of the proper name starting at `start` ('Baghanis Ayrum', 'Kfar Kila', 'Deir
    ez-Zor')."""
    end = start
    while end < len(doc):
        glue = _glue_after(doc, end) if end > start else 0
        if is_name(doc[end]):
            end += 1
        elif glue and end + glue < len(doc) and is_name(doc[end + glue]):
            end += glue
        else:
            break
    return end


def _village_word(token: Token) -> bool:
    """A word of a village's name before 'village' or 'town', whatever its part of speech ('Let Yet Kone
    village'): any capitalised word inside a sentence but a date or a people."""
    return _is_name(token) or token.is_title and not token.is_sent_start and token.ent_type_ not in ("DATE", "NORP")


def _settlement_name(token: Token) -> bool:
    """A name where only a place can stand, even one NER took for a people ('control of Baghanis Ayrum')."""
    return _is_name(token) or token.pos_ == "PROPN" and token.is_title and token.ent_type_ == "NORP"


def _of_settlement_word(token: Token) -> bool:
    """A word of a settlement's name after 'the village of': a name, or any capitalised word but a date or a
    people ('the village of Let Yet Kone', though the tagger makes 'Yet' a conjunction)."""
    return _settlement_name(token) or _village_word(token)


def noun_of_spans(doc: Doc, head_nouns: dict[str, dict]) -> list[tuple[int, int, str]]:
    """'the town of Adwa', 'the villages of Kheyrimli and Ghizilhajili': names after a settlement or an
    administrative noun and 'of'. A noun its own name precedes is followed by what holds it ('the Kurram
    district of Khyber Pakhtunkhwa', 'La Candelaria neighbourhood of Bogotá')."""
    found: list[tuple[int, int, str]] = []
    for token in doc[:-2]:
        spec = head_nouns.get(token.text)
        if spec is None or spec.get("keep") or spec["feature"] == "landmark" or doc[token.i + 1].lower_ != "of" \
                or _name_start(doc, _skip_noun_modifiers(doc, token)) < _skip_noun_modifiers(doc, token):
            continue
        start = token.i + 2
        is_name = _of_settlement_word if spec["feature"] in SETTLEMENTS else _settlement_name
        while start < len(doc) and is_name(doc[start]):
            end = _name_end(doc, start, is_name)
            found.append((start, end, token.text))
            if end + 1 < len(doc) and doc[end].text in COORDINATION and is_name(doc[end + 1]):
                start = end + 1
            elif end + 2 < len(doc) and doc[end].text == "," and doc[end + 1].lower_ == "and":
                start = end + 2
            else:
                break
    return found


def _coordinated_name_before(doc: Doc, start: int) -> bool:
    """Another name joined to the one starting at `start` ('Borno and Yobe', 'Rakhine or Chin'): a plural
    place noun after such a list names each of them."""
    return start >= 2 and doc[start - 1].lower_ in COORDINATION and _is_name(doc[start - 2])


def _skip_noun_modifiers(doc: Doc, head: Token) -> int:
    """Where the name before a place noun ends, past up to two lower-case noun modifiers of that noun
    ('the Jarinje and Merdare border crossings', 'the Jufra air base')."""
    index = head.i
    while index > 0 and head.i - index < 2 and doc[index - 1].pos_ == "NOUN" and doc[index - 1].is_lower \
            and doc[index - 1].dep_ in ("compound", "conj", "nmod") and doc[index - 1].tag_ == "NN":
        index -= 1
    return index


def _people_tagged_name(doc: Doc, index: int) -> bool:
    """A lone proper noun NER took for a people ('Ituri' in 'Ituri province'); a demonym is an adjective
    or is listed (resolve_head rejects those)."""
    return (index > 0 and doc[index].pos_ == "PROPN" and doc[index].ent_type_ == "NORP" and doc[index].is_title
            and doc[index - 1].ent_type_ != "NORP")


def _noun_use(token: Token) -> bool:
    """A noun, or a word the tagger took for a verb standing where a noun does ('at the Ibrahim Khalil
    crossing', 'crossing' tagged as a gerund)."""
    return token.pos_ in ("NOUN", "PROPN") or token.pos_ == "VERB" and token.dep_ in NOMINAL_DEPS


def head_noun_spans(doc: Doc, head_nouns: dict[str, dict]) -> list[tuple[int, int, str]]:
    """(start, end, head noun) of each name a place noun follows or introduces, coordinated names included."""
    found: list[tuple[int, int, str]] = noun_of_spans(doc, head_nouns)
    for token in doc:
        spec = head_nouns.get(token.text)  # lower case only: 'Kachin State' is a name, 'the Tavush province' a noun
        if spec is None or not _noun_use(token) or spec.get("of_only") and not spec.get("after_coordinated"):
            continue
        before = _skip_noun_modifiers(doc, token)
        start = _name_start(doc, before, _village_word if spec["feature"] in SETTLEMENTS else _is_name)
        if start == before and spec["feature"] in ADMIN_FEATURES and _people_tagged_name(doc, before - 1):
            start = before - 1  # 'Ituri province' with Ituri tagged as a people
        if start == before or (start > 0 and (doc[start - 1].ent_type_ == "NORP" or doc[start - 1].pos_ == "ADV")):
            continue  # no name, a demonym ('the Serbian Orthodox monastery'), a people ('a largely Bamar region')
        if spec.get("of_only") and not _coordinated_name_before(doc, start):
            continue  # 'the Gulf states' is no list of states; 'the Mopti and Segou regions' is
        found.append((start, _noun_span_end(doc, token, spec, start, before), token.lower_))
        while start >= 2 and doc[start - 1].text in COORDINATION and _is_name(doc[start - 2]):
            end = start - 1
            start = _name_start(doc, end)
            if not spec.get("keep"):
                found.append((start, end, token.lower_))
    return found


def _noun_span_end(doc: Doc, noun: Token, spec: dict, start: int, before: int) -> int:
    """Where the name a place noun follows ends: after the noun when the noun belongs to the name, or
    when a dash joins two places before it (`pair_tail`: 'the Sarpi–Kemalpaşa crossing point' names the
    point between the towns, not either town); else before the noun."""
    if spec.get("keep"):
        return noun.i + 1
    tail = spec.get("pair_tail")
    if tail is None or not any(doc[i].text in PAIR_DASHES for i in range(start + 1, before - 1)):
        return before
    end = noun.i + 1
    return end + 1 if end < len(doc) and doc[end].lower_ in tail else end


def appositive_spans(doc: Doc, head_nouns: dict[str, dict]) -> list[tuple[int, int, str]]:
    """A name a settlement or division noun renames: 'Rubaya, a mining town in Masisi', 'Bunia, the
    capital of Ituri province' is left to its own rules."""
    found: list[tuple[int, int, str]] = []
    for token in doc:
        spec = head_nouns.get(token.lower_)
        if spec is None or token.dep_ != "appos" or spec["feature"] == "landmark" or not _is_name(token.head):
            continue
        end = token.head.i + 1
        if token.i > end and doc[end].text == ",":
            found.append((_name_start(doc, end), end, token.lower_))
    return found


def named_landmark_spans(doc: Doc, heads: frozenset[str], numbered: frozenset[str],
                         prefixes: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """Names that end in a capitalised landmark noun ('the Administrative Boundary Line', 'the Al-Qasr
    Palace'), begin with one and 'of' ('the Line of Contact'), number a route ('National Road 6') or
    open with a landmark word ('Camp Abubakar')."""
    found: list[tuple[int, int, str]] = []
    for token in doc:
        after = token.i + 1
        if token.text in prefixes and after < len(doc) and _is_name(doc[after]) \
                and _name_start(doc, token.i) == token.i:
            found.append((token.i, _name_end(doc, after), token.lower_))
        if token.text not in heads or not token.is_title:
            continue
        if token.text in numbered and after < len(doc) and token.doc[after].like_num:
            found.append((_name_start(doc, token.i), after + 1, token.lower_))
        elif after + 1 < len(doc) and doc[after].lower_ == "of" and _is_name(doc[after + 1]):
            found.append((_name_start(doc, token.i), _name_end(doc, after + 1), token.lower_))
        elif _name_start(doc, token.i) < token.i and not (after < len(doc) and _is_name(doc[after])):
            found.append((_name_start(doc, token.i), after, token.lower_))
    return found


def approach_spans(doc: Doc, heads: frozenset[str]) -> list[tuple[int, int, str]]:
    """What an attack or an advance heads towards is a place, even a village no data set knows ('launched
    an attack towards Hadrut', 'the advance toward Kreminna'); 'hostility towards Moscow' is no approach."""
    found: list[tuple[int, int, str]] = []
    for token in doc[1:-1]:
        before = {word for t in (token.head, doc[token.i - 1]) for word in (t.lower_, t.lemma_.lower())}
        if token.lower_ in ("towards", "toward") and before & heads and _settlement_name(doc[token.i + 1]):
            found.append((token.i + 1, _name_end(doc, token.i + 1, _settlement_name), "village"))
    return found


def venue_spans(doc: Doc, heads: frozenset[str]) -> list[tuple[int, int, str]]:
    """Buildings named by a capitalised venue noun where something happens at them ('signed at State
    House in Asmara', 'met at the ASEAN Secretariat'); 'State House said' is left to the actors."""
    found: list[tuple[int, int, str]] = []
    for token in doc:
        if token.text not in heads or not token.is_title:
            continue
        start = _name_start(doc, token.i)
        before = start - 1 - (start > 0 and doc[start - 1].lower_ == "the")
        if start < token.i and before >= 0 and doc[before].lower_ == "at":
            found.append((start, token.i + 1, token.lower_))
    return found


def _also_named(place: Place, name: str) -> Place:
    """The subdivision with the name the text gives it among its aliases ('Gali' for Gali District)."""
    if _fold(name) in {_fold(place.name), *(_fold(alias) for alias in place.aliases)}:
        return place
    return replace(place, aliases=[*place.aliases, name])


def _with_town_spelling(gaz: Gazetteer, division: Place, name: str) -> Place:
    """A district or municipality named after its town also goes by the town's GeoNames spelling ('Zvecan
    municipality' is also Zvečan)."""
    towns = [gaz.cities[i]["name"] for i in gaz.city_names.get(_fold(name), ())
             if gaz.iso3_by_iso2.get(gaz.cities[i]["countrycode"]) == division.country_iso3]
    spellings = [town for town in dict.fromkeys(towns) if town not in (division.name, *division.aliases)]
    return replace(division, aliases=[*division.aliases, *spellings]) if spellings else division


def _country_of_town(gaz: Gazetteer, name: str, story: frozenset[str]) -> str | None:
    """A district no data set knows is named after its town ('the Gazakh district'): the country of the
    GeoNames town of that name, when only one of the article's countries (or of all, in an article naming
    none) has one."""
    towns = {gaz.iso3_by_iso2.get(gaz.cities[i]["countrycode"]) for i in gaz.city_names.get(_fold(name), ())}
    towns = towns & story if story else towns
    return next(iter(towns)) if len(towns) == 1 else None


def _town_of_story_spelt(gaz: Gazetteer, name: str, story: frozenset[str]) -> tuple[int, ...]:
    """Towns of the article's countries that go by this other spelling ('Zakho' for Zaxo in a story on
    Iraq); another country's town of that spelling is more likely a namesake or no town at all."""
    return tuple(i for i in gaz.city_alt_names.get(_fold(name), ())
                 if gaz.iso3_by_iso2.get(gaz.cities[i]["countrycode"]) in story)


def resolve_head(gaz: Gazetteer, name: str, head: str,
                 story: frozenset[str] = frozenset()) -> tuple[Place | None, tuple[int, ...], str]:
    """A place for a name and its noun: a subdivision (of the article's countries when several countries
    have one of that name), populated places to choose from, or a slug."""
    spec = gaz.rules.head_nouns.get(head, NAMED_LANDMARK)
    feature = str(spec["feature"])
    noun = head[:-3] + "y" if head.endswith("ies") else head[:-1] if head.endswith("s") else head
    if _fold(name) in gaz.country_names or name in gaz.demonyms:
        return None, (), ""  # 'the US State Department', 'the Sudan border'
    if feature in ADMIN_FEATURES:
        known, _, method = _lookup(gaz, name)
        known = known if known is not None and known.feature not in ("city", "country") else _fuzzy_lookup(gaz, name)
        if known is not None:
            return known, (), method or "fuzzy"
        division = _subdivision(gaz, name, story, feature) or _subdivision(gaz, f"{name} {noun}", story, feature)
        if division is not None:
            return _with_town_spelling(gaz, _also_named(division, name), name), (), "geonames-subdivision"
        named = f"{name} {noun.title()}" if spec.get("named") else name
        aliases = [name] if named != name else []  # 'the Kalakla district' is also 'Kalakla'
        country = _country_of_town(gaz, name, story)
        return Place(f"place:{slugify(named)}", named, feature, country, None, None, aliases), (), "head-noun"
    if feature in ("village", "city"):
        if spec.get("any_place"):
            known, _, method = _lookup(gaz, name)
            if known is not None and known.feature in ("region", "landmark", *ADMIN_FEATURES):
                return known, (), method
        if head in ("village", "villages") and (region := _subdivision(gaz, name, story, "admin1")) is not None \
                and region.feature == "admin1" and story:
            return _also_named(region, name), (), "geonames-subdivision"  # 'a Katsina village' lies in the state
        entry = gaz.place(gaz.entry_names.get(_fold(name), ""))
        if entry is not None and entry.feature in ("village", "city"):
            return entry, (), "gazetteer"  # a settlement the gazetteer adds or names ('the people of Arsos')
        ids = gaz.city_names.get(_fold(name)) or _town_of_story_spelt(gaz, name, story)
        if ids:
            return None, ids, "geonames-city"
        return Place(f"place:{slugify(name)}", name, "village", None, None, None), (), "head-noun"
    place, ids, method = _lookup(gaz, name)
    if place is not None and place.feature in ("landmark", "region"):
        return place, (), method
    town = name[:-len(head)].strip() if spec.get("of_town") and name.lower().endswith(head) else ""
    towns = (gaz.city_names.get(_fold(town)) or _town_of_story_spelt(gaz, town, story)) if town else ()
    if towns:
        return None, towns, "geonames-city"  # 'Kiev airport' places the event in Kyiv
    return Place(f"place:{slugify(name)}", name, feature, None, None, None), (), "head-noun"
