"""States, governments and ministries: country names as actors, capitals as metonyms ('Baku said'),
demonyms with government nouns ('the Armenian side'), named and common ministries."""

from __future__ import annotations

import re

from flows.extract.actors.context import (
    _acts,
    _Article,
    _Candidate,
    _in_person_name,
    _is_location,
    _span,
    seat_of_ruling_body,
)
from flows.extract.actors.dictionary import ActorDictionary, _bounded, _code_of, _plural_heads
from flows.extract.actors.groups import inside_longer_name
from flows.extract.actors.ruler import dictionary_matches
from flows.extract.coref_base import load_coref_config, unlisted_army
from flows.extract.dateline import in_dateline
from flows.extract.roles import parse_role
from flows.ids import slugify
from flows.records import Actor


def _simple_matches(art: _Article, key: str, kind: str, lookup: dict[str, str], method: str) -> None:
    """Dictionary names that always denote their actor, wherever they stand, unless a longer name holds
    them ('Karen National Liberation Army')."""
    for start, end, surface in dictionary_matches(art, key):
        if not art.taken(start, end) and not inside_longer_name(art, start, end):
            art.add(_Candidate(start, end, lookup[surface], method, kind))


def _demonym_heads(art: _Article) -> None:
    """'the Armenian government', 'the Azerbaijani side' -> gov; 'Russian forces' -> state; 'Colombian and ELN
    negotiators': the demonym before a name that shares the noun -> state."""
    d = art.d
    for m in d.patterns["community_head"].finditer(art.text):
        if not art.taken(m.start(), m.end()):
            art.add(_Candidate(m.start(), m.end(), d.communities[m.group("community")], "demonym", "demonym"))
    for m in d.patterns["demonym_head"].finditer(art.text):
        if art.taken(m.start("country"), m.end()):
            continue
        iso3 = _code_of(d, m.group("country"))
        head = d.government_heads[m.group("head")]
        army = _army_of(d, iso3) if head == "army" and not _modifies_noun(art, m.start("head")) else None
        prefix = "gov" if head == "gov" else "state"
        art.add(_Candidate(m.start("country"), m.end(), army or f"{prefix}:{iso3}", "demonym", "demonym"))
        for other in d.patterns["demonym"].finditer(art.text, m.start("list"), m.end("list")):
            if not art.taken(other.start(), other.end()):
                code = _code_of(d, other.group())
                art.add(_Candidate(other.start(), other.end(), f"{prefix}:{code}", "demonym", "demonym"))
    for m in d.patterns["demonym_and_name_head"].finditer(art.text):
        if not art.taken(m.start("country"), m.end("country")):
            prefix = "gov" if d.government_heads[m.group("head")] == "gov" else "state"
            code = _code_of(d, m.group("country"))
            art.add(_Candidate(m.start("country"), m.end("country"), f"{prefix}:{code}", "demonym", "demonym"))
    for m in d.patterns["demonym_attack"].finditer(art.text):
        if not art.taken(m.start("country"), m.end("country")):
            code = _code_of(d, m.group("country"))
            art.add(_Candidate(m.start("country"), m.end("country"), f"state:{code}", "demonym", "demonym"))
    for m in d.patterns["demonym_authored"].finditer(art.text):
        spans = [(o.start(), o.end()) for o in d.patterns["demonym"].finditer(art.text, m.start("list"), m.end("list"))]
        for start, end in [*spans, (m.start("country"), m.end("country"))]:
            if not art.taken(start, end):
                code = _code_of(d, art.text[start:end])
                art.add(_Candidate(start, end, f"state:{code}", "demonym", "demonym"))


def listed_forces(d: ActorDictionary) -> dict[str, str]:
    """State code -> the army or police force the dictionary lists for it, when it lists exactly one."""
    config = load_coref_config()
    found: dict[str, list[str]] = {}
    for actor_id in d.actors:
        if config.is_force(actor_id):
            found.setdefault(actor_id.split(":")[1], []).append(actor_id)
    return {code: ids[0] for code, ids in found.items() if len(ids) == 1}


def unlisted_army_row(d: ActorDictionary, actor_id: str) -> Actor | None:
    """The row of the army of a state the dictionary lists none for ('gov:TCD:armed-forces' -> 'Armed Forces
    of Chad', a government actor of that state)."""
    parts = actor_id.split(":")
    state = d.actors.get(f"state:{parts[1]}") if len(parts) == 3 else None
    if state is None or actor_id != unlisted_army(parts[1]):
        return None
    return Actor(actor_id, f"Armed Forces of {state.name}", "government", parts[1], [], [])


