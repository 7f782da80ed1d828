"""Named groups and organisations outside the dictionary: a capitalised name ending in an organisation head
word ('the Valdoran Liberation Movement', 'Sudan People's Freedom Front') is an actor of its own, even when
it begins with or contains a country name, with its kind from the head word and its country from that name."""

from __future__ import annotations

import re
from functools import lru_cache

from flows.extract.actors.context import _Article, _Candidate, _is_location, _known_place, _span
from flows.extract.actors.dictionary import ActorDictionary, word_list
from flows.ids import slugify
from flows.records import Actor

POSSESSIVE = re.compile(r"['’]s$")
NAME_CONNECTORS = word_list("name_connectors")
NAME_POSSESSIVES = frozenset(w.lower() for w in word_list("name_possessives"))


def name_head(words: list[str]) -> str:
    """The head word of a name: the last word before 'of', 'for' or 'in' ('Government of National Accord',
    'United Nations Mission in South Sudan'), else the last word ('Libyan National Army')."""
    for i, word in enumerate(words[1:], start=1):
        if word in {"of", "for", "in"}:
            return words[i - 1]
    return words[-1]


def _country_of(d: ActorDictionary, words: list[str]) -> str | None:
    """The state a name belongs to: the first country name or demonym in it ('Sudan People's ... Front')."""
    for word in words:
        word = POSSESSIVE.sub("", word)
        code = d.state_names.get(word) or d.demonyms.get(word)
        if code and f"state:{code}" in d.actors:
            return code
    return None


def _igo_body(d: ActorDictionary, words: list[str]) -> bool:
    """A name that opens with a listed intergovernmental organisation's and goes on ('United Nations
    Interim Force in Lebanon', 'African Union Mission in Somalia')."""
    for i in range(len(words) - 1, 0, -1):
        listed = d.organisations.get(" ".join(words[:i]))
        if listed is not None and d.actors[listed].kind == "igo":
            return True
    return False


def new_organisation(art: _Article, name: str) -> str:
    """The id and, when new, the row of an organisation outside the dictionary: kind group for a group
    head word ('Front', 'Movement', 'Operations Room'), with the dictionary's prefix for groups
    ('group:<slug of the name>'), else organisation ('org:<slug>'); a body of a listed intergovernmental
    organisation, its name opening with that one's ('United Nations Mission in Liberia'), is kind igo
    ('igo:<slug>'); 'org:' alone for a name with no slug."""
    slug = slugify(name)
    if not slug:
        return "org:"
    words = re.split(r"[\s-]+", name)
    if _igo_body(art.d, words):
        kind, prefix = "igo", "igo"
    else:
        kind = "group" if name_head(words) in art.d.group_heads else "organisation"
        prefix = "group" if kind == "group" else "org"
    actor_id = f"{prefix}:{slug}"
    if actor_id not in art.new_actors:
        art.new_actors[actor_id] = Actor(actor_id, name, kind, _country_of(art.d, words), [], [])
    return actor_id


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


@lru_cache(maxsize=1)
def _head_pattern(heads: frozenset[str]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(h) for h in sorted(heads, key=lambda h: (-len(h), h)))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")


def _drop_owner(art: _Article, start: int, end: int) -> int:
    """Skip a leading owner ('Kenya's', 'Uribe's'): the name starts after it; 'People's' stays a name word."""
    first = re.match(r"\S+", art.text[start:end])
    if first and POSSESSIVE.search(first.group()) and first.group().lower() not in NAME_POSSESSIVES:
        return start + first.end() + 1
    return start


def _last_of_list(art: _Article, start: int, end: int) -> int:
    """The start of the last name of 'A and the B Front' or 'A in the B Front': a list or a place before the
    name is no part of it ('Joint Peace and Security Teams' keeps its 'and')."""
    text = art.text
    for m in reversed(list(re.finditer(r"\s(and|in)\s+(the\s+)?", text[start:end]))):
        left = text[start:start + m.start()]
        if m.group(1) == "in" or m.group(2) or art.d.patterns["states"].search(left.split()[-1] if left else ""):
            return start + m.end()
    return start


def _continues(art: _Article, start: int, end: int) -> bool:
    """The name goes on beyond start..end: 'State Commission on Prisoners of War', '5+5 Joint Military
    Commission', 'ASEAN Secretariat' (a listed organisation's unit is left to it), or a longer tagged name."""
    d, text = art.d, art.text
    after = re.match(r"\s+(?:of|on|for|to)\s+(?:the\s+)?(?=[A-Z])", text[end:end + 12])
    if after and not any(e.label_ == "PERSON" and e.start_char == end + after.end() for e in art.ents):
        return True  # 'the ... Movement of Abdel Wahid al-Nur': a leader's name does not continue it
    before = re.search(r"(\S+)\s$", text[max(0, start - 12):start])
    if before and any(ch.isdigit() for ch in before.group(1)):
        return True
    if text[start:end].split()[0] in d.organisations:
        return True
    return any(e.label_ == "ORG" and e.start_char <= start and end <= e.end_char
               and len(_bare(e.text)) > end - start for e in art.ents)


