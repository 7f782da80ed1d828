"""Where and when: the date and place mentions of an event's phrase and clause."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable, Sequence

from spacy.tokens import Doc, Token

from flows.extract.dates.tense import appointed_day
from flows.extract.dates.vocab import NUMBERS
from flows.extract.dates.vocab import V as DATE_WORDS
from flows.extract.events.codebook import Codebook
from flows.extract.events.matching import Candidate
from flows.extract.events.mentions import MentionIndex
from flows.extract.events.syntax import (
    NOUN_POS,
    after_motion,
    clause_tokens,
    complement_chain,
    coordinated_before,
    head_indexes,
    is_verb,
    line_range,
    root_of,
    verb_above,
)
from flows.extract.grammar import EVENT_PLACE_PREPOSITIONS
from flows.records import Mention

Located = tuple[Mention, list[int]]


def scopes(cand: Candidate, codebook: Codebook) -> list[set[int]]:
    """Where to look for the event's date and place, nearest first: phrase, own clause, main clause.

    The phrase takes in a relative clause of occurrence ('the fighting that broke out on May 2'), the
    participle that made the act ('the threats made on Sunday') and the one that plans it ('a visit expected in
    August'), the clause a clause of the same time
    ('I thanked him when we spoke on Friday') and the occurrence clause of its subject ('the fighting that
    broke out on May 2 has killed 400': the killing is that fighting)."""
    line = set(line_range(cand.head))
    found = [(clause_tokens(cand.head) | _clauses(cand.head, _occurrence_clause, codebook)
              | _clauses(cand.head, _authoring_clause, codebook)
              | _clauses(cand.head, _scheduling_clause, codebook)) & line] if cand.nominal else []
    anchor = cand.anchor or (verb_above(cand.head) if cand.nominal else cand.head)
    if anchor is not None:
        subjects = [c for c in anchor.children if c.dep_ in ("nsubj", "nsubjpass")]
        found.append((clause_tokens(anchor) | _clauses(anchor, _same_time_clause, codebook)
                      | set().union(*(_clauses(s, _occurrence_clause, codebook) for s in subjects))) & line)
        if after_motion(anchor) or participle_clause(anchor):
            found[-1] |= clause_tokens(anchor.head) & line
    doc = cand.head.doc
    heads = head_indexes(doc)
    roots = [doc[i] for i in line if heads[i] not in line or heads[i] == i]
    main = set().union(*(clause_tokens(root) | _introducing_clause(root) for root in roots)) & line if roots else line
    found.append(main)
    return found


def _introducing_clause(root: Token) -> set[int]:
    """'The council took three steps on Monday: it imposed sanctions, condemned ...': the clause before a colon
    introduces the acts listed after it, and its date is theirs (the parser hangs it from the list's first
    verb)."""
    colons = [p for p in root.children if p.text == ":" and p.i < root.i]
    return set().union(*(clause_tokens(c) for c in root.children if c.dep_ in ("ccomp", "parataxis") and c.i < root.i
                         and any(p.text == ":" and c.right_edge.i <= p.i for p in [*colons, *c.children])))


def _clauses(head: Token, kind: Callable[[Token, Codebook], bool], codebook: Codebook) -> set[int]:
    """The tokens of the head's embedded clauses of one kind."""
    return set().union(*(clause_tokens(c) for c in head.children if kind(c, codebook)))


def _occurrence_clause(verb: Token, codebook: Codebook) -> bool:
    """'the talks that opened on May 2', 'the fighting, which erupted in April': the noun's happening."""
    return verb.dep_ == "relcl" and verb.lemma_.lower() in codebook.word("occurrence_verbs")


def _authoring_clause(verb: Token, codebook: Codebook) -> bool:
    """'the threats made on Sunday by X', 'the complaint submitted in May': when the act was made."""
    return verb.dep_ == "acl" and verb.lemma_.lower() in codebook.word("authoring_verbs")


def _scheduling_clause(word: Token, codebook: Codebook) -> bool:
    """'a visit expected in August', 'talks due next week', 'the summit set for June': when it is to happen."""
    return word.dep_ in ("acl", "amod", "prep") and word.lemma_.lower() in codebook.word("scheduling_words")


def _same_time_clause(verb: Token, codebook: Codebook) -> bool:
    """'I thanked him when we spoke on Friday': a clause opened by a relative time adverb."""
    return verb.dep_ == "advcl" and _opening_adverb(verb, "relative_time_adverbs", codebook) is not None


def participle_clause(verb: Token) -> bool:
    """'fires were reported today, killing two soldiers': a participle clause without its own subject
    happens when the clause it hangs from does."""
    return verb.dep_ == "advcl" and verb.tag_ == "VBG" and is_verb(verb.head) and \
        not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in verb.children)


def _attached(ids: list[int], cand: Candidate) -> bool:
    """The mention hangs directly from the trigger or its anchor ('met *in Moscow*', 'talks *on Tuesday*')."""
    heads = {cand.head.i} | ({cand.anchor.i} if cand.anchor is not None else set())
    root = root_of(cand.head.doc, ids)
    if root.head.i in heads:
        return True
    return root.dep_ == "pobj" and root.head.head.i in heads


def nearest(found: list[Located], cand: Candidate) -> Mention | None:
    """The attached mention first, then the closest one."""
    if not found:
        return None
    position = cand.head.i
    return min(found, key=lambda item: (not _attached(item[1], cand),
                                        min(abs(i - position) for i in item[1]), item[0].char_start))[0]


def _time_clause(cand: Candidate, codebook: Codebook) -> bool:
    """'... in January, before the ceasefire was announced': a clause that only places the main one in
    time; the main clause's date is not its date."""
    verb = cand.anchor or (None if cand.nominal else cand.head)
    return verb is not None and verb.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in codebook.word("time_marks") for c in verb.children)


