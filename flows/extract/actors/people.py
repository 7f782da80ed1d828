"""People: dictionary names, names after titles, tagged names, surnames and given names of people named
in the article, misspellings, and title-only mentions resolved through coreference or by date."""

from __future__ import annotations

import datetime
import re

from rapidfuzz.distance import Levenshtein
from spacy.tokens import Span, Token

from flows.extract.actors.context import (
    _Article,
    _Candidate,
    _in_person_name,
    _known_place,
    _span,
    _TitleHit,
    _used_as_place,
)
from flows.extract.actors.dictionary import (
    ActorDictionary,
    _bounded,
    _code_of,
    _fold,
    given_names,
    strip_accents,
    word_list,
)
from flows.extract.actors.ruler import dictionary_matches
from flows.extract.actors.titles import (
    CALENDAR_WORDS,
    _apposition_role,
    _name_word,
    _role_before,
    _short_names,
    without_honorifics,
)
from flows.extract.coref import role_antecedent
from flows.extract.grammar import ANY_SUBJECT
from flows.extract.roles import Role, parse_role, title_words
from flows.ids import slugify
from flows.records import Actor


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
    for short in _short_names(name):  # 'Lourenço' and 'Lourenco' alike
        art.unknown_surnames.setdefault(short, actor_id)
        art.unknown_surnames.setdefault(strip_accents(short), actor_id)
    return actor_id


def _add_text_role(art: _Article, actor_id: str, role: str, code: str | None) -> None:
    art.text_roles.setdefault(actor_id, set()).add(f"{role}@{code}" if code else role)


def _persons_from_titles(art: _Article, hits: list[_TitleHit]) -> dict[int, _TitleHit]:
    """People named after a title; returns the title hit by the start of its name."""
    d, text = art.d, art.text
    by_name: dict[int, _TitleHit] = {}
    for hit in hits:
        if hit.name_start is None or hit.name_end is None:
            continue
        by_name[hit.name_start] = hit
        name = text[hit.name_start:hit.name_end]
        if art.taken(hit.start, hit.end):
            continue  # a title inside a listed name ('Pope Francis')
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
    for start, end, name in dictionary_matches(art, "names"):
        if name in art.d.full_names and not art.taken(start, end):
            ids = art.d.full_names[name]
            _note_person(art, start, _family_name_end(art, start, end), ids[0], "dictionary", True)


def _family_name_end(art: _Article, start: int, end: int) -> int:
    """The end of a listed name with one more family name the tagger keeps in the person's name
    ('Nicolas Maduro Moros'): the whole name is the mention."""
    for ent in art.ents:
        if ent.label_ == "PERSON" and ent.start_char == start and end < ent.end_char:
            extra = art.text[end:ent.end_char]
            if re.fullmatch(r" [A-Z][a-zà-ÿ]+", extra):
                return ent.end_char
    return end


TITLE_JOINERS = frozenset({"&", "-", "/"})
PERSON_VERBS = word_list("person_verbs")
PERSON_SLOT_PREPOSITIONS = word_list("person_slot_prepositions")


def with_given_names(ent: Span, d: ActorDictionary) -> Span:
    """The entity with the capitalised given names the tagger left out before it ('Ana' of 'Ana Novak' when
    only 'Novak' was tagged), never a title, a demonym or the end of a title ('Minister of Foreign Affairs
    and Emigrants Jan Novak')."""
    doc, start = ent.doc, ent.start
    while start > 0 and ent.start - start < 2:
        prev = doc[start - 1]
        if prev.pos_ != "PROPN" or prev.dep_ != "compound" or not ent.start <= prev.head.i < ent.end \
                or not prev.text[:1].isupper() or prev.ent_type_ or prev.text.lower() in d.titles \
                or prev.text in d.title_modifiers or prev.text in d.demonyms:
            break
        start -= 1
    before = doc[start - 1] if start > 0 else None
    if before is not None and (before.pos_ in ("PROPN", "ADP", "CCONJ") or before.text in TITLE_JOINERS):
        return ent  # the end of a title or a name of its own: 'Foreign Affairs and Emigrants'
    if start == ent.start and before is not None and given_name_tagged_as_verb(before, ent):
        start -= 1
    return ent if start == ent.start else Span(doc, start, ent.end, label=ent.label_)


