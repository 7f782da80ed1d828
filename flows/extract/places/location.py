"""The location rule: whether a place name is used as a location or stands for an actor."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from flows.extract import dateline as _dateline  # noqa: F401  (registers Doc._.datelines)
from flows.extract.annotate import doc_text
from flows.extract.grammar import PLACE_PREPOSITIONS
from flows.extract.places.gazetteer import MODIFIER_DEPS, SUBJECT_DEPS, Rules, load_gazetteer

# --- The location rule ------------------------------------------------------------------------------

if TYPE_CHECKING:
    from flows.extract.places.candidates import _Candidate


def _dateline_places(doc: Doc) -> list[tuple[int, int]]:
    """Token spans of the place names datelines open with ('ARAUCA, Colombia (Reuters) -')."""
    spans = []
    for dateline in doc._.datelines:
        for start, end in dateline.places:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                spans.append((span.start, span.end))
    return spans


def _is_dateline(doc: Doc, cand: _Candidate) -> bool:
    """The place of a dateline: 'Doha, 3 March 2024 -', 'Nairobi - ...', 'Doha (AFP) -'."""
    return (cand.start, cand.end) in _dateline_places(doc)


def _same_paragraph(doc: Doc, a, b) -> bool:
    """The parser sometimes joins a heading to the next paragraph; roles do not cross blank lines."""
    low, high = sorted((a.i, b.i))
    return "\n" not in doc[low:high + 1].text


def _word(token) -> set[str]:
    return {token.lower_, token.lemma_.lower()}


def _hyphen_pair(doc: Doc, cand: _Candidate, place_tokens: set[int]) -> bool:
    """'the Delhi-Islamabad dialogue': hyphen-joined places name the parties, not a location."""
    before, after = cand.start - 1, cand.end
    return (before >= 1 and doc[before].text == "-" and not doc[before].whitespace_ and before - 1 in place_tokens) \
        or (after + 1 < len(doc) and doc[after].text == "-" and not doc[cand.end - 1].whitespace_
            and after + 1 in place_tokens)


def _misattached_object(doc: Doc, cand: _Candidate, token, rules: Rules) -> bool:
    """'handed back to Ukraine three villages': the parser makes the name a modifier of the noun after it,
    though it directly follows a locative preposition; the preposition's object is the name."""
    prep = doc[cand.start - 1] if cand.start > 0 else None
    head = token.head
    return (prep is not None and prep.pos_ == "ADP" and prep.lower_ in PLACE_PREPOSITIONS
            and token.dep_ == "nmod" and head.dep_ == "pobj" and head.head.i == prep.i
            and not (_word(head) & rules.actor_nouns) and not (_word(prep.head) & rules.nonlocative_heads))


def _alone_on_line(doc: Doc, cand: _Candidate) -> bool:
    """A name forming a whole line is a section tag or label (a region name under an article), not a location."""
    span = cand.span(doc)
    line_start = doc_text(doc).rfind("\n", 0, span.start_char) + 1
    line_end = doc_text(doc).find("\n", span.end_char)
    line = doc_text(doc)[line_start:len(doc_text(doc)) if line_end == -1 else line_end]
    return line.strip() == span.text


# A line holding only a date ('17 September 2018', 'May 3, 2023', '2023-05-03').
DATE_LINE = re.compile(r"(?:\d{1,2}\s+[A-Z][a-z]+\.?,?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})")


def _closing_place(doc: Doc, cand: _Candidate) -> bool:
    """A town on its own line that closes a statement, alone or above its date ('Addis Ababa' then '17
    September 2018'): where the statement was issued, unlike a region tag under an article."""
    if cand.feature != "city":
        return False
    text = doc_text(doc)
    line_end = text.find("\n", cand.span(doc).end_char)
    rest = "" if line_end == -1 else text[line_end:].strip()
    return not rest or DATE_LINE.fullmatch(rest) is not None


def _renames(doc: Doc, token: Token) -> bool:
    """'the guarantor countries, Qatar and Egypt': a name set off by a comma after a common noun renames
    it, whether the parser calls the name an apposition or a conjunct of that noun."""
    if token.dep_ == "appos":
        return True
    head, start = token.head, token.i
    while start > 0 and doc[start - 1].head.i == token.i and doc[start - 1].dep_ in ("compound", "amod", "det"):
        start -= 1
    return token.dep_ == "conj" and head.pos_ == "NOUN" and start >= 2 and doc[start - 1].text == "," \
        and head.i == start - 2