def _after_clause(cand: Candidate, codebook: Codebook) -> Token | None:
    """'The talks opened on Monday and collapsed on Friday after X shelled Y': a clause opened by 'after' is
    placed by the clause it hangs from; it may share that clause's date (or of the clauses it is coordinated
    with), not one of a clause above it. Under a relative clause ('an offensive in April 2019 that collapsed
    in June after Turkey stepped up support') it is background: no date from outside itself. Returns the
    clause it hangs from."""
    verb = cand.anchor or (None if cand.nominal else cand.head)
    if verb is None or verb.dep_ != "advcl" or not any(
            c.dep_ == "mark" and c.lower_ in codebook.word("sequence_prepositions") for c in verb.children):
        return None
    return verb.head


def time_reference(cand: Candidate, codebook: Codebook) -> bool:
    """'arrived on Monday, a week after the massacre', 'since the 2020 war', 'before the vote': an event
    noun governed by a relative time preposition only places another act in time; the dates around it are
    not its own. A plain 'after' ('suspended it last October after a drone attack') may share a coarse one."""
    head = cand.head
    while head.dep_ in ("conj", "appos") and head.head.i != head.i:
        head = head.head
    if not cand.nominal or head.dep_ != "pobj" or head.head.lower_ not in codebook.word("relative_time_marks"):
        return False
    preposition = head.head
    return preposition.lower_ not in codebook.word("sequence_prepositions") or \
        any(c.dep_ == "npadvmod" for c in preposition.children)


def _relative_clause(cand: Candidate, codebook: Codebook) -> bool:
    """'a war that has killed thousands', 'X, who met Y in 2019, said on Monday': a relative clause
    describes its noun; the main clause's date is not its date. A past act at the place of the main one
    ('met in Geneva on Monday, where they agreed to ...') happens at its time."""
    verb = cand.anchor or (None if cand.nominal else cand.head)
    if verb is None or verb.dep_ != "relcl":
        return False
    return not (verb.tag_ == "VBD" and _opening_adverb(verb, "relative_place_adverbs", codebook) is not None)


def series_or_span(verb: Token, codebook: Codebook) -> bool:
    """'have met six times', 'clashed on several occasions', 'has shelled the villages for months': a
    series of acts, or one drawn out up to now, has no single day."""
    counts = codebook.word("frequency_nouns")
    for child in verb.children:
        if child.dep_ == "npadvmod" and child.tag_ == "NNS" and child.lemma_.lower() in counts:
            return True
        if child.dep_ == "advmod" and child.lower_ in codebook.word("frequency_adverbs"):
            return True  # 'visited Kabul twice this year
        if child.dep_ != "prep":
            continue
        objects = [o for o in child.children if o.dep_ == "pobj" and o.tag_ == "NNS"]
        if child.lower_ == "on" and any(o.lemma_.lower() in counts for o in objects):
            return True
        if child.lower_ == "for" and any(o.lemma_.lower() in DATE_WORDS["units"] for o in objects) and \
                any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in verb.children):
            return True
    return False