def given_name_tagged_as_verb(word: Token, ent: Span) -> bool:
    """'Do Quang Vinh said': a capitalised word right before a person's name that the parser took for an
    auxiliary of the name's own verb is the first given name; a question ('Did Putin agree?') keeps it a verb."""
    if ent.label_ != "PERSON" or word.pos_ not in ("AUX", "VERB") or word.dep_ not in ("aux", "auxpass"):
        return False
    if not (word.is_title and word.is_alpha and word.head.i >= ent.end):
        return False
    ends_as_question = word.sent.text.rstrip().rstrip("\"'”’").endswith("?")
    return not ends_as_question and any(t.head == word.head and t.dep_ in ("nsubj", "nsubjpass") for t in ent)


UNTAGGED = "UNTAGGED"


def untagged_names(art: _Article) -> list[Span]:
    """Runs of two to four capitalised proper nouns on one line that the tagger left without a label
    ('Amadou Diallo, the African Union's mediator'): kept only where a role stands by them, like a name
    the tagger took for an organisation."""
    runs, start = [], None
    for token in list(art.doc) + [None]:
        word = token is not None and token.pos_ == "PROPN" and token.is_title and not token.ent_type_ \
            and token.is_alpha
        if word and start is None:
            start = token.i
        if start is not None and (not word or "\n" in token.whitespace_):
            end = token.i + 1 if word else (token.i if token is not None else len(art.doc))
            if 2 <= end - start <= 4:
                runs.append(Span(art.doc, start, end, label=UNTAGGED))
            start = None
    return runs


def _ner_persons(art: _Article) -> None:
    """Multi-word PERSON entities not in the dictionary: fuzzy match, else a new person. A name the
    tagger calls an organisation or place counts too when an apposition gives it a person's role."""
    d = art.d
    for found in art.ents + untagged_names(art):
        if found.label_ not in {"PERSON", "ORG", "GPE", "NORP", UNTAGGED}:
            continue
        ent = with_given_names(found, d)
        if ent.label_ != "PERSON" and not (
                2 <= len(ent) <= 4 and all(t.pos_ == "PROPN" for t in ent)
                and (_apposition_role(art, ent.end_char) or _role_before(art, ent.start_char))):
            continue
        tokens = [t for t in ent if not (t.dep_ == "case" or t.text in {"'s", "’s"})]
        while tokens and (tokens[0].text.lower() in d.titles or tokens[0].text in d.title_modifiers
                          or tokens[0].text in d.demonyms or tokens[0].text in d.regional_demonyms):
            tokens = tokens[1:]
        tokens = without_honorifics(tokens)
        if len(tokens) < 2:
            continue
        while len(tokens) > 2 and tokens[-1].text == ".":  # 'al-Nur.' at the end of a paragraph
            tokens = tokens[:-1]
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