def _coordinated_root(doc: Doc, cand: _Candidate, place_tokens: set[int]) -> Token | None:
    """The token whose role decides ('in Geneva and Vienna': Geneva's), or None when the coordination
    shows the name is no location."""
    token = cand.span(doc).root
    positive_only = cand.feature in ("country", "unknown")
    while token.dep_ in ("conj", "appos") and token.head.i != token.i and _same_paragraph(doc, token, token.head):
        if positive_only and token.head.i not in place_tokens and _renames(doc, token):
            return None  # 'neighbours, Sudan and Chad': the name renames parties, not places
        if token.head.ent_type_ == "PERSON" and token.head.i not in place_tokens:
            return None  # 'President Ruto and Somalia's ...' joined by the parser: a slip, not a location
        token = token.head
    return token


def _modifier_use(doc: Doc, cand: _Candidate, token: Token, rules: Rules, place_tokens: set[int]) -> bool:
    """'U.S. Secretary of State', 'Qatar-mediated', 'Donbas fighters': adjectives, not locations;
    'the Tigray region' and 'Geneva talks' are."""
    feature, head = cand.feature, token.head
    if _misattached_object(doc, cand, token, rules):
        return True
    if _word(head) & rules.nonlocative_modified and head.i == cand.end:
        return False  # 'at 18:00 Kyiv time' names a time zone
    if cand.start > 0 and doc[cand.start - 1].pos_ == "ADV":
        return False  # 'a largely Bamar region': a people describing the place, not its name
    if feature == "country" or _word(head) & rules.named_after_nouns:
        return False  # 'the Algiers agreement' is named after the city, not placed in it
    territorial = bool(_word(head) & rules.territorial_nouns)
    if feature in ("region", "unknown"):
        return territorial
    if head.pos_ in ("VERB", "AUX") or head.tag_ in ("VBN", "VBG", "VBD") or _hyphen_pair(doc, cand, place_tokens):
        return False
    return territorial or not (_word(head) & rules.actor_nouns)


def _located_by_suffix(doc: Doc, cand: _Candidate, rules: Rules) -> bool:
    """'the Tirana-based government': a hyphen-glued suffix that says where something is."""
    after = cand.end
    return (after + 1 < len(doc) and doc[after].text == "-" and not doc[after - 1].whitespace_
            and not doc[after].whitespace_ and doc[after + 1].lower_ in rules.locative_suffixes)


def place_verb_use(token: Token, rules: Rules) -> bool:
    """What is seized, shelled or held is a place ('rebels seized Goma', 'Gori was shelled'), and so is
    what falls or comes under fire ('Kramatorsk came under fire')."""
    head = token.head
    if token.dep_ in ("dobj", "nsubjpass"):
        return bool(_word(head) & rules.place_verbs)
    if token.dep_ != "nsubj":
        return False
    for phrase in rules.place_subject_verbs:
        verb, _, particle = phrase.partition(" ")
        if verb in _word(head) and (not particle or any(c.lower_ == particle for c in head.children)):
            return True
    return False


def as_far_as(prep: Token) -> bool:
    """'as far as Nahariya', 'as far south as Sidon': the object is the extent of a movement, a place."""
    if prep.lower_ != "as" or prep.i < 2:
        return False
    words = [t.lower_ for t in prep.doc[max(0, prep.i - 3):prep.i]]
    return words[-2:] == ["as", "far"] or words[-3:-1] == ["as", "far"]


def _governor(prep: Token) -> Token:
    """What a preposition depends on, through a coordinated one ('grateful to Kenya for hosting and to
    Ethiopia for its support': the second 'to' hangs on the first phrase's preposition, the phrase on
    'grateful')."""
    while prep.dep_ == "conj" and prep.head.pos_ == "ADP" and prep.head.i != prep.i:
        prep = prep.head
    return prep.head


def _relayed_through(prep: Token, rules: Rules) -> bool:
    """'Kyiv gave guarantees through Ankara': what passes through a capital goes through its government."""
    if prep.lower_ not in ("through", "via"):
        return False
    words = _word(prep.head) | (_word(prep.doc[prep.i - 1]) if prep.i > 0 else set())
    for child in prep.head.children:
        if child.dep_ == "dobj":
            words |= _word(child)
    return bool(words & rules.relayed_heads)


