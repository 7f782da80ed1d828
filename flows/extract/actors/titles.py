"""Titles and roles as written, parsed once for every stage: 'Armenian Foreign Minister X', 'X, the UN
special envoy for Yemen,', "Sudan's army chief X", 'former president X'.

Public interface (the quote stage reads roles through it):

- `titles_in(doc, day=None)`: every title in a parsed text as a `Title` (canonical lower-case role,
  country or organisation code, the name it introduces, character offsets);
- `role_near(doc, start_char, end_char)`: the role the text gives a name, from a title right before it,
  an apposition after it ('X, the UN special envoy for Yemen,') or a role set off before it ('The EU's
  envoy, X,'), as (role, code);
- `parse_title(text)`: the title of a short phrase ('former president Z').
- `WrittenRoles(doc, words, hidden, people)`: the role next to a name in the text's own words ('U.S.
  Secretary of State', 'Senior Adviser to the Prime Minister'), as the quotes table publishes it, read
  from the parse (capitalised runs, role heads, appositions) and never across quoted speech.

Titles, modifiers ('former', 'deputy') and the institutions a title may name come from
`schemas/actors.yaml`; country names and demonyms give the code.
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from nameparser.config import CONSTANTS
from spacy.tokens import Doc, Span, Token

from flows.extract.actors.context import _Article, _span, _TitleHit, new_article
from flows.extract.actors.dictionary import (
    ActorDictionary,
    _code_of,
    _institution_code,
    load_actor_dictionary,
    word_list,
)
from flows.extract.actors.ruler import dictionary_matches

CALENDAR_WORDS = word_list("calendar_words")
NAME_PARTICLES = word_list("name_particles")
APPOSITION_MAX_TOKENS = 15
APPOSITION_STOP = re.compile(r"[,;.()\[\]\"“”]")


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


def _given_name_tail(tokens: list[Token], i: int, picked: list[Token]) -> bool:
    """'-woo' of 'Lee Hyun-woo', '-an' of 'Nguyen Van-an': a lower-case syllable joined by a hyphen to the
    name word before it, the second half of a hyphenated given name (not '-led' closing a name run)."""
    if not (picked and tokens[i].text == "-" and i + 1 < len(tokens)) or picked[-1].whitespace_:
        return False
    tail = tokens[i + 1]
    ends_run = i + 2 >= len(tokens) or tokens[i + 1].whitespace_ or not tokens[i + 2].is_alpha
    return not tokens[i].whitespace_ and tail.is_lower and tail.is_alpha and len(tail) <= 5 \
        and tail.pos_ not in ("VERB", "AUX", "ADJ") and ends_run


def _name_word(word: str) -> bool:
    """A word that can be part of a person's name: capitalised, a particle, or 'al-Burhan'."""
    head, _, tail = word.partition("-")
    particle_name = head.lower() in NAME_PARTICLES and tail[:1].isupper()
    return word[:1].isupper() or word.lower() in NAME_PARTICLES or particle_name


def honorific(word: str) -> bool:
    """A courtesy or rank title that is no part of a name ('Archbishop', 'Sergeant', 'Maj', 'Prince'):
    nameparser's list of titles."""
    return word[:1].isupper() and word.lower().rstrip(".") in CONSTANTS.titles


def name_suffix(word: str) -> bool:
    """A generational or honorific suffix ('Jr.', 'III'): nameparser's lists of suffixes."""
    key = word.lower().strip(".,")
    return key in CONSTANTS.suffix_not_acronyms or key in CONSTANTS.suffix_acronyms


def without_honorifics(words: list[Token]) -> list[Token]:
    """The name without leading honorifics, as long as two name words stay ('Maj Gen Zaw Min Tun')."""
    while len(words) > 2 and honorific(words[0].text):
        words = words[1:]
    return words