def _series_start(doc: Doc, ids: list[int], codebook: Codebook) -> bool:
    """'met six times since 2020', 'visited Israel nine times after October 2023': the start of the period
    a series runs over, not the day of one of its acts."""
    root = root_of(doc, ids)
    return root.dep_ == "pobj" and root.head.lower_ in codebook.word("series_openers")


def contrasted_clause(verb: Token, statement: bool) -> Token | None:
    """'Russia suspended its part last October but rejoined ...', 'the commission awarded Badme to Eritrea
    in 2002, but Ethiopia refused to withdraw': a clause set against the one before by 'but' tells a
    further step whose time the first clause's date does not give (a date opening the sentence still
    dates both). A statement of the same speaker ('welcomed the plan on Thursday but accused X of ...')
    is of the same occasion. Returns the verb of the clause before."""
    verb = complement_chain(verb)[-1]
    if verb.dep_ != "conj" or verb.head.i == verb.i or \
            not any(c.dep_ == "cc" and c.lower_ in ("but", "yet") and c.i < verb.i for c in verb.head.children):
        return None
    if statement and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None
    return verb.head


def _opening_adverb(verb: Token, word_class: str, codebook: Codebook) -> Token | None:
    """The relative adverb that opens the verb's clause ('where they agreed to continue', which the parser
    may hang from the complement)."""
    return next((t for t in verb.subtree if t.i < verb.i and t.dep_ == "advmod"
                 and t.lower_ in codebook.word(word_class)), None)


def _names_other_noun(doc: Doc, ids: list[int], cand: Candidate, codebook: Codebook) -> bool:
    """'the 1991 Alma-Ata Declaration', 'since the 2020 war', 'blamed us for the killing last year', 'in
    breach of the memorandum of 17 September 2018', 'the conditions for next year's election', 'the offensive
    since January': a date that modifies another noun dates that noun, not the event (a caption's 'Geneva,
    Switzerland, May 4' still dates its picture; 'Monday's attack' dates the attack)."""
    root = root_of(doc, ids)
    heads = {cand.head.i} | ({cand.anchor.i} if cand.anchor is not None else set())
    if root.head.i in heads:
        return False
    if root.dep_ == "npadvmod":
        return root.head.pos_ == "NOUN"
    if root.dep_ == "pobj" and root.head.lower_ == "of":
        named = root.head.head  # dates the event when it is what the event makes ('signed the memorandum of')
        return named.i not in heads and named.head.i not in heads and named.pos_ in NOUN_POS and \
            named.lemma_.lower() in codebook.word("document_nouns")
    if root.dep_ == "pobj" and root.head.lower_ in codebook.word("period_openers") and \
            root.head.head.pos_ in NOUN_POS and not any(root.i in {t.i for t in cand.head.doc[i].subtree}
                                                        for i in heads):
        return True  # 'the offensive since the beginning of the year has displaced ..., and I have asked ...'
    if root.dep_ == "poss" and root.head.dep_ in ("nsubj", "nsubjpass") and root.head.head.i in heads:
        return False  # 'Monday's attack killed five': the subject is the act itself
    return root.dep_ in ("compound", "amod", "nummod", "nmod", "poss") and root.head.pos_ in NOUN_POS


def _in_gerund_clause(doc: Doc, ids: list[int], cand: Candidate) -> bool:
    """'thanked X for signing the law in July 2018', 'accused Y of bombing the city earlier this week': a
    date inside a gerund clause after a preposition dates that clause's act, not the verb it hangs from."""
    heads = {cand.head.i} | ({cand.anchor.i} if cand.anchor is not None else set())
    token = root_of(doc, ids)
    while token.head.i != token.i and token.i not in heads:
        if token.dep_ == "pcomp" and token.tag_ == "VBG":
            return not heads & {t.i for t in token.subtree}
        token = token.head
    return False


def _dates_speech(doc: Doc, ids: list[int], cand: Candidate, codebook: Codebook) -> bool:
    """The date hangs from a verb of saying: it dates that telling, not the event, unless the event is a
    further statement of the same speaker on that occasion ('told reporters on Saturday that ..., but
    accused X of ...': one subject, coordinated verbs)."""
    speech = verb_above(root_of(doc, ids))
    if speech is None or speech.lemma_.lower() not in codebook.word("speech_verbs"):
        return False
    verb = None if cand.nominal else cand.head
    if verb is None or not codebook.is_statement(cand.event_type):
        return True
    while verb.dep_ == "conj" and verb.head.i != verb.i and \
            not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        verb = verb.head
        if verb.i == speech.i:
            return False
    return True