def _object_use(doc: Doc, token: Token, rules: Rules) -> bool:
    """The object of a preposition: 'in Doha', 'part of Georgia', 'the border with Serbia', 'shuttled
    between Beirut and Jerusalem', 'fled to neighbouring countries, including Egypt'."""
    prep = token.head
    if prep.dep_ == "agent" or _relayed_through(prep, rules):
        return False
    if prep.lower_ in PLACE_PREPOSITIONS:
        before = doc[prep.i - 1] if prep.i > 0 else prep
        return not ((_word(_governor(prep)) | _word(before)) & rules.nonlocative_heads)
    if prep.lower_ == "of":
        return bool(_word(prep.head) & rules.territorial_nouns)
    if prep.lower_ == "for":
        return bool(_word(prep.head) & (rules.destination_heads | rules.remit_heads))
    if as_far_as(prep):
        return True
    # The noun right before the preposition counts too: the parser often hangs it on the verb ('handed over
    # on the border with Azerbaijan').
    heads = _word(prep.head) | (_word(doc[prep.i - 1]) if prep.i > 0 else set())
    if prep.lower_ == "between":
        return between_places(prep, rules)
    if prep.lower_ == "with":
        return bool(heads & (rules.territorial_nouns | rules.between_heads)) or _joins_places(prep, rules)
    if prep.lower_ in ("including", "like", "as"):
        listed = prep.head if prep.lower_ != "as" else prep.head.head
        return listed.dep_ == "pobj" and listed.head.lower_ in PLACE_PREPOSITIONS
    return False


def _joins_places(prep: Token, rules: Rules) -> bool:
    """'link Pyla with Arsos': the verb joins its object to the object of 'with'."""
    return prep.head.pos_ == "VERB" and prep.head.lemma_.lower() in rules.joining_verbs \
        and any(child.dep_ == "dobj" and child.pos_ == "PROPN" for child in prep.head.children)


def between_places(prep: Token, rules: Rules) -> bool:
    """'between' joins places after a route, a border or a movement ('the road between Misrata and Sirte',
    'buses ferried families between Maiduguri and Bama': the moved object's verb counts too), not after
    'talks' (parties)."""
    doc = prep.doc
    heads = _word(prep.head) | (_word(doc[prep.i - 1]) if prep.i > 0 else set())
    if prep.head.dep_ in ("dobj", "nsubjpass") and prep.head.head.pos_ == "VERB":
        heads |= _word(prep.head.head)
    return bool(heads & rules.between_heads)


def placed_by_adjective(doc: Doc, cand: _Candidate, rules: Rules) -> bool:
    """'nearby Tayyana', 'in northern Kachin': only a place is near or lies in a direction, whatever NER
    calls the name. A direction names a part of a country ('the envoy for eastern Ukraine'), but a country
    said to be near is a location only after a place preposition ('fled to neighbouring Chad'), elsewhere a
    party ('a deal with neighbouring Armenia')."""
    adjective = doc[cand.start - 1].lower_ if cand.start > 0 else ""
    if adjective not in rules.placing_adjectives:
        return False
    return cand.feature != "country" or adjective not in rules.nearness_adjectives \
        or cand.start > 1 and doc[cand.start - 2].lower_ in PLACE_PREPOSITIONS


def _targeted(token: Token, rules: Rules) -> bool:
    """'missiles fired at Saudi Arabia': the object of 'at' after a verb of aiming is a target; 'rockets
    fired at northern Israel' aim at a part of it, a place."""
    prep = token.head
    return prep.lower_ == "at" and bool(_word(prep.head) & rules.target_verbs) \
        and not any(child.dep_ == "amod" for child in token.children)


def _seat(cand: _Candidate) -> bool:
    """A country or a capital: names that may stand for a state."""
    place_id = cand.place.place_id if cand.place is not None else ""
    return cand.feature == "country" or place_id.startswith("geonames:") and place_id[9:].isdigit() \
        and int(place_id[9:]) in load_gazetteer().capitals


