"""The actor dictionary: states (pycountry), governments, ministries, organisations, people and titles
from `schemas/actors.yaml` and `schemas/demonyms.yaml`, built once per process, with the patterns compiled
from it."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from flows.extract.roles import Role, parse_role, prefix_date
from flows.ids import slugify
from flows.records import Actor
from schemas import REFERENCE_DIR, read_yaml

SCHEMA_DIR = REFERENCE_DIR


ACTORS_FILE = SCHEMA_DIR / "actors.yaml"


DEMONYMS_FILE = SCHEMA_DIR / "demonyms.yaml"
# Folded spellings kept per process: the words of a few thousand articles' names.
FOLDS_KEPT = 65536


@dataclass
class ActorDictionary:
    """Everything the extractor looks up, built once from the YAML files and pycountry."""

    actors: dict[str, Actor]
    person_roles: dict[str, list[Role]]
    ambiguous_surnames: set[str]
    full_names: dict[str, list[str]]  # multi-word person aliases -> person ids
    surnames: dict[str, list[str]]  # single-word person aliases -> person ids
    organisations: dict[str, str]  # alias -> igo/org/group id
    institutions: dict[str, str]  # alias -> gov id
    ministries: dict[str, str]  # alias of a named ministry -> gov:<ISO3>:<slug>
    ministry_heads: dict[str, str]  # 'Foreign Ministry' -> 'Ministry of Foreign Affairs'
    news_outlets: frozenset[str]
    peoples_as_actors: bool
    venue_words: frozenset[str]
    not_states: frozenset[str]
    ambiguous_states: dict[str, list[str]]  # 'Congo' -> [COD, COG], the first is the default
    metonyms: dict[str, str]  # capital / seat of power -> gov or igo id
    state_names: dict[str, str]  # name -> ISO3
    demonyms: dict[str, str]  # adjective -> ISO3
    peoples: dict[str, str]  # plural people noun -> ISO3
    titles: dict[str, str]  # lower-case title surface -> canonical role
    case_sensitive_titles: set[str]
    org_codes: dict[str, str]  # 'EU' -> igo:eu (role codes of international organisations)
    role_code_of: dict[str, str]  # igo:eu -> 'EU'
    government_heads: dict[str, str]  # head noun -> 'gov' | 'state' | 'army'
    metonym_place_heads: frozenset[str]
    actor_prepositions: frozenset[str]
    attribution_words: frozenset[str]
    object_verbs: frozenset[str]
    title_modifiers: list[str]
    title_institutions: list[str]
    role_heads: frozenset[str]
    non_person_words: frozenset[str]
    non_actor_words: frozenset[str]
    regional_demonyms: frozenset[str] = frozenset()  # 'Tigrayan', 'Amhara': never a state, never an organisation
    organisation_heads: frozenset[str] = frozenset()  # 'Front', 'Forces': last words of organisation names
    group_heads: frozenset[str] = frozenset()  # 'Front', 'Movement': heads of armed or political groups
    displacement_words: frozenset[str] = frozenset()  # 'flee', 'refugees': 'to'/'from' after them is locative
    place_object_verbs: frozenset[str] = frozenset()  # 'capture', 'besiege': their object is a place
    place_object_nouns: frozenset[str] = frozenset()  # 'shelling', 'attack': what follows 'of'/'on' is a place
    metonym_compound_heads: frozenset[str] = frozenset()  # 'Kremlin officials': a compound that acts
    metonym_envoy_heads: frozenset[str] = frozenset()  # 'the delegation from Sukhumi': sent by the authority
    head_modifiers: frozenset[str] = frozenset()  # 'security' in 'Russian security services'
    attack_heads: frozenset[str] = frozenset()  # 'drone strike': its demonym is the attacking state
    authored_heads: frozenset[str] = frozenset()  # 'Saudi mediation', 'the Israeli proposal': its demonym is the state
    communities: dict[str, str] = field(default_factory=dict)  # 'Turkish Cypriot' -> the party of that community
    office_roles: dict[str, str] = field(default_factory=dict)  # 'Office of the Prime Minister' -> 'prime minister'
    glued_participles: frozenset[str] = frozenset()  # 'backed' in 'Moscow-backed': the capital acts
    leader_government_heads: frozenset[str] = frozenset()  # 'administration' in 'the Petro administration'
    leader_roles: frozenset[str] = frozenset()  # roles whose holder heads a state's government
    seats: dict[str, list[tuple[Role, str]]] = field(default_factory=dict)  # 'Tripoli' -> (period, government)
    patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # (number of words, first letter of the last word) -> folded alias words and person ids
    fuzzy_index: dict[tuple[int, str], list[tuple[tuple[str, ...], list[str]]]] = field(default_factory=dict)

    def role_codes(self, role: str) -> set[str | None]:
        """Codes (countries, organisations) under which anyone in the dictionary held a role."""
        return {r.code for roles in self.person_roles.values() for r in roles if r.role == role}


@lru_cache(maxsize=FOLDS_KEPT)
def _fold(text: str) -> str:
    """Accent-free lower case, for comparing spellings (kept: the same words are compared over and over)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def strip_accents(text: str) -> str:
    """The text without diacritics, case kept: 'Vučić' -> 'Vucic', 'João Lourenço' -> 'Joao Lourenco'."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def spelling_variants(name: str, endings: list[list[str]]) -> set[str]:
    """Other spellings of a person's name: without diacritics, and with the surname's ending written as
    another transliteration of it (`name_variants` in actors.yaml: 'Zelenskyy' / 'Zelensky',
    'Pashinyan' / 'Pashinian', 'Aliyev' / 'Aliev')."""
    found = {name, strip_accents(name)}
    for form in list(found):
        words = form.split()
        for group in endings:
            ending = next((e for e in group if words[-1].endswith(e) and len(words[-1]) > len(e) + 2), None)
            if ending is not None:
                stem = words[-1][:-len(ending)]
                found |= {" ".join(words[:-1] + [stem + other]) for other in group}
                break
    return found - {name}


def _alternation(words: Iterable[str]) -> str:
    """Regex alternation, longest first so 'Secretary of State' wins over 'Secretary'.

    Written as a tree of shared beginnings ('Armenia(?:n)?'): a flat list of thousands of names makes the
    regex engine try every name at every character of a text. The two forms match the same: of the words
    that match at a position, one is a beginning of the other, and both forms try the longer first. (Under
    a case-free flag, words differing only in case would break that: the title words are lower-case.)"""
    tree: dict[str, dict] = {}
    for word in {w for w in words if w}:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(tree)


def _branches(node: dict[str, dict]) -> str:
    """The regex of a tree of word beginnings: each branch, then the word ending here if one does."""
    parts = []
    for char in sorted(k for k in node if k):
        child, chain = node[char], re.escape(char)
        while len(child) == 1 and "" not in child:  # a run of single branches as one literal
            (following, child), = child.items()
            chain += re.escape(following)
        parts.append(chain + _branches(child))
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return f"(?:{body})?" if "" in node else body


def _bounded(words: Iterable[str], flags: int = 0) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.])(?:{_alternation(words)})(?![\w])", flags)


def _state_rows(config: dict) -> tuple[dict[str, Actor], dict[str, str]]:
    """States from pycountry plus the news short names of actors.yaml."""
    extra_names: dict[str, list[str]] = config.get("names") or {}
    rows: dict[str, Actor] = {}
    names: dict[str, str] = {}
    for country in pycountry.countries:
        iso3 = country.alpha_3
        known = [getattr(country, key, None) for key in ("common_name", "name", "official_name")]
        known = [n for n in known if n and "," not in n and "(" not in n]
        preferred = list(extra_names.get(iso3, [])) + known
        rows[iso3] = Actor(f"state:{iso3}", preferred[0] if preferred else country.name, "state", iso3,
                           sorted(set(preferred)), [])
    for iso3, extra in (config.get("extra") or {}).items():
        rows[iso3] = Actor(f"state:{iso3}", extra[0], "state", iso3, sorted(set(extra)), [])
    for iso3, qid in (config.get("wikidata") or {}).items():
        if iso3 not in rows:
            raise ValueError(f"actors.yaml: Wikidata id for unknown state {iso3}")
        rows[iso3].wikidata_id = qid
    for iso3, row in rows.items():
        for name in row.aliases:
            names.setdefault(name, iso3)
    return rows, names


def _surname(name: str, explicit: str | None) -> str:
    return explicit or name.split()[-1]


def _load_demonyms(config: dict, states: dict[str, Actor]) -> tuple[dict[str, str], dict[str, str], set[str]]:
    """Adjective and plural-people forms by word, checked against the known state codes, and the
    regional or ethnic forms ('Tigrayan', 'Amhara') that name no state."""
    demonyms: dict[str, str] = {}
    peoples: dict[str, str] = {}
    regional: set[str] = set()
    for iso3, forms in config.items():
        if iso3 not in states:
            raise ValueError(f"demonyms.yaml: unknown country code {iso3}")
        for word in forms.get("adjective") or []:
            demonyms[word] = iso3
        for word in forms.get("people") or []:
            peoples[word] = iso3
        regional.update(str(word) for word in forms.get("regional") or [])
    return demonyms, peoples, regional


def _load_governments(config: dict, states: dict[str, Actor], actors: dict[str, Actor],
                      metonyms: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Government rows (gov:ISO3) with metonyms and names, and named ministries (gov:ISO3:slug)."""
    institutions: dict[str, str] = {}
    for iso3, entry in (config.get("governments") or {}).items():
        if iso3 not in states:
            raise ValueError(f"actors.yaml: unknown government code {iso3}")
        gov_id = f"gov:{iso3}"
        for word in entry.get("metonyms") or []:
            metonyms[word] = gov_id
        for word in entry.get("institutions") or []:
            institutions[word] = gov_id
        aliases = list(entry.get("metonyms") or []) + list(entry.get("institutions") or [])
        actors[gov_id] = Actor(gov_id, f"Government of {states[iso3].name}", "government", iso3,
                               sorted(set(aliases)), [])
    for iso3, row in states.items():  # every state has a government, even without metonyms
        actors.setdefault(f"gov:{iso3}", Actor(f"gov:{iso3}", f"Government of {row.name}", "government",
                                               iso3, [], []))
    ministries: dict[str, str] = {}
    for entry in config.get("ministries") or []:
        iso3 = entry["country"]
        if iso3 not in states:
            raise ValueError(f"actors.yaml: unknown ministry country {iso3}")
        actor_id = f"gov:{iso3}:{entry['slug']}"
        aliases = list(entry.get("aliases") or [])
        actors[actor_id] = Actor(actor_id, entry["name"], "government", iso3, sorted(set(aliases)), [],
                                 entry.get("wikidata"))
        for alias in aliases + [entry["name"]]:
            ministries.setdefault(alias, actor_id)
    return institutions, ministries


