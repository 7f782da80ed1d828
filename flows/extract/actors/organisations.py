"""Organisations: tagged organisation names outside the dictionary and acronyms the article defines
('the National Liberation Army (ELN)')."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz
from spacy.tokens import Doc, Span, Token

from flows.extract.actors.context import (
    _Article,
    _Candidate,
    _climb_conj,
    _held_as_place,
    _is_credit,
    _is_location,
    _known_place,
    _span,
    _TitleHit,
    _used_as_place,
)
from flows.extract.actors.dictionary import _bounded, _code_of, _fold, actor_config, word_list
from flows.extract.actors.groups import _name_run, name_head, new_organisation
from flows.extract.actors.people import _fuzzy_person
from flows.extract.actors.titles import NAME_PARTICLES
from flows.extract.coref import load_coref_config
from flows.ids import slugify
from flows.records import Actor

NAME_CONNECTORS = word_list("name_connectors")
COMPANY_NOUNS = word_list("company_nouns")
CALENDAR_WORDS = word_list("calendar_words")


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
            joined.append(_listed_tail(doc, ent))
    return [_cut_name_completed(art, ent) for ent in joined]


# Words that go on an organisation's name when capitalised words follow ('the Commission on Missing Persons');
# 'and' only in a name that has another of them ('the Ministry of Foreign Affairs and International
# Cooperation', not 'Huseyn Akhundov and Agshin Babirov').
NAME_LINKS = frozenset({"of", "for", "on", "and"})


def _cut_name_completed(art: _Article, ent: Span) -> Span:
    """A name the tagger cut before or after a linking word ('the State Commission on' + 'Missing Persons',
    'the Office of the High Commissioner' + 'for Peace'): the capitalised words after the link, with
    their own links, go on the name; a state's name after them is the state ('... of Sudan')."""
    doc = art.doc
    end = ent.end
    if ent[-1].lower_ in NAME_LINKS:
        end -= 1
    links = NAME_LINKS if any(t.lower_ in NAME_LINKS - {"and"} for t in doc[ent.start:end]) else NAME_LINKS - {"and"}
    while end + 1 < len(doc) and doc[end].lower_ in links and doc[end + 1].is_title \
            and doc[end + 1].pos_ == "PROPN" and doc[end + 1].ent_type_ in ("", "ORG") \
            and doc[end + 1].text not in art.d.state_names:
        stop = end + 1
        while stop < len(doc) and doc[stop].is_title and doc[stop].pos_ == "PROPN":
            stop += 1
        end = stop
    return doc[ent.start:end] if end > ent.start else ent


def _listed_tail(doc: Doc, ent: Span) -> Span:
    """A name the tagger cut at a comma inside it ('State Commission on Prisoners of War,' + 'Hostages and
    Missing Persons'): the entity ends in the comma and a run of capitalised words joined by 'and' goes on."""
    if ent[-1].text != ",":
        return ent
    end = ent.end
    while end < len(doc) and (doc[end].text[:1].isupper() or (
            doc[end].lower_ == "and" and end + 1 < len(doc) and doc[end + 1].text[:1].isupper())):
        end += 1
    run = doc[ent.end:end]
    if len(run) < 3 or not any(t.lower_ == "and" for t in run):
        return ent
    return doc[ent.start:end]


def _places_among_orgs(art: _Article, ents: list[Span]) -> set[str]:
    """Names of ORG entities used as places somewhere in the article: names held as places by the words
    around them, known places (GeoNames) after a place preposition, and unknown names listed with them
    ('near Arauca and Saravena')."""
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
        if _held_as_place(art, ent):
            found.add(name)  # 'captured Rumangabo', 'the Torkham crossing': a place even if no data set knows it
            continue
        if not _used_as_place(art, ent):
            continue
        root = _climb_conj(ent.root)
        listed = [t for t in root.subtree if (t.dep_ == "conj" or t is root) and t.i != ent.root.i]
        if _known_place(name) or any(t.ent_type_ in {"GPE", "LOC", "ORG", "FAC", ""} and t.pos_ == "PROPN"
                                     and _known_place(t.text) for t in listed):
            found.add(name)
    return found