def _relative_time_date(cand: Candidate, index: MentionIndex, codebook: Codebook) -> Mention | None:
    """'in January 2019, when Washington recognised Guaido', 'since late August, when fighting resumed':
    a clause opened by a relative time adverb happens at the date it hangs from (or, when the parser
    hangs it from a neighbouring noun, at the date just before the adverb)."""
    verb = cand.anchor or (verb_above(cand.head) if cand.nominal else cand.head)
    if verb is None or verb.dep_ not in ("relcl", "advcl"):
        return None
    adverb = _opening_adverb(verb, "relative_time_adverbs", codebook)
    if adverb is None:
        return None
    doc = cand.head.doc
    before = adverb.i - 1
    while before >= 0 and doc[before].is_punct and doc[before].text != "\n":
        before -= 1
    for mention, ids in index.dates:
        if verb.head.i in ids or before in ids:
            return mention
    return None


@dataclasses.dataclass(frozen=True)
class Offset:
    """Two acts a counted time apart ('four days after the truce', 'two days before the vote on 12 March').

    `other`: the tokens whose dates belong to the other act; `counted_back`: the event is the one the
    offset is counted from (the truce); `days`: the signed number of days from the other act's day to the
    event's ('a day after' seen from the later act: +1), None when the count is not in days ('seven weeks
    after' is a rounded span)."""

    other: set[int]
    counted_back: bool
    days: int | None


def _counted_span(word: Token) -> Token | None:
    """'a day', 'four days', '3 days', 'hours' hanging from 'after'/'before' or from its clause (a bare plural
    unit, 'hours after', 'weeks before', is a span too, rounded)."""
    return next((c for c in word.children if c.dep_ == "npadvmod" and c.lemma_.lower() in DATE_WORDS["units"]
                 and (c.tag_ == "NNS" or any(n.dep_ in ("nummod", "det") and (n.like_num or n.lower_ in NUMBERS)
                                             for n in c.children))),
                None)


def _day_count(span: Token, codebook: Codebook) -> int | None:
    """'a day' -> 1, 'four days' -> 4, '3 days' -> 3, 'hours' or 'minutes' -> 0 (the same day, as 'hours
    later'); None for other units, a bare 'days', or numbers it cannot read."""
    if span.lemma_.lower() in codebook.word("within_day_units"):
        return 0
    number = next((n for n in span.children if n.dep_ in ("nummod", "det") and (n.like_num or n.lower_ in NUMBERS)),
                  None)
    if span.lemma_.lower() != "day" or number is None:
        return None
    if number.lower_ in NUMBERS:
        return NUMBERS[number.lower_]
    return int(number.text) if number.text.isdigit() else None


def _offset(other: set[int], counted_back: bool, mark: Token, span: Token, codebook: Codebook) -> Offset:
    count = _day_count(span, codebook)
    if count is None:
        return Offset(other, counted_back, None)
    later = mark.lower_ not in codebook.word("offset_before_marks")
    return Offset(other, counted_back, (count if later else -count) * (-1 if counted_back else 1))


def _shared_time_clause(verb: Token) -> set[int]:
    """The verb's clause with those of the verbs it is coordinated with before it when it has no subject of
    its own ('stayed away from Wednesday's summit and was represented by X, a day after ...': one time)."""
    ids = clause_tokens(verb)
    while verb.dep_ == "conj" and verb.head.i != verb.i and is_verb(verb.head) and \
            not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        verb = verb.head
        ids |= clause_tokens(verb)
    return ids