def _load_organisations(config: dict, actors: dict[str, Actor], metonyms: dict[str, str],
                        seats: dict[str, list[tuple[Role, str]]]) -> tuple[dict[str, str], dict[str, str]]:
    """Organisation rows; returns alias -> id and role code -> id ('EU' -> igo:eu); fills the metonyms
    and the dated seats of rival governments."""
    organisations: dict[str, str] = {}
    org_codes: dict[str, str] = {}
    for entry in config.get("organisations") or []:
        aliases = list(entry.get("aliases") or [])
        country = entry.get("country")
        if country is not None and f"state:{country}" not in actors:
            raise ValueError(f"actors.yaml: unknown country {country} of {entry['id']}")
        actors[entry["id"]] = Actor(entry["id"], entry["name"], entry["kind"], country,
                                    sorted(set(aliases + [entry["name"]])), [], entry.get("wikidata"))
        # a name also listed as a metonym is a territory's ('Transnistria'): it stands for the authority
        # only where it acts, like a capital, and stays a place elsewhere ('in Transnistria')
        named = [] if entry["name"] in (entry.get("metonyms") or []) else [entry["name"]]
        for alias in aliases + named:
            organisations.setdefault(alias, entry["id"])
        for word in entry.get("metonyms") or []:
            metonyms[word] = entry["id"]
        for word, period in (entry.get("seats") or {}).items():
            seats.setdefault(word, []).append((parse_role(f"seat {period}"), entry["id"]))
        code = entry.get("code")
        if code and code in aliases:
            org_codes.setdefault(code, entry["id"])
    return organisations, org_codes