def _army_of(d: ActorDictionary, iso3: str | None) -> str | None:
    """The state's listed army ('the Myanmar military' is its armed forces), never a police force."""
    force = listed_forces(d).get(iso3 or "")
    return force if force and "police" not in force.rsplit(":", 1)[1] else None


def _modifies_noun(art: _Article, start: int) -> bool:
    """'Libya's military leaders': the word describes a later noun and names no army."""
    span = _span(art.doc, start, start + 1)
    token = span[0] if span is not None else None
    return token is not None and token.head.i > token.i and token.head.pos_ in ("NOUN", "PROPN")


LEADER_HEAD = re.compile(r"(?:['’]s)?\s+(\w+)(?![\w-])")  # the noun after a leader's name


def _leader_governments(art: _Article) -> None:
    """'the Petro administration', 'the Sunak government': the government of the state the named leader
    heads, as 'the Biden administration' is."""
    d = art.d
    for start, end, word in dictionary_matches(art, "names"):
        head = LEADER_HEAD.match(art.text, end)
        if head is None or head.group(1) not in d.leader_government_heads or art.taken(start, head.end()):
            continue
        roles = [r for pid in d.full_names.get(word) or d.surnames.get(word) or [] for r in d.person_roles.get(pid, [])]
        codes = {r.code for r in roles if r.role in d.leader_roles and r.code and f"state:{r.code}" in d.actors
                 and (art.day is None or not r.dated or r.active(art.day))}
        if len(codes) == 1:
            art.add(_Candidate(start, head.end(), f"gov:{codes.pop()}", "leader-government", "institution"))


def _ministries(art: _Article) -> None:
    """Named ministries ('State Department') and common ones of any country ('Armenia's Foreign Ministry')."""
    d = art.d
    _simple_matches(art, "ministries", "institution", d.ministries, "dictionary")
    plural = _plural_heads(d.ministry_heads)
    for m in d.patterns["ministries_of"].finditer(art.text):
        # each country name of a joint phrase stands for that country's ministry
        canonical = plural[m.group("head")]
        for start, end, name in dictionary_matches(art, "states", m.start("list"), m.end("list")):
            if not art.taken(start, end):
                art.add(_Candidate(start, end, _ministry(art, _state_code(art, name), canonical), "dictionary",
                                   "institution"))
    for key in ("ministry_before", "ministry_after", "ministry_letterhead"):
        for m in d.patterns[key].finditer(art.text):
            start = m.start("head") if key == "ministry_letterhead" else m.start()
            if art.taken(start, m.end()):
                continue
            actor_id = _ministry(art, _code_of(d, m.group("country")) or "", d.ministry_heads[m.group("head")])
            art.add(_Candidate(start, m.end(), actor_id, "dictionary", "institution"))
    for m in d.patterns["ministry_of_seat"].finditer(art.text):
        if not art.taken(m.start(), m.end()):
            actor_id = _seat_ministry(art, d.metonyms[m.group("country")], d.ministry_heads[m.group("head")])
            art.add(_Candidate(m.start(), m.end(), actor_id, "dictionary", "institution"))
    for m in d.patterns["ministry_bare"].finditer(art.text):
        if art.taken(m.start(), m.end()):
            continue
        canonical = d.ministry_heads[m.group()]
        kind = f":{slugify(canonical)}"
        named = {cand.actor_id.split(":")[1] for cand in art.candidates
                 if cand.actor_id and cand.actor_id.startswith("gov:") and cand.actor_id.endswith(kind)}
        if len(named) == 1:  # 'the Ministry' after 'Armenia's Ministry of Foreign Affairs'
            art.add(_Candidate(m.start(), m.end(), _ministry(art, named.pop(), canonical), "coreference-ministry",
                               "institution"))
        elif not named and canonical in d.office_roles:
            iso3 = _country_of_holder(art, d.office_roles[canonical])
            if iso3 is not None:
                art.add(_Candidate(m.start(), m.end(), _ministry(art, iso3, canonical), "office-holder",
                                   "institution"))


def _country_of_holder(art: _Article, role: str) -> str | None:
    """The one state whose holder of `role` (at the article date, when it has one) the article names so
    far; None when it names none, holders of several states, or a holder of a state it cannot tell."""
    people = {cand.actor_id for cand in art.candidates if cand.actor_id and cand.actor_id.startswith("person:")}
    codes: set[str | None] = set()
    for actor_id in people:
        roles = [*art.d.person_roles.get(actor_id, []), *(parse_role(t) for t in art.text_roles.get(actor_id, ()))]
        held = [r for r in roles if r.role == role and (art.day is None or not r.dated or r.active(art.day))]
        states = {r.code for r in held if r.code and f"state:{r.code}" in art.d.actors}
        if held:
            codes |= states or {None}
    return codes.pop() if len(codes) == 1 else None