def _bare(name: str) -> str:
    """A tagged name without a leading article or a trailing possessive."""
    return POSSESSIVE.sub("", re.sub(r"^(?:the|The)\s+", "", name.strip()))


def _national_body(d: ActorDictionary, words: list[str]) -> bool:
    """'Russian Armed Forces', 'Armenian Foreign Ministry': a demonym or country with government or
    military nouns is left to the rules for states, ministries and national forces."""
    rest = [POSSESSIVE.sub("", w) for w in words[:-1] if w.lower() not in {"of", "the", "and"}]
    if not rest or not (rest[0] in d.demonyms or rest[0] in d.state_names):
        return False
    return all(w in d.demonyms or w in d.state_names or w.lower() in d.head_modifiers
               or w.lower() in d.government_heads for w in rest[1:])


def _is_group_name(art: _Article, start: int, end: int) -> bool:
    """Whether start..end is a name of its own: not a listed name, not a national body, no headline."""
    d, name = art.d, art.text[start:end]
    words = name.split()
    if len(words) < 2 or art.taken(start, end) or "\n" in name or any(ch.isdigit() for ch in name) \
            or _continues(art, start, end):
        return False
    if name in d.organisations or name in d.ministries or name in d.institutions or name in d.not_states:
        return False
    if any(w[:1].isupper() and w.lower() in {"and", "of", "for", "the", "in", "on"} for w in words[1:]):
        return False  # a title-case headline ('Rebels And Army Resume Talks')
    if _known_place(name) or _national_body(d, words):
        return False
    if any(name.endswith(" " + h) or name == h for h in d.ministry_heads):
        return False
    if any(w.lower() in d.titles for w in words):
        return False
    tokens = _span(art.doc, start, end)
    if tokens is None or any(t.pos_ in {"VERB", "AUX"} for t in tokens):
        return False
    return not (_is_location(tokens.root) and any(w in d.venue_words for w in words))


def _after_person(art: _Article, start: int, end: int) -> tuple[int, int] | None:
    """'Maria Lind of the Nordic Peace Institute': a person named before the organisation is no part of
    its name; the name starts after the person."""
    person_end = max((e.end_char for e in art.ents
                      if e.label_ == "PERSON" and start <= e.start_char and e.end_char < end), default=None)
    return (start, end) if person_end is None else _name_run(art, person_end, end, whole=False)


NAME_WORD_BEFORE = re.compile(r"([A-Z][\w'’]*(?:-[A-Z][\w'’]*)*)[ \t]+$")  # 'Karen ', 'Pa-O ', not 'US-backed '


def inside_longer_name(art: _Article, start: int, end: int) -> bool:
    """A listed multi-word name that a capitalised word before it continues ('Karen National Liberation
    Army' is not the listed 'National Liberation Army'): the longer name is left to `headed_names`. A
    country, demonym, owner, article or adjective before it ('Colombia's', 'Colombian', 'The', 'Catholic') is
    no part of it."""
    d = art.d
    words = art.text[start:end].split()
    if len(words) < 2 or name_head(words) != words[-1]:
        return False  # 'Community of Sant'Egidio' is whole; a word before it describes it ('Catholic')
    before = NAME_WORD_BEFORE.search(art.text, max(0, start - 40), start)
    if before is None:
        return False
    word = before.group(1)
    if word in {"The", "A", "An"} or POSSESSIVE.search(word) or word in d.demonyms or word in d.state_names \
            or word in d.metonyms or word.lower() in d.titles or word in d.organisations:
        return False
    tokens = _span(art.doc, before.start(1), before.end(1))
    return tokens is not None and tokens[-1].pos_ == "PROPN" and not _common_first_word(art, *before.span(1))


def headed_names(art: _Article) -> None:
    """Capitalised names ending in an organisation head word, each an actor of its own."""
    found: list[tuple[int, int]] = []
    for m in _head_pattern(art.d.organisation_heads).finditer(art.text):
        run = _name_run(art, max(0, m.start() - 120), m.end(), whole=False)
        if run is not None:
            run = _after_person(art, *run)
        if run is not None:
            found.append((_drop_owner(art, _last_of_list(art, *run), run[1]), run[1]))
    # the longest name first: 'the ... Alliance Army' is one name, not an alliance
    for start, end in sorted(found, key=lambda s: (s[0] - s[1], s[0])):
        if _is_group_name(art, start, end):
            actor_id = new_organisation(art, art.text[start:end])
            if actor_id != "org:":
                art.add(_Candidate(start, end, actor_id, "headed-name", "organisation"))