@dataclass
class _People:
    full_names: dict[str, list[str]] = field(default_factory=dict)
    surnames: dict[str, list[str]] = field(default_factory=dict)
    roles: dict[str, list[Role]] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)


def _load_people(config: dict, actors: dict[str, Actor]) -> _People:
    """Person rows with their aliases (multi-word: full names; single words: surnames) and roles."""
    people = _People()
    for entry in config.get("persons") or []:
        actor_id = f"person:{slugify(entry['name'])}"
        if actor_id in actors:
            raise ValueError(f"actors.yaml: duplicate person {entry['name']}")
        roles = [parse_role(text) for text in entry.get("roles") or []]
        people.roles[actor_id] = roles
        aliases = [entry["name"]] + list(entry.get("aliases") or [])
        surname = _surname(entry["name"], entry.get("surname"))
        if " " not in surname:
            aliases.append(surname)
        actors[actor_id] = Actor(actor_id, entry["name"], "person", entry.get("country"), sorted(set(aliases)),
                                 [r.text for r in roles], entry.get("wikidata"))
        if entry.get("ambiguous_surname"):
            people.ambiguous.add(actor_id)
        endings = [list(group) for group in config.get("name_variants") or []]
        variants = {v for alias in aliases for v in spelling_variants(alias, endings)} - set(aliases)
        for alias in sorted(set(aliases) | variants):
            target = people.surnames if " " not in alias else people.full_names
            if actor_id not in target.get(alias, []):
                target.setdefault(alias, []).append(actor_id)
    return people