def described_companies(art: _Article) -> None:
    """'the state gold miner Minerven', 'the shipping firm Marlinex': the capitalised name right after a noun
    that describes a company (`company_nouns`) is that company, an organisation."""
    d, doc = art.d, art.doc
    for noun in doc:
        if noun.lower_ not in COMPANY_NOUNS or noun.is_title or noun.i + 1 >= len(doc):
            continue
        end = noun.i + 1
        while end < len(doc) and doc[end].is_title and doc[end].pos_ == "PROPN" and end - noun.i <= 3:
            end += 1
        if end == noun.i + 1 or end < len(doc) and doc[end].pos_ == "PROPN":
            continue  # no name, or a longer one ('the firm Gulf Oil Trading Company') left to the tagger
        start_char, end_char = doc[noun.i + 1].idx, doc[end - 1].idx + len(doc[end - 1].text)
        name = art.text[start_char:end_char]
        words = name.split()
        if art.taken(start_char, end_char) or any(w in d.non_actor_words or w in CALENDAR_WORDS
                                                  or w.lower() in d.titles for w in words) \
                or name in d.state_names or name in d.metonyms or _known_place(name):
            continue
        actor_id = new_organisation(art, name)
        if actor_id != "org:":
            art.add(_Candidate(start_char, end_char, actor_id, "described", "organisation"))


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
        while len(tokens) > 1 and tokens[-1].is_lower:  # 'the Democratic Center party': the name is capitalised
            tokens = tokens[:-1]
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
        if name in d.news_outlets or _is_credit(text, start, end) or load_coref_config().is_collective(name):
            continue  # 'the Co-Chairs' stands for the members the article introduced (coreference)
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
        actor_id = new_organisation(art, name)
        if actor_id != "org:":
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
    org_head = name_head(words) in d.organisation_heads
    if not org_head:
        if any(w in d.non_actor_words or w in d.venue_words for w in re.split(r"[\s-]+", name)) \
                or _known_place(name):
            return None
        labels = {e.label_ for e in art.ents if e.start_char < span[1] and span[0] < e.end_char}
        acronym_labels = {e.label_ for e in art.ents if e.text == acronym}
        if not (labels | acronym_labels) & {"ORG", "NORP"} or labels & {"GPE", "LOC", "FAC", "EVENT", "LAW"}:
            return None
    actor_id = new_organisation(art, name)
    return (actor_id, "acronym") if actor_id != "org:" else None


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
    for m in _definition_cue_pattern().finditer(text):  # 'the ... Front, or ALF,', '..., known as UNMISS'
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
        if not art.taken(m.start(), m.end()) or " " in m.group(0) and art.clear_inside(m.start(), m.end()):
            actor_id, method = defined[m.group(0)]
            art.add(_Candidate(m.start(), m.end(), actor_id, method, "organisation"))


@lru_cache(maxsize=1)
def _definition_cue_pattern() -> re.Pattern[str]:
    """An acronym after a cue that gives it as the name's short form, after a comma or an opening bracket:
    'the Coastal Liberation Front, or CLF,', 'the United Nations Mission in Liberia, known as UNMIL'
    (`acronym_definition_cues` in actors.yaml)."""
    cues = sorted(word_list("acronym_definition_cues"), key=lambda c: (-len(c), c))
    alternation = "|".join(r"\s+".join(map(re.escape, cue.split())) for cue in cues)
    return re.compile(rf"(?:,|\s\()\s*(?:{alternation})\s+(?:the\s+)?([A-Z][A-Za-z0-9&/-]{{1,11}})(?=[\s,.;:)])")