def _span_opening_clause(verb: Token, marks: frozenset[str]) -> tuple[Token, Token] | None:
    """'X authorised the deal on Wednesday, a day after the government and the opposition signed it': the
    parser may hang the counted span from the later clause's verb and the conjunction from the span, or take
    the conjunction for a preposition governing the clause's first subject ('after the government', the
    verb's subject left as 'the opposition'). Before the clause's subject, they still open it: the span and
    the conjunction, when the clause follows the verb it is told after."""
    if verb.dep_ not in ("advcl", "conj") or not is_verb(verb.head) or verb.head.i > verb.i:
        return None
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return None
    first = subjects[0].left_edge.i
    doc = verb.doc

    def subject_split(mark: Token) -> bool:
        """'after the government and the opposition signed': the first subject went to the conjunction."""
        return any(doc[i].lower_ == "and" for i in range(mark.i, first))

    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in marks and child.i < first and subject_split(child):
            span = _counted_span(child)
            if span is not None:
                return span, child
        if child.dep_ == "npadvmod" and child.i < first and child.lemma_.lower() in DATE_WORDS["units"] \
                and any(n.dep_ in ("nummod", "det") and (n.like_num or n.lower_ in NUMBERS) for n in child.children):
            mark = next((p for p in child.children if p.dep_ == "prep" and p.lower_ in marks and p.i < first), None)
            if mark is not None and (subject_split(mark) or not any(o.dep_ == "pobj" for o in mark.children)):
                return child, mark
    return None


def counted_from_another(cand: Candidate, codebook: Codebook) -> Offset | None:
    """'X signed a pact on Monday, four days after the two sides agreed a truce', 'rebels attacked the town
    two days before the vote on 12 March': two acts a counted time apart have different days, and the
    text dates only one of them; the other's day is that one moved by the count. None without such an
    offset."""
    marks = codebook.word("offset_marks")
    head = cand.head
    if cand.nominal and head.dep_ == "pobj" and head.head.lower_ in marks and is_verb(head.head.head):
        span = _counted_span(head.head)
        if span is not None:
            return _offset(clause_tokens(head.head.head) - {t.i for t in head.head.subtree}, True, head.head,
                           span, codebook)
    verb = cand.anchor or (verb_above(head) if cand.nominal else head)
    if verb is None:
        return None
    mark = next((c for c in verb.children if c.dep_ == "mark" and c.lower_ in marks), None)
    if verb.dep_ == "advcl" and mark is not None and is_verb(verb.head):
        span = _counted_span(verb) or _counted_span(mark)
        if span is not None:
            return _offset(_shared_time_clause(verb.head), True, mark, span, codebook)
    misread = _span_opening_clause(verb, marks)
    if misread is not None:
        span, mark = misread
        return _offset(_shared_time_clause(verb.head) - {t.i for t in verb.subtree}, True, mark, span, codebook)
    for child in verb.children:
        opener = child if child.dep_ == "prep" else next(
            (c for c in child.children if c.dep_ == "mark"), None) if child.dep_ == "advcl" else None
        if opener is not None and opener.lower_ in marks:
            span = _counted_span(opener) or _counted_span(child)
            if span is not None:
                return _offset({t.i for t in child.subtree}, False, opener, span, codebook)
        # 'A day after the meeting, X accused ...': the span may carry the preposition
        opener = next((p for p in child.children if p.dep_ == "prep" and p.lower_ in marks), None)
        span = _counted_span(verb)
        if opener is not None and span is not None and span.i == child.i:
            return _offset({t.i for t in opener.subtree}, False, opener, child, codebook)
    return None