def _load_titles(config: dict) -> tuple[dict[str, str], set[str]]:
    """Lower-case title surface -> canonical role, and the abbreviations matched only as written ('PM')."""
    titles: dict[str, str] = {}
    case_sensitive: set[str] = set()
    for canonical, surfaces in (config.get("titles") or {}).items():
        for surface in surfaces:
            titles.setdefault(surface.lower(), canonical)
            if len(surface) > 1 and surface.replace(".", "").isupper():
                case_sensitive.add(surface)
    return titles, case_sensitive


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Lower-case given names: the name list gender-guesser ships (about 40,000 first names of many
    countries) and the first words of the people in `schemas/actors.yaml`, less `not_given_names` (words
    that name things more often than people in the news)."""
    from gender_guesser.detector import Detector

    config = actor_config()
    known = {name.lower() for name in Detector(case_sensitive=False).names}
    known |= {entry["name"].split()[0].lower() for entry in config.get("persons") or [] if " " in entry["name"]}
    return frozenset(known - {str(w).lower() for w in config.get("not_given_names") or ()})


@lru_cache(maxsize=1)
def actor_config() -> dict:
    """The parsed `schemas/actors.yaml`, read once per process."""
    return read_yaml(ACTORS_FILE)


def word_list(key: str) -> frozenset[str]:
    """A word class of `schemas/actors.yaml` ('name_particles', 'place_nouns', ...)."""
    return frozenset(str(w) for w in actor_config().get(key) or ())


@lru_cache(maxsize=1)
def load_actor_dictionary() -> ActorDictionary:
    """Read schemas/actors.yaml, schemas/demonyms.yaml and pycountry once per process."""
    config = actor_config()
    state_config = config.get("states") or {}
    states, state_names = _state_rows(state_config)
    ambiguous_states = {name: list(codes) for name, codes in (state_config.get("ambiguous") or {}).items()}
    for name, codes in ambiguous_states.items():
        state_names[name] = codes[0]
    actors: dict[str, Actor] = {row.actor_id: row for row in states.values()}
    demonyms, peoples, regional = _load_demonyms(read_yaml(DEMONYMS_FILE), states)
    metonyms: dict[str, str] = {}
    institutions, ministries = _load_governments(config, states, actors, metonyms)
    seats: dict[str, list[tuple[Role, str]]] = {}
    organisations, org_codes = _load_organisations(config, actors, metonyms, seats)
    people = _load_people(config, actors)
    titles, case_sensitive = _load_titles(config)
    heads = {w: "gov" for w in config.get("government_heads") or []}
    heads.update({w: "state" for w in config.get("state_heads") or []})
    heads.update({w: "army" for w in config.get("army_heads") or []})
    non_actor = frozenset(config.get("non_actor_words") or [])

    def words(key: str) -> frozenset[str]:
        return frozenset(config.get(key) or [])

    dictionary = ActorDictionary(
        actors=actors, person_roles=people.roles, ambiguous_surnames=people.ambiguous,
        full_names=people.full_names, surnames=people.surnames, organisations=organisations,
        institutions=institutions, ministries=ministries,
        ministry_heads={surface: canonical for canonical, surfaces in (config.get("ministry_heads") or {}).items()
                        for surface in surfaces},
        news_outlets=words("news_outlets"), peoples_as_actors=bool(config.get("peoples_as_actors")),
        venue_words=words("venue_words"), not_states=words("not_states"), ambiguous_states=ambiguous_states,
        metonyms=metonyms,
        state_names=state_names, demonyms=demonyms, peoples=peoples, titles=titles,
        case_sensitive_titles=case_sensitive, org_codes=org_codes,
        role_code_of={e["id"]: e["code"] for e in config.get("organisations") or [] if e.get("code")},
        government_heads=heads, metonym_place_heads=words("metonym_place_heads"),
        actor_prepositions=words("metonym_actor_prepositions"), object_verbs=words("metonym_object_verbs"),
        attribution_words=words("metonym_attribution_words"), title_modifiers=list(config.get("title_modifiers") or []),
        title_institutions=list(config.get("title_institutions") or []),
        role_heads=words("role_heads"), non_person_words=words("non_person_words") | non_actor,
        non_actor_words=non_actor, regional_demonyms=frozenset(regional),
        organisation_heads=words("organisation_heads"), group_heads=words("group_heads"),
        displacement_words=words("displacement_words"), place_object_verbs=words("place_object_verbs"),
        place_object_nouns=words("place_object_nouns"), metonym_compound_heads=words("metonym_compound_heads"),
        metonym_envoy_heads=words("metonym_envoy_heads"),
        head_modifiers=words("state_head_modifiers"), attack_heads=words("attack_heads"),
        authored_heads=words("authored_heads"), glued_participles=words("metonym_glued_participles"),
        leader_government_heads=words("leader_government_heads"), leader_roles=words("leader_roles"),
        communities=dict(config.get("communities") or {}), seats=seats,
        office_roles={str(office): str(role) for office, role in (config.get("office_roles") or {}).items()},
    )
    for name, actor_id in dictionary.communities.items():
        if actor_id not in actors:
            raise ValueError(f"actors.yaml: unknown party {actor_id} of the community {name}")
    dictionary.patterns = _compile_patterns(dictionary)
    for alias, ids in sorted(list(people.surnames.items()) + list(people.full_names.items())):
        parts = tuple(_fold(w) for w in alias.split())
        dictionary.fuzzy_index.setdefault((len(parts), parts[-1][:1]), []).append((parts, ids))
    return dictionary


def _plural_heads(heads: dict[str, str]) -> dict[str, str]:
    """'Foreign Ministries' / 'ministries of foreign affairs' -> canonical ministry."""
    return {re.sub(r"(?i)(ministr)y", r"\1ies", surface): canonical
            for surface, canonical in heads.items() if "inistry" in surface}


def _demonym_patterns(d: ActorDictionary) -> dict[str, re.Pattern[str]]:
    """The patterns of demonyms and country names before a head noun ('Russian forces', 'the Turkish Cypriot
    side', 'an Israeli drone strike', 'the Israeli proposal')."""
    heads = _alternation(d.government_heads)
    demonyms = _alternation(list(d.demonyms) + list(d.state_names))
    return {
        "demonym_head": re.compile(  # 'Russian forces', 'Somali and Ethiopian security forces', "A's and B's"
            rf"(?<![\w.])(?P<list>(?:(?:{demonyms})(?:['’]s)?\s*(?:,|,?\s+and)\s+)*)"
            rf"(?P<country>{demonyms})(?:['’]s)?\s+(?P<mods>(?:(?:{_alternation(d.head_modifiers)})\s+){{0,2}})"
            rf"(?P<head>{heads})(?![\w])"
        ),
        "demonym_and_name_head": re.compile(  # 'Colombian and ELN negotiators': the demonym before a name
            rf"(?<![\w.])(?P<country>{_alternation(d.demonyms)})\s+and\s+(?:[A-Z][\w'’-]*\s+){{1,3}}"
            rf"(?P<head>{heads})(?![\w])"),
        "demonym": re.compile(rf"(?<![\w.])(?:{demonyms})(?![\w])"),
        "community_head": re.compile(  # 'the Turkish Cypriot side'
            rf"(?<![\w.])(?P<community>{_alternation(d.communities) or '(?!)'})\s+"
            rf"(?P<mods>(?:(?:{_alternation(d.head_modifiers)})\s+){{0,2}})(?P<head>{heads})(?![\w])"),
        "demonym_attack": re.compile(  # 'an Israeli drone strike': the demonym alone
            rf"(?<![\w.])(?P<country>{_alternation(d.demonyms)})\s+(?:{_alternation(d.attack_heads)})(?![\w])"),
        "demonym_authored": re.compile(  # 'under Saudi and American mediation', 'the Israeli proposal'
            rf"(?<![\w.])(?P<list>(?:(?:{_alternation(d.demonyms)})\s*(?:,|,?\s+and)\s+)*)"
            rf"(?P<country>{_alternation(d.demonyms)})\s+(?:[a-z][a-z-]*\s+){{0,2}}"  # 'Israeli ceasefire proposal'
            rf"(?:{_alternation(d.authored_heads)})(?![\w])"),
    }


def _compile_patterns(d: ActorDictionary) -> dict[str, re.Pattern[str]]:
    """The regular expressions built from the dictionary (case-sensitive names, case-free titles)."""
    countries = list(d.state_names) + list(d.demonyms) + list(d.org_codes) + list(d.organisations)
    title = _alternation(d.titles)
    title_re = (
        rf"(?<![\w.])(?:(?P<country>{_alternation(countries)})(?P<poss>['’]s)?\s+)?"
        rf"(?:(?P<inst>{_alternation(d.title_institutions)})\s+)?"
        rf"(?P<mods>(?:(?:{_alternation(d.title_modifiers)})\s+)*)"
        rf"(?P<title>(?i:{title}))(?![\w-])"
        rf"(?:\s+of\s+(?:the\s+)?(?P<country2>{_alternation(d.state_names)})(?![\w-]))?"
    )
    states = _alternation(d.state_names)
    return {
        "portfolio": re.compile(
            rf"(?<![\w.])(?:(?P<country>{_alternation(countries)})(?P<poss>['’]s)?\s+)?"
            r"(?P<port>[A-Z][a-z]+(?:\s+(?:and\s+)?[A-Z][a-z]+)?)\s+(?P<title>(?i:minister))(?![\w-])"),
        "names": _bounded(list(d.full_names) + list(d.surnames)),
        "organisations": _bounded(d.organisations),
        "organisations_long": _bounded([a for a in d.organisations if " " in a.strip()]),
        "institutions": _bounded(d.institutions),
        "ministries": _bounded(d.ministries),
        "ministry_before": re.compile(
            rf"(?<![\w.])(?P<country>{_alternation(list(d.demonyms) + list(d.state_names))})(?:['’]s)?[ \t]+"
            rf"(?P<head>{_alternation(d.ministry_heads)})(?![\w])"),  # never across a line: a letterhead
        "ministry_letterhead": re.compile(  # 'Kingdom of Morocco' over or before 'Ministry of Foreign Affairs'
            rf"(?<![\w.])(?P<country>{_alternation(d.state_names)})(?:[ \t]*\n|(?<=\S)[ \t]+[–—-])[ \t]*"
            rf"(?P<head>{_alternation(d.ministry_heads)})(?![\w])"),
        "ministry_after": re.compile(
            rf"(?<![\w.])(?P<head>{_alternation(d.ministry_heads)})\s+of\s+(?:the\s+)?"
            rf"(?P<country>{_alternation(d.state_names)})(?![\w])"),
        "ministry_of_seat": re.compile(  # 'the foreign ministry of Abkhazia', 'the foreign ministry in Sukhumi'
            rf"(?<![\w.])(?P<head>{_alternation(d.ministry_heads)})\s+(?:of|in)\s+(?:the\s+)?"
            rf"(?P<country>{_alternation([w for w, i in d.metonyms.items() if i.startswith('gov:')])})(?![\w])"),
        "ministry_bare": _bounded(d.ministry_heads),
        "ministries_of": re.compile(  # 'the foreign ministries of Azerbaijan and Armenia'
            rf"(?<![\w.])(?P<head>{_alternation(_plural_heads(d.ministry_heads))})\s+of\s+(?:the\s+)?"
            rf"(?P<list>(?:{states})(?:\s*,\s*(?:the\s+)?(?:{states}))*,?\s+and\s+(?:the\s+)?(?:{states}))(?![\w])"),
        "metonyms": _bounded(d.metonyms),
        "not_states": _bounded(d.not_states),
        "states": _bounded(d.state_names),
        "peoples": _bounded(d.peoples),
        "title": re.compile(title_re),
        **_demonym_patterns(d),
    }


def actor_role_at(actor: Actor, day: datetime.date | None) -> str | None:
    """The role ('foreign minister@ARM') an actor held on a day; None when unknown or no day."""
    if day is None:
        return None
    for text in actor.roles:
        role = parse_role(text)
        if (role.start or role.end) and role.active(day):
            return f"{role.role}@{role.code}" if role.code else role.role
    return None


def _parse_day(value: str | None) -> datetime.date | None:
    """The article date as a day; a year or month prefix stands for its first day."""
    if not value:
        return None
    try:
        return prefix_date(value[:10], first=True)
    except ValueError:
        return None


def _code_of(d: ActorDictionary, word: str | None) -> str | None:
    """ISO3 (or organisation code) of a country name, demonym or organisation code."""
    if not word:
        return None
    word = re.sub(r"['’]s$", "", word)
    if word in d.demonyms:
        return d.demonyms[word]
    if word in d.state_names:
        return d.state_names[word]
    if word in d.org_codes:
        return word
    if word in d.organisations:
        return d.role_code_of.get(d.organisations[word])
    return None


def _institution_code(d: ActorDictionary, word: str | None) -> str | None:
    if not word:
        return None
    actor_id = d.institutions.get(word) or d.metonyms.get(word) or d.ministries.get(word)
    return actor_id.split(":")[1] if actor_id and actor_id.startswith("gov:") else None