def named_initials(art: _Article) -> None:
    """'the NUG said' in an article that names the National Unity Government but never defines the acronym:
    a tagged acronym stands for the one organisation named in the article whose initials it is."""
    named: dict[str, set[str]] = {}
    for cand in art.candidates:
        words = art.text[cand.start:cand.end].split()
        if cand.actor_id and cand.actor_id.partition(":")[0] in {"org", "igo", "group", "gov"} and len(words) > 1:
            named.setdefault(_initials(words), set()).add(cand.actor_id)
    for cand in art.candidates:
        surface = art.text[cand.start:cand.end]
        if cand.method == "ner" and _is_acronym(surface) and len(named.get(surface, ())) == 1:
            cand.actor_id, cand.method = next(iter(named[surface])), "acronym"


ARMED_GROUP_NOUNS = word_list("armed_group_nouns")
ARMED_GROUP_MODIFIERS = word_list("armed_group_modifiers")


def _typing_kind(noun: Token) -> str | None:
    """The kind a noun gives the acronym beside it: 'fighters', 'rebels' a group, 'party' an organisation,
    'group' or 'movement' a group only when armed ('an ethnic armed group')."""
    kinds: dict[str, list[str]] = actor_config().get("acronym_kind_nouns") or {}
    forms = {noun.lower_, noun.lemma_.lower()}
    for kind, nouns in kinds.items():
        if forms & set(nouns):
            return kind
    if forms & ARMED_GROUP_NOUNS and any(c.lower_ in ARMED_GROUP_MODIFIERS for c in noun.children
                                          if c.dep_ in {"amod", "compound"}):
        return "group"
    return None


def _acronym_kind(token: Token) -> str | None:
    """The kind the words around an acronym give it: the noun it modifies ('ARSA fighters'), the noun it is
    'of' or 'from' ('fighters of the ARSA'), or a noun in apposition ('the ORA, an armed group')."""
    neighbours = [c for c in token.children if c.dep_ in {"appos", "compound"}]
    if token.dep_ == "conj":  # 'X and the ORA, an armed group': the parser hangs the apposition on X
        neighbours += [c for c in token.head.children if c.dep_ == "appos" and c.left_edge.i == token.i + 2]
    if token.dep_ in {"compound", "nmod", "amod", "appos"}:
        neighbours.append(token.head)
    if token.dep_ == "pobj" and token.head.lower_ in {"of", "from"}:
        neighbours.append(token.head.head)
    kind = next((kind for noun in neighbours if (kind := _typing_kind(noun))), None)
    if kind is None and token.dep_ == "conj" and token.head.i < token.i:
        # 'fighters of the NDRA and the KLF': both are fighters' groups, however the parser joins them
        return _typing_kind(token.head) or _acronym_kind(token.head)
    return kind or _acting_kind(token)


def _acting_kind(token: Token) -> str | None:
    """'The ARSA attacked police posts', 'the town was stormed by the KLF': an acronym that does an act of
    violence (a group) or a political act (an organisation), as the verb's subject or 'by' agent."""
    following = token.doc[token.i + 1].text if token.i + 1 < len(token.doc) else ""
    if len(token.text) > int(actor_config().get("acronym_act_max_letters") or 0) or following in {",", "-", "—", "–"}:
        return None  # a word in capitals before a comma or dash is a dateline's place ('ARAUCA, Colombia -')
    if token.dep_ == "nsubj":
        verb = token.head
    elif token.dep_ == "pobj" and token.head.dep_ == "agent":
        verb = token.head.head
    else:
        return None
    acts: dict[str, list[str]] = actor_config().get("acronym_acts") or {}
    return next((kind for kind, verbs in acts.items() if verb.pos_ == "VERB" and verb.lemma_.lower() in verbs), None)


def _plain_acronym(art: _Article, word: str) -> bool:
    """An acronym no dictionary table knows: not a state, seat, organisation, news outlet or title, nor a
    name in capitals ('JUBA –' of a dateline) written in lower case elsewhere in the article."""
    d = art.d
    return _is_acronym(word) and not any(word in table for table in (
        d.state_names, d.metonyms, d.organisations, d.institutions, d.ministries, d.news_outlets, d.demonyms)) \
        and word.lower() not in d.titles \
        and not re.search(rf"(?<!\w){re.escape(word.capitalize())}(?!\w)", art.text)