def given_to(token: Token, rules: Rules) -> bool:
    """'gave the prisoners to Russia', 'handed to Moscow': the object of 'to' after a verb of giving (or
    after what it gives, where the parser hangs it there: 'gave X and 55 servicemen to Russia'); people
    'handed over to' a country are brought there."""
    prep = token.head
    if token.dep_ != "pobj" or prep.lower_ != "to":
        return False
    governor = _governor(prep)
    while governor.pos_ in ("NOUN", "PROPN", "NUM") and governor.dep_ in ("dobj", "conj") \
            and governor.head.i != governor.i:
        governor = governor.head
    return governor.lemma_.lower() in rules.giving_verbs \
        and not any(child.dep_ == "prt" and child.lower_ == "over" for child in governor.children)


def _orphan_preposition(doc: Doc, cand: _Candidate) -> Token | None:
    """The place preposition right before the name when the parser gave it no object ('continue in
    al-Jawf' parsed with 'al-Jawf' as a subject): the name is its object."""
    prep = doc[cand.start - 1] if cand.start > 0 else None
    if prep is None or prep.pos_ != "ADP" or prep.lower_ not in PLACE_PREPOSITIONS \
            or any(child.dep_ == "pobj" for child in prep.children):
        return None
    return prep


def _attacked(prep: Token, rules: Rules) -> bool:
    """'the attack on the Crimean bridge', 'strikes on Kharkiv': what an attack hits is a place (a country
    there is a party: 'the war on Ukraine')."""
    return prep.lower_ == "on" and bool(_word(prep.head) & rules.attack_heads)


def _location_use(doc: Doc, cand: _Candidate, rules: Rules, place_tokens: set[int]) -> bool:
    """Whether the name is used as a location rather than for an actor (see the module docstring)."""
    feature = cand.feature
    if _is_dateline(doc, cand):
        return True
    if _alone_on_line(doc, cand):
        return _closing_place(doc, cand)
    if cand.label == "HEAD" or _located_by_suffix(doc, cand, rules) or placed_by_adjective(doc, cand, rules):
        return True
    positive_only = feature in ("country", "unknown") or cand.span(doc).text in rules.seat_names
    token = _coordinated_root(doc, cand, place_tokens)
    if token is None:
        return False
    dep, head = token.dep_, token.head
    prep = _orphan_preposition(doc, cand)
    if prep is not None and dep != "pobj":
        return not ((_word(prep.head) | _word(doc[prep.i - 1])) & rules.nonlocative_heads)
    if not _same_paragraph(doc, token, head):
        return not positive_only and not _hyphen_pair(doc, cand, place_tokens)
    if dep in MODIFIER_DEPS:
        return _modifier_use(doc, cand, token, rules, place_tokens)
    if feature == "region" or feature != "country" and place_verb_use(token, rules):
        return True
    if dep in SUBJECT_DEPS:
        return False
    if dep == "pobj" and feature != "country" and _attacked(head, rules):
        return True
    if dep == "pobj":
        return _object_use(doc, token, rules) and not (
            feature == "country" and _targeted(token, rules) or given_to(token, rules) and _seat(cand))
    if dep == "poss":
        # 'Georgia's breakaway region' locates the region, not the country; 'Bogotá's Teatro Colón' and
        # 'Cairo's old town' locate the city too.
        return feature != "country" and (bool(_word(head) & rules.territorial_nouns) or head.i in place_tokens)
    if dep == "dobj":
        return bool(_word(head) & rules.locative_verbs)
    return not positive_only


PLAIN_PREPOSITIONS = frozenset({"in", "at", "near", "to", "from", "into", "between", "inside", "outside"})


def _plainly_located(doc: Doc, cand: _Candidate, rules: Rules) -> bool:
    """A use no reading as an actor can override: a dateline, a name before a place noun, the object of a
    plain place preposition ('in Caracas', 'between Beirut and Jerusalem')."""
    if _is_dateline(doc, cand) or cand.label == "HEAD":
        return True
    token = cand.span(doc).root
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    if cand.feature not in ("country", "unknown") and place_verb_use(token, rules):
        return True
    if token.dep_ == "poss" and cand.feature != "country":
        return bool(_word(token.head) & rules.territorial_nouns) or token.head.ent_type_ == "FAC"
    return token.dep_ == "pobj" and token.head.lower_ in PLAIN_PREPOSITIONS and _object_use(doc, token, rules) \
        and not given_to(token, rules)