def offset_date(cand: Candidate, dates: Sequence[Located], codebook: Codebook) -> str | None:
    """'signed on Tuesday, five days after the two men sealed a truce' (the truce: Tuesday - 5), 'attacked
    the town two days before the vote on 12 March' (the attack: 10 March): the day a counted number of
    days from the other act's day-precise date; None when the count is not in days or that act has no
    day in the text."""
    offset = counted_from_another(cand, codebook)
    if offset is None or offset.days is None:
        return None
    found = [(m, ids) for m, ids in dates if ids and set(ids) <= offset.other and m.precision == "day"
             and m.value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", m.value)]
    if not found:
        return None
    position = cand.head.i
    mention = min(found, key=lambda item: min(abs(i - position) for i in item[1]))[0]
    return (datetime.date.fromisoformat(str(mention.value)) + datetime.timedelta(days=offset.days)).isoformat()


def event_date(cand: Candidate, index: MentionIndex, codebook: Codebook) -> Mention | None:
    """The date a relative time clause hangs from, else the date mention of the trigger's own clause, else
    of its sentence's main clause unless it dates a verb of saying ('X said on Monday that ...' dates the
    statement); never the date of an act it is placed a counted time from ('a day after'). A state since a
    date ('has been closed since 2019') is dated by it: the closing began it."""
    relative = _relative_time_date(cand, index, codebook)
    if relative is not None:
        return relative
    offset = counted_from_another(cand, codebook)
    return _own_date(cand, index, codebook, exclude=offset.other if offset else frozenset())


def _own_date(cand: Candidate, index: MentionIndex, codebook: Codebook, exclude: frozenset[int] | set[int] = frozenset()
              ) -> Mention | None:
    """The date mention of the trigger's phrase, own clause or main clause (see `event_date`); never a day a
    verb appoints ('declared Wednesday a day of mourning and called on X to ...': what is appointed, not when)."""
    found_scopes = scopes(cand, codebook)
    if time_reference(cand, codebook):
        found_scopes = found_scopes[:1]
    doc = cand.head.doc
    verb = cand.anchor or (None if cand.nominal else cand.head)
    if _time_clause(cand, codebook) or _relative_clause(cand, codebook) or \
            (verb is not None and contrasted_clause(verb, codebook.is_statement(cand.event_type)) is not None):
        found_scopes = found_scopes[:-1] or found_scopes
    series = verb is not None and series_or_span(verb, codebook)
    before = _after_clause(cand, codebook)
    if before is not None and len(found_scopes) > 1:
        placing = coordinated_before(before)
        found_scopes = found_scopes[:-1] if any(v.dep_ == "relcl" for v in placing) else \
            [*found_scopes[:-1], set().union(*(clause_tokens(verb) for verb in placing))]
    for level, scope in enumerate(found_scopes):
        found = [(m, ids) for m, ids in index.dates if set(ids) <= scope - exclude
                 and not _names_other_noun(doc, ids, cand, codebook)
                 and not _in_gerund_clause(doc, ids, cand) and not (series and _series_start(doc, ids, codebook))
                 and not appointed_day(doc[ids[0]:ids[-1] + 1])]
        if level == len(found_scopes) - 1:
            found = [(m, ids) for m, ids in found if not _dates_speech(doc, ids, cand, codebook)]
        if found:
            return _with_coordinated(nearest(found, cand), index, doc)
    return None


def _with_coordinated(mention: Mention | None, index: MentionIndex, doc: Doc) -> Mention | None:
    """'attacked our bases in September and October': coordinated dates make one period, from the first
    to the last."""
    ids = next((ids for m, ids in index.dates if m is mention), None)
    if mention is None or not ids:
        return mention
    root = root_of(doc, ids)
    joined = [(m, other) for m, other in index.dates if m is not mention and other
              and _coordinated(root, root_of(doc, other))]
    if not joined or "/" in mention.value or any("/" in m.value for m, _ids in joined):
        return mention
    ordered = sorted([(mention, ids), *joined], key=lambda item: item[1][0])
    first, last = ordered[0][0], ordered[-1][0]
    return dataclasses.replace(mention, value=f"{first.value}/{last.value}", char_start=first.char_start,
                               char_end=last.char_end)


def _coordinated(one: Token, other: Token) -> bool:
    return (other.dep_ == "conj" and other.head.i == one.i) or (one.dep_ == "conj" and one.head.i == other.i)


def implicit_date(cand: Candidate, index: MentionIndex, codebook: Codebook) -> Mention | None:
    """A war named without parties takes only a date of the noun phrase it sits in ('the end of the war in
    2020'), of a clause on it, or of the verb that phrase hangs from ('died in the war in 2020'), not one further away
    ('exchanged on Wednesday in a swap since the start of the war')."""
    noun = cand.head
    phrase = noun
    time_reference = False
    time_prepositions = codebook.word("time_prepositions")
    while phrase.dep_ in ("pobj", "conj", "appos", "compound"):
        head = phrase.head.head if phrase.dep_ == "pobj" else phrase.head
        if head.pos_ not in NOUN_POS or head.i == phrase.i:
            break
        time_reference = time_reference or phrase.head.lower_ in time_prepositions
        phrase = head
    time_reference = time_reference or (phrase.dep_ == "pobj" and phrase.head.lower_ in time_prepositions)
    scope = clause_tokens(phrase)
    # a relative clause inside the noun's own phrase is its own ('the truce arrangement that entered into
    # force on 27 November', in_force_is_retreat)
    own_clause = cand.anchor is not None and cand.anchor.dep_ in ("relcl", "acl") and \
        noun.left_edge.i <= cand.anchor.i <= noun.right_edge.i
    if cand.anchor is not None and (phrase.i == noun.i or own_clause):
        scope |= clause_tokens(cand.anchor) & set(line_range(noun))
    if phrase.dep_ == "pobj" and is_verb(phrase.head.head) and not time_reference:
        verb = phrase.head.head
        scope |= {t.i for c in verb.children if c.dep_ == "prep" and c.i != phrase.head.i for t in c.subtree}
    return nearest([(m, ids) for m, ids in index.dates if set(ids) <= scope], cand)


def _attacked_site(root: Token, cand: Candidate, codebook: Codebook) -> bool:
    """'shelled the town of W', 'hit Sanaa', 'bombed the Torkham crossing', 'the shelling of Nikopol', 'a
    strike on Mijek': the place attacked (the event's place; an actor there is a participant and never
    reaches this test)."""
    verbs = {cand.head.i} | ({cand.anchor.i} if cand.anchor is not None else set())
    if cand.nominal and root.dep_ == "pobj" and root.head.lower_ in codebook.word("site_prepositions") \
            and root.head.head.i == cand.head.i:
        return True
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.dep_ in ("dobj", "nsubjpass"):
        root = root.head.head
    name = root
    while root.dep_ == "compound" and root.head.i != root.i:  # 'the Torkham border crossing'
        root = root.head
    if root.i != name.i and root.lemma_.lower() in codebook.word("territory_nouns"):
        return False  # 'bombed Magway village' may mean a village in the region: no place of its own
    return root.dep_ in ("dobj", "nsubjpass") and root.head.i in verbs


def _locative(doc: Doc, ids: list[int], cand: Candidate, codebook: Codebook) -> bool:
    """A place mention counts when a locative preposition governs it, it modifies the event noun, or it is
    what is visited ('visited Brussels') or attacked ('shelled Kyiv', 'the shelling of Nikopol')."""
    root = root_of(doc, ids)
    if cand.rule.mode == "visit" and root.dep_ == "dobj" and root.head.i == cand.head.i:
        return True
    site_event = cand.rule.event_type in codebook.word("site_event_types") or (
        not cand.nominal and cand.head.lemma_.lower() in codebook.word("site_verbs"))
    if site_event and _attacked_site(root, cand, codebook):
        return True
    if root.dep_ == "pobj" and root.head.lower_ == "to" and \
            root.head.head.lemma_.lower() in codebook.word("motion_verbs"):
        return True
    if root.dep_ == "pobj" and root.head.lower_ in EVENT_PLACE_PREPOSITIONS:
        return True
    return root.dep_ in ("compound", "nmod", "npadvmod") and root.head.i == cand.head.i


def event_place(cand: Candidate, index: MentionIndex, codebook: Codebook, participants: set[int]) -> str | None:
    """The place mention of the trigger's phrase or clause, in a locative position (places are local:
    the main clause's place belongs to the main clause's event)."""
    found_scopes = scopes(cand, codebook)
    doc = cand.head.doc
    for scope in found_scopes[:-1] or found_scopes:
        found = [(m, ids) for m, ids in index.places
                 if set(ids) <= scope and not set(ids) & participants and _locative(doc, ids, cand, codebook)]
        if found:
            mention = nearest(found, cand)
            return mention.value if mention else None
    return None


def sequel_days(anchor: Token, codebook: Codebook) -> int | None:
    """How many days after the happening told just before it an act is placed by a phrase of its clause:
    0 for 'later that day', 'hours later', 'the same evening', 1 for 'the next day', 'a day later', 'the
    following morning', n for 'three days later', -1 for 'a day earlier', 'the previous day', -n for 'two
    days earlier'; None without such a phrase."""
    ids = set().union(*(clause_tokens(verb) for verb in coordinated_before(anchor)))
    words = f" {' '.join(anchor.doc[i].lower_ for i in sorted(ids))} "
    for name, days in (("same_day_sequels", 0), ("next_day_sequels", 1), ("previous_day_sequels", -1)):
        if any(f" {phrase} " in words for phrase in codebook.word(name)):
            return days
    counted = re.search(r" (\S+) days (\S+) ", words)
    if counted is None:
        return None
    count = int(counted[1]) if counted[1].isdigit() else NUMBERS.get(counted[1])
    if count is None:
        return None
    if counted[2] in codebook.word("later_words"):
        return count
    return -count if counted[2] in codebook.word("earlier_words") else None