ACRONYM_WORD = re.compile(r"(?<![\w.&/-])[A-Z][A-Za-z0-9&/-]{1,11}(?![\w&/-])")


def _guessed(art: _Article, candidates: list[_Candidate], start: int, end: int, word: str) -> list[_Candidate]:
    """Candidates inside an acronym that only guessed at it: the tagger's organisation, or a name made of
    the acronym itself ('person:spla-io')."""
    return [c for c in candidates if start <= c.start and c.end <= end
            and (c.method == "ner" or (c.actor_id or "").endswith(f":{slugify(word)}"))]


def typed_acronyms(art: _Article) -> None:
    """'ARSA fighters attacked ...', 'the ORA, an ethnic armed group', 'SPLA-IO rebels': an acronym the
    dictionary does not know, beside a noun that says what it is, names an actor of that kind for the whole
    article, with the acronym as its name and a stable id ('group:arsa'), even where the tagger missed it,
    took part of it ('SPLA') or called it a plain organisation. An acronym with no such noun is an actor when
    it does an act of violence or politics ('the ARSA attacked'); else it is left to the tagger: initials also
    name people ('PRRD leads ...')."""
    kinds: dict[str, str] = {}
    for m in ACRONYM_WORD.finditer(art.text):
        word = m.group()
        span = _span(art.doc, m.start(), m.end())
        if span is None or kinds.get(word) == "group" or not _plain_acronym(art, word):
            continue
        named = [c for c in art.candidates if c.start < m.end() and m.start() < c.end]
        if len(_guessed(art, named, m.start(), m.end(), word)) < len(named):
            continue  # a dictionary name or a longer name holds it
        kind = _acronym_kind(span.root)
        if kind:
            kinds[word] = kind
    for word, kind in kinds.items():
        actor_id = f"{'group' if kind == 'group' else 'org'}:{slugify(word)}"
        art.new_actors.setdefault(actor_id, Actor(actor_id, word, kind, None, [], []))
        for m in _bounded([word]).finditer(art.text):
            tagged = _guessed(art, art.candidates, m.start(), m.end(), word)
            for cand in tagged:  # the tagger's name, or part of it ('SPLA' of 'SPLA-IO'), is the acronym
                cand.start, cand.end, cand.actor_id, cand.method = m.start(), m.end(), actor_id, "acronym-context"
            if not art.taken(m.start(), m.end()):
                art.add(_Candidate(m.start(), m.end(), actor_id, "acronym-context", "organisation"))
            elif tagged:
                art.occupied[m.start():m.end()] = b"\x01" * (m.end() - m.start())


def context_names(art: _Article) -> None:
    """'the coalition' in an article about the war in Yemen: a common noun the dictionary gives an
    organisation where the story is its own (`in_context` in actors.yaml), unless an owner ('Netanyahu's
    coalition'), a modifier other than its own (`modifiers`: 'the military coalition'; not 'the ruling
    coalition') or a longer name holds it."""
    for entry in actor_config().get("organisations") or []:
        context = entry.get("in_context")
        if not context or not any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", art.text) for n in context["when"]):
            continue
        for m in re.finditer(rf"(?<![\w-]){re.escape(context['word'])}(?![\w-])", art.text, re.IGNORECASE):
            span = _span(art.doc, m.start(), m.end())
            if span is None or art.taken(m.start(), m.end()) or (m.group()[0].isupper() and span.root.i > 0
                                                                 and not span.root.is_sent_start):
                continue
            kept = set(context.get("modifiers") or [])
            if any(c.dep_ in {"poss", "amod", "compound"} and c.i < span.root.i and c.lower_ not in kept
                   for c in span.root.children):
                continue
            art.add(_Candidate(m.start(), m.end(), entry["id"], "dictionary-context", "organisation"))