def _person_slot(token: Token) -> bool:
    """Whether a word stands where a person can act or be acted on: a subject, the object of a verb or of
    a preposition of people ('met with', 'talks between'), or a conjunct of one of these."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    if token.dep_ in ANY_SUBJECT or token.dep_ in {"dobj", "dative", "iobj"}:
        return True
    return token.dep_ == "pobj" and token.head.lower_ in PERSON_SLOT_PREPOSITIONS


def _given_name_first(art: _Article, words: list[str]) -> bool:
    """Whether a name opens with a given name (`given_names`) that names no state, capital, people or place."""
    d, first = art.d, words[0]
    return first.lower() in given_names() and first not in d.state_names and first not in d.metonyms \
        and first not in d.demonyms and first not in CALENDAR_WORDS and not _known_place(first) \
        and not any(w in d.venue_words for w in words)


def _subject_persons(art: _Article) -> None:
    """Two or three capitalised words the tagger left without a person label that the syntax makes a
    person: the subject of a speech verb ('Prak Sokhonn told reporters'), a state's own subject
    ("Cambodia's Prak Sokhonn went"), or a name that opens with a given name in a person's slot
    ('Olusegun Obasanjo met the envoys', 'the envoy met Ramtane Lamamra')."""
    d = art.d
    for token in art.doc:
        if token.pos_ != "PROPN" or token.ent_type_ == "PERSON" or not (
                token.dep_ in ANY_SUBJECT or _person_slot(token)):
            continue
        first = token.i
        while first > 0 and token.i - first < 2 and art.doc[first - 1].dep_ == "compound" \
                and art.doc[first - 1].head.i == token.i and art.doc[first - 1].pos_ == "PROPN":
            first -= 1
        span = art.doc[first:token.i + 1]
        words = [t.text for t in span]
        if len(span) < 2 or not all(w.isalpha() and w[:1].isupper() for w in words) \
                or art.taken(span.start_char, span.end_char) or not _person_like(d, words) \
                or any(w in d.organisation_heads or w in d.non_actor_words or w.lower() in d.titles
                       or w in d.title_modifiers for w in words) \
                or _known_place(span.text) or span.text in d.full_names:
            continue
        owner = art.doc[first - 2] if first >= 2 and art.doc[first - 1].text in {"'s", "’s"} else None
        if (token.dep_ in ANY_SUBJECT and token.head.lemma_.lower() in PERSON_VERBS) \
                or (owner is not None and owner.text in d.state_names) or _given_name_first(art, words):
            actor_id = _new_person(art, span.text, d.state_names.get(owner.text) if owner is not None else None)
            _note_person(art, span.start_char, span.end_char, actor_id, "subject", True)


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
    for start, end, word in dictionary_matches(art, "names"):
        if word not in d.surnames or art.taken(start, end):
            continue
        if _in_person_name(art, start, end) and start not in by_name:
            continue
        resolved = _resolve_surname(art, word, start, by_name.get(start))
        if resolved:
            _note_person(art, start, end, resolved[0], resolved[1], False)
    joined = [short for short in art.unknown_surnames if not short.isalpha()]  # 'Coronel-Ferrer', 'De Mistura'
    for m in _bounded(joined).finditer(art.text) if joined else ():
        if not art.taken(m.start(), m.end()):
            _note_person(art, m.start(), m.end(), art.unknown_surnames[m.group()], "coreference-surname", False)
    for token in doc:
        start, end = token.idx, token.idx + len(token.text)
        if not token.text[:1].isupper() or not token.is_alpha or art.taken(start, end):
            continue
        known = art.unknown_surnames.get(token.text) or art.unknown_surnames.get(strip_accents(token.text)) \
            or (_spelled_like(art, token.text) if token.pos_ == "PROPN" or token.ent_type_ == "PERSON" else None)
        if known:
            _note_person(art, start, end, known, "coreference-surname", False)
            continue
        if len(art.first_names.get(token.text, ())) == 1 and token.text not in d.surnames \
                and not _code_of(d, token.text) and token.text not in d.metonyms \
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


def _one_edit(a: str, b: str) -> bool:
    """Two spellings of one name word: one edit apart, long enough, and not a feminine '-a' form."""
    a, b = _fold(a), _fold(b)
    return min(len(a), len(b)) >= 5 and a[:1] == b[:1] and a not in (b + "a", b[:-1]) \
        and Levenshtein.distance(a, b) == 1


def _spelled_like(art: _Article, word: str) -> str | None:
    """The one person of the article with a family name that is this word or another spelling of it
    ('Cirilo' for 'Thomas Cirillo Swaka', 'Minawi' for 'Minni Minnawi')."""
    found = {actor_id for short, actor_id in art.unknown_surnames.items()
             if short.isalpha() and short != word and _one_edit(short, word)}
    for actor_id, row in art.new_actors.items():
        if row.kind == "person" and any(w == word or _one_edit(w, word) for w in row.name.split()[1:]):
            found.add(actor_id)
    return found.pop() if len(found) == 1 else None


def _same_person(name: str, other: str, listed: bool) -> bool:
    """Whether a name found on its own is a form of another person's fuller or listed name: its short form
    ('Al-Murtada'), its given names ('Abdel Wahid' of 'Abdel Wahid al-Nur'), a listed name with an extra
    family name ('Nicolas Maduro Moros'), or another spelling of one of its words ('Minni Minawi')."""
    words, others = name.split(), other.split()
    if name in _short_names(other) or (2 <= len(words) < len(others) and others[:len(words)] == words) \
            or (listed and 2 <= len(others) < len(words) and words[:len(others)] == others):
        return True
    differing = [(a, b) for a, b in zip(words, others, strict=False) if _fold(a) != _fold(b)]
    return len(words) == len(others) >= 2 and len(differing) == 1 and _one_edit(*differing[0])


def merge_name_variants(art: _Article) -> None:
    """One actor for the forms of one person's name: a person the text names on their own is the person
    of another, fuller or earlier, name in the article when exactly one such name fits (two Kims stay two
    people)."""
    names: dict[str, str] = {}
    for _, actor_id in art.full_person_spans:  # in text order: a spelling variant goes to the first form
        row = art.new_actors.get(actor_id) or art.d.actors[actor_id]
        names.setdefault(actor_id, row.name.rstrip("."))
    order = list(names)
    remap: dict[str, str] = {}
    for actor_id in names:
        if actor_id not in art.new_actors:
            continue
        fits = {other for other, name in names.items() if other != actor_id and other not in remap
                and _same_person(names[actor_id], name, other not in art.new_actors)
                and (len(name) != len(names[actor_id]) or order.index(other) < order.index(actor_id))}
        if len(fits) == 1:
            remap[actor_id] = fits.pop()
    for cand in art.candidates:
        seen = 0
        while cand.actor_id in remap and seen < len(remap):
            cand.actor_id, cand.method, seen = remap[cand.actor_id], "coreference-name", seen + 1


def _offices(art: _Article) -> dict[str, list[Role]]:
    """Each person's offices: from the dictionary and as the article states them."""
    offices = {actor_id: list(roles) for actor_id, roles in art.d.person_roles.items()}
    for actor_id, texts in art.text_roles.items():
        offices.setdefault(actor_id, []).extend(parse_role(t) for t in sorted(texts))
    return offices