def _ministry(art: _Article, iso3: str, canonical: str) -> str:
    """The id (and, when new, the row) of a country's ministry: gov:<ISO3>:<slug of its kind>."""
    actor_id = f"gov:{iso3}:{slugify(canonical)}"
    if actor_id not in art.d.actors:
        art.new_actors.setdefault(actor_id, Actor(
            actor_id, f"{canonical} of {art.d.actors[f'state:{iso3}'].name}", "government", iso3, [], []))
    return actor_id


def _seat_ministry(art: _Article, government_id: str, canonical: str) -> str:
    """The ministry of the government a seat or a de facto authority names: a state's own ministry
    ('the foreign ministry in Baku'), else the authority's ('Ministry of Foreign Affairs of Abkhazia',
    gov:<ISO3>:<authority>-<slug>)."""
    parts = government_id.split(":")
    if len(parts) == 2:
        return _ministry(art, parts[1], canonical)
    actor_id = f"{government_id}-{slugify(canonical)}"
    if actor_id not in art.d.actors:
        authority = art.d.actors[government_id]
        art.new_actors.setdefault(actor_id, Actor(
            actor_id, f"{canonical} of {authority.name}", "government", authority.country_iso3, [], []))
    return actor_id


def _metonyms(art: _Article) -> None:
    """Capitals and seats of power, only where the syntax makes them act ('Baku said', not 'in Baku')."""
    d, doc = art.d, art.doc
    for start, end, name in dictionary_matches(art, "metonyms"):
        if art.taken(start, end) or _in_person_name(art, start, end) or _town_of_another_state(art, name):
            continue
        span = _span(doc, start, end)
        glued = GLUED.match(art.text, end)
        if span is not None and (_acts(span.root, d) or art.text[max(0, start - 5):start].lower() in STANCE) \
                or glued is not None and glued.group(1).lower() in d.glued_participles:
            art.add(_Candidate(start, end, _seated(art, name), "metonym", "metonym", True))


def _town_of_another_state(art: _Article, name: str) -> bool:
    """A capital's name the article places in another country ('TRIPOLI, Lebanon', 'Tripoli, Lebanon')
    names that country's town there, not the capital's government."""
    seat_country = art.d.metonyms[name].split(":")[1] if art.d.metonyms[name].startswith("gov:") else None
    for hit in re.finditer(rf"(?<!\w){re.escape(name)},\s+([A-Z][\w' -]+?)(?=[,.;:()\n]| \()", art.text,
                           flags=re.IGNORECASE):
        country = art.d.state_names.get(hit.group(1))
        if seat_country is not None and country is not None and country != seat_country:
            return True
    return False


STANCE = frozenset({" pro-", "anti-"})  # 'pro-Kremlin': a stance towards the government
GLUED = re.compile(r"[-–](\w+)")  # 'Moscow-backed': a participle glued to the capital


def _seated(art: _Article, name: str) -> str:
    """The authority a seat of power stands for at the article date: a rival government while it sits
    there (reference data), else the government or organisation of the capital."""
    for period, actor_id in art.d.seats.get(name, []):
        if art.day is not None and period.active(art.day):
            return actor_id
    return art.d.metonyms[name]


def _states(art: _Article) -> None:
    """Country names as actors; their use as a location ('in Armenia') is left to the places module,
    and a country name inside a longer place name ('Mexico City', 'Jordan Valley') is no mention."""
    d, doc = art.d, art.doc
    longer = [(a, b) for key in ("metonyms", "not_states") for a, b, _ in dictionary_matches(art, key)]
    for start, end, name in dictionary_matches(art, "states"):
        if art.taken(start, end) or _in_person_name(art, start, end):
            continue
        if any(s <= start and end <= e and (e - s) > (end - start) for s, e in longer):
            continue
        span = _span(doc, start, end)
        if span is not None and seat_of_ruling_body(span.root, d):  # 'the junta in Niger': its government
            art.add(_Candidate(start, end, f"gov:{_state_code(art, name)}", "metonym", "metonym", True))
            continue
        if span is not None and _is_location(span.root, d) or in_dateline(art.text, start, end):
            continue
        art.add(_Candidate(start, end, f"state:{_state_code(art, name)}", "dictionary", "state"))


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
    for start, end, word in dictionary_matches(art, "peoples"):
        if art.taken(start, end):
            continue
        actor_id = f"group:{slugify(word)}"
        art.new_actors.setdefault(actor_id, Actor(actor_id, word, "group", d.peoples[word], [], []))
        art.add(_Candidate(start, end, actor_id, "demonym", "demonym"))
