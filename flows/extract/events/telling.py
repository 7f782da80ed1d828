"""The telling an event is reported in: the happening it is placed at ('told the summit', 'in his remarks'),
the date of the verb of saying whose clause holds it, and whether
the event is told as going on then ('said on Monday that troops were shelling') or as the lead's news
('X and Y have agreed, Z said after talks on Saturday')."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from flows.extract.events.codebook import Codebook
from flows.extract.events.syntax import complement_chain, coordinated_before, lemma_in, root_of
from flows.records import Mention

# How many words up a date may hang below the gathering phrase of a telling ('after talks in Ohrid on Saturday').
PHRASE_REACH = 5


def saying_verb(word: Token, codebook: Codebook) -> Token | None:
    """The verb of saying whose reported clause is the word's own or holds its first conjunct ('X claimed (that)
    Y violated the truce', 'X wrote that A held, but that Y hit B': the parser may join a second 'that' clause to
    the verb of saying itself)."""
    verb = word
    while verb.dep_ == "conj" and verb.head.dep_ in ("ccomp", "conj"):
        verb = verb.head
    marked = verb.dep_ == "conj" and any(c.dep_ == "mark" and c.lower_ == "that" for c in verb.children)
    if (verb.dep_ == "ccomp" or marked) and verb.head.lemma_.lower() in codebook.word("speech_verbs"):
        return verb.head
    return None


def trailing_attribution(anchor: Token, codebook: Codebook) -> Token | None:
    """A verb of saying after the clause that the parser joined to it as a conjunct with no conjunction
    ('Al-Shabaab attacked a base, the minister told reporters'): it tells the clause, as 'said' would."""
    first = coordinated_before(complement_chain(anchor)[-1])[-1]
    joined = [c.i for c in first.children if c.dep_ == "cc"]
    for verb in (c for c in first.children if c.dep_ == "conj" and c.i > anchor.i):
        if verb.lemma_.lower() not in codebook.word("speech_verbs") or any(first.i < j < verb.i for j in joined):
            continue
        before = verb.doc[verb.left_edge.i - 1] if verb.left_edge.i > 0 else None
        if before is not None and before.text == "," and not any(c.dep_ in ("ccomp", "cc") for c in verb.children):
            return verb
    return None


def attribution_phrase(anchor: Token, codebook: Codebook) -> tuple[Token, Token] | None:
    """'According to the army, the ELN blew up a pipeline': the phrase's opening word and the teller it names,
    hung on the clause that holds the anchor."""
    openers = codebook.word("attribution_words")
    clause = [v for word in complement_chain(anchor) for v in coordinated_before(word)]
    for word in (c for verb in clause for c in verb.children if c.dep_ == "prep" and c.lower_ in openers):
        teller = next((o for to in word.children if to.dep_ == "prep" for o in to.children if o.dep_ == "pobj"), None)
        if teller is not None:
            return word, teller
    return None


def reporting_verb(anchor: Token, codebook: Codebook) -> Token | None:
    """The verb of saying whose reported clause holds the event ('X said (that) Y would ...'), if any."""
    chain = complement_chain(coordinated_before(anchor)[-1])
    clause = next((t for t in chain if t.dep_ == "ccomp" and t.head.lemma_.lower() in codebook.word("speech_verbs")),
                  None)
    return clause.head if clause is not None else None


def reported_speech_date(anchor: Token, dates: Sequence[tuple[Mention, list[int]]], codebook: Codebook
                         ) -> tuple[Mention, bool] | None:
    """The date of the verb of saying whose reported clause holds the event, and whether the event is told
    as going on at that time. 'The minister said on Monday that the neighbours had agreed ...': the
    agreeing came before Monday, on a day the text does not give; '... that troops were shelling the
    village' (present or progressive) is of Monday."""
    speech = reporting_verb(anchor, codebook)
    if speech is None:
        return None
    verb = coordinated_before(anchor)[-1]
    doc = anchor.doc
    for mention, ids in dates:
        if not ids:
            continue
        root = root_of(doc, ids)
        if root.head.i == speech.i or (root.dep_ == "pobj" and root.head.head.i == speech.i) or \
                _telling_gathering_date(root, speech, codebook):
            return mention, _ongoing(verb)
    return None


def statement_setting(verb: Token, codebook: Codebook) -> Token | None:
    """The happening a telling is placed at: the gathering told ('told the summit'), the speaker's words
    at it ('in his speech to the summit'; the address noun itself when it names no gathering but is the
    speaker's own words there, 'in his remarks', 'in her opening address', not 'in a televised address' or
    'in his nightly address'), the happening a participle of
    speaking is framed by ('speaking at the signing'), or the gathering a telling to the press follows
    ('after the meeting, X told reporters')."""
    gatherings = codebook.word("gathering_nouns") | codebook.word("pact_act_nouns")
    objects = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    if verb.lemma_.lower() in codebook.word("audience_verbs"):
        told = next((o for o in objects if lemma_in(o, gatherings) and not any(
            lemma_in(c, codebook.word("press_nouns")) for c in o.children if c.dep_ == "compound")), None)
        if told is not None:
            return told
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "in"):
        words = next((o for o in prep.children if o.dep_ == "pobj" and lemma_in(o, codebook.word("address_nouns"))),
                     None)
        if words is not None:
            named = next((o for p in words.children if p.dep_ == "prep" for o in p.children
                          if o.dep_ == "pobj" and lemma_in(o, gatherings)), None)
            own = any(c.dep_ == "poss" for c in words.children) and (
                lemma_in(words, codebook.word("remark_nouns"))
                or any(lemma_in(c, codebook.word("gathering_address_modifiers")) for c in words.children))
            return named or (words if own else None)
    speaking = codebook.word("speaking_verbs")
    for clause in (c for c in verb.children if c.dep_ == "advcl" and c.lemma_.lower() in speaking):
        framed = next((o for p in clause.children if p.dep_ == "prep" and p.lower_ in
                       codebook.word("happening_prepositions") for o in p.children if o.dep_ == "pobj"), None)
        if framed is not None:
            return framed
    if any(lemma_in(o, codebook.word("press_nouns")) for o in objects):
        return next((o for p in verb.children if p.dep_ == "prep" and p.lower_ in codebook.word("after_prepositions")
                     for o in p.children if o.dep_ == "pobj" and lemma_in(o, gatherings)), None)
    return None


def _telling_gathering_date(date: Token, speech: Token, codebook: Codebook) -> bool:
    """'X said after talks in Ohrid on Saturday', 'told reporters at the end of the summit on Monday': a date
    of the gathering a telling is placed at or right after is the telling's day."""
    token = date
    for _ in range(PHRASE_REACH):
        if token.dep_ not in ("pobj", "prep") or token.head.i == token.i:
            return False
        if token.dep_ == "pobj" and token.head.head.i == speech.i:
            return token.head.lower_ in codebook.word("after_prepositions") | \
                codebook.word("happening_prepositions") and _gathering_phrase(token, codebook)
        token = token.head
    return False


def _gathering_phrase(noun: Token, codebook: Codebook) -> bool:
    """'talks', 'twelve hours of talks', 'the end of the summit': a gathering or a part of one."""
    gatherings = codebook.word("gathering_nouns")
    return lemma_in(noun, gatherings) or any(lemma_in(o, gatherings) for of in noun.children
                                              if of.dep_ == "prep" and of.lower_ == "of"
                                              for o in of.children if o.dep_ == "pobj")


def _ongoing(verb: Token) -> bool:
    """'are shelling', 'were shelling', 'says it holds': told as going on at the time of the telling."""
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    return verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children)