def _title_only(art: _Article, hits: list[_TitleHit]) -> None:
    """'the Armenian Foreign Minister', 'the minister': the person named earlier in the article with
    that role (coreference, `flows/extract/coref.py`), else the holder at the article date (only when
    the role names one country)."""
    d = art.d
    offices = _offices(art)
    for hit in hits:
        if hit.name_start is not None or not hit.definite or art.taken(hit.start, hit.end):
            continue
        earlier = role_antecedent(art.full_person_spans, hit.start, hit.role, hit.code, offices, art.day)
        if earlier:
            art.add(_Candidate(hit.start, hit.end, earlier, "coreference-title", "title-zone"))
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
        elif f"state:{hit.code}" in d.actors and _official(hit.role) and not _named_in_apposition(art, hit):
            # 'the French ambassador', 'the Serbian negotiator', nobody named: an unnamed official acts for
            # the state.
            art.add(_Candidate(hit.start, hit.end, f"state:{hit.code}", "title-state", "title-zone"))


def _named_in_apposition(art: _Article, hit: _TitleHit) -> bool:
    """'Cyprus's chief negotiator, Andreas Kyriakides,', 'Richard Norland, the US ambassador': the title
    describes a person named beside it, who is the actor."""
    span = art.doc.char_span(hit.start, hit.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    beside = [c for c in root.subtree if c.dep_ == "appos"] + ([root.head] if root.dep_ == "appos" else [])
    return any(t.pos_ == "PROPN" or t.ent_type_ == "PERSON" for t in beside)


def _official(role: str) -> bool:
    """An office whose unnamed holder stands for the state: a diplomat or official ('ambassador', 'foreign
    minister', 'spokesman'), not a head of state or government."""
    words = role.split()
    return bool(words) and words[-1] in title_words("diplomat") | title_words("official") \
        and role not in title_words("head of state") | title_words("head of government")