def _short_names(name: str) -> list[str]:
    """What a later mention may use: the surname (before 'Jr.' or 'III'), 'Burhan' and 'Al-Burhan' for
    'al-Burhan', 'de Mistura' and 'De Mistura' for 'Staffan de Mistura'."""
    words = name.split()
    while len(words) > 2 and name_suffix(words[-1]):
        words = words[:-1]
    last = words[-1]
    head, _, tail = last.partition("-")
    if head.lower() in NAME_PARTICLES and tail:
        return [last, tail, head.capitalize() + "-" + tail]
    if len(words) > 2 and words[-2].lower() in NAME_PARTICLES:
        return [last, f"{words[-2]} {last}", f"{words[-2].capitalize()} {last}"]
    return [last]


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
        elif _given_name_tail(tokens, i, picked):
            picked += tokens[i:i + 2]
            i += 1
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
    while picked and not _is_name_token(picked[-1], d) and not _given_name_tail(picked, len(picked) - 2, picked[:-2]):
        picked.pop()
    picked = without_honorifics(picked)
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
        first = portfolio.split()[0]
        if first in CALENDAR_WORDS or first.lower() in d.titles or first.lower() in {"the", "a", "an"}:
            continue
        if any(w.lower() in {x.lower() for x in d.title_modifiers} for w in portfolio.split()):
            continue
        if generic is None or (generic.role == "minister" and generic.start >= m.start()):
            hits[m.end("title")] = _title_hit(art, m, f"{portfolio.lower()} minister",
                                              _code_of(d, m.group("country")))
    # a title word inside a listed organisation's name ('Central General Staff') is no title
    names = [(a, b) for a, b, _ in dictionary_matches(art, "organisations")]
    return sorted((h for h in hits.values() if not any(
        a <= h.start and h.end <= b and (b - a) > (h.end - h.start) for a, b in names)), key=lambda h: h.start)


def _has_finite_verb(art: _Article, start: int, end: int) -> bool:
    span = art.doc.char_span(start, end, alignment_mode="contract")
    return span is not None and any(t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm") for t in span)


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
    if _has_finite_verb(art, start, phrase_end):
        return None  # 'X, the Minister called on ...': a new clause about someone else, not an apposition
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
    owned = any(re.search(r"['’]s$", w) for w in rest[:4])  # 'the African Union's mediator'
    if code is None and not (rest[0][:1].islower() or rest[0].lower() in d.role_heads or lead or owned):
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


@dataclass(frozen=True)
class Title:
    """A title as the text gives it: role 'foreign minister', code 'ARM', name 'Ararat Mirzoyan'."""

    role: str
    code: str | None
    name: str | None
    start: int
    end: int
    name_start: int | None = None
    name_end: int | None = None

    @property
    def is_former(self) -> bool:
        return self.role.split()[0] in {"former", "then", "outgoing", "ex"}


def titles_in(doc: Doc, day: datetime.date | None = None) -> list[Title]:
    """Every title of a parsed text, with the name it introduces when one follows."""
    art = new_article(doc, day, load_actor_dictionary())
    hits = _find_titles(art)
    return [Title(h.role, h.code, art.text[h.name_start:h.name_end] if h.name_start is not None else None,
                  h.start, h.end, h.name_start, h.name_end) for h in hits]


def role_near(doc: Doc, start_char: int, end_char: int) -> tuple[str, str | None] | None:
    """The role the text gives the name at start_char..end_char: a title right before it, an apposition
    after it, or a role set off by a comma before it."""
    art = new_article(doc, None, load_actor_dictionary())
    for hit in _find_titles(art):
        if hit.name_start == start_char:
            return hit.role, hit.code
    return _apposition_role(art, end_char) or _role_before(art, start_char)


def parse_title(text: str) -> Title | None:
    """The title of a short phrase ('former president Z', "Sudan's army chief Y"), parsed with the shared
    spaCy pipeline; None when the phrase holds no title."""
    from flows.extract.annotate import load_nlp

    found = titles_in(load_nlp()(text))
    return found[0] if found else None


@dataclass(frozen=True)
class RoleWords:
    """What makes a run of words a role ('minister', 'envoy': the actor dictionary's role heads) and the
    words that join its parts ('of', "'s") or a portfolio's ('and')."""

    heads: frozenset[str]
    connectors: frozenset[str]
    joiners: frozenset[str]

    def is_role_word(self, token: Token) -> bool:
        return token.lower_ in self.heads or token.lemma_.lower() in self.heads


def strip_article(text: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", text.strip(" ,"), flags=re.IGNORECASE)


class WrittenRoles:
    """Roles in the text's own words next to a name ('U.S. Secretary of State X', 'X, Senior Adviser to the
    Prime Minister,', 'The special envoy for the talks, X,'), as tables publish them; `hidden` marks
    words outside the narrative being read (quoted speech), which a role never crosses, and `people` the
    tokens of other people's names."""

    def __init__(self, doc: Doc, words: RoleWords, hidden: Callable[[Token], bool], people: set[int]) -> None:
        self.doc = doc
        self.words = words
        self.hidden = hidden
        self.people = people

    def near(self, name: Span) -> str | None:
        """The role written before the name, after it, or the role it is apposed to or set off after."""
        return (self.before(name.start) or self.after(name[-1]) or self.apposed_to(name.root, name.start)
                or self.before_comma(name.start))

    def before(self, start_token: int) -> str | None:
        """A role written before a name: 'Kenyan Foreign Minister Musalia Mudavadi', 'spokesperson Jane Doe'."""
        doc = self.doc
        i = start_token - 1
        words: list[Token] = []
        while i >= 0 and not doc[i + 1].is_sent_start:
            token = doc[i]
            if self.hidden(token) or token.i in self.people:
                break
            capital = token.text[:1].isupper() and token.pos_ in ("PROPN", "NOUN", "ADJ")
            spaced_dash = token.text == "-" and (token.whitespace_ or (i > 0 and doc[i - 1].whitespace_))
            modifier = token.dep_ in ("compound", "amod") and token.head in words
            connector = token.lower_ in self.words.connectors or (
                token.lower_ in self.words.joiners and not any(self.words.is_role_word(t) for t in words))
            if spaced_dash or not (capital or modifier or self.words.is_role_word(token) or connector):
                break
            words.insert(0, token)
            i -= 1
        while words and words[0].lower_ in self.words.connectors:
            words.pop(0)
        if not any(self.words.is_role_word(t) for t in words):
            return None
        return doc[words[0].i:words[-1].i + 1].text

    def after(self, token: Token) -> str | None:
        """A role written as an apposition: 'Tom Sullivan, Senior Policy Advisor to the Secretary of State,'."""
        doc = self.doc
        if token.i + 1 >= len(doc) or doc[token.i + 1].text != ",":
            return None
        words: list[Token] = []
        for other in doc[token.i + 2:min(token.i + 2 + APPOSITION_MAX_TOKENS, token.sent.end)]:
            if other.text in (",", ";", ":", "(", ")") or self.hidden(other):
                break
            words.append(other)
        if not words or any(t.pos_ in ("VERB", "AUX") for t in words):
            return None
        if not any(self.words.is_role_word(t) for t in words):
            return None
        return strip_article(doc[words[0].i:words[-1].i + 1].text)

    def apposed_to(self, token: Token, name_start: int) -> str | None:
        """A role the name is in apposition to: 'The EU foreign policy chief, Josep Borrell,'."""
        if token.dep_ != "appos":
            return None
        head = token.head
        for _ in range(3):
            if self.words.is_role_word(head) or head.dep_ not in ("pobj", "prep") or head.head.i == head.i:
                break
            head = head.head
        if not self.words.is_role_word(head) or head.i > name_start:
            return None
        text = self.doc[head.left_edge.i:name_start].text
        return strip_article(text)

    def before_comma(self, start: int) -> str | None:
        """A role set off before the name: 'The special envoy for the talks, Jan Novak,' (when the parse misses it)."""
        doc = self.doc
        if start < 2 or doc[start - 1].text != ",":
            return None
        words: list[Token] = []
        for i in range(start - 2, max(doc[start].sent.start, start - 2 - APPOSITION_MAX_TOKENS) - 1, -1):
            token = doc[i]
            if token.is_punct and token.text not in ("'s", "’s", ".") or self.hidden(token):
                break
            words.insert(0, token)
        if not words or words[0].pos_ not in ("DET", "ADJ", "NOUN", "PROPN"):
            return None
        if any(t.pos_ in ("VERB", "AUX") for t in words) or not any(self.words.is_role_word(t) for t in words[:5]):
            return None
        return strip_article(doc[words[0].i:words[-1].i + 1].text)
